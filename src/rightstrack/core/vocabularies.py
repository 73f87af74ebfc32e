"""Controlled vocabularies shipped with RightsTrack, loaded by a data migration and editable by admins.

Themes follow UPR Info's issue labels so imported recommendations and the classifier share one list.
"""

from __future__ import annotations

from django.utils.text import slugify

ICCPR_ARTICLES = [
    (1, "Self-determination", "Право на самоопределение"),
    (2, "Non-discrimination and effective remedy", "Недискриминация и эффективное средство правовой защиты"),
    (3, "Equal rights of men and women", "Равноправие мужчин и женщин"),
    (4, "Derogation in a public emergency", "Отступление от обязательств при чрезвычайном положении"),
    (5, "No destruction or limitation of rights", "Недопустимость уничтожения или ограничения прав"),
    (6, "Right to life", "Право на жизнь"),
    (7, "Prohibition of torture and ill-treatment", "Запрещение пыток и жестокого обращения"),
    (8, "Prohibition of slavery and forced labour", "Запрещение рабства и принудительного труда"),
    (9, "Liberty and security of person", "Право на свободу и личную неприкосновенность"),
    (10, "Humane treatment of persons deprived of liberty", "Гуманное обращение с лицами, лишёнными свободы"),
    (
        11,
        "No imprisonment for failure to fulfil a contract",
        "Недопустимость лишения свободы за неисполнение договорного обязательства",
    ),
    (12, "Freedom of movement", "Свобода передвижения"),
    (13, "Expulsion of aliens", "Высылка иностранцев"),
    (14, "Right to a fair trial", "Право на справедливое судебное разбирательство"),
    (15, "No punishment without law", "Нет наказания без закона"),
    (16, "Recognition as a person before the law", "Признание правосубъектности"),
    (17, "Privacy, family, home and correspondence", "Неприкосновенность частной и семейной жизни, жилища, переписки"),
    (18, "Freedom of thought, conscience and religion", "Свобода мысли, совести и религии"),
    (19, "Freedom of opinion and expression", "Свобода мнений и их свободного выражения"),
    (20, "Prohibition of war propaganda and advocacy of hatred", "Запрещение пропаганды войны и разжигания ненависти"),
    (21, "Right of peaceful assembly", "Право на мирные собрания"),
    (22, "Freedom of association", "Свобода ассоциации"),
    (23, "Protection of the family", "Защита семьи"),
    (24, "Rights of the child", "Права ребёнка"),
    (
        25,
        "Participation in public affairs, voting and public service",
        "Участие в ведении государственных дел, выборах и государственной службе",
    ),
    (26, "Equality before the law", "Равенство перед законом"),
    (27, "Rights of minorities", "Права меньшинств"),
]

SDGS = [
    (1, "No poverty", "Ликвидация нищеты"),
    (2, "Zero hunger", "Ликвидация голода"),
    (3, "Good health and well-being", "Хорошее здоровье и благополучие"),
    (4, "Quality education", "Качественное образование"),
    (5, "Gender equality", "Гендерное равенство"),
    (6, "Clean water and sanitation", "Чистая вода и санитария"),
    (7, "Affordable and clean energy", "Недорогостоящая и чистая энергия"),
    (8, "Decent work and economic growth", "Достойная работа и экономический рост"),
    (9, "Industry, innovation and infrastructure", "Индустриализация, инновации и инфраструктура"),
    (10, "Reduced inequalities", "Уменьшение неравенства"),
    (11, "Sustainable cities and communities", "Устойчивые города и населённые пункты"),
    (12, "Responsible consumption and production", "Ответственное потребление и производство"),
    (13, "Climate action", "Борьба с изменением климата"),
    (14, "Life below water", "Сохранение морских экосистем"),
    (15, "Life on land", "Сохранение экосистем суши"),
    (16, "Peace, justice and strong institutions", "Мир, правосудие и эффективные институты"),
    (17, "Partnerships for the goals", "Партнёрство в интересах устойчивого развития"),
]

THEMES = [
    ("Asylum-seekers - refugees", "Просители убежища и беженцы"),
    ("CP rights - general", "Гражданские и политические права — общее"),
    ("Civil society", "Гражданское общество"),
    ("Corruption", "Коррупция"),
    ("Counter-terrorism", "Борьба с терроризмом"),
    ("Death penalty", "Смертная казнь"),
    ("Detention", "Содержание под стражей"),
    ("Development", "Развитие"),
    ("Disabilities", "Инвалидность"),
    ("ESC rights - general", "Экономические, социальные и культурные права — общее"),
    ("Elections", "Выборы"),
    ("Enforced disappearances", "Насильственные исчезновения"),
    ("Environment", "Окружающая среда"),
    ("Extrajudicial executions", "Внесудебные казни"),
    ("Freedom of association and peaceful assembly", "Свобода ассоциации и мирных собраний"),
    ("Freedom of movement", "Свобода передвижения"),
    ("Freedom of opinion and expression", "Свобода мнений и их выражения"),
    ("Freedom of religion and belief", "Свобода религии и убеждений"),
    ("Freedom of the press", "Свобода прессы"),
    ("General", "Общее"),
    ("HIV - Aids", "ВИЧ/СПИД"),
    ("Human rights defenders", "Правозащитники"),
    ("Human rights education and training", "Образование и подготовка в области прав человека"),
    ("Human rights violations by state agents", "Нарушения прав человека представителями государства"),
    ("Impunity", "Безнаказанность"),
    ("Indigenous peoples", "Коренные народы"),
    ("Internally displaced persons", "Внутренне перемещённые лица"),
    ("International humanitarian law", "Международное гуманитарное право"),
    ("International instruments", "Международные договоры"),
    ("Justice", "Правосудие"),
    ("Labour", "Труд"),
    ("Migrants", "Мигранты"),
    ("Minorities", "Меньшинства"),
    ("NHRI", "Национальные правозащитные учреждения"),
    ("National plan of action", "Национальный план действий"),
    ("Other", "Другое"),
    ("Poverty", "Бедность"),
    ("Public security", "Общественная безопасность"),
    ("Racial discrimination", "Расовая дискриминация"),
    ("Right to education", "Право на образование"),
    ("Right to food", "Право на питание"),
    ("Right to health", "Право на здоровье"),
    ("Right to housing", "Право на жильё"),
    ("Right to land", "Право на землю"),
    ("Right to water", "Право на воду"),
    ("Rights of the Child", "Права ребёнка"),
    ("Sexual Orientation and Gender Identity", "Сексуальная ориентация и гендерная идентичность"),
    ("Special procedures", "Специальные процедуры"),
    ("Technical assistance and cooperation", "Техническая помощь и сотрудничество"),
    ("Torture and other CID treatment", "Пытки и другие виды жестокого обращения"),
    ("Trafficking", "Торговля людьми"),
    ("Treaty bodies", "Договорные органы"),
    ("UPR process", "Процесс УПО"),
    ("Women's rights", "Права женщин"),
]

# Kazakhstan's administrative divisions since the 2022 reform: 17 regions and 3 cities of
# republican significance.
KZ_REGIONS = [
    ("abai", "Abai Region", "Абайская область", "Абай облысы"),
    ("akmola", "Akmola Region", "Акмолинская область", "Ақмола облысы"),
    ("aktobe", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы"),
    ("almaty-region", "Almaty Region", "Алматинская область", "Алматы облысы"),
    ("atyrau", "Atyrau Region", "Атырауская область", "Атырау облысы"),
    ("east-kazakhstan", "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы"),
    ("jambyl", "Jambyl Region", "Жамбылская область", "Жамбыл облысы"),
    ("jetisu", "Jetisu Region", "Жетысуская область", "Жетісу облысы"),
    ("karaganda", "Karaganda Region", "Карагандинская область", "Қарағанды облысы"),
    ("kostanay", "Kostanay Region", "Костанайская область", "Қостанай облысы"),
    ("kyzylorda", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы"),
    ("mangystau", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы"),
    ("north-kazakhstan", "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы"),
    ("pavlodar", "Pavlodar Region", "Павлодарская область", "Павлодар облысы"),
    ("turkistan", "Turkistan Region", "Туркестанская область", "Түркістан облысы"),
    ("ulytau", "Ulytau Region", "Улытауская область", "Ұлытау облысы"),
    ("west-kazakhstan", "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы"),
]
KZ_CITIES = [
    ("astana", "Astana", "Астана", "Астана"),
    ("almaty", "Almaty", "Алматы", "Алматы"),
    ("shymkent", "Shymkent", "Шымкент", "Шымкент"),
]


def theme_code(name: str) -> str:
    return slugify(name.replace("&", "and"))[:60]


def load(apps) -> None:
    """Create or update every vocabulary row (idempotent; used by the data migration)."""
    IccprArticle = apps.get_model("core", "IccprArticle")
    Sdg = apps.get_model("core", "Sdg")
    Theme = apps.get_model("core", "Theme")
    Place = apps.get_model("core", "Place")
    for number, en, ru in ICCPR_ARTICLES:
        IccprArticle.objects.update_or_create(number=number, defaults={"title_en": en, "title_ru": ru})
    for number, en, ru in SDGS:
        Sdg.objects.update_or_create(number=number, defaults={"title_en": en, "title_ru": ru})
    for en, ru in THEMES:
        Theme.objects.update_or_create(code=theme_code(en), defaults={"name_en": en, "name_ru": ru})
    country, _ = Place.objects.update_or_create(
        code="kz", defaults={"kind": "country", "name_en": "Kazakhstan", "name_ru": "Казахстан", "name_kk": "Қазақстан"}
    )
    for kind, rows in (("region", KZ_REGIONS), ("city", KZ_CITIES)):
        for code, en, ru, kk in rows:
            Place.objects.update_or_create(
                code=f"kz-{code}",
                defaults={"kind": kind, "name_en": en, "name_ru": ru, "name_kk": kk, "parent": country},
            )
    if any(f.name == "title_kk" for f in IccprArticle._meta.get_fields()):  # from migration 0005 on
        load_kazakh(apps)


# Kazakh names, written for RightsTrack (keyed like the lists above: article and goal numbers, theme names).
ICCPR_ARTICLES_KK = {
    1: "Өзін-өзі билеу құқығы",
    2: "Кемсітпеушілік және құқықты қорғаудың тиімді құралы",
    3: "Ерлер мен әйелдердің тең құқықтылығы",
    4: "Төтенше жағдай кезінде міндеттемелерден шегіну",
    5: "Құқықтарды жоюға немесе шектеуге жол бермеу",
    6: "Өмір сүру құқығы",
    7: "Азаптауға және қатыгез қарауға тыйым салу",
    8: "Құлдыққа және мәжбүрлі еңбекке тыйым салу",
    9: "Жеке бас бостандығы мен қауіпсіздігі құқығы",
    10: "Бас бостандығынан айырылған адамдарға ізгілікпен қарау",
    11: "Шарттық міндеттемені орындамағаны үшін бас бостандығынан айыруға жол бермеу",
    12: "Жүріп-тұру бостандығы",
    13: "Шетелдіктерді елден шығару",
    14: "Әділ сот талқылауына құқық",
    15: "Заңсыз жаза жоқ",
    16: "Құқық субъектілігін тану",
    17: "Жеке және отбасылық өмірге, тұрғын үйге, хат алмасуға қол сұқпаушылық",
    18: "Ой, ар-ождан және дін бостандығы",
    19: "Пікір және оны білдіру бостандығы",
    20: "Соғыс насихатына және өшпенділікті қоздыруға тыйым салу",
    21: "Бейбіт жиналыстар құқығы",
    22: "Бірлесу бостандығы",
    23: "Отбасын қорғау",
    24: "Баланың құқықтары",
    25: "Мемлекеттік істерді жүргізуге, сайлауға және мемлекеттік қызметке қатысу",
    26: "Заң алдындағы теңдік",
    27: "Азшылықтардың құқықтары",
}

SDGS_KK = {
    1: "Кедейшілікті жою",
    2: "Аштықты жою",
    3: "Салауатты өмір және әл-ауқат",
    4: "Сапалы білім",
    5: "Гендерлік теңдік",
    6: "Таза су және санитария",
    7: "Қолжетімді және таза энергия",
    8: "Лайықты жұмыс және экономикалық өсу",
    9: "Индустрияландыру, инновациялар және инфрақұрылым",
    10: "Теңсіздікті азайту",
    11: "Тұрақты қалалар мен елді мекендер",
    12: "Жауапты тұтыну және өндіру",
    13: "Климаттың өзгеруіне қарсы күрес",
    14: "Теңіз экожүйелерін сақтау",
    15: "Құрлық экожүйелерін сақтау",
    16: "Бейбітшілік, сот төрелігі және тиімді институттар",
    17: "Тұрақты даму мүддесіндегі әріптестік",
}

THEMES_KK = {
    "Asylum-seekers - refugees": "Баспана іздеушілер және босқындар",
    "CP rights - general": "Азаматтық және саяси құқықтар — жалпы",
    "Civil society": "Азаматтық қоғам",
    "Corruption": "Сыбайлас жемқорлық",
    "Counter-terrorism": "Терроризмге қарсы күрес",
    "Death penalty": "Өлім жазасы",
    "Detention": "Қамауда ұстау",
    "Development": "Даму",
    "Disabilities": "Мүгедектік",
    "ESC rights - general": "Экономикалық, әлеуметтік және мәдени құқықтар — жалпы",
    "Elections": "Сайлау",
    "Enforced disappearances": "Күштеп жоғалту",
    "Environment": "Қоршаған орта",
    "Extrajudicial executions": "Соттан тыс жазалау",
    "Freedom of association and peaceful assembly": "Бірлесу және бейбіт жиналыстар бостандығы",
    "Freedom of movement": "Жүріп-тұру бостандығы",
    "Freedom of opinion and expression": "Пікір және оны білдіру бостандығы",
    "Freedom of religion and belief": "Дін және наным бостандығы",
    "Freedom of the press": "Баспасөз бостандығы",
    "General": "Жалпы",
    "HIV - Aids": "АИТВ/ЖИТС",
    "Human rights defenders": "Құқық қорғаушылар",
    "Human rights education and training": "Адам құқықтары саласындағы білім беру және оқыту",
    "Human rights violations by state agents": "Мемлекет өкілдерінің адам құқықтарын бұзуы",
    "Impunity": "Жазасыз қалу",
    "Indigenous peoples": "Байырғы халықтар",
    "Internally displaced persons": "Ел ішінде қоныс аударған адамдар",
    "International humanitarian law": "Халықаралық гуманитарлық құқық",
    "International instruments": "Халықаралық шарттар",
    "Justice": "Сот төрелігі",
    "Labour": "Еңбек",
    "Migrants": "Мигранттар",
    "Minorities": "Азшылықтар",
    "NHRI": "Адам құқықтары жөніндегі ұлттық мекемелер",
    "National plan of action": "Ұлттық іс-қимыл жоспары",
    "Other": "Басқа",
    "Poverty": "Кедейлік",
    "Public security": "Қоғамдық қауіпсіздік",
    "Racial discrimination": "Нәсілдік кемсітушілік",
    "Right to education": "Білім алу құқығы",
    "Right to food": "Тамаққа құқық",
    "Right to health": "Денсаулыққа құқық",
    "Right to housing": "Тұрғын үйге құқық",
    "Right to land": "Жерге құқық",
    "Right to water": "Суға құқық",
    "Rights of the Child": "Баланың құқықтары",
    "Sexual Orientation and Gender Identity": "Жыныстық бағдар және гендерлік сәйкестік",
    "Special procedures": "Арнайы рәсімдер",
    "Technical assistance and cooperation": "Техникалық көмек және ынтымақтастық",
    "Torture and other CID treatment": "Азаптау және қатыгез қараудың басқа түрлері",
    "Trafficking": "Адам саудасы",
    "Treaty bodies": "Шарттық органдар",
    "UPR process": "ӘМШ үдерісі",
    "Women's rights": "Әйелдердің құқықтары",
}


def load_kazakh(apps) -> None:
    """Fill the Kazakh names of ICCPR articles, goals and themes (idempotent; used by a data migration)."""
    IccprArticle = apps.get_model("core", "IccprArticle")
    Sdg = apps.get_model("core", "Sdg")
    Theme = apps.get_model("core", "Theme")
    for number, kk in ICCPR_ARTICLES_KK.items():
        IccprArticle.objects.filter(number=number).update(title_kk=kk)
    for number, kk in SDGS_KK.items():
        Sdg.objects.filter(number=number).update(title_kk=kk)
    for en, kk in THEMES_KK.items():
        Theme.objects.filter(code=theme_code(en)).update(name_kk=kk)
