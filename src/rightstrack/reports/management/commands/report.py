"""`rightstrack report build --type shadow-iccpr --state KZ --format docx --out FILE`: build and render a report.

Without --user only public records are read; with it, what that user may see in the chosen organisations.
Nothing is stored: the file is the output.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from rightstrack.core import visibility
from rightstrack.core.errors import DomainError
from rightstrack.core.models import Organisation

from ...actions import clean_filters
from ...generators import generate
from ...models import STATES, ReportKind
from ...render import FORMATS, render
from ...scope import Scope


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}")


class Command(BaseCommand):
    help = "Build a report from the database and write it as DOCX, PDF, HTML or Markdown."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="build a report and write it to a file")
        build.add_argument("--type", dest="kind", required=True, choices=ReportKind.values)
        build.add_argument("--state", default="KZ", choices=sorted(STATES))
        build.add_argument("--format", dest="fmt", default="docx", choices=sorted(FORMATS))
        build.add_argument("--out", required=True, help="file to write ('-' for standard output)")
        build.add_argument("--language", default="en", choices=["en", "ru", "kk"])
        build.add_argument("--user", default="", help="build as this user (default: public records only)")
        build.add_argument("--organisation", action="append", default=[], help="organisation slug (repeatable)")
        build.add_argument("--from", dest="start", type=_date, default=None)
        build.add_argument("--to", dest="end", type=_date, default=None)
        build.add_argument("--filters", default="{}", help='JSON, e.g. {"articles": [9, 14]}')
        build.add_argument("--title", default="")

    def handle(self, *args, **options) -> None:
        user = AnonymousUser()
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}")
        org_ids = []
        for slug in options["organisation"]:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None or org.pk not in visibility.org_ids(user):
                raise CommandError(f"unknown organisation {slug!r}, or the user is not a member")
            org_ids.append(org.pk)
        if not org_ids:
            org_ids = visibility.org_ids(user)
        try:
            filters = clean_filters(json.loads(options["filters"]))
            scope = Scope(
                user=user,
                kind=options["kind"],
                state=options["state"],
                language=options["language"],
                org_ids=org_ids,
                period_start=options["start"],
                period_end=options["end"],
                filters=filters,
                title=options["title"],
            )
            document = generate(scope)
            content, _type, _ext = render(document, options["fmt"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--filters is not JSON: {exc}")
        except DomainError as exc:
            raise CommandError(exc.message)
        if options["out"] == "-":
            self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else self.stdout.write(content.decode())
        else:
            Path(options["out"]).write_bytes(content)
            self.stderr.write(f"wrote {options['out']} ({len(content)} bytes, {len(document.paragraphs())} paragraphs)")
