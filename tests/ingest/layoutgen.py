"""Synthetic documents in the layouts UN and NGO texts really arrive in, with known answers.

Every text here was written for these tests (it is SYNTHETIC, not taken from any real document).
Two kinds of document — concluding observations ("co") and a UPR national report with its
addendum list ("upr") — in English, Russian and Kazakh, rendered in five layouts:

* ``two_columns``     PDF (CSS columns) and DOCX (a two-column section)
* ``headers_footers`` PDF with a running symbol header, ``GE.`` job number and page numbers;
                      the same as hard-wrapped text (a PDF-to-text conversion: repeated lines, a
                      number alone on its line, a symbol split at a line end) and DOCX
* ``inline``          flattened web text: paragraphs run on ("... law. 4. The Committee"),
                      numbers after a sub-heading on the same line, glued numbers ("12.The"),
                      inline sub-items, a ``GE.`` footer glued to a heading, a cut-off end;
                      as TXT, DOCX and PDF
* ``footnotes``       PDF with real footnotes (and their calls), and text with footnotes under
                      a rule at each page's end
* ``upr``             the UPR report numbering (``I.``, ``A.``, ``1.``, ``139.61``) as PDF, DOCX, TXT

``build(layout, language, fmt, folder)`` writes the file and returns it with its ``Answers``:
paragraph labels ('12', '139.61'), sub-item labels ('8 (a)'), symbols, recommendations and
figures with their side (``state`` / ``ngo`` / ``body`` / ``expert``).
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

LAYOUTS: dict[str, tuple[str, ...]] = {
    "two_columns": ("pdf", "docx"),
    "headers_footers": ("pdf", "txt", "docx"),
    "inline": ("txt", "docx", "pdf"),
    "footnotes": ("pdf", "txt"),
    "upr": ("pdf", "docx", "txt"),
}
LANGUAGES = ("en", "ru", "kk")


@dataclass
class Para:
    label: str
    text: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)
    notes: list[str] = field(default_factory=list)  # footnotes called at the end of the text


@dataclass
class Heading:
    text: str  # with its printed label: "I. Introduction"
    level: int


@dataclass
class Answers:
    paragraphs: list[str]
    subitems: list[str]
    symbols: list[str]
    recommendations: list[str]
    figures: list[tuple[float, str]]  # (value, side)


@dataclass
class Doc:
    language: str
    kind: str
    title: str
    header: str  # the document's symbol: at the top of its first page, and the running header
    job: str  # the GE. print-job number
    blocks: list[Para | Heading]
    answers: Answers
    cut: str = ""  # a recommendation cut off by the end of the text (never an answer)


# --- texts (synthetic, written for these tests) -------------------------------------------------

_T = {
    "en": {
        "title": "Concluding observations on the third periodic report of Kazakhstan (synthetic test document)",
        "and": "and",
        "h": [
            "I. Introduction",
            "II. Positive aspects",
            "III. Principal subjects of concern and recommendations",
        ],
        "intro": "The Committee considered the third periodic report of Kazakhstan ({report}) at its 3271st and "
        "3272nd meetings ({sr}), held on 7 and 8 March 2024. At its 3290th meeting, it adopted the present "
        "concluding observations.",
        "welcome": "The Committee welcomes the constructive dialogue with the delegation and the replies to the "
        "list of issues ({loi}).",
        "fig": {
            "state": "The delegation stated that {n} complaints of ill-treatment were registered in 2023 and that "
            "all of them had been examined.",
            "ngo": "According to non-governmental organizations, at least {n} persons were detained after the "
            "protests in January 2022.",
            "expert": "The Special Rapporteur on torture reported that {n} detainees had been held in solitary "
            "confinement.",
            "body": "Between 2019 and 2023 the Committee received {n} individual communications concerning the "
            "State party.",
            "state_co": "According to the State party, {n} women applied to crisis centres in 2023.",
        },
        "rec": "The Committee recommends that the State party {action}.",
        "should": "The State party should:",
        "items": [
            "Ensure that all complaints of torture are investigated promptly by an independent body;",
            "Guarantee access to a lawyer of one's choice from the moment of arrest;",
            "Publish annual statistics on complaints, investigations and convictions.",
        ],
        "symbols": "The Committee draws attention to its previous recommendations ({prev}), to the concluding "
        "observations on the combined eighth to tenth periodic reports ({cerd}), to the draft report of "
        "the Working Group ({wg}) and to the addendum ({add}).",
        "topics": [
            (
                "A. Torture and ill-treatment",
                "The Committee is concerned about reports of torture and ill-treatment in temporary detention "
                "facilities and about the low number of prosecutions.",
                "ensure that every allegation of torture is investigated by a body independent of the police",
            ),
            (
                "B. Freedom of expression",
                "The Committee is concerned that article 174 of the Criminal Code is used to prosecute "
                "journalists and civil society activists.",
                "bring article 174 of the Criminal Code into line with article 19 of the Covenant",
            ),
            (
                "C. Peaceful assembly",
                "The Committee is concerned that the law on peaceful assemblies requires prior authorization "
                "and that participants in unauthorized assemblies are detained.",
                "replace the authorization regime for peaceful assemblies with a notification procedure",
            ),
            (
                "D. Violence against women",
                "The Committee is concerned that domestic violence is under-reported and that protection "
                "orders are rarely enforced.",
                "adopt a comprehensive law on domestic violence and fund crisis centres in every region",
            ),
        ],
        "cut": "The Committee recommends that the State party strengthen the independence of the",
        "notes": ["See {sym}, para. 12.", "Information provided by the Ministry of Internal Affairs."],
        "upr_title": "National report submitted in accordance with the annex to Human Rights Council resolution "
        "16/21 (synthetic test document)",
        "upr_h": [
            "I. Methodology and consultation process",
            "II. Follow-up to the previous review",
            "A. Equality and non-discrimination",
            "B. Administration of justice",
            "III. Recommendations supported by the State",
        ],
        "upr_p": [
            "The present report was prepared by an interdepartmental working group under the Ministry of "
            "Justice, following the general guidelines ({guide}).",
            "The draft was discussed with {n} non-governmental organizations at public consultations held in "
            "Astana and Almaty.",
            "The report follows up the recommendations of the third cycle ({wgr} and {add}).",
            "In 2023 the courts examined {n} cases concerning discrimination.",
            "Amendments to the Labour Code adopted in 2022 removed the list of professions closed to women.",
            "Since 2021, {n} lawyers have been trained in the Istanbul Protocol.",
            "Legal aid is free of charge for persons without means, as recommended in {co} and {corr}.",
        ],
        "upr_recs": [
            "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights "
            "(Mongolia);",
            "Decriminalize defamation and bring the law on mass media into line with international standards (Norway);",
            "Adopt a law on domestic violence that criminalizes all its forms (Iceland);",
            "Ensure that human rights defenders can work without intimidation (Ireland);",
            "Establish a national preventive mechanism with adequate resources (Denmark);",
            "Guarantee the independence of the judiciary and of lawyers (Canada).",
        ],
    },
    "ru": {
        "title": "Заключительные замечания по третьему периодическому докладу Казахстана (синтетический "
        "тестовый документ)",
        "and": "и",
        "h": [
            "I. Введение",
            "II. Позитивные аспекты",
            "III. Основные вопросы, вызывающие обеспокоенность, и рекомендации",
        ],
        "intro": "Комитет рассмотрел третий периодический доклад Казахстана ({report}) на своих 3271-м и 3272-м "
        "заседаниях ({sr}), состоявшихся 7 и 8 марта 2024 года. На своем 3290-м заседании он принял "
        "настоящие заключительные замечания.",
        "welcome": "Комитет приветствует конструктивный диалог с делегацией и ответы на перечень вопросов ({loi}).",
        "fig": {
            "state": "Делегация заявила, что в 2023 году было зарегистрировано {n} жалоб на жестокое обращение "
            "и что все они были рассмотрены.",
            "ngo": "По данным неправительственных организаций, после протестов в январе 2022 года были задержаны "
            "не менее {n} человек.",
            "expert": "Специальный докладчик по вопросу о пытках сообщил, что {n} заключенных содержались в "
            "одиночных камерах.",
            "body": "В период с 2019 по 2023 год Комитет получил {n} индивидуальных сообщений, касающихся "
            "государства-участника.",
            "state_co": "По данным государства-участника, в 2023 году в кризисные центры обратились {n} женщин.",
        },
        "rec": "Комитет рекомендует государству-участнику {action}.",
        "should": "Государству-участнику следует:",
        "items": [
            "обеспечить оперативное расследование всех жалоб на пытки независимым органом;",
            "гарантировать доступ к адвокату по своему выбору с момента задержания;",
            "ежегодно публиковать статистику жалоб, расследований и обвинительных приговоров.",
        ],
        "symbols": "Комитет обращает внимание на свои предыдущие рекомендации ({prev}), на заключительные "
        "замечания по объединенным восьмому–десятому докладам ({cerd}), на проект доклада Рабочей группы "
        "({wg}) и на добавление ({add}).",
        "topics": [
            (
                "А. Пытки и жестокое обращение",
                "Комитет обеспокоен сообщениями о пытках и жестоком обращении в изоляторах временного "
                "содержания и малым числом уголовных преследований.",
                "обеспечить расследование каждого заявления о пытках органом, независимым от полиции",
            ),
            (
                "В. Свобода выражения мнений",
                "Комитет обеспокоен тем, что статья 174 Уголовного кодекса применяется для преследования "
                "журналистов и гражданских активистов.",
                "привести статью 174 Уголовного кодекса в соответствие со статьей 19 Пакта",
            ),
            (
                "С. Мирные собрания",
                "Комитет обеспокоен тем, что закон о мирных собраниях требует предварительного разрешения, а "
                "участников несанкционированных собраний задерживают.",
                "заменить разрешительный порядок проведения мирных собраний уведомительным",
            ),
            (
                "D. Насилие в отношении женщин",
                "Комитет обеспокоен тем, что о бытовом насилии сообщается редко, а защитные предписания почти "
                "не исполняются.",
                "принять всеобъемлющий закон о бытовом насилии и финансировать кризисные центры в каждом регионе",
            ),
        ],
        "cut": "Комитет рекомендует государству-участнику укрепить независимость",
        "notes": ["См. {sym}, пункт 12.", "Информация, предоставленная Министерством внутренних дел."],
        "upr_title": "Национальный доклад, представленный в соответствии с приложением к резолюции 16/21 Совета "
        "по правам человека (синтетический тестовый документ)",
        "upr_h": [
            "I. Методология и процесс консультаций",
            "II. Последующие меры по итогам предыдущего обзора",
            "A. Равенство и недискриминация",
            "B. Отправление правосудия",
            "III. Рекомендации, поддержанные государством",
        ],
        "upr_p": [
            "Настоящий доклад подготовлен межведомственной рабочей группой при Министерстве юстиции в "
            "соответствии с общими руководящими принципами ({guide}).",
            "Проект обсуждался с {n} неправительственными организациями на общественных консультациях в "
            "Астане и Алматы.",
            "В докладе освещаются меры по рекомендациям третьего цикла ({wgr} и {add}).",
            "В 2023 году суды рассмотрели {n} дел о дискриминации.",
            "Поправки к Трудовому кодексу, принятые в 2022 году, отменили перечень профессий, закрытых для женщин.",
            "С 2021 года {n} адвокатов прошли обучение по Стамбульскому протоколу.",
            "Юридическая помощь бесплатна для малоимущих, как рекомендовано в {co} и {corr}.",
        ],
        "upr_recs": [
            "Ратифицировать второй Факультативный протокол к Международному пакту о гражданских и "
            "политических правах (Монголия);",
            "Декриминализировать клевету и привести закон о средствах массовой информации в соответствие с "
            "международными стандартами (Норвегия);",
            "Принять закон о бытовом насилии, криминализирующий все его формы (Исландия);",
            "Обеспечить, чтобы правозащитники могли работать без запугивания (Ирландия);",
            "Создать национальный превентивный механизм с достаточными ресурсами (Дания);",
            "Гарантировать независимость судебной системы и адвокатов (Канада).",
        ],
    },
    "kk": {
        "title": "Қазақстанның үшінші мерзімді баяндамасы бойынша қорытынды ескертулер (синтетикалық сынақ құжаты)",
        "and": "және",
        "h": [
            "I. Кіріспе",
            "II. Оң аспектілер",
            "III. Алаңдаушылық туғызатын негізгі мәселелер және ұсынымдар",
        ],
        "intro": "Комитет Қазақстанның үшінші мерзімді баяндамасын ({report}) 2024 жылғы 7 және 8 наурызда өткен "
        "3271-ші және 3272-ші отырыстарында ({sr}) қарады. Комитет 3290-шы отырысында осы қорытынды "
        "ескертулерді қабылдады.",
        "welcome": "Комитет делегациямен сындарлы диалогты және мәселелер тізбесіне берілген жауаптарды ({loi}) "
        "құптайды.",
        "fig": {
            "state": "Делегация 2023 жылы қатыгездік туралы {n} шағым тіркелгенін және олардың барлығы "
            "қаралғанын мәлімдеді.",
            "ngo": "Үкіметтік емес ұйымдардың деректері бойынша, 2022 жылғы қаңтардағы наразылықтардан кейін "
            "кемінде {n} адам ұсталды.",
            "expert": "Азаптау мәселесі жөніндегі арнайы баяндамашы {n} тұтқынның жеке камераларда ұсталғанын "
            "хабарлады.",
            "body": "2019–2023 жылдар аралығында Комитет қатысушы мемлекетке қатысты {n} жеке хабарлама алды.",
            "state_co": "Қатысушы мемлекеттің деректері бойынша, 2023 жылы дағдарыс орталықтарына {n} әйел жүгінді.",
        },
        "rec": "Комитет қатысушы мемлекетке {action} ұсынады.",
        "should": "Қатысушы мемлекет:",
        "items": [
            "азаптау туралы барлық шағымдарды тәуелсіз органның жедел тергеуін қамтамасыз етуі;",
            "ұсталған сәттен бастап өзі таңдаған адвокатқа қол жеткізуге кепілдік беруі;",
            "шағымдар, тергеулер және айыптау үкімдері туралы статистиканы жыл сайын жариялауы тиіс.",
        ],
        "symbols": "Комитет өзінің алдыңғы ұсынымдарына ({prev}), біріктірілген сегізінші–оныншы баяндамалар "
        "бойынша қорытынды ескертулерге ({cerd}), Жұмыс тобы баяндамасының жобасына ({wg}) және "
        "толықтыруға ({add}) назар аударады.",
        "topics": [
            (
                "A. Азаптау және қатыгездік",
                "Комитет уақытша ұстау изоляторларындағы азаптау және қатыгездік туралы хабарламаларға және "
                "қылмыстық қудалау санының аздығына алаңдаушылық білдіреді.",
                "азаптау туралы әрбір арызды полициядан тәуелсіз органның тергеуін қамтамасыз етуді",
            ),
            (
                "B. Пікір білдіру бостандығы",
                "Комитет Қылмыстық кодекстің 174-бабы журналистер мен азаматтық белсенділерді қудалау үшін "
                "қолданылатынына алаңдаушылық білдіреді.",
                "Қылмыстық кодекстің 174-бабын Пакттің 19-бабына сәйкес келтіруді",
            ),
            (
                "C. Бейбіт жиналыстар",
                "Комитет бейбіт жиналыстар туралы заң алдын ала рұқсат алуды талап ететініне және рұқсат "
                "етілмеген жиналыстарға қатысушылар ұсталатынына алаңдаушылық білдіреді.",
                "бейбіт жиналыстарды өткізудің рұқсат беру тәртібін хабарлама беру тәртібімен ауыстыруды",
            ),
            (
                "D. Әйелдерге қатысты зорлық-зомбылық",
                "Комитет тұрмыстық зорлық-зомбылық туралы сирек хабарланатынына және қорғау нұсқамаларының іс "
                "жүзінде орындалмайтынына алаңдаушылық білдіреді.",
                "тұрмыстық зорлық-зомбылық туралы кешенді заң қабылдауды және әрбір өңірде дағдарыс "
                "орталықтарын қаржыландыруды",
            ),
        ],
        "cut": "Комитет қатысушы мемлекетке сот жүйесінің тәуелсіздігін",
        "notes": ["Қараңыз: {sym}, 12-тармақ.", "Ішкі істер министрлігі берген ақпарат."],
        "upr_title": "Адам құқықтары жөніндегі кеңестің 16/21 қарарының қосымшасына сәйкес ұсынылған ұлттық "
        "баяндама (синтетикалық сынақ құжаты)",
        "upr_h": [
            "I. Әдістеме және консультациялар барысы",
            "II. Алдыңғы шолудың қорытындысы бойынша шаралар",
            "A. Теңдік және кемсітпеушілік",
            "B. Сот төрелігін жүзеге асыру",
            "III. Мемлекет қолдаған ұсынымдар",
        ],
        "upr_p": [
            "Осы баяндаманы Әділет министрлігі жанындағы ведомствоаралық жұмыс тобы жалпы басшылық "
            "қағидаттарға ({guide}) сәйкес дайындады.",
            "Жоба Астана мен Алматыда өткен қоғамдық консультацияларда {n} үкіметтік емес ұйыммен талқыланды.",
            "Баяндамада үшінші цикл ұсынымдары ({wgr} және {add}) бойынша шаралар көрсетілген.",
            "2023 жылы соттар кемсітушілікке қатысты {n} істі қарады.",
            "2022 жылы қабылданған Еңбек кодексіне түзетулер әйелдерге жабық кәсіптер тізбесін алып тастады.",
            "2021 жылдан бері {n} адвокат Стамбул хаттамасы бойынша оқытылды.",
            "Заң көмегі табысы аз адамдарға тегін көрсетіледі, бұл {co} және {corr} құжаттарында ұсынылған.",
        ],
        "upr_recs": [
            "Азаматтық және саяси құқықтар туралы халықаралық пактіге екінші Факультативтік хаттаманы "
            "ратификациялау (Моңғолия);",
            "Жала жабуды қылмыстық жазадан шығару және бұқаралық ақпарат құралдары туралы заңды халықаралық "
            "стандарттарға сәйкес келтіру (Норвегия);",
            "Тұрмыстық зорлық-зомбылықтың барлық түрін қылмыс деп танитын заң қабылдау (Исландия);",
            "Құқық қорғаушылардың қорқытусыз жұмыс істеуін қамтамасыз ету (Ирландия);",
            "Жеткілікті ресурстары бар ұлттық алдын алу тетігін құру (Дания);",
            "Сот жүйесі мен адвокаттардың тәуелсіздігіне кепілдік беру (Канада).",
        ],
    },
}
_JOB_LETTER = {"en": "E", "ru": "R", "kk": "K"}
_FIG_SIDE = {"state": "state", "ngo": "ngo", "expert": "expert", "body": "body", "state_co": "state"}
# Figure values spelled as the documents print them ("1,245" / "1 245").
_VALUES = [1245, 37, 412, 86, 2150, 19, 640, 73, 305, 58]


def _num(value: int, language: str) -> str:
    if value < 1000:
        return str(value)
    sep = "," if language == "en" else "\u00a0"
    return f"{value // 1000}{sep}{value % 1000:03d}"


def concluding_observations(language: str) -> Doc:
    """Concluding observations: numbered paragraphs, sub-items, symbols, figures with sides."""
    t = _T[language]
    conj = t["and"]
    sym = {
        "report": "CCPR/C/KAZ/3",
        "sr": f"CCPR/C/SR.3271 {conj} 3272",
        "loi": "CCPR/C/KAZ/Q/3/Add.1",
        "prev": "CCPR/C/KAZ/CO/2/Corr.1",
        "cerd": "CERD/C/KAZ/CO/8-10",
        "wg": "A/HRC/WG.6/48/L.10",
        "add": "A/HRC/43/10/Add.1",
    }
    symbols = [
        "CCPR/C/KAZ/CO/3",  # the running header
        "CCPR/C/KAZ/3",
        "CCPR/C/SR.3271",
        "CCPR/C/SR.3272",
        "CCPR/C/KAZ/Q/3/Add.1",
        "CCPR/C/KAZ/CO/2/Corr.1",
        "CERD/C/KAZ/CO/8-10",
        "A/HRC/WG.6/48/L.10",
        "A/HRC/43/10/Add.1",
        "CAT/C/KAZ/CO/4",  # cited in a footnote (and in the text for layouts without footnotes)
    ]
    blocks: list[Para | Heading] = []
    paragraphs: list[str] = []
    subitems: list[str] = []
    recs: list[str] = []
    figures: list[tuple[float, str]] = []
    values = iter(_VALUES)
    n = 0

    def para(text: str, items: list[tuple[str, str]] | None = None, notes: list[str] | None = None) -> None:
        nonlocal n
        n += 1
        paragraphs.append(str(n))
        blocks.append(Para(str(n), text, items or [], notes or []))
        subitems.extend(f"{n} ({letter})" for letter, _ in items or [])

    def figure(kind: str) -> None:
        value = next(values)
        para(t["fig"][kind].format(n=_num(value, language)))
        figures.append((float(value), _FIG_SIDE[kind]))

    blocks.append(Heading(t["h"][0], 1))
    para(t["intro"].format(**sym))
    para(t["welcome"].format(**sym), notes=[t["notes"][0].format(sym="CAT/C/KAZ/CO/4")])
    blocks.append(Heading(t["h"][1], 1))
    figure("state_co")
    figure("body")
    blocks.append(Heading(t["h"][2], 1))
    sides = ["state", "ngo", "expert", "state", "ngo", "state_co", "body", "expert"]
    for i, (heading, concern, action) in enumerate(t["topics"]):
        blocks.append(Heading(heading, 2))
        figure(sides[2 * i])
        para(concern, notes=[t["notes"][1]] if i == 1 else [])
        figure(sides[2 * i + 1])
        rec = t["rec"].format(action=action)
        para(rec)
        recs.append(rec)
        if i in (0, 2):
            items = [(chr(ord("a") + k), text) for k, text in enumerate(t["items"])]
            para(t["should"], items)
            recs.extend(text for _, text in items)
        if i == 1:
            para(t["symbols"].format(**sym))
    answers = Answers(paragraphs, subitems, symbols, recs, figures)
    return Doc(language, "co", t["title"], "CCPR/C/KAZ/CO/3", f"GE.24-04567 ({_JOB_LETTER[language]})", blocks, answers)


def upr_report(language: str) -> Doc:
    """A UPR national report with the addendum's list of recommendations (139.61 ...)."""
    t = _T[language]
    sym = {
        "guide": "A/HRC/DEC/17/119",
        "wgr": "A/HRC/43/10",
        "add": "A/HRC/43/10/Add.1",
        "co": "CCPR/C/KAZ/CO/2",
        "corr": "CCPR/C/KAZ/CO/2/Corr.1",
    }
    symbols = [
        "A/HRC/WG.6/48/KAZ/1",
        "A/HRC/DEC/17/119",
        "A/HRC/43/10",
        "A/HRC/43/10/Add.1",
        "CCPR/C/KAZ/CO/2",
        "CCPR/C/KAZ/CO/2/Corr.1",
    ]
    blocks: list[Para | Heading] = []
    labels: list[str] = []
    figures: list[tuple[float, str]] = []
    values = iter(_VALUES[3:])
    layout = [(0, [0, 1, 2]), (1, []), (2, [3, 4]), (3, [5, 6])]
    n = 0
    for heading, texts in layout:
        blocks.append(Heading(t["upr_h"][heading], 1 if heading < 2 else 2))
        for k in texts:
            n += 1
            text = t["upr_p"][k]
            if "{n}" in text:
                value = next(values)
                text = text.replace("{n}", _num(value, language))
                figures.append((float(value), "state"))
            blocks.append(Para(str(n), text.format(**sym)))
            labels.append(str(n))
    blocks.append(Heading(t["upr_h"][4], 1))
    recs = []
    for k, text in enumerate(t["upr_recs"]):
        label = f"139.{61 + k}"
        blocks.append(Para(label, text))
        labels.append(label)
        recs.append(text)
    answers = Answers(labels, [], symbols, recs, figures)
    return Doc(
        language,
        "upr",
        t["upr_title"],
        "A/HRC/WG.6/48/KAZ/1",
        f"GE.24-01234 ({_JOB_LETTER[language]})",
        blocks,
        answers,
    )


def document(layout: str, language: str) -> Doc:
    doc = upr_report(language) if layout == "upr" else concluding_observations(language)
    if layout == "inline":
        doc.cut = _T[language]["cut"]
    if layout != "footnotes":
        # Without footnotes, what a footnote says is part of its paragraph.
        for block in doc.blocks:
            if isinstance(block, Para) and block.notes:
                block.text = f"{block.text} {' '.join(block.notes)}"
                block.notes = []
    return doc


# --- renderers ----------------------------------------------------------------------------------


def _item_text(letter: str, text: str) -> str:
    return f"({letter}) {text}"


def _css(layout: str, doc: Doc) -> str:
    page = "A4" if layout == "two_columns" else "A5"
    margin = "@top-center { content: '" + doc.header + "'; font-size: 8pt } "
    margin += "@bottom-left { content: '" + doc.job + "'; font-size: 7pt } "
    margin += "@bottom-right { content: counter(page); font-size: 8pt }"
    if layout not in ("headers_footers", "two_columns", "footnotes", "upr"):
        margin = ""
    css = f"""
    @page {{ size: {page}; margin: 18mm 16mm; {margin} }}
    body {{ font-family: 'DejaVu Sans'; font-size: 9.5pt; line-height: 1.3 }}
    h1 {{ font-size: 14pt; font-weight: bold; margin: 0 0 8pt 0 }}
    h2 {{ font-size: 11.5pt; font-weight: bold; margin: 10pt 0 4pt 0 }}
    h3 {{ font-size: 10pt; font-weight: bold; margin: 8pt 0 4pt 0 }}
    p {{ margin: 0 0 5pt 0; text-align: justify }}
    p.num {{ padding-left: 2.2em; text-indent: -2.2em }}
    p.item {{ padding-left: 4.4em; text-indent: -2.2em }}
    .fn {{ float: footnote; font-size: 7.5pt }}
    ::footnote-call {{ font-size: 6.5pt; vertical-align: super }}
    ::footnote-marker {{ font-size: 7.5pt }}
    """
    if layout == "two_columns":
        css += ".cols { columns: 2; column-gap: 8mm }"
    return css


def to_html(doc: Doc, layout: str) -> str:
    esc = html.escape
    out = [f"<p>{esc(doc.header)}</p><h1>{esc(doc.title)}</h1>", "<div class='cols'>"]
    if layout == "inline":
        # A web page pasted into a PDF: the flattened text, one run of words per section.
        out += [f"<p>{esc(line)}</p>" for line in _flat_lines(doc)]
    else:
        for block in doc.blocks:
            if isinstance(block, Heading):
                out.append(f"<h{block.level + 1}>{esc(block.text)}</h{block.level + 1}>")
                continue
            notes = "".join(f"<span class='fn'>{esc(note)}</span>" for note in block.notes)
            out.append(f"<p class='num'>{esc(block.label)}.\u2003{esc(block.text)}{notes}</p>")
            out += [f"<p class='item'>{esc(_item_text(letter, text))}</p>" for letter, text in block.items]
    out.append("</div>")
    return (
        f"<html><head><meta charset='utf-8'><style>{_css(layout, doc)}</style></head><body>{''.join(out)}</body></html>"
    )


def to_pdf(doc: Doc, layout: str, path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=to_html(doc, layout)).write_pdf(str(path))
    return path


def _flat_lines(doc: Doc) -> list[str]:
    """Flattened web text: a section's paragraphs run on; quirks at fixed places."""
    lines = [doc.header, doc.title]
    current = ""
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            if current:
                lines.append(current)
            current = block.text
            if i == 4:  # a print-job footer glued in front of a heading
                current = f"{doc.job} {current}"
            continue
        number = f"{block.label}." if block.label.isdigit() and int(block.label) % 4 == 3 else f"{block.label}. "
        text = number + block.text  # "7.The Committee": glued every fourth paragraph
        if block.items:
            text += " " + " ".join(_item_text(letter, item) for letter, item in block.items)
        current = f"{current} {text}" if current else text
    if doc.cut:
        current = f"{current} {doc.cut}"
    lines.append(current)
    return lines


def _wrapped(doc: Doc, *, footnotes: bool) -> str:
    """A PDF-to-text conversion: lines wrapped at 74 characters, pages of 30 lines with the
    running header, the job number and page number; every fifth paragraph number on its own line;
    one symbol split after a slash at a line end; footnotes under a rule at the foot of the page."""
    lines: list[str] = [doc.header, doc.title, ""]
    notes: list[str] = []
    note_no = 0
    split_done = False
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += [block.text, ""]
            continue
        text = block.text
        for note in block.notes:
            note_no += 1
            text += str(note_no)  # the call, as text conversions print it
            notes.append(f"{note_no} {note}")
        if not split_done and "CCPR/C/KAZ/CO/2/Corr.1" in text:
            text = text.replace("CCPR/C/KAZ/CO/2/Corr.1", "CCPR/C/KAZ/\u0000CO/2/Corr.1")
            split_done = True
        if block.label.isdigit() and int(block.label) % 5 == 0:
            lines.append(f"{block.label}.")
            body = textwrap.wrap(text, 74)
        else:
            body = textwrap.wrap(f"{block.label}.  {text}", 74)
        for line in body:
            lines += line.split("\u0000")
        for letter, item in block.items:
            lines += textwrap.wrap(_item_text(letter, item), 70, initial_indent="    ", subsequent_indent="    ")
        lines.append("")
        if notes and footnotes:
            lines += ["__________", *notes, ""]
            notes = []
    pages = []
    per_page = 30
    for k in range(0, len(lines), per_page):
        page_no = k // per_page + 1
        body = lines[k : k + per_page]
        pages.append("\n".join([doc.header, "", *body, "", doc.job, str(page_no)]))
    return "\f".join(pages)


def to_txt(doc: Doc, layout: str, path: Path) -> Path:
    if layout == "inline":
        text = "\n".join(_flat_lines(doc))
    elif layout in ("headers_footers", "footnotes"):
        text = _wrapped(doc, footnotes=layout == "footnotes")
    else:
        lines = [doc.header, doc.title, ""]
        for block in doc.blocks:
            if isinstance(block, Heading):
                lines += [block.text, ""]
                continue
            lines += [f"{block.label}. {block.text}", ""]
            lines += [_item_text(letter, item) for letter, item in block.items]
        text = "\n".join(lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def to_docx(doc: Doc, layout: str, path: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    section = document.sections[0]
    if layout == "two_columns":
        cols = OxmlElement("w:cols")
        cols.set(qn("w:num"), "2")
        cols.set(qn("w:space"), "454")
        section._sectPr.append(cols)
    if layout in ("headers_footers", "upr"):
        section.header.paragraphs[0].text = doc.header
        section.footer.paragraphs[0].text = doc.job
    document.add_paragraph(doc.header)
    document.add_heading(doc.title, level=1)
    if layout == "inline":
        for line in _flat_lines(doc)[2:]:
            document.add_paragraph(line)
    else:
        for block in doc.blocks:
            if isinstance(block, Heading):
                document.add_heading(block.text, level=block.level + 1)
                continue
            document.add_paragraph(f"{block.label}.\t{block.text}")
            for letter, item in block.items:
                document.add_paragraph(_item_text(letter, item))
    document.save(str(path))
    return path


def build(layout: str, language: str, fmt: str, folder: Path) -> tuple[Path, Answers]:
    """Write the document of ``layout`` in ``language`` as ``fmt`` into ``folder``."""
    doc = document(layout, language)
    path = Path(folder) / f"{layout}-{language}.{fmt}"
    {"pdf": to_pdf, "txt": to_txt, "docx": to_docx}[fmt](doc, layout, path)
    return path, doc.answers


def cases() -> list[tuple[str, str, str]]:
    """Every (layout, language, format) the suite measures."""
    return [(layout, lang, fmt) for layout, fmts in LAYOUTS.items() for lang in LANGUAGES for fmt in fmts]


# --- scoring ------------------------------------------------------------------------------------


def _key(text: str) -> str:
    import unicodedata

    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p = tp / pred if pred else (1.0 if not gold else 0.0)
    r = tp / gold if gold else 1.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pred": pred, "gold": gold}


def _multiset(pred: list, gold: list) -> dict[str, float]:
    from collections import Counter

    return _prf(sum((Counter(pred) & Counter(gold)).values()), len(pred), len(gold))


def score(result: dict, answers: Answers) -> dict[str, dict[str, float]]:
    """P/R/F1 per kind; ``side`` is the share of matched figures given the right side."""
    labels = [p["number"] for p in result["passages"] if p.get("number")]
    scores = {
        "paragraphs": _multiset([x for x in labels if "(" not in x and x[:1].isdigit()], answers.paragraphs),
        "subitems": _multiset([x for x in labels if "(" in x], answers.subitems),
        "symbols": _multiset(list(result["symbols"]), answers.symbols),
    }
    # A recommendation matches when one text holds the other (a detector may keep the lead-in).
    pred = [_key(r["text"]) for r in result["recommendations"]]
    used: set[int] = set()
    tp = 0
    for gold in (_key(r) for r in answers.recommendations):
        for i, text in enumerate(pred):
            if i not in used and text and (gold in text or (text in gold and len(text) >= 0.6 * len(gold))):
                used.add(i)
                tp += 1
                break
    scores["recommendations"] = _prf(tp, len(pred), len(answers.recommendations))
    found = [(float(f["value"]), f.get("side") or f.get("speaker")) for f in result["figures"]]
    remaining = list(found)
    tp = right = 0
    for value, side in answers.figures:
        match = next((f for f in remaining if f[0] == value), None)
        if match is not None:
            remaining.remove(match)
            tp += 1
            right += match[1] == side
    scores["figures"] = _prf(tp, len(found), len(answers.figures))
    scores["side"] = {"p": right / tp if tp else 0.0, "r": right / len(answers.figures), "f1": 0.0}
    scores["side"]["f1"] = scores["side"]["r"]
    scores["side"].update(pred=tp, gold=len(answers.figures))
    return scores
