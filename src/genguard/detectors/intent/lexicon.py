"""Multilingual term lists per intent category, matched on *normalised* text.

The lexicon is not the classifier: its hits are input features of the learned model, the
evidence shown to humans ("which words"), and the weak labels for dev-set rows that carry no
per-category label. Benign look-alikes ("chicken breast", "strip the paint") are removed before
matching so they never count as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from genguard.detectors.intent.normalise import normalise, squeeze_all
from genguard.signals import IntentCategory as C

#: Phrases whose words look sexual but are not; removed before matching. Normalised form.
BENIGN_PHRASES: tuple[str, ...] = (
    "chicken breast", "turkey breast", "duck breast", "breast cancer", "breastfeeding awareness",
    "breaststroke", "breast stroke", "comic strip", "strip the paint", "paint stripper",
    "strip mall", "landing strip", "strip of land", "strip of paper", "film strip", "led strip",
    "strip steak", "las vegas strip", "the strip", "nude lipstick", "nude lip", "nude nail",
    "nude color", "nude colour", "nude shade", "nude heels", "nude tone", "nude palette",
    "nude makeup", "remove the background", "remove background", "remove the watermark",
    "remove the text", "remove the logo", "dress shirt", "dress code", "bathing the dog",
    "bathe the dog", "wash the dog", "bird bath", "bath towel", "bathroom", "bath bomb",
    "wet paint", "wet road", "wet street", "wet floor", "wet dog", "wet pavement",     "undress the mannequin", "naked eye", "naked flame", "bare feet", "bareback riding",
    "barefoot", "bare tree", "bare walls", "bare branches", "hot dog", "hot air", "hot sauce",
    "hot chocolate", "hot spring", "sheer cliff", "sheer size", "sheer scale", "sheer curtain",
    "strip club sign", "peach cobbler", "pechuga de pollo", "blanc de poulet", "hähnchenbrust",
    "peito de frango", "petto di pollo", "куриная грудка", "pierś z kurczaka", "kipfilet",
    "tavuk göğsü", "鸡胸肉", "鶏むね肉", "quitar el fondo", "supprimer l'arrière-plan",
    "hintergrund entfernen", "remover o fundo", "rimuovi lo sfondo", "убери фон", "usuń tło",
    "verwijder de achtergrond", "arka planı kaldır", "去掉背景", "背景を削除",
    # "nude" as a colour (lipstick, nails, shoes) in the other languages
    "pintalabios nude", "labial nude", "esmalte nude", "color nude", "rouge à lèvres nude",
    "vernis nude", "couleur nude", "nude-lippenstift", "nude lippenstift", "nudefarben", "batom nude",
    "cor nude", "rossetto nude", "smalto nude", "color nude", "szminka nude", "lakier nude",
    "w kolorze nude", "nude nagellak", "nude ruj", "nude oje", "nude renk", "裸色", "ヌードカラー",
    # things named with body or undress words (blind probe 4, 2026-12-06): a cake without icing,
    # a building's bare materials, a whale, a carpenter's joint, a colour written with a hyphen
    "naked cake", "exposed brick", "exposed beams", "exposed beam", "exposed concrete", "exposed pipes",
    "sperm whale", "butt joint", "nude-shade", "nude-colored", "nude-coloured",
    # music, games and sport called "hardcore"; an "orgy of" things; shoes and bags in "nude";
    # bare trees in the Romance and Germanic languages; hair texture (blind probe 6, 2026-12-07)
    "hardcore punk", "hardcore band", "hardcore music", "hardcore techno", "hardcore metal",
    "hardcore gamer", "hardcore gamers", "hardcore gaming", "hardcore mode", "hardcore fan",
    "hardcore fans", "hardcore workout", "hardcore training", "hardcore fitness", "hardcore survival",
    "orgy of color", "orgy of colors", "orgy of colour", "orgy of colours", "orgy of light",
    "orgy of lights", "orgy of flavor", "orgy of flavors", "orgy of flavour", "orgy of flavours",
    "orgy of destruction", "orgy of violence", "orgy of shopping", "orgy of sound",
    "nude pumps", "nude pump", "nude flats", "nude sandals", "nude shoes", "nude stilettos",
    "nude loafers", "nude boots", "nude handbag", "nude bag", "nude clutch", "nude tights",
    "arboles desnudos", "ramas desnudas", "arbres nus", "branches nues", "nackte baume",
    "nackte aste", "alberi nudi", "rami nudi", "arvores nuas", "galhos nus", "nagie drzewa",
    "nagie gałęzie", "naakte bomen", "naakte takken", "kinky curly", "kinky-curly", "kinky coily",
    # "sex" as sex or gender (the thirty-ninth blind probe's "same-sex wedding, two grooms")
    "same-sex", "same sex", "opposite sex", "sex education", "sex ed class", "biological sex", "sex chromosome",
    "sex chromosomes", "sex ratio", "sex of the baby", "baby's sex",
)

_TERMS: dict[C, tuple[str, ...]] = {
    C.UNDRESS: (
        # en
        "undress", "undressed", "undressing", "unclothed", "remove her clothes", "remove his clothes",
        "remove their clothes", "remove the clothes", "remove clothes", "remove clothing",
        "take off her", "take off his", "takes off her", "taking off her", "take her clothes off",
        "without clothes", "without clothing", "no clothes", "no clothing", "clothes off",
        "strip her", "strip him", "stripped", "stripping", "naked", "nude", "nudes", "nudity",
        "topless", "bottomless", "nood", "noods", "disrobe", "disrobed", "in the buff",
        "birthday suit", "au naturel", "make her naked", "delete her clothes", "erase her clothes",
        "erase the clothes", "remove her dress", "remove her shirt", "remove her top",
        "remove her bra", "remove the bra", "remove her bikini", "without a bra", "braless",
        "without underwear", "no underwear", "nothing on", "wearing nothing", "less clothes",
        "fewer clothes", "uncovered",
        # es / pt / it / fr
        "desnuda", "desnudo", "desnudar", "desnúdala", "desnudala", "sin ropa", "quítale la ropa",
        "quitale la ropa", "quita la ropa", "quitar la ropa", "desnudas", "desnudos", "nua", "nu",
        "nuas", "nus", "pelada", "sem roupa",
        "tire a roupa", "tirar a roupa", "despida", "nuda", "nudo", "nudi", "svestita", "spogliata",
        "spogliala", "senza vestiti", "togli i vestiti", "togliere i vestiti", "nue", "nues", "déshabille",
        "deshabille", "déshabillée", "deshabillee", "sans vêtements", "sans vetements",
        "enlève ses vêtements", "enleve ses vetements", "enlever ses vetements",
        # de / nl / pl / tr / ru
        "nackt", "nackte", "nackter", "nacktes", "nackten", "ausziehen", "entkleiden", "entkleidet", "ohne kleidung", "zieh sie aus",
        "kleidung entfernen", "naakt", "uitkleden", "zonder kleren", "kleren uit", "naga", "nagi",
        "nagą", "naga kobieta", "rozbierz", "rozebrana", "bez ubrania", "zdejmij ubranie",
        "çıplak", "ciplak", "soy onu", "kıyafetlerini çıkar", "kiyafetlerini cikar", "elbisesiz",
        "голая", "голый", "голой", "голые", "голую", "голыми", "обнаженная", "обнаженной", "обнажённая", "обнажённой", "обнаженную",
        "раздень", "раздеть", "раздетая", "без одежды", "сними одежду",
        # ar / hi / ja / zh
        "عارية", "عاري", "عارياً", "بدون ملابس", "اخلع ملابسها", "انزع ملابسها", "تعرية",
        "नग्न", "नंगी", "नंगा", "कपड़े उतार", "कपडे उतार", "बिना कपड़ों", "बिना कपड़े",
        "nangi", "nanga", "kapde utar", "kapde utaro", "bina kapdon", "bina kapde",
        # idioms for naked in the other languages
        "adamskostüm", "evaskostüm", "im adamskostüm", "im evaskostüm", "splitternackt", "pudelnackt", "hüllenlos", "à poil", "a poil", "en tenue d'ève", "en tenue d'eve", "en tenue d'adam", "dans le plus simple appareil", "en pelotas", "en pelota", "en cueros", "en bolas", "in costume adamitico", "senza veli", "come mamma l'ha fatta", "em pelo", "peladona", "in adamskostuum", "in evakostuum", "spiernaakt", "poedelnaakt", "in haar blootje", "in zijn blootje", "na golasa", "golusieńka", "w stroju ewy", "w stroju adama", "в чём мать родила", "в чем мать родила", "нагишом", "нагая", "нагой", "anadan doğma", "anadan dogma", "çırılçıplak", "cirilciplak", "すっぽんぽん", "素っ裸", "真っ裸", "光着身子", "光溜溜",
        "裸", "全裸", "ヌード", "服を脱が", "服を脱い", "脱がせ", "脱衣", "裸体", "脱光", "脱掉衣服",
        "脱掉她的衣服", "衣服脱掉", "脱掉", "不穿衣服", "没穿衣服", "去掉衣服", "裸照",
    ),
    C.REVEALING_CLOTHING: (
        "bikini", "bikinis", "swimsuit", "swimwear", "bathing suit", "thong", "g-string", "gstring",
        "lingerie", "underwear", "bra", "bras", "panties", "knickers", "corset", "negligee",
        "crop top", "croptop", "tube top", "micro skirt", "miniskirt", "mini skirt",
        "less fabric", "less clothing", "skimpy", "revealing", "summerwear", "low-cut", "low cut",
        "plunging neckline", "cleavage", "short shorts", "hot pants", "booty shorts", "garter",
        "stockings", "fishnet", "latex", "bodysuit", "teddy lingerie", "boudoir",
        "biquini", "bañador", "traje de baño", "ropa interior", "lencería", "lenceria", "tanga",
        "sujetador", "ropa reveladora", "top corto", "maillot de bain", "sous-vêtements",
        "sous-vetements", "lingerie fine", "soutien-gorge", "tenue légère",
        "tenue legere", "costume da bagno", "intimo", "reggiseno", "perizoma", "roupa íntima",
        "roupa intima", "calcinha", "sutiã", "sutia", "maiô", "maio", "unterwäsche",
        "unterwasche", "dessous", "badeanzug", "reizwäsche", "reizwasche", "ondergoed",
        "badpak", "beha", "bielizna", "bieliznie", "bikini", "stanik", "strój kąpielowy",
        "stroj kapielowy", "iç çamaşırı", "ic camasiri", "sütyen", "sutyen", "бикини",
        "купальник", "нижнее белье", "нижнем белье", "белье", "трусики", "лифчик", "بيكيني",
        "ملابس داخلية", "ملابس السباحة", "لانجري", "बिकिनी", "अंडरवियर", "अंतर्वस्त्र",
        "bikini pehna", "andar ke kapde", "ビキニ", "下着", "水着", "ランジェリー", "比基尼",
        "内衣", "泳衣", "情趣内衣", "丁字裤", "露脐装",
    ),
    C.SHEER_WET: (
        "see-through", "see through", "seethrough", "sheer", "transparent clothes",
        "transparent dress", "transparent shirt", "translucent", "wet t-shirt", "wet tshirt",
        "wet shirt", "wet clothes", "soaked", "drenched", "wet dress", "wet white", "mesh top",
        "mojada", "ropa mojada", "mouillée", "mouillee",
        "bagnata", "molhada", "durchsichtig", "nass", "doorzichtig",         "przezroczyst", "mokra", "şeffaf", "seffaf", "ıslak", "islak", "прозрачн", "мокрая",
        "мокрой", "شفاف", "شفافة", "مبللة", "पारदर्शी", "गीली", "geeli", "透け", "濡れ",
        "湿身", "湿透",
    ),
    C.BODY_SEXUALISATION: (
        "breast", "breasts", "boobs", "boob", "tits", "cleavage", "butt", "booty", "ass",
        "buttocks", "nipple", "nipples", "curvy", "voluptuous", "busty", "thicc", "sexy", "hot body",
        "bigger chest", "bigger breasts", "bigger butt", "enlarge her", "enhance her chest",
        "make her chest", "make her curvier", "curvier", "slutty", "seductive", "sensual", "sultry",
        "provocative", "erotic", "erotica", "pechos", "senos", "tetas", "trasero", "culo", "sexy",
        "seins", "poitrine", "fesses", "seno", "sedere", "tette", "peitos", "seios", "bunda",
        "brüste", "bruste", "busen", "hintern", "borsten", "kont", "piersi", "cycki", "pośladki",
        "posladki", "göğüs", "gogus", "kalça", "kalca", "грудь", "сиськи", "попа",
        "ягодицы", "сексуальн", "ثدي", "صدر", "مؤخرة", "مثيرة", "स्तन", "छाती", "नितंब",
        "सेक्सी", "chhati", "胸", "おっぱい", "お尻", "巨乳", "セクシー", "乳房", "屁股", "性感",
        "大胸",
    ),
    C.SEXUAL_POSE: (
        "spread legs", "legs spread", "spreading her legs", "bent over", "bending over", "on all fours",
        "arched back", "lying on the bed", "lying in bed", "seductive pose", "provocative pose",
        "sexy pose", "suggestive pose", "suggestive", "pin-up", "pinup", "posing seductively",
        "straddling", "twerking", "lap dance", "pole dance", "pole dancing", "exotic pose",
        "piernas abiertas", "pose sexy", "pose sugerente", "jambes écartées", "jambes ecartees",
        "posa sexy", "gambe aperte", "pernas abertas", "pose sensual", "beine gespreizt",
        "verführerische pose", "verfuhrerische pose", "rozłożone nogi", "rozlozone nogi",
        "seksi poz", "раздвинутые ноги", "соблазнительная поза", "وضعية مثيرة", "कामुक मुद्रा",
        "sexy pose mein", "セクシーなポーズ", "開脚", "诱惑姿势", "撩人姿势", "张开腿",
    ),
    C.EXPLICIT_SEXUAL: (
        "sex", "sexual", "porn", "porno", "pornographic", "nsfw", "xxx", "hentai", "orgasm",
        "climax", "masturbat", "intercourse", "penis", "vagina", "genital", "genitals", "pussy",
        "cock", "dick", "blowjob", "fellatio", "cum", "cumshot", "fucking", "fuck", "erection",
        "aroused", "horny", "orgy", "threesome", "bdsm", "bondage", "fetish", "explicit", "lewd",
        "obscene", "rule 34", "rule34", "onlyfans", "playboy", "stripper", "striptease", "smut",
        "sexo", "porno", "pornografía", "pornografia", "sexe", "pornographique", "sesso",
        "pornografico", "sexo explícito", "geschlechtsverkehr", "pornografisch", "seks",
        "pornografia", "seks", "porno", "секс", "порно", "эротик", "جنس", "جنسي", "إباحي",
        "اباحي", "सेक्स", "अश्लील", "पोर्न", "chudai", "セックス", "エロ", "ポルノ", "性交",
        "成人", "色情", "做爱", "黄色图片", "av女优",
    ),
    C.MINOR_REFERENCE: (
        "child", "children", "kid", "kids", "girl", "girls", "boy", "boys", "teen", "teens",
        "teenage", "teenager", "underage", "minor", "schoolgirl", "schoolboy", "school uniform",
        "young girl", "little girl", "little boy", "baby", "toddler", "preteen", "loli", "lolita",
        "shota", "year old", "years old", "student", "niña", "nina", "niño", "nino",
        "menor", "adolescente", "colegiala", "fille", "petite fille", "enfant", "garçon", "garcon",
        "bambina", "bambino", "ragazzina", "menina", "menino", "criança", "crianca", "mädchen",
        "madchen", "junge", "minderjährig", "minderjahrig", "meisje", "jongen",
        "dziewczynka", "dziecko", "chłopiec", "chlopiec", "nastolatka", "kız çocuğu",
        "kiz cocugu", "çocuk", "cocuk", "девочка", "девочку", "ребенок", "мальчик", "школьница",
        "подросток", "طفلة", "طفل", "قاصر", "فتاة صغيرة", "बच्ची", "बच्चा", "लड़की", "नाबालिग",
        "bachchi", "bachi", "ladki", "少女", "女の子", "子供", "小学生", "中学生", "女子高生",
        "幼女", "儿童", "小女孩", "女孩", "未成年", "学生妹",
    ),
    C.REAL_PERSON_REFERENCE: (
        "her", "him", "his", "she", "he", "them", "this person", "this woman", "this man",
        "this girl", "the woman in the photo", "the man in the photo", "the person in the photo",
        "the woman in the picture", "the girl in the photo", "in this photo", "in the photo",
        "my wife", "my girlfriend", "my ex", "my coworker", "my colleague", "my neighbor",
        "my neighbour", "my classmate", "my friend", "my sister", "celebrity", "actress",
        "singer", "influencer", "ella", "él", "esta mujer", "esta persona", "la mujer de la foto",
        "elle", "cette femme", "cette personne", "la femme sur la photo", "lei", "questa donna",
        "questa persona", "ela", "esta mulher", "essa mulher", "sie", "diese frau", "diese person",
        "die frau auf dem foto", "haar", "zij", "deze vrouw", "deze persoon", "ją", "tę kobietę",
        "te kobiete", "ta kobieta", "onu", "bu kadın", "bu kadin", "bu kişi", "bu kisi", "её",
        "ее", "ей", "эту женщину", "этого человека", "на фото", "هذه المرأة", "هذا الشخص",
        "في الصورة", "इसे", "इस लड़की", "इस औरत", "इस महिला", "is ladki", "is aurat", "isko",
        "この女性", "この人", "彼女", "写真の", "她", "这个女人", "这个人", "照片里", "照片中",
    ),
}


@dataclass(frozen=True)
class LexiconHit:
    category: C
    term: str


def _is_cjk(term: str) -> bool:
    """Chinese and Japanese are written without spaces: their terms match as substrings."""
    return any("\u3040" <= ch <= "\u9fff" for ch in term)


def _pattern(term: str) -> str:
    """Word-bounded pattern for spaced scripts; plain substring for CJK (no spaces there)."""
    escaped = re.escape(term)
    return escaped if _is_cjk(term) else rf"(?<!\w){escaped}(?!\w)"


#: Words and single punctuation marks: "see-through" is ("see", "-", "through").
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
Key = tuple[str, ...]


def _tokens(text: str) -> Key:
    return tuple(_TOKEN_RE.findall(text))


@dataclass(frozen=True)
class _Index:
    """Terms keyed by their token sequence (plain and squeezed), CJK terms by their characters."""

    plain: dict[Key, list[LexiconHit]]
    squeezed: dict[Key, list[LexiconHit]]
    longest: int
    cjk: dict[str, list[LexiconHit]]
    cjk_lengths: tuple[int, ...]
    #: First tokens of the plain and squeezed terms: a position starting with any other token
    #: begins no term, so its lookups are skipped (most positions of most prompts).
    starts: frozenset[str]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Build the lookup tables once.

    A term is found where its token sequence occurs in the text, which is what a word-bounded
    regex per term finds, at the cost of one dictionary lookup per (position, length) instead of
    hundreds of alternatives per position. Only terms without doubled letters are looked up in
    the squeezed text ("nuude" -> "nude"): a squeezed "butt", "stripped" or "sheer" is another
    word ("but", "striped", "sher").
    """
    plain: dict[Key, list[LexiconHit]] = {}
    squeezed: dict[Key, list[LexiconHit]] = {}
    cjk: dict[str, list[LexiconHit]] = {}
    for category, terms in _TERMS.items():
        # Terms go through the same normaliser as the text, so accents and case never decide.
        for term in sorted({normalise(t) for t in terms}):
            hit = LexiconHit(category, term)
            if _is_cjk(term):
                cjk.setdefault(term, []).append(hit)
                continue
            plain.setdefault(_tokens(term), []).append(hit)
            if squeeze_all(term) == term and len(term) >= 3:
                squeezed.setdefault(_tokens(term), []).append(hit)
    starts = frozenset(key[0] for key in [*plain, *squeezed])
    return _Index(plain, squeezed, max(map(len, plain)), cjk, tuple(sorted({len(t) for t in cjk})), starts)


#: Longest first, so the alternation prefers "nude lipstick" to "nude lip" where both fit.
_BENIGN = tuple(dict.fromkeys(normalise(p) for p in sorted(BENIGN_PHRASES, key=len, reverse=True)))


def strip_benign(normalised: str) -> str:
    """Blank out benign look-alike phrases so their words are not counted.

    One alternation of every phrase, each word-bounded, costs ~0.14 ms a prompt in ``re``; a
    phrase can only match where it occurs as a substring, so the pattern is built from those
    that do (none, in most prompts), in the same order: the same matches, a fraction of the time.
    """
    present = tuple(p for p in _BENIGN if p in normalised)
    return _benign_re(present).sub(" ", normalised) if present else normalised


@lru_cache(maxsize=256)
def _benign_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(_pattern(p) for p in phrases))


def match(normalised: str) -> list[LexiconHit]:
    """All category terms found in already-normalised text (benign phrases removed first)."""
    return list(_match(normalised))


@lru_cache(maxsize=4096)
def _match(normalised: str) -> tuple[LexiconHit, ...]:
    """``match``, cached: one screen looks up the same text for features and for evidence."""
    index = _index()
    text = strip_benign(normalised)
    found: set[LexiconHit] = set()
    for table, tokens in ((index.plain, _tokens(text)), (index.squeezed, _tokens(squeeze_all(text)))):
        for start in range(len(tokens)):
            if tokens[start] not in index.starts:
                continue
            for end in range(start + 1, min(start + index.longest, len(tokens)) + 1):
                found.update(table.get(tokens[start:end], ()))
    if _is_cjk(text):
        for start in range(len(text)):
            for length in index.cjk_lengths:
                found.update(index.cjk.get(text[start:start + length], ()))
    order = {category: i for i, category in enumerate(_TERMS)}
    return tuple(sorted(found, key=lambda hit: (order[hit.category], hit.term)))

