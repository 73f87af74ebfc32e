"""Help at /help/: a short task guide per role and a glossary, in the user's language (texts in the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    who: Promise
    steps: tuple[Promise, ...]


GUIDES = (
    Guide(
        "monitor",
        _("Monitor: observe a hearing"),
        _("For monitors who attend trials and fill in the fair-trial checklist."),
        (
            _("Your home page lists your next hearings; the bell tells you when a new one is assigned to you."),
            _(
                "Open the observation form on your phone at the hearing. Answers are saved as you go, one group "
                "per screen, so a weak connection loses nothing."
            ),
            _(
                "Answer what you could observe. Choose “not observed” rather than guessing, and add a short note "
                "on what you saw."
            ),
            _("Submit the observation. If required answers are missing, RightsTrack lists them so you can go back."),
            _(
                "A coordinator accepts it or returns it with a comment, and you get an alert either way. Correct "
                "a returned observation and submit it again."
            ),
            _("Never type a real name in a note: use the pseudonym RightsTrack shows."),
        ),
    ),
    Guide(
        "documenter",
        _("Documenter: record an incident"),
        _("For members who document violations: events, acts, victims and what was done about them."),
        (
            _("Incidents → New event: what happened, when (to the day, the month, the year or “about”) and where."),
            _(
                "Add each act (what was done to whom) and its victim as a person with a pseudonym. Real names and "
                "contacts are shown only to members with restricted access."
            ),
            _("Add perpetrators and interventions (complaints, appeals, UN communications) as they happen."),
            _("Record each victim's consent. An event is published only when every victim has given consent."),
            _("Upload the documents a fact rests on under Documents, and cite the passage."),
            _("Keep a record restricted while someone in it is at risk; only a coordinator can lower its level."),
        ),
    ),
    Guide(
        "analyst",
        _("Analyst: follow recommendations and claims"),
        _("For members who assess recommendations, check State claims and write reports."),
        (
            _(
                "Recommendations: search and filter by mechanism, theme or article. Each shows the coalition's "
                "and the State's latest assessment side by side."
            ),
            _(
                "Assess a recommendation: say who assessed it (the coalition or the State) and the status, and "
                "cite the passages that support it."
            ),
            _(
                "Ingestion: upload a UN document or a report. RightsTrack proposes recommendations, figures and "
                "claims beside each passage for you to accept, correct or reject."
            ),
            _("Claims: record a State claim with its figure and compare it with official and NGO figures."),
            _(
                "Reports: build a shadow report or a UPR submission, edit its paragraphs, and before publication "
                "check the list of figures without a footnote."
            ),
        ),
    ),
    Guide(
        "coordinator",
        _("Coordinator: review, assign, publish"),
        _("For coordinators and administrators of an organisation."),
        (
            _("Your home page lists observations and suggestions waiting for review, and the deadlines ahead."),
            _("Review observations: accept them, or return them with a comment that says what to correct."),
            _("Assign monitors to hearings: the trial calendar shows hearings that still have no monitor."),
            _(
                "Publish: a report or an event is published only when its records are public and its victims have "
                "given consent. A refusal names each record to fix and links to it."
            ),
            _(
                "Access: give restricted access only to people who need real names; the audit log shows who "
                "changed what and when."
            ),
            _(
                "Deadlines: follow-up dates of recommendations and reporting deadlines of UN mechanisms come as "
                "alerts a month before they fall due."
            ),
        ),
    ),
)

#: (term, explanation), in the order a newcomer meets them.
GLOSSARY = (
    (
        _("UPR (Universal Periodic Review)"),
        _(
            "A review of each UN member State's human-rights record by other States, about every four and a half "
            "years. The State supports or notes each recommendation; about two and a half years later a "
            "voluntary mid-term report on progress is expected."
        ),
    ),
    (
        _("Treaty body"),
        _(
            "A committee of independent experts watching over one human-rights treaty: the Human Rights "
            "Committee (ICCPR), the Committee against Torture (CAT), CEDAW, CERD, CRC, CESCR. States report to it "
            "at regular intervals."
        ),
    ),
    (
        _("Concluding observations"),
        _(
            "A treaty body's findings and recommendations after it has reviewed a State's report. A few are "
            "chosen for follow-up: the State is asked to report on them within one year."
        ),
    ),
    (
        _("Special procedures"),
        _(
            "Independent experts of the Human Rights Council (special rapporteurs, working groups) on a theme or "
            "a country. They visit countries, write to governments about cases and make recommendations."
        ),
    ),
    (
        _("Views"),
        _(
            "A treaty body's decision on an individual complaint against a State: whether the treaty was "
            "violated and what remedy is due."
        ),
    ),
    (
        _("Recommendation follow-up date"),
        _(
            "The date by which progress on a recommendation should be reported. RightsTrack alerts you a month "
            "before it."
        ),
    ),
    (
        _("Assessment"),
        _(
            "A judgement of how far a recommendation has been carried out (fully, partially, not implemented, "
            "no information), by the coalition or by the State, citing evidence."
        ),
    ),
    (
        _("Event"),
        _(
            "In the HURIDOCS Events Standard Formats: something that happened, made of one or more acts linked "
            "by time, place or purpose — for example the dispersal of a protest."
        ),
    ),
    (_("Act"), _("One thing done to one victim within an event, for example an arrest or a beating.")),
    (_("Victim"), _("The person, or group, an act was done to.")),
    (
        _("Perpetrator"),
        _("A person, group or unit that committed an act, with the degree of their part in it."),
    ),
    (
        _("Intervention"),
        _(
            "Something done for a victim or about an act: a complaint, an appeal, a UN communication, a public "
            "statement."
        ),
    ),
    (_("Observation"), _("A monitor's record of one hearing: the fair-trial checklist's answers with notes.")),
    (
        _("Finding"),
        _("A figure computed from accepted observations, such as in how many observed hearings a right was kept."),
    ),
    (
        _("Confidentiality"),
        _(
            "Public: anyone, also on the public site. Internal: members of the organisation that owns the "
            "record. Restricted: only its members with restricted access."
        ),
    ),
    (_("Pseudonym"), _("The name shown instead of a person's real name to anyone without restricted access.")),
    (
        _("Consent"),
        _("A person's agreement that their case may be published. Without it nothing about them is published."),
    ),
)


def _matches(query: str, *texts: object) -> bool:
    words = query.casefold().split()
    haystack = " ".join(str(t) for t in texts).casefold()
    return all(w in haystack for w in words)


def index(request: HttpRequest) -> HttpResponse:
    """The list of guides and the glossary; `?q=` searches both in the user's language."""
    query = request.GET.get("q", "").strip()[:200]
    guides, terms = GUIDES, GLOSSARY
    if query:
        guides = tuple(g for g in GUIDES if _matches(query, g.title, g.who, *g.steps))
        terms = tuple(t for t in GLOSSARY if _matches(query, *t))
    return render(request, "core/help/index.html", {"guides": guides, "terms": terms, "q": query})


def guide(request: HttpRequest, role: str) -> HttpResponse:
    found = next((g for g in GUIDES if g.slug == role), None)
    if found is None:
        raise Http404
    return render(request, "core/help/guide.html", {"guide": found, "guides": GUIDES})


def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help/glossary.html", {"terms": GLOSSARY})
