"""Edit semantics: read an instruction as *who* is targeted, *what operation*, on *which garment*.

The learned intent model gives one score per category, and a score can be low on a paraphrase
nobody trained on ("photoshop her top away", "give her a two-piece"). This parser reads the
request the way a reviewer would, and its output is evidence the policy uses directly, so that a
learned score can only add risk to it and never cancel it (``docs/screening.md``):

* **operation**: remove ("take off", "photoshop … away", "what if … was invisible"), reduce
  ("shorter", "less fabric", "more revealing"), sheer/wet, reposition ("pull down", "unbutton"),
  undress ("strip her"), or none (naming a garment is wearing it: "put her in a bikini");
* **garment** and its coverage class from the multilingual ontology (``garments.py``);
* the resulting **coverage**: where the request leaves the person (none / minimal / partial /
  unchanged). Removing a coat leaves her covered; removing a shirt leaves at most underwear;
* **body focus** ("zoom in on her chest", "bigger breasts"), **suggestive** wording and poses,
  **explicit** terms;
* **child** (a human child: "toddler", "a 12-year-old", "schoolgirl"; not "baby penguin") and
  the weaker **young** ("girl", "young"), which escalate differently (``docs/screening.md``);
* **target**: the person in the photo (pronouns, "this woman"), a named or otherwise specific real
  person (a name in Cyrillic or Greek script, which the Latin-only name tagger cannot read; "my
  ex", "my coworker", "a celebrity"), a generic figure
  ("a woman"), or only objects ("the mannequin"), so "put the mannequin in a bikini" is not about
  a person and "swimsuit catalogue for a shop" is about goods.

The current turn is parsed; earlier turns only resolve what it points at ("make *it* see-through"
after "put her in a white dress"). Everything is read on the normaliser's output, and masked
spellings ("sw*msuit", "n**ed") are resolved against the vocabulary first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from genguard.detectors.intent import languages
from genguard.detectors.intent.garments import GARMENTS, GOODS_CONTEXT, NO_WEARER, NUDITY_TERMS, Coverage, Garment
from genguard.detectors.intent.lexicon import BENIGN_PHRASES
from genguard.detectors.intent.normalise import normalise
from genguard.detectors.intent.vocabulary import Hit, Vocabulary, tokens, unmask
from genguard.signals import EditSemantics


class Op(StrEnum):
    REMOVE = "remove"
    REDUCE = "reduce"
    SHEER = "sheer"
    REPOSITION = "reposition"
    UNDRESS = "undress"
    REPLACE = "replace"


#: Inpainting with skin ("lasso the blouse, delete, fill with skin"): whatever garment the request
#: names is painted over with skin, however far the words are apart.
_SKIN_FILL = ("so skin shows", "so her skin shows", "so the skin shows", "so skin is showing", "fill with skin", "fill it with skin", "filled with skin", "fill in skin", "replace with skin",
              "fill it with realistic skin", "fill with realistic skin", "fill it with natural skin", "fill with bare skin",
              "replace it with skin", "paste skin", "fill with bare skin", "prompt : bare skin", "prompt : skin",
              "rellena con piel", "rellenar con piel", "rellenala con piel", "preencha com pele", "preencher com pele",
              "preenche com pele", "preenche com a pele", "preencha com a pele",
              # Generative fill with skin over a selection ("generative fill 'bare skin' on the dress").
              "generative fill bare skin", "generative fill ' bare skin", "generative fill \" bare skin", "fill : bare skin",
              "generative fill skin",
              "remplis avec de la peau", "remplir avec de la peau", "mit haut fullen", "mit haut auffullen",
              "riempi con pelle")
#: Thinner cloth ("make the fabric thinner"): a sheer operation on a garment or its fabric only.
_THIN = ("thinner", "paper-thin", "paper thin", "wafer-thin", "wafer thin", "gauzy", "flimsier", "thin enough",
         "so thin")
#: "before she got dressed this morning": the person before any clothes went on.
_BEFORE_DRESSED = tuple(
    f"before {who} {verb}"
    for who in ("she", "he", "they")
    for verb in ("got dressed", "gets dressed", "get dressed", "was dressed", "were dressed", "had dressed",
                 "dressed", "put her clothes on", "put his clothes on", "put on her clothes", "put on his clothes",
                 "put anything on", "had anything on")
)

_OPERATIONS: dict[Op, tuple[str, ...]] = {
    Op.REMOVE: (
        "はだけ", "はだけさせ",  # Japanese: let clothes fall open
        "with nothing", "vedd le", "vedd le róla", "vedd le rola", "ჩამოაცალე", "gira do", "spadne", "spadni",
        "runterfallen", "herunterfallen", "melorot", "розстебни", "розстебніть", "расстегни", "bornozunu aç",
        "fai aprire", "բացիր",
        "remove", "removed", "removing", "removal", "take off", "takes off", "taking off", "took off", "forgot", "forgotten",
        "take away", "strip off", "delete", "erase", "erased", "get rid of", "lose", "ditch",
        "drop", "cut away", "cut off", "edit out", "photoshop out", "photoshop away", "paint out",
        "rip off", "tear off", "peel off", "peel away", "subtract", "pull off", "off", "away", "gone", "goes", "invisible",
        "disappear", "disappears", "disappeared", "vanish", "vanishes", "vanished", "missing",
        "what's under", "what is under", "whats under", "underneath", "under that", "under her",
        "beneath her", "never been there", "wasn't there", "was not there", "not there", "fall off",
        "falls off", "let it fall", "let it drop",
        "without", "no", "minus", "sans", "lose the", "quita", "quitale", "quitar", "quitarle",
        "sin", "elimina", "eliminar", "borra", "borrar", "saca", "sacale", "enleve", "enlever",
        "enlevez", "retire", "retirer", "retirez", "ote", "supprime", "supprimer", "efface",
        "togli", "toglile", "togliere", "rimuovi", "rimuovere", "senza", "leva", "levale",
        "cancella", "tire", "tira", "tirar", "tirar a", "remova", "remover", "sem", "apague",
        "apagar", "arranque", "ausziehen", "aus", "entferne", "entfernen", "ohne", "weg", "losche",
        "loesche", "verwijder", "verwijderen", "zonder", "uit", "zdejmij", "zdjac", "usun", "bez",
        "edit out", "quitaselo", "quitasela", "quitalo", "quitala", "sciagnij", "cikar*", "cıkar*", "kaldir*", "kaldır*", "olmadan", "sil", "сними", "снять", "сними с", "убери с",
        "lepaskan", "lepas", "copot*", "벗겨*", "벗기*", "벗어*", "ถอด",
        # "what she looks like under the dress": seeing beneath a garment is taking it away.
        "looks like under", "look like under", "would look like under", "what she looks like under",
        "what she has on under", "what he has on under", "see what's under", "see under her", "see under his",
        "remoov", "remuv", "rmv", "tanggalkan", "buka baju", "buka pakaian", "lepas baju", "βγαλ*", "در بیار", "دربیار",
        "খুলে", "খোলো",
        "убери", "убрать", "без", "удали", "стяни", "اخلع", "انزع", "ازل", "أزل", "بدون", "بلا",
        "احذف", "उतार*", "हटा*", "बिना", "utaar*", "utar*", "hata*", "bina", "nikal*", "脱が",
        "脱い", "脱ぐ", "取って", "消して", "外して", "なし", "無し", "脱掉", "去掉", "拿掉", "除去",
        "没有", "不穿", "删除", "out of the picture", "out of the photo", "out of the image", "out of the shot",
        "out of frame", "out of the frame", "зніми", "зніміть", "зняти", "знімай", "прибери", "приберіть",
        "прибрати", "видали", "видалити", "скинь", "скинути", "needs to go", "has to go", "have to go",
        "must go", "should go", "gotta go", "got to go", "evaporate", "evaporates", "evaporated", "melt away",
        "melts away", "melted away", "strip back", "strip it back", "strip them back", "strip away", "wipe out", "wipe off", "wipe away", "scrub out", "scrub off", "dissolve", "dissolves", "dissolved", "fade away", "fades away", "faded away",
    ),
    Op.REDUCE: (
        "shorter", "shorten", "shortened", "crop", "cropped", "tighter", "lower", "短一点", "更短", "再短", "短一些",
        "super short", "very short", "really short", "extra short", "ultra short", "way too short",
        "low-cut", "low cut", "plunging", "plunge", "plunge down", "hiked up", "hike up", "hitched up", "deeper neckline", "higher slit", "slit higher",
        "mas corto", "mas corta", "mas pequeno", "escotado", "plus court", "plus courte",
        "decollete", "piu corto", "piu corta", "scollato", "scollata", "mais curto", "mais curta",
        "decotado", "decotada", "kurzer", "knapper", "tiefer ausschnitt", "korter", "krotsz*",
        "daha kisa", "dekolte", "короче", "декольте", "أقصر", "छोटा", "छोटी", "chhota",
        "chhoti", "短く", "更短", "коротш*",
    ),
    Op.SHEER: (
        "see-through", "see through", "seethrough", "see-thru", "see thru", "seethru", "see threw", "sheer", "transparent",
        "translucent", "wet",
        "soaked", "soaking", "drenched", "dripping", "x-ray", "xray", "mesh", "fishnet", "soak", "soaks", "mojada", "mojado",
        "transparente", "mouillee", "mouille", "trasparente", "bagnata", "bagnato", "molhada",
        "molhado", "durchsichtig", "nass", "doorzichtig", "nat", "przezroczyst*", "mokr*",
        "seffaf", "islak", "przeswitujac*", "xuyen thau", "trong suot", "uot", "젖어*", "젖은", "비치*",
        "시스루*", "โปร่งใส", "ซีทรู", "เปียก", "прозрачн*", "мокр*", "شفاف", "شفافة", "مبلل", "مبللة", "पारदर्शी",
        "गीला", "गीली", "geela", "geeli", "transparent", "透け", "透明", "濡れ", "湿身", "透视", "прозор*",
        # Water thrown on a garment ("spray water on her top until you can see through it").
        "spray water on", "spray water over", "pour water on", "pour water over", "splash water on", "throw water on",
        "until it's clear", "until it is clear", "until it's see-through", "until it's transparent",
        # App modes and settings that make clothes see-through ("see-through mode on her outfit").
        "sees through cloth", "see through cloth", "sees through clothes", "see through her clothes", "clothes-scanning",
        "doorschijnend*", "prosvechiva*",
        "просвечива*", "просвічу*", "průsvitn*", "prusvitn*", "átlátsz*", "priehľadn*",
        "clothes scanning", "light pass through everything", "light passes through everything",
        "see-through mode on", "see through mode on", "x-ray mode on", "transparent mode on", "clothing opacity",
        "clothes opacity", "garment opacity", "fabric opacity", "clothing transparency", "garment transparency",
        "hose down",
        # Thinner cloth: only on a garment or its fabric, never on a person ("make her thinner").
        *_THIN,
    ),
    Op.REPOSITION: (
        "fais glisser", "faire glisser", "glisser",
        "pull down", "pulled down", "pulling down", "pulls down", "pull up", "pulled up", "pulling up", "pulls up", "lift", "lifted", "lifting", "hike up",
        "slip off", "slipping off", "slide off", "sliding off",
        # Raised or let down ("raise her skirt up", "make his trousers fall down", "her top slip down").
        "raise", "raised", "raising", "raise up", "hem up", "go up", "goes up", "fall down", "falls down", "fell down",
        "slip down", "slips down", "slide down", "come down", "comes down", "drop", "dropped", "flip it up",
        "ride up", "rides up", "riding up", "rode up", "blow", "blows", "blowing", "blew", "flip up", "flips up", "flutter up", "pull", "yank", "hike", "unbutton", "unbuttoned",
        "unzip", "unzipped", "open", "opened", "untie", "untied", "undo", "falling off",
        "baja", "bajale", "levanta", "levantale", "desabrocha", "abre", "baisse", "souleve", "aprilo", "aprila",
        "deboutonne", "ouvre", "abbassa", "solleva", "sbottona", "apri", "abaixe", "levante",
        "desabotoe", "abra", "runterziehen", "hochziehen", "aufknopfen", "offne", "oeffne",
        "omlaag", "losknopen", "opusc", "podnies", "rozpiac", "rozepnij", "indir", "ac", "спусти",
        "задери", "расстегни", "расстегнуть", "открой", "ارفع", "انزل", "افتح", "खोल", "khol",
        "めくっ", "はだけ", "ずらし", "掀起", "拉下", "解开",
    ),
    Op.UNDRESS: (
        "undress", "undressing", "un dress", "un-dress", "un.dress", "dress her down", "dress him down",
        "all the way down", "disrobe", "unclothe", "unclth", "uncloth", "strip her", "strip him",
        "strip them", "strip down", "stripped naked", "strip naked", "skinny dipping", "take everything off",
        # "taking everything off", "make this woman at my gym strip": someone made to undress.
        "taking everything off", "takes everything off", "took everything off", "taken everything off",
        "make her strip", "make him strip", "make them strip", "woman strip", "man strip", "get her to strip",
        "have her strip",
        "take it all off", "remove everything", "clothes off", "before she puts her clothes on",
        "before she gets dressed", "halfway through changing", "getting changed", "while she was changing",
        "while she's changing", "while he was changing", "while changing clothes", "in the changing room", "mid-change",
        "mid change", "changing in a fitting room", "changing in the fitting room",
        "сними с неё всё", "сними всё", "сними все", "mach sie nackig", "nackig", "ready to shower",
        "stepping out of the shower", "stepping out of the bath", "getting out of the shower",
        "getting out of the bath", "fresh out of the shower", "fresh out of the bath", "after a shower",
        "after her shower", "drop the towel", "drops the towel", "drop her towel", "let the towel fall", "telanjangi*",
        "ready for the shower", "ready for a shower", "forgot to get dressed", "forgotten to get dressed",
        "before getting dressed", "without getting dressed", "not dressed", "isn't dressed", "undressed", "desnudala", "desnudar",
        "desnudalo", "desvistela", "desvestir", "deshabille*", "spoglia*", "svesti*", "despe",
        "despir", "despida", "auszieh*", "entkleid*", "zieh sie aus", "zieh sie komplett aus",
        "zieh sie ganz aus", "zieh ihn aus", "zieh ihn komplett aus", "zieh ihn ganz aus", "uitkleden", "kleed haar uit",
        "rozbierz*", "soy onu", "раздень*", "раздеть", "раздевай", "عري", "عريها", "تعرية",
        "नंगा कर*", "नंगी कर*", "nanga kar*", "nangi kar*", "脱がせ", "脱光", "扒光", "роздяг*", "оголи*",
        "coi do", "coi het", "coi ao", "coi quan ao", "coi sach", "옷 벗*", "ถอดเสื้อผ้า", "ถอดชุด", "脱衣",
        "hubaran", "hubarin", "hubarin mo", "maghubad", "encuera*", "svlekn*", "svlect", "svlec*", "dezbraca*",
        "blanket off her", "blanket off him", "sheet off her", "sheet off him", "covers off her", "towel off her",
        "pull the blanket off", "pull the sheet off", "pull the covers off", "deepnude*", "deep nude", "nudif*", "clothoff", "undress ai",
        "undress app", "undressai", "defabric*", "declothe*", "de-clothe*",
        "зніми з неї все", "зніми все", *_BEFORE_DRESSED,
    ),
    Op.REPLACE: (
        "replace", "change", "swap", "switch", "turn", "transform", "convert", "exchange",
        "cambia", "cambiale", "cambiala", "cambiarle", "reemplaza", "reemplazale", "sustituye", "remplace", "change", "transforme", "sostituisci",
        "trasforma", "troque", "substitua", "ersetze", "verwandle", "tausche", "vervang",
        "zamien", "degistir", "замени", "поменяй", "استبدل", "बदल*", "badal*",
    ),
}

#: Reducing a garment this much leaves minimal coverage ("make her outfit smaller", "a tiny dress").
_STRONG_REDUCE = ("smaller", "tiny", "tinier", "skimpier", "skimpy", "much shorter", "way shorter", "shrink",
                  "under her chest", "under his chest", "below her chest", "to the navel", "down to the navel",
                  "cut holes in", "holes in her", "holes in his", "just under her chest", "just below her chest",
                  "shrunk", "shrunken", "shrank", "shrinks", "sizes smaller", "sizes too small", "under the chest", "to her navel", "down to her navel", "to her waist",
                  "micro", "smallest", "mas pequeno", "plus petit", "piu piccolo", "kleiner", "kleiner machen",
                  "to her belly button", "to the belly button", "down to her belly button", "all the way down to",
                  "jusqu'a la taille", "bis zur taille", "hasta la cintura", "fino alla vita", "ate a cintura")

#: Words that follow the replaced garment and precede the new one ("X with Y", "X into Y").
_CONNECTORS = ("with", "to", "into", "for", "by", "por", "par", "con", "durch", "door", "na",
               "на", "in", "en")

#: Phrases asking for less coverage without naming a garment. Minimal: the request is about
#: showing skin; partial: about a garment it points back to ("make it shorter").
_REDUCE_MINIMAL = (
    "minimise the fabric", "minimize the fabric", "minimise her clothes", "minimize her clothes", "reduce coverage",
    "reduce the coverage", "less coverage", "minimal coverage", "get her kit off", "get his kit off", "kit off",
    "show a lot more", "show much more", "much more skin", "поменьше ткани", "меньше ткани", "поменьше одежды",
    "меньше одежды", "衣服再少", "衣服少一点", "少穿点", "少穿一点", "穿少一点", "穿得更少",
    "less fabric", "less clothing", "less clothes", "fewer clothes", "fewer layers", "fewer-layers", "less layers", "more revealing", "revealing",
    "skimpy", "skimpier", "scantily", "scantily clad", "scanty", "barely dressed", "barely covered",
    "barely any", "barely anything", "the less the better", "the less clothing the better", "as little as possible",
    "as few clothes as possible", "as little fabric as possible", "越少越好", "少なければ少ないほど", "barely covering", "barely covers", "hardly covering", "barely hiding",
    "barely concealing", "flash the camera", "flashes the camera", "flashing the camera", "flash the viewer",
    "flashing the viewer", "flash her chest", "flashing her chest", "tiny version", "show skin", "showing some skin", "victoria's secret",
    "victorias secret", "show more skin", "more skin", "showing skin", "expose", "exposed", "exposing",
    "less modest", "more daring", "let her skin breathe", "itsy bitsy", "plunging neckline",
    "deep cleavage", "shrink her clothes", "shrink the clothes",
    "menos ropa", "menos tela", "mas revelador", "mas reveladora", "moins de tissu",
    "moins de vetements", "plus revelateur", "plus revelatrice", "meno vestiti", "meno stoffa",
    "succinto", "succinta", "menos roupa", "menos pano", "mais revelador", "mais reveladora",
    "weniger stoff", "weniger kleidung", "freizugiger", "freizugig", "minder stof", "minder kleding",
    "onthullend*", "mniej ubran*", "mniej materialu", "skap*", "odslaniajac*", "daha az kiyafet",
    "daha acik", "меньше одежды", "откровенн*", "أقل ملابس", "كاشف*", "مكشوف*", "कम कपड़े",
    "छोटे कपड़े", "kam kapde", "chhote kapde", "露出", "布を減ら", "暴露", "少穿", "布面積少な", "布面積を減ら", "布の面積", "노출 많이", "노출 심하게",
    "half dressed", "half-dressed", "half naked", "half-naked", "semi-nude", "semi nude", "partially dressed",
    # The forty-first probe's families: less dressed, pants down, changing and caught halfway.
    "less dressed", "less clothed", "wearing way less", "wearing less", "very little on", "barely anything on",
    "pants down", "trousers down", "jeans down", "shorts down", "changing clothes", "caught halfway", "mid-change",
    "showing a lot of skin", "show a lot of skin", "lots of skin showing", "so there's lots of skin", "with lots of skin",
    "only wearing his shirt", "wearing only his shirt", "only wearing his unbuttoned shirt", "in only his shirt",
    "wear less. a lot less", "wear less, a lot less", "wear way less", "wear much less", "wear a lot less",
    # "make her wear less, like almost nothing": less, then how much less.
    "wear less ,", "wear less .", "like almost nothing", "wearing almost nothing", "wear almost nothing",
    "next to nothing on", "wearing next to nothing", "wear next to nothing",
    "lộ ngực", "lo nguc", "hở ngực", "ho nguc", "only a small towel", "small towel covers",
    "isn't wearing much", "isnt wearing much", "is not wearing much", "not wearing much", "wearing very little",
    "barely wearing anything", "hardly wearing anything",
    # "make him shirtless", "now shirtless": a change to someone, not a shirtless man described
    # ("a shirtless man surfing", which stays a full reading).
    "him shirtless", "her shirtless", "them shirtless", "now shirtless", "go shirtless", "shirtless version",
    "guy shirtless", "man shirtless",
    "shirtless edit", "make shirtless",
    # "same photo but she's not wearing a shirt".
    "not wearing a shirt", "not wearing her shirt", "not wearing his shirt", "not wearing a top", "not wearing her top",
    "not wearing any top", "isn't wearing a shirt", "isnt wearing a shirt", "isn't wearing a top", "no longer wearing her top",
    "no longer wearing a shirt",
    # "so short it shows everything", "lower cut until it's almost off".
    "it shows everything", "so it shows everything", "until it's almost off", "until it is almost off", "until it's off",
    "so you can see everything", "we see everything", "see everything", "so more of her shows", "to show more of her",
    "show more of her body", "skin exposure", "more skin exposure", "maximum skin exposure",
    "노출되게", "노출 있게", "노출 좀", "노출 훨씬", "노출 더 많*", "노출 많게", "노출이 많*", "노출 많은",
    # Clothes cut to a minimum, skin as the outfit, clothes that cover almost nothing.
    "garments to the minimum", "garments to a minimum", "clothes to the minimum", "clothes to a minimum",
    "clothing to the minimum", "clothing to a minimum", "outfit to the minimum", "outfit to a minimum",
    "mostly skin", "skin is the wardrobe", "skin is the outfit", "menos tecido",
    "什么都不遮", "几乎不遮", "几乎什么都没穿", "遮不住",
)

_BODY_PARTS = (
    "glutes", "her backside", "his backside", "bosom", "rear end", "cup size", "upper thighs", "inner thighs", "tops of her thighs", "her bum", "his bum",
    "breast", "breasts", "boobs", "boob", "tits", "titties", "nipple", "nipples", "cleavage",
    "butt", "buttocks", "crotch", "groin", "bulge in his", "bulge in her", "his bulge", "crotch bulge", "bikini line", "underboob", "sideboob",
    "camel toe", "cameltoe", "pechos", "senos", "tetas", "culo", "trasero", "nalgas", "escote", "seins",
    "poitrine", "fesses", "seno", "tette", "sedere", "scollatura", "seios", "peitos", "bunda",
    "decote", "bruste", "busen", "hintern", "ausschnitt", "borsten", "tieten", "billen", "kont",
    "piersi", "cycki", "cyck*", "dekolleté", "dekollete", "prsa", "prsou", "ňadra", "nadra", "στήθος", "στηθος", "ihren po", "seinen po", "den po", "posladki", "tylek", "gogus*", "memeler*", "memesi*", "kalca", "popo", "грудь", "груди",
    "сиськи", "попа", "попу", "ягодиц*", "ثدي*", "صدرها", "مؤخرة*", "स्तन", "छाती", "नितंब",
    "chhati", "স্তন", "가슴*", "엉덩이*", "おっぱい", "お尻", "乳房", "乳首", "乳頭", "乳头", "奶头", "nippel", "соски", "сосков", "屁股", "乳沟", "巨乳", "胸部",
)
_FIGURE = ("body", "figure", "curves", "chest", "hips", "thighs", "legs", "waist", "bust", "physique",
           "cuerpo", "corps", "corpo", "korper", "lichaam", "cialo", "vucut", "тело", "جسم*", "शरीर")
_FOCUS = (
    "zoom in on", "zoom on", "zoom into", "focus on", "focus is on", "focused on", "close-up of", "close up of", "closeup of",
    "close up on", "close-up on", "closeup on", "concentrate on", "the focus", "crop to her", "crop to his",
    "stands out", "stand out", "the main thing",
    "enlarge", "enlarged", "bigger", "larger", "increase", "boost", "emphasise", "emphasize",
    "accentuate", "highlight", "show off", "pronounced", "augment", "enhance", "agranda",
    "aumenta", "agrandis", "ingrandisci", "aumente", "vergrossere", "vergroot", "powieksz",
    "buyut", "увеличь", "كبر", "बड़ा", "大きく", "放大", "丰满",
    # Uncovering a part of the body ("uncover her chest", "expose her thighs").
    "uncover", "uncovered", "uncovering", "expose", "exposed", "exposing", "unveil", "unveiled",
)
_SHAPE = ("curvier", "busty", "voluptuous", "thicc", "buxom", "hourglass figure",
          # Clothes that show the body's shape: "so every contour shows", "hugging her curves".
          "every contour shows", "every curve shows", "shows every contour", "shows every curve",
          "show every contour", "show every curve", "showing every contour", "showing every curve",
          "every contour visible", "every curve visible", "hug every curve", "hugs every curve",
          "hugging every curve", "hugs her curves", "hugging her curves", "hug her curves",
          "clings to her body", "cling to her body", "clinging to her body", "clings to her curves",
          "cling to her curves", "clinging to her curves")
#: Clothes made to fit like skin: body focus when a garment is named beside them ("leggings painted-on
#: tight"), not on their own ("a painted-on moustache").
_SKIN_TIGHT = ("painted-on", "painted on tight", "skin-tight", "skintight", "skin tight", "second skin",
               "shrink-wrapped", "shrink wrapped", "vacuum-sealed", "vacuum sealed", "two sizes too small")
#: A see-through material a garment is made of ("make the dress look like it's made of cling film").
_SHEER_MATERIAL = ("glass", "morning mist", "cling film", "clingfilm", "cling wrap", "plastic wrap", "saran wrap", "glad wrap",
                   "food wrap", "cellophane")
#: Seeing the body through what she wears, said outright ("until you can see her body through it").
_SHEER_BODY = ("see her body through", "see his body through", "see her skin through", "see his skin through",
               "see her body underneath", "see his body underneath", "see through to her body",
               "see through to her skin", "see right through to her", "body shows through", "skin shows through",
               "body showing through", "skin showing through", "body visible through", "skin visible through",
               "see everything through", "see everything underneath", "see her nipples", "see her underwear", "透け透け",
               # Light or rain through the cloth until the body shows ("que se le transparente todo").
               "que se le transparente", "se le transparenta", "se le transparente", "se transparente todo",
               "que es vegi tot", "es vegi tot a traves", "all visible through", "и было всё видно", "было всё видно",
               "чтобы всё было видно", "ať je všechno vidět", "at je vsechno videt", "kuonyesha ndani", "ionekane ndani",
               "through her thin", "through his thin", "φαίνεται το στήθος", "φαινεται το στηθος", "ať jsou vidět prsa",
               "at jsou videt prsa", "fabric invisible", "fabric disappear", "fabric vanish", "sees through fabric", "see through fabric", "seeing through fabric",
               # Wet cloth clinging to the body ("so the shirt sticks to her body").
               *(f"{verb} to {whose} {what}" for verb in ("sticks", "stick", "sticking", "clings", "cling", "clinging", "plastered")
                 for whose in ("her", "his") for what in ("body", "skin", "chest", "curves")),
               "make it cling", "cling to her", "clinging to her", "clingy", "x-ray glasses", "x-ray vision", "x-ray effect", "xray glasses", "xray vision", "xray effect",
               "x-ray filter", "xray filter", "x ray filter", "x-ray mode", "xray mode",
               "se le pegue al cuerpo", "pegada al cuerpo", "pegada a su cuerpo", "colle a son corps", "colle a la peau",
               "aderente al corpo", "colada ao corpo", "klebt an ihrem korper", "nampak dalam", "kelihatan dalam")
_SUGGESTIVE = (
    # Scenes named for what they imply ("the after-dark version", "a photo you'd only send privately").
    "bacaklarini acsin", "bacaklarını açsın",
    "after-dark version", "after dark version", "ready for the bedroom", "only send privately", "send privately",
    "эротическ*", "еротичн*", "擦边", "সেক্সি",
    # The picture she would keep off her public profile ("the version she'd never post on her main").
    "she'd never post", "she would never post", "he'd never post", "he would never post", "never post on her main",
    "she'd send her boyfriend", "send her boyfriend at night", "he'd send his girlfriend", "less innocent",
    "look hot", "looks hot", "look hotter", "make her hot", "make him hot", "make her hotter",
    "only send your boyfriend", "only send her boyfriend", "only send to her boyfriend", "only send your girlfriend",
    "behind the paywall", "paywall content", "spicy account", "spicy-account", "private channel content",
    "वो कभी पोस्ट नहीं करेगी", "कभी पोस्ट नहीं करेगी", "绝对不会发朋友圈", "不会发朋友圈",
    "for his eyes only", "the way her boyfriend sees her", "the way his girlfriend sees him", "after the door closes",
    "basic instinct", "fifty shades", "emmanuelle", "calvin klein underwear ad", "private pictures", "private photos",
    "the private ones",
    "sexy", "sexier", "seductive", "seductively", "sultry", "provocative", "provocatively", "erotic",
    "sensual", "slutty", "naughty", "kinky", "steamy", "suggestive", "suggestively", "pin-up",
    "pinup", "spread legs", "legs spread", "spread her legs", "spreading her legs", "legs apart", "part her legs",
    "parted legs", "legs parted",
    "on all fours", "bend over on the bed", "bent over on the bed", "bending over the bed",
    "bend over for", "bent over for", "bend over and look back", "bent over looking back", "bend over looking back", "bending over looking back",
    "legs wide open", "legs open", "with her legs open", "with his legs open", "arched back", "arch her back",
    "straddling", "straddle", "oiled up", "oiled-up", "kneel in front of him", "kneeling in front of him", "kneels in front of him",
    "on her knees in front of", "on his knees in front of", "bend her over", "bent her over", "bend over facing away", "bent over facing away",
    "誘惑", "エロ", "エッチ", "you know what i mean", "if you know what i mean", "wink wink",
    "เซ็กซี่", "twerk*", "lap dance", "pole danc*", "bedroom eyes", "come hither",
    "seductora", "seductor", "provocativa", "erotica", "erotico", "sensuelle", "provocante",
    "erotique", "sensuale", "sinnlich", "verfuhrerisch", "erotisch", "aufreizend", "verleidelijk",
    "섹시*", "야한", "야하게", "야릇*", "goi cam", "menggoda", "sensual", "seksown*", "uwodzicielsk*", "erotyczn*", "seksi", "bastan cikarici", "erotik", "сексуальн*", "посексуальн*", "сексі",
    "соблазнительн*", "эротичн*", "مثيرة", "مثير", "مغرية", "सेक्सी", "कामुक", "セクシー", "色っぽ",
    "性感", "诱惑", "撩人", "piernas abiertas", "jambes ecartees", "gambe aperte", "pernas abertas",
    "beine gespreizt", "benen gespreid", "rozlozone nogi", "раздвинутые ноги", "раздвинь ноги",
    "開脚", "张开腿", "岔开腿",
    # Content ratings that only make sense of a sexual picture when asked of this one.
    "make it r-rated", "make this r-rated", "make her r-rated", "make it rated r", "r-rated version",
    "r rated version", "r-rated edit", "r-rated photo", "r-rated pic", "r-rated picture", "racy", "racier",
    "risque", "saucy", "saucier", "titillating", "ooh la la", "oh la la", "ooh-la-la",
    "leave nothing to the imagination", "leaves nothing to the imagination", "leaving nothing to the imagination",
    "nothing left to the imagination",
    # Bending over toward the viewer.
    *(f"{bend} {way} {to} {what}" for bend in ("bend", "bends", "bent", "bending") for way in ("over", "forward")
      for to in ("toward", "towards", "to", "at", "facing", "in front of", "into", "and look at", "and look back at")
      for what in ("the camera", "camera", "the viewer", "the lens", "me", "us")),
)
_EXPLICIT = (
    # Looking up a skirt or dress: voyeur pictures.
    "upskirt", "up-skirt", "up skirt", "up her skirt", "up her dress", "under her skirt", "under her dress",
    "down her top", "down her shirt", "down her blouse", "down her dress",
    *(f"down the front of {whose} {what}" for whose in ("her", "his") for what in ("top", "shirt", "blouse", "dress")),
    "bajo su falda", "bajo la falda", "sous sa jupe", "sotto la gonna", "unter ihren rock", "unter den rock",
    "debaixo da saia", "スカートの中", "裙底", "裙下",
    "porn", "porno", "pornographic", "pornography", "nsfw", "xxx", "hentai", "ecchi", "orgasm*", "climaxing",
    "ahegao", "o-face",
    "masturbat*", "intercourse", "sex", "sexual", "sexually", "having sex", "sex scene",
    "sex act", "blowjob", "blow job", "fellatio", "cunnilingus", "handjob", "hand job",
    "cumshot", "creampie", "penis", "penises", "vagina", "vulva", "genitals", "genitalia",
    "pussy", "erection", "erect penis", "ejaculat*", "orgy", "gangbang", "threesome", "bdsm",
    "bondage", "fetish", "rule 34", "rule34", "r34", "r 34", "seksscene*", "onlyfans", "striptease", "strip tease", "stripper",
    "make love", "making love", "lovemaking", "sex position", "doggy style", "doggystyle",
    "oral sex", "anal sex", "deepthroat", "milf", "lewd", "obscene", "smut", "erotica", "playboy",
    "but r-rated", "make it r-rated", "r-rated version", "r-rated edit", "photo r-rated", "leaked private photo", "leaked private pic", "leaked nude", "hand down her pants",
    "hand down his pants", "hands down her pants",
    "playgirl", "hustler cover", "hustler magazine", "penthouse spread", "penthouse pet", "dirty version", "dirtier version",
    "make the picture dirty", "make this pic dirty", "'private' version", "private version",
    "fucking", "fuck", "fucked", "horny", "aroused", "sperm", "semen", "dildo", "vibrator",
    "sex toy", "hardcore", "softcore", "upskirt", "downblouse", "nip slip", "wardrobe malfunction",
    # Algospeak for pornography and for selling it ("corn star photo shoot", "spicy accountant").
    "corn star", "corn stars", "cornstar", "cornstars", "spicy accountant", "spicy accountants",
    "sexo", "pornografia", "follando", "mamada", "masturbacion", "pene", "sexe",
    "pornographique", "baise", "fellation", "sesso", "pornografico", "scopare", "pompino",
    "transando", "boquete", "ficken", "pornografisch", "seks", "neuken", "pijpen", "pornograf*",
    "ruchanie", "sikis", "sevisme", "секс", "порно", "порнограф*", "эротик*", "трах*", "минет",
    "جنس", "جنسي", "جنسية", "إباحي", "اباحي", "سكس", "सेक्स", "अश्लील", "पोर्न", "चुदाई",
    "chudai", "성관계*", "섹스*", "노골적*", "bercinta", "ngentot", "tinh duc", "セックス", "エロ", "ポルノ", "性交", "成人向け", "アダルト", "色情", "做爱", "啪啪",
    # Content ratings: an x-rated, adult-section or "spicy" version of a picture is a sexual one.
    "x-rated", "x rated", "xrated", "rated x", "more r-rated", "more r rated", "make it r-rated", "r-rated version", "adult section", "adults only section", "adult content",
    "make it adults only", "make it adults-only", "adults only version", "adults-only version", "18 + version",
    "18 + twist", "18 + edit", "make it 18 +", "18 + only", "make this 18 +", "make her 18 +", "make him 18 +",
    "adult site", "adult website", "adult film", "adult movie", "adult magazine",
    "adult entertainment", "uncensored version", "uncensored edit", "make it uncensored", "make her uncensored",
    "not safe for work", "spicy version", "spicier version", "spicy edit", "spicy pic", "spicy photo",
    "spicy picture", "spicy shot", "make it spicy", "make it spicier", "make her spicy", "make her spicier",
    "make this spicy", "make this spicier", "explicit version", "explicit edit", "explicit photo", "make it explicit",
    "lewd version", "raunchy", "raunchier",
    # Euphemisms and inflections ("doing the deed", "сцена секса", "Sexszene", "sevişiyor").
    "doing the deed", "do the deed", "did the deed", "touching herself", "touch herself", "touches herself",
    "touching himself", "playing with herself", "pleasuring herself", "centrefold", "centerfold", "playmate",
    "jailbait", "lolicon", "shotacon", "hidden camera shot", "hidden cam", "spy cam", "spycam", "voyeur*",
    "of her changing", "while she's changing", "while she is changing", "while she changes", "cum on", "cum in", "cum all over", "covered in cum", "cumming",
    "sexszene*", "sexfilm*", "sexvideo*", "секса", "сексом", "сексе", "seviş*", "sevis*", "sansursuz", "sansürsüz",
    "acik secik", "açık seçik", "เย็ด", "มีเซ็กส์", "ร่วมเพศ", "หนังโป๊", "quan he tinh duc", "lam tinh",
    "version para adultos", "contenido para adultos", "version pour adultes", "contenu pour adultes",
    "sexting", "sexting pic", "fansly", "make the photo 18 +", "the photo 18 +", "photo 18 +", "18 + photo",
    "versione per adulti", "contenuto per adulti", "versao para adultos", "conteudo adulto",
    "version fur erwachsene", "versie voor volwassenen", "wersja dla doroslych", "yetiskin versiyonu",
    "версия для взрослых", "версію для дорослих", "версия 18", "18禁", "成人版",
)
#: Followed by one of these, an explicit word is something else ("pussy cat", "sex pistols").
_EXPLICIT_NOT_BEFORE = ("cat", "cats", "willow", "pistols", "education", "ed", "chromosome")

_CHILD = (
    "child", "children", "kid", "kids", "toddler", "toddlers", "baby", "babies", "infant",
    "infants", "newborn", "preteen", "pre-teen", "tween", "tweens", "underage", "under-age",
    "a minor", "minors", "schoolgirl", "schoolgirls", "schoolboy", "schoolboys", "little girl",
    "little girls", "little boy", "little boys", "young girl", "young boy", "teen", "teens",
    "teenage", "teenager", "teenagers", "adolescent", "juvenile", "kindergarten", "jailbait",
    "loli", "lolicon", "shota", "shotacon", "ninos", "ninas", "una nina", "la nina", "esta nina",
    "nina pequena", "menor de edad", "menores", "bebe", "enfant", "enfants", "fillette",
    "petite fille", "petit garcon", "mineure", "bambina", "bambino", "bambini", "bambine",
    "ragazzina", "ragazzino", "minorenne", "crianca", "criancas", "menor de idade",
    "kleinkind", "ein kind", "das kind", "kindern", "kleines madchen", "minderjahrig*", "schulmadchen", "kinderen",
    "klein meisje", "peuter", "minderjarig*", "tiener*", "dziecko", "dzieci", "dziewczynk*",
    "chlopczyk", "nastolat*", "nieletni*", "niemowl*", "cocuk*", "kiz cocugu", "resit olmayan",
    "ergen", "ребенок", "ребёнок", "дети", "детей", "девочк*", "подрост*", "несовершеннолет*",
    "школьниц*", "малыш*", "طفل*", "أطفال", "قاصر*", "رضيع", "مراهق*", "बच्चा", "बच्ची", "बच्चे",
    "नाबालिग", "किशोर*", "bachcha", "bachchi", "bachi", "nabalig", "子供", "子ども", "児童", "幼女",
    "幼児", "小学生", "中学生", "女子高生", "女子中学生", "ロリ", "未成年", "儿童", "孩子", "小孩",
    "小女孩", "小男孩", "萝莉", "女童", "男童", "初中生", "少女",
    "여고생*", "여중생*", "초등학생*", "중학생*", "어린이*", "아이", "아이를", "아기*", "딸", "딸을", "เด็ก", "ลูกสาว",
    "be gai", "tre em", "hoc sinh",
)
#: After a child word, these make it an animal or a thing: "baby penguin", "kid goat", "baby blue".
_NOT_CHILD_AFTER = (
    "penguin", "penguins", "goat", "goats", "elephant", "elephants", "bird", "birds", "chick",
    "duck", "ducks", "dog", "dogs", "puppy", "cat", "cats", "kitten", "seal", "seals", "deer",
    "panda", "pandas", "animal", "animals", "lion", "lions", "tiger", "bear", "bears", "owl",
    "turtle", "turtles", "dolphin", "whale", "shark", "giraffe", "horse", "pony", "monkey", "fox",
    "rabbit", "bunny", "lamb", "sheep", "cow", "calf", "pig", "koala", "otter", "dragon",
    "dinosaur", "robot", "blue", "pink", "shower", "powder", "steps", "boomer", "boomers", "carrots",
    "corn", "spinach", "grand", "breath", "back", "food", "bottle", "tooth", "teeth", "yoda",
    "groot", "sloth", "hippo", "rhino", "zebra", "squirrel", "hedgehog", "octopus", "sea", "gloves",
    "goat", "friendly", "menu", "corner",
    # Young animals and plants ("baby ducklings following their mother").
    "ducklings", "duckling", "chicks", "puppies", "kittens", "bunnies", "lambs", "foal", "foals", "cub", "cubs",
    "owls", "owlet", "goose", "geese", "gosling", "goslings", "swan", "swans", "cygnet", "cygnets", "hedgehogs",
    "squirrels", "rabbits", "seagull", "sparrow", "robin", "hummingbird", "fish", "spider", "plant",
    "plants", "tree", "trees", "leaves", "tomatoes", "potatoes", "llama", "alpaca", "camel",
)
_YOUNG = (
    "girl", "girls", "boy", "boys", "young", "youthful", "school uniform", "student", "students",
    "nina", "nino", "chica", "muchacha", "fille", "ragazza", "garota", "menina", "menino",
    "madchen", "meisje", "dziewczyna", "kiz", "девушка", "девушку", "فتاة", "लड़की", "ladki",
    "女の子", "女孩",
)
_PERSON = (
    "her", "him", "she", "he", "his", "hers", "they", "them", "their", "woman", "women", "man",
    "men", "girl", "girls", "boy", "boys", "person", "people", "lady", "guy", "wife", "girlfriend",
    "boyfriend", "husband", "mom", "mother", "sister", "daughter", "son", "friend", "model",
    "actress", "actor", "teacher", "coworker", "colleague", "neighbour", "neighbor", "classmate",
    "ex", "ella", "elle", "lei", "lui", "ela", "ele", "sie", "ihr", "ihn", "zij", "haar",
    "jej", "onu", "ona", "она", "её", "ее", "ей", "его", "он", "неё", "нее", "него", "ней", "그녀*", "dia", "mujer",
    "femme", "donna", "mulher", "frau", "vrouw", "kobiet*", "kadin", "женщин*", "девушк*", "人",
    "她", "他", "女性", "彼女", "امرأة", "वह", "उसे", "उसकी", "uski",
    "co ay", "anh ay", "เธอ", "ผู้หญิง", "ผู้ชาย",
    # Her and him in the Nordic languages, Hebrew, Greek, Hungarian, Romanian, Czech.
    "hende", "henne", "hun", "honom", "ham", "hana", "hanet", "אותה", "אותו", "την", "τον", "őt", "ot", "ea", "ji", "jí",
)
#: Words for a human being beyond ``_PERSON`` (nouns, tags and the figures sexual prompts name),
#: read only for ``EditSemantics.person``: whether a text-to-image prompt depicts anyone. A learned
#: score alone does not block a prompt that names no one (``text.person``, docs/screening.md).
_HUMAN = (
    "person", "persons", "people", "human", "humans", "woman", "women", "man", "men", "lady", "ladies",
    "guy", "guys", "gal", "gals", "couple", "couples", "lover", "lovers", "bride", "groom", "adult",
    "adults", "female", "females", "male", "males", "model", "models", "actress", "actor", "selfie",
    "1girl", "2girls", "3girls", "4girls", "multiple girls", "1boy", "2boys", "3boys", "multiple boys",
    "1other", "pose", "poses", "posing", "doll", "dolls", "waifu", "milf", "milfs", "babe", "babes", "bimbo", "hottie", "stud", "nurse", "maid",
    "secretary", "cheerleader", "housewife", "stepmom", "stepmother", "stepsister", "stepbrother",
    "stepdad", "stepson", "stepdaughter", "mistress", "dominatrix", "succubus", "nymph", "nymphs",
    "goddess", "goddesses", "venus", "aphrodite", "mermaid", "elf", "elves", "catgirl", "dancer",
    "dancers", "gymnast", "yogi", "bodybuilder", "bather", "bathers",
    "mujer*", "hombre*", "chica*", "chico*", "pareja", "modelo", "actriz", "femme*", "homme*", "fille*",
    "garcon*", "donna", "donne", "uomo", "uomini", "ragazz*", "coppia", "mulher*", "homem", "homens",
    "garota*", "moca", "casal", "frau*", "mann", "manner", "madchen", "vrouw*", "meisje*", "meid",
    "stelletje", "kobiet*", "mezczyzn*", "dziewczyn*", "kadin*", "erkek*", "kiz*", "cift", "женщин*",
    "мужчин*", "девушк*", "парень", "парня", "пара", "امرأة", "نساء", "رجل", "فتاة", "महिला*", "औरत",
    "आदमी", "लड़की", "aurat", "ladki", "女性", "女の子", "男性", "カップル", "女人", "女子", "男人",
    "女孩", "情侣", "여성*", "여자*", "남자*", "소녀*", "커플*", "부부*", "wanita", "perempuan", "pria",
    "gadis", "pasangan", "phu nu", "co gai", "dan ong", "ผู้หญิง", "ผู้ชาย", "สาว", "γυναικ*", "ανδρ*", "زن", "মহিলা",
    "žena", "zena", "femeie",
)
#: Photo operations and cosmetic targets: a request made only of these (and garments it leaves
#: as they are) is fully read by the parser, which is what ``explained`` says.
_NEUTRAL = (
    "crop", "exposure", "brightness", "brighten", "contrast", "saturation", "white balance", "sharpen",
    "denoise", "upscale", "resolution", "red eye", "red-eye", "blemish", "blemishes", "wrinkles",
    "freckles", "acne", "retouch", "skin tone", "nails", "nail polish", "lipstick", "makeup", "make-up",
    "hair", "haircut", "eyes", "teeth", "smile", "glasses", "sunglasses", "earrings", "necklace",
    "jewellery", "jewelry", "watch", "bracelet", "ring", "bag", "handbag", "backpack", "umbrella",
    "background", "sky", "lighting", "shadow", "shadows", "highlights", "filter", "watercolour", "watercolor", "cartoon",
    "painting", "sketch", "logo", "text", "watermark", "colour", "color", "hat", "scarf",
    # Photo operations in other words and scripts ("зроби фото чорно-білим"), and ageing.
    "laundry", "black and white", "black-and-white", "greyscale", "grayscale", "sepia", "monochrome", "чорно-біл*",
    "черно-бел*", "монохром*", "blanco y negro", "noir et blanc", "bianco e nero", "preto e branco",
    "schwarz-weiss", "schwarzweiss", "zwart-wit", "czarno-bial*", "siyah beyaz", "白黒", "モノクロ", "黑白",
    "older", "старше", "старее", "старш*", "mas mayor", "plus agee", "plus age", "piu vecchia", "piu vecchio",
    "mais velha", "mais velho", "ouder", "starsz*", "daha yasli", "老けさせ", "年上", "更老",
    "배경*", "พื้นหลัง", "phong nen", "fondo", "arriere-plan", "sfondo", "fundo", "hintergrund", "achtergrond", "tlo",
    "arka plan*", "фон*",
)
#: A follow-up that repeats the earlier turn's operation: "keep going", "and the t-shirt too".
_CONTINUE = ("keep going", "continue", "go on", "even more", "further", "again", "more of that", "a bit more",
             "a little more", "all the way up", "all the way",
             "the rest", "the same", "too", "also", "as well", "next step", "step 2", "then the")
#: Continuations that push the last reduction further rather than repeat it elsewhere.
_PRESS_ON = frozenset({"keep going", "continue", "go on", "even more", "further", "again", "more of that", "a bit more",
                       "a little more", "all the way"})
#: A specific real person named without a name: "my ex", "my coworker", "a celebrity".
_RELATION = (
    "my wife", "my girlfriend", "my ex", "my ex-girlfriend", "my ex-wife", "my boyfriend", "my husband",
    "my coworker", "my co-worker", "my colleague", "my boss", "my neighbor", "my neighbour",
    "my classmate", "my friend", "my sister", "my cousin", "my teacher", "my crush", "my stepsister",
    "my stepmom", "my mom", "my mother", "my daughter", "my niece", "celebrity", "celebrities",
    "actress", "influencer", "famous", "real person", "streamer", "politician", "mi ex", "mi novia",
    "mi esposa", "mi vecina", "mon ex", "ma copine", "ma voisine", "la mia ex", "mia moglie",
    "minha ex", "minha namorada", "meine ex", "meine freundin", "meine nachbarin", "mijn ex",
    "moja była", "moja byla", "eski sevgilim", "моя бывшая", "мою бывшую", "моя девушка",
    "мою девушку", "соседку", "زوجتي", "حبيبتي", "मेरी गर्लफ्रेंड", "meri girlfriend", "元カノ",
    "前女友", "女朋友",
)
_OBJECT = (
    "mannequin", "mannequins", "doll", "dolls", "statue", "statues", "sculpture", "dog", "dogs",
    "salad", "pizza", "cake", "sandwich", "burger",
    "cat", "cats", "puppy", "kitten", "teddy", "teddy bear", "toy", "toys", "figurine", "scarecrow",
    "robot", "car", "bottle", "horse", "bear", "plush", "action figure", "maniqui", "mannequin",
    # "Undress the Christmas tree": its ornaments come off, not anyone's clothes.
    "christmas tree", "tree", "choink*", "weihnachtsbaum", "tannenbaum", "arbol de navidad", "sapin", "albero di natale",
    "arvore de natal", "kerstboom", "елк*", "ялинк*", "noel agac*", "クリスマスツリー", "圣诞树", "聖誕樹",
    "manichino", "manequim", "schaufensterpuppe", "paspop", "manekin", "manken", "манекен*",
)
#: Mild suggestive words that are ordinary praise of a thing ("a sexy sports car", "a steamy bowl
#: of dumplings") when the text depicts no one.
_MILD_SUGGESTIVE = frozenset(("sexy", "sexier", "seductive", "sultry", "steamy", "sensual", "sensuous", "alluring",
                              "섹시*", "性感", "セクシー", "seksi", "sexi", "مثير", "مثيرة", "مثيرا", "сексуальн*", "सेक्सी",
                              "посексуальн*", "сексі", "look hot", "looks hot", "look hotter",
                              "sexy"))
_NEGATION = ("keep", "keeping", "don't", "dont", "do not", "never", "not", "leave", "without changing",
             "no change", "no changes", "mantén", "manten", "garde", "mantieni", "mantenha",
             "behalte", "lass", "houd", "zostaw", "koru", "оставь", "не", "пусть будет в", "пусть останется в")
_COVER = ("cover", "covered", "covering", "over", "hide", "hidden", "conceal", "tuck away", "on top of", "tuck", "tuck in", "tucked", "cubre", "couvre", "copri", "cubra",
          "bedecke", "bedek", "zakryj", "ört", "накрой", "прикрой", "غطي", "ढक",
          # "a t-shirt over her bikini" in the other languages.
          "por cima", "por encima", "encima de", "par-dessus", "par dessus", "sopra", "daruber", "uber", "eroverheen",
          "poverkh", "поверх", "peste", "ustune", "üstüne", "uzerine", "üzerine", "overtop", "上面套", "外面套", "の上に", "위에")


class Tag(StrEnum):
    GARMENT = "garment"
    NUDITY = "nudity"
    REDUCE_MINIMAL = "reduce_minimal"
    BODY_PART = "body_part"
    FIGURE = "figure"
    FOCUS = "focus"
    SHAPE = "shape"
    SUGGESTIVE = "suggestive"
    EXPLICIT = "explicit"
    CHILD = "child"
    YOUNG = "young"
    PERSON = "person"
    OBJECT = "object"
    RELATION = "relation"
    GOODS = "goods"
    NEGATION = "negation"
    COVER = "cover"
    CONNECTOR = "connector"
    OPERATION = "operation"
    BENIGN = "benign"
    STRONG_REDUCE = "strong_reduce"
    NEUTRAL = "neutral"
    CONTINUE = "continue"
    SKIN_TIGHT = "skin_tight"
    SHEER_MATERIAL = "sheer_material"
    SHEER_BODY = "sheer_body"
    UNTIL_NOTHING = "until_nothing"
    NO_WEARER = "no_wearer"
    OPAQUE = "opaque"
    SKIN_FILL = "skin_fill"


Value = Garment | Op | None


@dataclass(frozen=True)
class _Entry:
    tag: Tag
    value: Value = None


def _entries() -> list[tuple[str, _Entry]]:
    out: list[tuple[str, _Entry]] = []
    # The inline terms, then the later languages' tables (languages.py) under the same names.
    for garment in GARMENTS:
        out.extend((t, _Entry(Tag.GARMENT, garment)) for t in (*garment.terms, *languages.terms(garment.name)))
    for op, terms in _OPERATIONS.items():
        out.extend((t, _Entry(Tag.OPERATION, op)) for t in (*terms, *languages.terms(op.value)))
    out.extend((t, _Entry(Tag.STRONG_REDUCE, Op.REDUCE)) for t in _STRONG_REDUCE)
    plain = {
        Tag.NUDITY: (*NUDITY_TERMS, *languages.terms("nudity")), Tag.REDUCE_MINIMAL: _REDUCE_MINIMAL, Tag.BODY_PART: _BODY_PARTS,
        Tag.FIGURE: (*_FIGURE, *languages.terms("figure")), Tag.FOCUS: (*_FOCUS, *languages.terms("focus")), Tag.SHAPE: _SHAPE, Tag.SUGGESTIVE: _SUGGESTIVE,
        Tag.EXPLICIT: (*_EXPLICIT, *languages.terms("explicit")), Tag.CHILD: _CHILD, Tag.YOUNG: _YOUNG, Tag.PERSON: _PERSON,
        Tag.OBJECT: _OBJECT, Tag.RELATION: _RELATION, Tag.GOODS: GOODS_CONTEXT, Tag.NO_WEARER: NO_WEARER,
        # "the flash made her blouse see-through, make it opaque": the request undoes the sheer look.
        Tag.OPAQUE: ("opaque", "make it opaque", "make them opaque", "make it less transparent", "fix the see-through",
                     # "her top looks see-through in the flash, add a lining so it's opaque".
                     "so it's opaque", "so it is opaque", "so they're opaque",
                     "so it's not see-through", "so it isn't see-through", "so it doesn't", "so it does not",
                     # "make his soaked shirt look dry": the wet look undone.
                     "look dry", "looks dry", "make it dry", "dry it", "dried off", "blow-dried", "blow dried",
                     "less transparent", "moins transparent", "moins transparente", "menos transparente", "weniger durchsichtig",
                     "meno trasparente", "opaco", "opaca", "blickdicht", "undurchsichtig", "непрозрачн*", "不透明", "不透光", "不透け"), Tag.NEGATION: _NEGATION, Tag.COVER: _COVER,
        # The lexicon's "bath towel" is benign for a towel on a rail; worn, it is minimal coverage.
        Tag.CONNECTOR: _CONNECTORS, Tag.BENIGN: (*(p for p in BENIGN_PHRASES if p != "bath towel"), *_BENIGN),
        Tag.NEUTRAL: _NEUTRAL,
        Tag.CONTINUE: _CONTINUE,
        Tag.SKIN_TIGHT: _SKIN_TIGHT, Tag.SHEER_MATERIAL: _SHEER_MATERIAL, Tag.SHEER_BODY: _SHEER_BODY,
        Tag.SKIN_FILL: _SKIN_FILL,
        Tag.UNTIL_NOTHING: ("until nothing is left", "till nothing is left", "until nothing remains",
                            "until there is nothing left", "until there's nothing left"),
    }
    for tag, terms in plain.items():
        out.extend((t, _Entry(tag)) for t in terms)
    return out


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary[_Entry]:
    return Vocabulary(_entries())


@lru_cache(maxsize=1)
def _humans() -> Vocabulary[bool]:
    return Vocabulary((t, True) for t in _HUMAN)


@lru_cache(maxsize=1)
def _maskable() -> list[str]:
    """Words a masked spelling may stand for: garments, nudity, explicit and body words. Not the
    whole-body suits: nobody masks "burkini" to evade a filter, and it would make "b#kini" ambiguous."""
    wanted = {Tag.GARMENT, Tag.NUDITY, Tag.EXPLICIT, Tag.BODY_PART, Tag.SUGGESTIVE}
    words = {normalise(t) for t, e in _entries()
             if (e.tag in wanted or e.value in (Op.UNDRESS, Op.REMOVE)) and " " not in t and "*" not in t
             and not (isinstance(e.value, Garment) and e.value.name == "wetsuit")}
    return sorted(w for w in words if w.isalpha() and w.isascii())


#: How far (in tokens) an operation word reaches a garment: "take off her old blue top"
#: (before), "her top off" / "her shirt was invisible" (after).
_BEFORE, _AFTER = 6, 3
#: "a 12-year-old", "12 yo", "aged 12", "10 anni", "12 лет", "12岁": an age under 18 is a child.
_AGE_RE = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:years?\s*-?\s*old|yrs?\s*-?\s*old|yo\b|y/o|ans\b|anos\b|anni\b|jahre\b"
    r"|jaar\b|lat\b|yasinda|лет\b|года?\b)|\baged?\s+(\d{1,2})\b|(\d{1,2})\s*(?:岁|歳)"
)
#: Phrases whose words look like evidence but are not, on top of the lexicon's own list.
_BENIGN = (
    "breast pocket", "chest of drawers", "treasure chest", "kid gloves", "naked mole rat",
    # The top of the picture, not a garment ("same but without the top part of the sky").
    "top part", "top half", "top third", "top portion", "top section", "top edge", "top corner", "top left",
    "top right", "top row", "top strip", "top layer", "top tier", "top shelf", "top floor", "top step", "top button",
    "top of the", "top of it", "top bar", "top banner", "top text", "top of the image", "top of the photo", "top of the picture", "top of the frame",
    "garment bag", "garment bags", "garment rack", "garment district", "garment factory", "garment steamer",
    # A towel on a rail or chair, a photo exposed brighter, a brick wall laid bare.
    "towel rail", "towel from the bathroom", "towel from the rail", "towel from the chair", "towel on the chair",
    "towel on the deck chair", "towel on the floor", "towel on the rail", "towel from the floor", "towel on the sand",
    "towel on the bench",
    # French "bras" is an arm ("un plâtre à son bras"); Japanese 露出 is also a photo's exposure.
    "son bras", "ses bras", "mon bras", "ton bras", "le bras", "au bras", "du bras", "les bras", "dans ses bras",
    "露出を上げ", "露出を下げ", "露出補正", "露出オーバー", "露出アンダー", "露出を明る", "露出を調整",
    # A strap or garment that shows where it should not, described before it is hidden.
    "bra strap is showing", "bra strap showing", "bra straps are showing", "bretelle de soutien-gorge depasse",
    "bra strap is peeking", "bra strap peeking", "bra straps are peeking",
    "bretelle de soutien-gorge dépasse", "fix the wardrobe malfunction", "wardrobe malfunction fix",
    "fix a wardrobe malfunction", "fix her wardrobe malfunction", "fix his wardrobe malfunction", "naked juice",
    # Retouching words ("show more skin texture, it looks too airbrushed").
    "more skin texture", "skin smoothing",
    "maak hem transparant", "maak hem transparent", "maak hem doorzichtig", "床上乱放的衣服", "床上的衣服", "地上的衣服", "椅子上的衣服",
    "naked flames", "naked candle flame", "الأشجار عارية", "أشجار عارية", "الشجر عاري", "الجدران عارية", "جدران عارية",
    "الأغصان عارية", "handduken fran stangen", "handduken pa stangen", "handduken fran kroken", "handduken pa kroken",
    "handduken fran stolen", "handduken pa stolen", "pyyhe tangosta", "pyyhkeen tangosta", "expose the whole", "expose the scene", "expose the image", "expose the photo",
    "expose the picture", "expose for the", "露出砖墙", "砖墙",
    # Animals, plants, food and places whose names carry a nudity or swimwear word, in the other
    # languages too ("Nacktmull", "rosiers à racines nues", "bikini atoll").
    "naked mole-rat", "naked mole rats", "rata topo desnuda", "ratas topo desnudas", "rata-topo desnuda", "nacktmull*",
    "голый землекоп", "голого землекопа", "голые землекопы", "голий землекоп", "裸鼹鼠", "裸鼴鼠", "çıplak köstebek",
    "ciplak kostebek", "موش کور برهنه", "rat-taupe nu", "rat taupe nu", "rato-toupeira-pelado", "naakte molrat",
    "nudibranch*", "nudibranqui*", "nudibranche*", "bare-root", "bare root", "racines nues", "a racines nues",
    "raiz desnuda", "raiz nua", "wurzelnackt*", "naked cake", "gateau nu", "pastel desnudo", "bolo pelado", "blote voeten",
    "bolo naked", "pastel naked", "gateau naked", "naked cakes", "toppings", "topping",
    "pieds nus", "piedi nudi", "pes descalcos", "nackte fusse", "nackten fussen", "bikini atoll",
    "atol de bikini", "atoll de bikini", "atollo di bikini",
    # Seen with the naked eye, in the other languages; breast cancer awareness; Vietnamese syllables
    # that read as English words once their accents are gone ("truyền thống", tradition: "thong").
    "a l'oeil nu", "l'oeil nu", "a l'œil nu", "l'œil nu", "a olho nu", "ad occhio nudo", "a simple vista",
    "mit blossem auge", "невооружённым глазом", "невооруженным глазом", "سرطان الثدي", "cancer de mama", "cancer du sein",
    "cancro al seno", "brustkrebs", "乳がん", "乳腺癌", "乳癌", "유방암", "рак груди", "рак молочной железы", "meme kanseri",
    "kanker payudara", "ung thu vu", "truyen thong", "he thong", "thong tin", "thong minh", "thong bao", "giao thong",
    "thong qua", "thong thuong", "pho thong",
    # Walls and trees called naked ("die Wand ist so nackt", "裸木", "الأشجار العارية").
    "wand ist so nackt", "wand ist nackt", "nackte wand", "nackten wand", "nackte wande", "nackte baume", "nackten baume",
    "裸木", "枯れ木", "光秃秃的树", "الأشجار العارية", "اشجار عارية", "голи дървета", "голые деревья", "голые ветки",
    "درختان لخت", "درخت لخت", "arboles desnudos", "arbres nus", "alberi nudi", "arvores nuas", "kale bomen",
    "cıplak agaclar", "ciplak agaclar", "gołe drzewa", "gole drzewa", "bare trees", "bare tree", "mata telanjang",
    "dengan mata telanjang", "meztelencsiga*", "nacktschnecke*", "голи охлюв*", "naked eye",
    # Drinks, music, sizes, places, plants, biology and instructions whose names carry a sexual
    # word ("slippery nipple shooter", "hardcore punk", "XXXL hoodie", "Intercourse, Pennsylvania").
    "slippery nipple", "screaming orgasm", "grease nipple", "nipple fitting", "food porn", "hardcore punk", "hardcore techno",
    "xxxl", "xxl", "xxx hot sauce", "xxx hot chili", "intercourse, pennsylvania", "intercourse pennsylvania",
    "sex chromosome*", "xx and xy", "corpse flower", "amorphophallus", "pirate booty", "explicit step by step",
    "explicit instructions", "explicit lyrics", "explicit content warning",
    # Photographic exposure, not a body ("expose the shadows more").
    "expose the shadows", "expose the highlights", "expose the sky", "expose for the", "expose the photo", "expose the image",
    "expose the picture", "expose properly", "expose correctly", "expose it properly", "expose it correctly",
    "underexpose*", "overexpose*",
    # Make-up and colour shades called nude, in the other languages' word order ("tono nude").
    "tono nude", "color nude", "colore nude", "labial nude", "tom nude", "batom nude", "rossetto nude", "ton nude",
    "rouge a levres nude", "nude ton*", "nude bir ton*", "rengini nude", "nude ruj", "nude rengi", "nude-ton", "nudefarben*", "nude-lippenstift",
    "nude lippenstift", "nude lipstick shade", "nude shade", "nude tone",
    # Faces, not bodies ("bare-faced, no makeup").
    "bare-faced", "bare faced", "barefaced", "bare face", "barefoot", "bare feet", "bare-foot", "bare hands", "bare branches", "bare walls",
    "sexual harassment", "sexual health", "sex education", "sex ed", "wet paint", "wet road", "wet street",
    "wet floor", "wet dog", "wet sand", "camera strap", "strap of the camera", "camera bag",
    "pile of clothes", "clothes pile", "clothes from the bed", "clothes on the bed", "clothes off the bed",
    "clothes on the floor", "clothes from the floor", "clothes off the floor", "clothes on the chair",
    "expose the background", "expose the shot", "expose the scene", "expose it more", "overexpose*", "underexpose*",
    "calle mojada", "se vea mojada", "rua molhada", "ton nude", "un ton nude", "rouge a levres nude",
    "clothes scattered", "scattered clothes", "clothes lying around", "clothes strewn", "strewn clothes",
    "roupa do varal", "roupas do varal", "roupa no varal", "vetements poses", "vetements sur le lit",
    "vetements par terre", "ropa tendida", "jeep topless", "topless jeep", "car topless", "topless car",
    "topless convertible", "topless bus", "blue tit", "blue tits", "great tit", "great tits", "coal tit", "coal tits",
    "long-tailed tits", "ब्राइट", "モデルなし", "人物なし", "没有模特", "无模特", "open the door", "open door", "open the window", "open window",
    "open the box", "open book", "towel on her head", "towel on his head", "towel around her hair",
    "towel around her head", "less revealing", "not revealing", "more modest", "nude pink", "nude beige",
    "nude brown", "nude tone", "nude tones", "nude colour", "nude color",
    "undress the background", "strap of her bag", "strap of the bag", "bag strap", "watch strap",
    # Tools, animals, hair and idioms that carry an explicit or body word.
    "wire stripper", "wire strippers", "paint stripper", "wallpaper stripper", "varnish stripper",
    "cable stripper", "insulation stripper", "floor stripper", "horny toad", "horny toads",
    "horned toad", "water butt", "rain butt", "cigarette butt", "rifle butt", "butt weld", "kinky hair",
    "kinky curls", "kinky coily", "kinky coils", "kinky twist", "kinky twists", "naked truth",
    "thong sandal", "thong sandals", "thong flip flops", "голые деревья", "голых деревьев",
    "голые ветки", "голые ветви", "phu nu",  # Vietnamese "woman", not the Romance "nu"
    # Photo exposure, laundry lines, bare trees and shop dummies behind the person.
    "expose the image", "expose the photo", "expose the picture", "expose her face", "expose his face",
    "clothes line", "clothesline", "naked tree", "naked trees", "naked branches", "naked tree branches",
    "topless mannequin", "topless mannequins",
    # Making clothes opaque again; clearing a background; wet streets and cocktails (blind probe 8).
    "less see-through", "not see-through", "no longer see-through",
    "remove everything in the background", "remove everything from the background", "remove everything behind",
    "remove everything you added", "remove everything i added", "everything you added", "back to the original",
    "remove everything except", "strada bagnata", "strade bagnate", "calle mojada", "rue mouillee",
    "nasse strasse", "rua molhada", "mokra ulica", "islak yol", "мокрая улица", "мокрый асфальт",
    "sex on the beach cocktail", "cocktails : sex on the beach", "cocktail sex on the beach", "裸眼", "裸妆",
    "cocktail called sex on the beach", "drink called sex on the beach", "cocktail named sex on the beach",
    # Salad, rock, cells and naked-eye or nude-colour phrases in more languages; breast health.
    "undressed salad*", "undressed greens", "undressed leaves", "salad undressed", "rock cleavage", "cleavage plane*",
    "slaty cleavage", "mineral cleavage", "cell cleavage", "sperm cell*", "sperm whale*", "ciplak gozle", "cıplak gozle",
    "çıplak gözle", "ciplak goz", "नंगी आंखों", "नंगी आँखों", "नंगी आंख", "नंगी आँख", "γυμνο ματι", "γυμνό μάτι",
    "γυμνο μάτι", "golym okiem", "gołym okiem", "blote oog", "blotta ogat", "blotta ögat", "mau nude", "son nude",
    "culoare nude", "de culoare nude", "kolor nude", "w kolorze nude", "cor nude", "цвета нюд", "цвет нюд", "nude renk*",
    "warna nude", "nude szin*", "nude barv*", "สีนู้ด", "裸色", "ヌードカラー", "누드톤", "누드 톤", "χρωμα nude",
    "स्तन कैंसर", "rak piersi", "raka piersi", "samobadani* piersi", "samobadanie piersi", "cancer de seno",
    "cancer de mama", "cancro da mama", "borstkanker", "brostcancer", "bröstcancer", "سرطان پستان", "autoexamen de mama",
    "autoexploracion mamaria", "autoesame al seno", "selbstuntersuchung der brust", "الرضاعة الطبيعية",
    "بالرضاعة الطبيعية", "breastfeeding awareness", "naked light bulb", "naked bulb", "naked lightbulb", "naked flame",
    "expose the brick", "exposed brick", "expose the wall", "expose the beam*", "expose the stone", "hubad na mata",
    "breast self-exam*", "breast self exam*", "miesmuschel*", "son moi", "son môi",
)
#: "erection of a steel bridge": after "erection of" (and an article) one of these is a structure.
_PERSON_AFTER_ERECTION = ("his", "her", "their", "the man", "a man", "my", "your")


@dataclass
class _Reading:
    coverage: Coverage = Coverage.FULL
    operations: set[str] = field(default_factory=set)
    garments: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    #: A clothing word the parser could not tie to what happens to it ("remvoe her clothes"):
    #: the request is then not fully read, whatever else it says.
    unread: bool = False
    #: Only things were dressed or undressed ("put the mannequin in a bikini").
    objects_only: bool = False

    def lower(self, to: Coverage, why: str) -> None:
        self.coverage = min(self.coverage, to)
        self.evidence.append(f"{why}->{to.name.lower()}")


@dataclass(frozen=True)
class _Found:
    """One vocabulary phrase in the text: token span (-1 for substring scripts), tag, value."""

    start: int
    end: int
    term: str
    tag: Tag
    value: Value


_VOWELS = frozenset("aeiouy")


#: The words whose misspellings are read as them: long, distinctive words of undressing, nudity
#: and minimal garments. Short or common-looking words ("thong"/"thing", "steamy"/"steam",
#: "sikis"/"skiis") are left out: one slip away from them is often another real word.
_REPAIRABLE = ("undress", "undressed", "naked", "topless", "bottomless", "lingerie", "bikini", "bikinis",
               "swimsuit", "swimwear", "underwear", "panties", "knickers", "nudity", "remove", "delete",
               "without", "transparent", "disrobe", "braless", "dress", "clothes", "shirt", "blouse", "boxers",
               "nothing")


@lru_cache(maxsize=1)
def _repairs() -> dict[str, set[str]]:
    """The repairable words by every one-letter deletion, for reading misspellings ("undres",
    "toppless", "nakid", "lingere")."""
    index: dict[str, set[str]] = {}
    for word in _REPAIRABLE:
        if len(word) >= 5:
            for variant in {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}:
                index.setdefault(variant, set()).add(word)
    return index


#: Real words one slip away from a repairable word ("nuked" / "naked"): never read as it. Most
#: such neighbours are ruled out by _REPAIRABLE's choice of long words and by _one_slip; these
#: are the ones left among wordfreq's 200,000 most frequent English words and 50,000 of eight other
#: Latin-script languages (checked 2026-12-06; "sundress" is a garment and known).
_NOT_SLIPS = frozenset({"boxer", "nuked", "topples", "snaked", "pantries", "pantiles", "kickers", "knackers", "nickers",
                        "knikkers", "andress", "endress", "deplete", "branles", "deleite", "devlete",
                        # Indonesian "bikin" (make), "bikinin" (make for someone): not a misspelt bikini.
                        "bikin", "bikinin"})


#: Letter pairs a digit or symbol stands for both of ("1ingerie": the normaliser reads "1" as "i").
_LOOKALIKE = frozenset({("i", "l"), ("l", "i")})
#: Repairable words this long may also be doubled or undoubled anywhere ("unddresed", "lingeriee"):
#: two such slips on a shorter word reach other words too often.
_LONG = 7
#: Separators that split a key word once ("und.ress", "lin-gerie"); split by a *repeated*
#: separator ("n.u.d.e") is the normaliser's job.
_SEPARATORS = frozenset(".-_,'/|·*~+")


#: Key words an article glued to them ("athong") is split from.
_REPAIRABLE_SPLIT = frozenset({"thong", "bikini", "nude", "naked", "topless", "lingerie", "swimsuit", "g-string",
                               "gstring"})


def _one_slip(token: str, word: str) -> bool:
    """One inserted, dropped or swapped letter, or one vowel for another: the slips people make.
    A consonant for a consonant is another word ("baked", "naked") and does not count, except a
    letter a digit also stands for ("1ingerie")."""
    if abs(len(token) - len(word)) == 1:
        return True
    diffs = [i for i, (a, b) in enumerate(zip(token, word, strict=True)) if a != b]
    if len(diffs) == 1:
        a, b = token[diffs[0]], word[diffs[0]]
        return (a in _VOWELS and b in _VOWELS) or (a, b) in _LOOKALIKE
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and token[diffs[0]] == word[diffs[1]] \
        and token[diffs[1]] == word[diffs[0]]


def _undoubled(word: str) -> str:
    """``word`` with every run of one letter cut to one ("unddressed" -> "undresed")."""
    return "".join(ch for k, ch in enumerate(word) if k == 0 or ch != word[k - 1])


@lru_cache(maxsize=1)
def _undoubled_index() -> dict[str, str]:
    """Long repairable words by their undoubled form (each form reached by one word only)."""
    forms: dict[str, set[str]] = {}
    for word in _REPAIRABLE:
        if len(word) >= _LONG:
            forms.setdefault(_undoubled(word), set()).add(word)
    return {form: next(iter(words)) for form, words in forms.items() if len(words) == 1}


def _fix(word: str) -> str | None:
    """The repairable word ``word`` is a misspelling of, if exactly one: one slip, or (long words)
    any letters doubled or undoubled ("unddresed"). Doubling plus a slip reached real words
    ("unaddressed", "topples", "patties") in wordfreq's lists, so it is not read."""
    index = _repairs()
    candidates = set(index.get(word, ())).union(*(index.get(word[:k] + word[k + 1:], ()) for k in range(len(word))))
    if word in index.get(word, ()):
        return word
    fits = {w for w in candidates if _one_slip(word, w)}
    if not fits and len(word) >= _LONG:
        undoubled = _undoubled(word)
        fits = {w for form, w in _undoubled_index().items() if form == undoubled}
    return next(iter(fits)) if len(fits) == 1 else None


def _repair(words: tuple[str, ...]) -> tuple[str, ...]:
    """Rejoin a key word split in two ("und ress", "top less", "und.ress") and read misspellings."""
    known = _vocabulary().known
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.isalpha() and word not in known:
            # "und ress", "und.ress": two pieces that make a key word (exactly, or by one slip).
            joined, skip = "", 0
            if i + 1 < len(words) and words[i + 1].isalpha():
                joined, skip = word + words[i + 1], 2
            elif i + 2 < len(words) and words[i + 1] in _SEPARATORS and words[i + 2].isalpha():
                joined, skip = word + words[i + 2], 3
            fixed = _fix(joined) if len(joined) >= 5 else None
            if fixed is not None and (joined == fixed or skip == 3):
                out.append(fixed)
                i += skip
                continue
            if word.startswith("a") and word[1:] in _REPAIRABLE_SPLIT:
                # "a t h o n g": the normaliser joins single letters, the article's too ("athong").
                out.extend(("a", word[1:]))
                i += 1
                continue
        if len(word) >= 5 and word.isalpha() and word not in known and word not in _NOT_SLIPS:
            word = _fix(word) or word
        elif len(word) >= 5 and word.isalnum() and not word.isdigit() and any(c.isdigit() for c in word):
            # "70pl355": a key word in digits the normaliser left alone (it starts with one).
            unleet = word.translate(_LEET)
            word = unleet if unleet in _REPAIRABLE else word
        out.append(word)
        i += 1
    return tuple(out)


#: Undressing verbs that also take one garment as their object ("帽子を脱がせて": take her hat off).
_OBJECT_UNDRESS = frozenset({"脱がせ", "auszieh*", "riisu", "ချွတ်"})
#: Three or more words joined by hyphens are a phrase used as one word ("the nothing-but-a-smile
#: look", "a before-she-got-dressed version"): read as the words.
_HYPHEN_CHAIN_RE = re.compile(r"\b\w+(?:-\w+){2,}\b")


#: Letters with a stroke, which Unicode does not decompose: Vietnamese "cởi đồ" is "coi do".
_STROKED = str.maketrans({"đ": "d", "ð": "d"})


def _hits(normalised: str) -> tuple[str, tuple[str, ...], list[_Found]]:
    normalised = normalised.translate(_STROKED)
    normalised = _HYPHEN_CHAIN_RE.sub(lambda m: m.group(0).replace("-", " "), normalised)
    prepared = unmask(normalised, _maskable())
    words = _repair(tokens(prepared))
    found: list[Hit[_Entry]] = _vocabulary().find(words, prepared)
    # Benign look-alikes ("chicken breast", "nude lipstick", "裸色") void what they contain.
    benign = [h for h in found if h.tag.tag is Tag.BENIGN]
    spans = {i for h in benign if h.start >= 0 for i in range(h.start, h.end)}
    inside = [normalise(h.term) for h in benign if h.start < 0]
    kept = [
        _Found(h.start, h.end, h.term, h.tag.tag, h.tag.value) for h in found
        if h.tag.tag is not Tag.BENIGN
        and not (h.start >= 0 and spans.intersection(range(h.start, h.end)))
        and not (h.start < 0 and any(normalise(h.term).rstrip("*") in phrase for phrase in inside))
    ]
    if any(h.tag is Tag.GARMENT for h in kept):
        # "帽子を脱がせて" (take her hat off): a verb that undresses only when it has no object
        # takes off the garment it names.
        kept = [_Found(h.start, h.end, h.term, h.tag, Op.REMOVE) if h.tag is Tag.OPERATION and h.term in _OBJECT_UNDRESS
                else h for h in kept]
    return prepared, words, kept


#: Prompt-weight syntax of diffusion front-ends ("(see-through:1.3)", "<lora:name:0.7>"): a tag list
#: reads as a list, so a weight's colon does not end the clause ("(lingerie:1.1), (see-through:1.3)").
_WEIGHTS_RE = re.compile(r"<(?:lora|lyco|hypernet):[^>]*>|:\s*-?\d+(?:\.\d+)?(?=\s*[)\]}])|[()\[\]{}]")


def _normalise(text: str) -> str:
    # A line break ends an instruction: "delete the top kite\nchange the shirt" is two.
    return _prepare(normalise(_VIETNAMESE_MORE.sub(" more ", text.replace("\n", " . "))))


#: Vietnamese "nữa" (more, again: "thêm mũ len nữa", add a wool hat too) loses its marks in
#: normalising and would read as Portuguese "nua" (naked); it is read as "more".
_VIETNAMESE_MORE = re.compile(r"n[ữỮ]a\b", re.IGNORECASE)


#: Where Latin letters meet Chinese, Japanese or Korean ones: "彼女のnude versionを作って" holds
#: the word "nude", which the Latin-word lookup finds only when it stands apart.
_SCRIPT_SEAM = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])(?=[a-z])"
                          r"|(?<=[a-z])(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])")


#: Quotation marks around a word or phrase ("a 'see-thru' filter"), not an apostrophe inside one.
_QUOTES = re.compile(r"(?<!\w)['\"‘’“”]|['\"‘’“”](?!\w)")


def _prepare(normalised: str) -> str:
    """What the parser reads of normalised text: snake-case keys and values as words
    ("action=remove_clothing"), tag lists without their weights, Latin words set apart from
    the CJK text around them, quoted words without their quotation marks."""
    return _SCRIPT_SEAM.sub(" ", _WEIGHTS_RE.sub(" ", _QUOTES.sub(" ", normalised.replace("_", " "))))


def _near(hit: _Found, others: list[_Found], before: int, after: int, *, by_last_word: bool = False) -> list[_Found]:
    """``others`` within ``before`` tokens before ``hit`` or ``after`` tokens after it; with
    ``by_last_word`` a long phrase before it counts from its last word ("ce qu'il y a sous | sa
    robe"). Substring-script hits have no position: they are near everything in the same text."""
    if hit.start < 0:
        return others
    return [o for o in others if o.start < 0 or hit.start - before <= (o.end - 1 if by_last_word else o.start)
            and o.start <= hit.end - 1 + after]


#: Words that push a reduction further ("a lot", "even shorter", "noch kürzer", "mucho más corto").
_PRESSING = frozenset({"lot", "much", "way", "even", "far", "lots", "noch", "viel", "mucho", "muy", "molto", "beaucoup",
                       "encore", "muito", "bem", "veel", "nog", "duzo", "bardzo", "cok", "daha", "гораздо", "намного", "еще", "ещё"})


def _pressed(op: _Found, garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """Whether a reduction is asked for twice or more in the text, or pushed by a word like "a lot"
    beside the operation or the garment."""
    repeats = sum(h.tag is Tag.OPERATION and h.value is Op.REDUCE for h in hits)
    near = set(words[max(0, min(op.start, garment.start) - 2):max(op.end, garment.end) + 2]) if op.start >= 0 else set()
    # "lower his waistband more, more, all the way": pushed on to the end of the sentence.
    onward = " ".join(words[op.end:]) if op.start >= 0 else ""
    return repeats >= 2 or bool(near & _PRESSING) or words.count("more") >= 2 or "all the way" in onward \
        or any(f" {place}" in f" {onward}" for place in _FAR_PLACES)


#: How far a garment is moved when it goes as far as it can ("to the waist", "above her chest").
_FAR_PLACES = ("to the waist", "to her waist", "to his waist", "above her chest", "above the chest", "to her hips",
               "under the chest", "under her chest", "right under the chest", "to her hip", "up to her hip",
               "to the hips", "to the hip bones", "to her knees", "to his knees", "to the floor", "to her ankles")


#: "bend over", "leaning over": the body moves, nothing is put over a garment.
_BENDING = frozenset({"bend", "bends", "bent", "bending", "lean", "leans", "leaning", "leant", "bowed", "hunched", "roll",
                      "rolls", "rolled", "turn", "turned", "fall", "falls", "fell"})


#: What can be poured over a garment to wet it ("pour water over her white shirt").
_LIQUIDS = frozenset({"water", "milk", "oil", "juice", "paint", "wine", "coffee", "soda", "rain", "hose", "bucket"})


def _not_keeping(hit: _Found, words: tuple[str, ...]) -> bool:
    """A keep or cover word that does not keep or cover the garment: "bend over in a thong",
    "pour water over her shirt", "only leave the bikini bottoms" / "leave just her bra" (everything
    else goes)."""
    if hit.start < 0:
        return False
    before = words[hit.start - 1] if hit.start >= 1 else ""
    after = words[hit.end] if hit.end < len(words) else ""
    if hit.tag is Tag.COVER:
        return hit.term == "over" and (before in _BENDING or before in _LIQUIDS)
    # "leave her in underwear", "keep him in his boxers": what she is left in, not a garment kept on.
    left_in = words[hit.end:hit.end + 2] in (("her", "in"), ("him", "in"), ("them", "in"), ("me", "in"))
    # "оставь в одних трусах" (leave him in nothing but underpants); "lass das Handtuch
    # runterfallen" (let the towel fall): left with only that, or let go of.
    only_after = bool(_ONLY_BEFORE.intersection(words[hit.end:hit.end + 2])) and hit.term in _KEEPING
    let_fall = hit.term in ("lass", "let") and bool(_LET_FALL.intersection(words[hit.end:hit.end + 5]))
    return (hit.term in ("leave", "keep") and (bool({before, after} & {"only", "just"}) or left_in)) or only_after \
        or let_fall


#: What may stand between a layer and "over" ("the cardigan *she has on* over her swimsuit").
_WEARS_IT = frozenset({"she", "he", "they", "has", "have", "wears", "wear", "is", "wearing", "she's", "he's", "got", "on", "just", "worn"})


def _cover_taken_away(cover: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"a cardigan over her swimsuit, take the cardigan off": the layer over a garment is
    removed, reduced or made see-through, so the garment under it shows."""
    if cover.tag is not Tag.COVER or cover.start < 0:
        return False
    layers = {g.term for g in hits if g.tag is Tag.GARMENT and g.start >= 0 and 0 <= cover.start - g.end <= 3
              and set(words[g.end:cover.start]) <= _WEARS_IT}
    return bool(layers) and any(
        op.tag is Tag.OPERATION and op.value in (Op.REMOVE, Op.REDUCE, Op.SHEER) and op.start >= 0 and not _negated(op, hits)
        and any(g.tag is Tag.GARMENT and g.term in layers and g.start >= 0 and _reaches(op, g, words)
                and (0 <= g.start - op.end <= 2 or 0 <= op.start - g.end <= 2) for g in hits)
        for op in hits)


#: Falling or slipping off, after "let" ("let her towel drop", "lass das Handtuch runterfallen").
_LET_FALL = frozenset({"fall", "drop", "slip", "slide", "runterfallen", "herunterfallen", "fallen", "rutschen",
                       "runterrutschen", "abrutschen"})


def _undoes_sheer(hit: _Found, garment: _Found, hits: list[_Found]) -> bool:
    """An opaque phrase that makes *this* garment opaque: "make it opaque", "fix the see-through",
    or "opaque" right after the garment ("the blouse opaque"); never "not opaque", never an
    opaque thing elsewhere ("see-through shirt, opaque background")."""
    if hit.tag is not Tag.OPAQUE or _negated(hit, hits):
        return False
    return hit.term.startswith(("make it", "make them", "fix", "so ")) or (hit.start < 0 and garment.start < 0) or (
        garment.start >= 0 and hit.start >= 0 and (0 <= hit.start - garment.end <= 3 or 0 <= garment.start - hit.end <= 6))


#: Words right after a garment that make it cover more ("the mini skirt knee length").
_LENGTHEN = frozenset({"knee", "knee-length", "floor", "floor-length", "ankle", "ankle-length", "longer", "long-sleeved",
                       "maxi", "midi", "opaque", "modest", "modesto", "modesta", "largo", "larga", "lang", "longue", "lunga",
                       "longo", "longa", "длиннее"})
#: Words before a garment that make it cover more ("lengthen her crop top").
_LENGTHEN_BEFORE = frozenset({"lengthen", "extend", "alarga", "allonge", "allonger", "allunga", "verlangere", "verlangern",
                              "verleng", "wydluz", "uzat", "удлини", "подлинни"})
#: What may stand between a garment and what it is made into ("the swimsuit *a full* wetsuit").
_INTO = frozenset({"a", "an", "into", "to", "in", "sea", "un", "una", "en", "full", "complete", "completo",
                   "completa", "proper", "long", "full-length", "full-body", "closed", "traje", ",", "prompt", ":",
                   "->", "→"})


#: Parts of a garment that cover more when pulled down (unlike straps or a neckline).
_COVER_WHEN_LOWERED = frozenset({"sleeves", "sleeve", "hem", "hemline"})


def _lowered_to_cover(garment: _Found, words: tuple[str, ...]) -> bool:
    """"pull her sleeves down", "pull down the hem": lowered, a sleeve or a hem covers more."""
    return garment.term in _COVER_WHEN_LOWERED and "down" in words[max(0, garment.start - 2):garment.end + 2]


def _becomes_more_covering(garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """A garment made into one that covers more, with only filler words between ("make the
    swimsuit a full wetsuit", "haz que el bañador sea un traje de neopreno completo")."""
    item = garment.value
    assert isinstance(item, Garment)
    # Adjacent garments are one compound ("stripper outfit", "bikini bottoms") unless Korean marks
    # the first as the object ("비키니를 래시가드로": the bikini into a rash guard).
    korean_object = garment.end >= 1 and words[garment.end - 1].endswith(("를", "을"))
    return any(isinstance(h.value, Garment) and h.tag is Tag.GARMENT and (h.start > garment.end or korean_object and h.start == garment.end)
               and h.value.worn > item.worn and set(words[garment.end:h.start]) <= _INTO for h in hits)


def _made_sheer(goods: _Found, hits: list[_Found]) -> bool:
    """"sheer fabric, no bra": the fabric is what she wears made see-through, not stock in a shop."""
    return goods.term == "fabric" and any(h.tag is Tag.OPERATION and h.value is Op.SHEER and h.end == goods.start
                                          for h in hits)


def _names_a_thing(garment: _Found, words: tuple[str, ...]) -> bool:
    """"remove the top" is a garment at the end of a clause, not in "remove the top kite"; "every
    layer" is clothes, not in "every layer of paint"."""
    if garment.start < 0 or garment.end >= len(words):
        return False
    after = words[garment.end]
    if garment.term == "remove the top":
        return after.isalpha() and after not in _CLAUSE_GOES_ON
    return garment.term.endswith(("layer", "layers")) and after == "of"


#: Words after "remove the top" that keep it the garment ("remove the top and the skirt", "... too").
_CLAUSE_GOES_ON = frozenset({"and", "too", "also", "off", "please", "pls", "now", "then", "as", "completely", "entirely",
                             "she", "he", "from", "of", "for", "so", "to", "but", "or", "already"})


#: Leetspeak digits inside a word of letters ("70pl355"): the word they spell, if a key word.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "$": "s", "@": "a"})


def _wearer_named(hits: list[_Found]) -> bool:
    """Whether a person, relation, child or youth word names someone outside a "no model" phrase."""
    spans = {i for h in hits if h.tag is Tag.NO_WEARER and h.start >= 0 for i in range(h.start, h.end)}
    return any(h.tag in (Tag.PERSON, Tag.RELATION, Tag.CHILD, Tag.YOUNG) and not (h.start >= 0 and h.start in spans)
               for h in hits)


def _garment_coverage(garment: _Found, hits: list[_Found], words: tuple[str, ...],
                      reading: _Reading) -> None:
    """Where this garment mention leaves the person, from the operation applied to it."""
    item = garment.value
    assert isinstance(item, Garment)
    # Goods: a shop word right after the garment ("bikini section", "lingerie brand logo"); and in
    # a text about things alone (no person word outside "no model", "no person in it"), a shop
    # word anywhere ("a folded bikini", "swimsuit and sun cream on a towel, flat lay") or the text
    # saying that no one wears anything. Never where a person is named: "her retail bikini".
    things_only = not _wearer_named(hits)
    if any(h.tag is Tag.GOODS and not _made_sheer(h, hits)
           and (things_only or garment.end >= 0 and h.start - garment.end in (0, 1)) for h in hits) \
            or things_only and any(h.tag is Tag.NO_WEARER for h in hits):
        reading.evidence.append(f"goods:{garment.term}")
        return
    if _set_to_none(garment, words):
        # {"edit": "clothing", "value": "none"}, "outfit: 0": a setting that takes the garment away.
        reading.operations.add(Op.REMOVE.value)
        reading.garments.append(item.name)
        reading.lower(item.removed, f"setting:none+{garment.term}")
        return
    if _names_a_thing(garment, words):
        return
    # Found inside unspaced text (Thai, Chinese, Japanese): phrases are looked for in the whole run.
    unspaced = "".join(words) if garment.start < 0 else ""
    if unspaced and any(detail in unspaced for detail in _DETAILS_UNSPACED):
        # "シャツのシワを取って": the wrinkles come off the shirt, not the shirt.
        reading.evidence.append(f"detail:{garment.term}")
        return
    if garment.end >= 0 and (_LAUNDRY.intersection(words[max(0, garment.start - 4):garment.end + 4])
                             or _LAUNDRY_HEAP.intersection(words[garment.end:garment.end + 4])) \
            or unspaced and any(marker in unspaced for marker in _LAUNDRY_UNSPACED):
        # "remove the clothes on the washing line behind them", "पीछे रस्सी पर सूख रहे कपड़े हटा
        # दो" (the clothes drying on the rope): laundry, not what anyone wears.
        reading.evidence.append(f"laundry:{garment.term}")
        return
    if garment.end >= 0 and {"shaped", "shape", "print", "printed", "pattern", "patterned"} & set(words[garment.end:garment.end + 2]):
        # "the bikini-shaped cookie", "a bikini print on the towel": a shape or a motif, not worn.
        reading.evidence.append(f"shape:{garment.term}")
        return
    close = _near(garment, hits, 3, 0)
    if garment.start >= 0 and (_RECOLOUR.intersection(words[max(0, garment.start - 3):garment.start])
                               or _RECOLOUR_NOUNS.intersection(words[garment.end:garment.end + 1])) \
            or unspaced and any(marker in unspaced for marker in _RECOLOUR_UNSPACED):
        reading.evidence.append(f"recoloured:{garment.term}")
        return
    # Only back to the garment named before this one: in "statt Mantel einen knappen Bikini"
    # (instead of the coat, a tiny bikini) the coat is the one replaced.
    since = max([garment.start - 4, *(h.end for h in hits if h.tag is Tag.GARMENT and 0 <= h.end <= garment.start)])
    before = f" {' '.join(words[max(0, since):garment.start])} " if garment.start >= 0 else ""
    if any(f" {phrase} " in before for phrase in _INSTEAD):
        # "a rash vest instead of the speedos": the garment after "instead of" is the one replaced.
        reading.evidence.append(f"replaced:{garment.term}")
        return
    # Postpositions cover what comes before them ("mayosunun üstüne": on top of her swimsuit).
    after = [h for h in hits if h.tag is Tag.COVER and h.term in _COVER_AFTER and garment.end >= 0
             and 0 <= h.start - garment.end <= 1]
    # ... unless only the garment stays ("sadece iç çamaşırıyla kalsın": leave her only in underwear).
    kept = garment.end >= 0 and (bool(_KEPT_AFTER.intersection(words[garment.end:garment.end + 2]))
                                 or _kept_as_they_are(garment, words)) \
        and not _ONLY_BEFORE.intersection(words[max(0, garment.start - 3):garment.start]) or _left_alone(garment, hits, words)
    if not after and not kept and any(_cover_taken_away(h, hits, words) for h in close):
        # What was under the layer now shows, as it is worn: nothing asks to take it off.
        if item.worn < Coverage.FULL:
            reading.garments.append(item.name)
            reading.lower(item.worn, f"uncovered:{garment.term}")
        return
    if after or kept or any(h.tag in (Tag.NEGATION, Tag.COVER) and not _not_keeping(h, words) for h in close):
        reading.evidence.append(f"kept_or_covered:{garment.term}")
        return
    if unspaced and _swapped_unspaced(garment, hits, unspaced):
        # "把比基尼换成潜水服", "ビキニをウェットスーツに変えて": swapped for one that covers more.
        reading.evidence.append(f"replaced:{garment.term}")
        return
    if garment.end >= 0 and (_LENGTHEN.intersection(words[garment.end:garment.end + 3]) and not _tagalog_only(garment, words)
                             or _LENGTHEN_BEFORE.intersection(words[max(0, garment.start - 3):garment.start])
                             or _becomes_more_covering(garment, hits, words) or _lowered_to_cover(garment, words)):
        # "make the mini skirt knee length", "make the swimsuit a full wetsuit": more coverage.
        reading.evidence.append(f"lengthened:{garment.term}")
        return
    # "replace her dress with a bikini": the garment before the connector is the one replaced.
    replace = [h for h in hits if h.tag is Tag.OPERATION and h.value is Op.REPLACE and h.start >= 0]
    connectors = [h for h in hits if h.tag is Tag.CONNECTOR and h.start >= 0]
    if garment.start >= 0 and any(
        r.start < garment.start and any(garment.end <= c.start for c in connectors) for r in replace
    ) and any(g.tag is Tag.GARMENT and g.start > garment.start for g in hits):
        reading.evidence.append(f"replaced:{garment.term}")
        return
    if _on_new_figure(garment, hits, words) or _on_removed_figure(garment, hits, words):
        reading.evidence.append(f"other_figure:{garment.term}")
        return
    ops = [
        h for h in _near(garment, hits, _BEFORE, _AFTER, by_last_word=True)
        if h.tag is Tag.OPERATION and h.value is not Op.REPLACE and not _negated(h, hits)
        and _reaches(h, garment, words) and not _goes_somewhere(h, words) and not _describes(h, garment, words)
        and not _restores(h, words) and not _takes_other_object(h, garment, hits, words)
    ]
    if not ops and garment.start >= 0:
        # "her clothes should just be gone": an operation after the garment, past words that only
        # carry the sentence.
        ops = [h for h in hits if h.tag is Tag.OPERATION and h.value is not Op.REPLACE and garment.end <= h.start
               and set(words[garment.end:h.start]) <= _FILLERS and not _negated(h, hits) and not _goes_somewhere(h, words)
               and _reaches(h, garment, words)]
    if item.name == "waistband" and garment.start >= 0 and not ops and _DOWNWARD.intersection(
            words[max(0, garment.start - 4):garment.end + 4]):
        # "tug her waistband down", "lower the waistband": hips and underwear uncovered.
        reading.operations.add(Op.REPOSITION.value)
        reading.garments.append(item.name)
        reading.lower(item.removed, f"reposition:down+{garment.term}")
        return
    if not ops and item.worn < Coverage.FULL:
        reading.garments.append(item.name)
        reading.lower(item.worn, f"wear:{garment.term}")
    rest = garment.start >= 0 and bool({"rest", "else", "everything", "underneath"} & set(
        words[max(0, garment.start - 3):garment.end]))
    if not ops and item.name == "clothes" and rest:
        # "take off her gloves and the rest of her outfit", "remove her scarf, then all the
        # rest": what is left of the clothes goes with any removal the request asks for.
        removal = next((h for h in hits if h.tag is Tag.OPERATION and h.value in (Op.REMOVE, Op.UNDRESS)
                        and not _negated(h, hits)), None)
        if removal is not None:
            reading.operations.add(Op.REMOVE.value)
            reading.garments.append(item.name)
            reading.lower(item.removed, f"remove:{removal.term}+{garment.term}")
            return
    if not ops and (item.name == "clothes" or garment.start < 0 and item.removed < Coverage.FULL):
        # A coat or hat found inside unspaced text ("ใส่เสื้อโค้ทให้เธอ") changes no one's coverage.
        reading.unread = True
    near = _near(garment, hits, _BEFORE, _AFTER)
    strong = [h for h in hits if h.tag is Tag.STRONG_REDUCE
              and (h in near and _reaches(h, garment, words) or _swapped_for_less(garment, h, words))]
    if strong and item.removed < Coverage.FULL:
        reading.operations.add(Op.REDUCE.value)
        reading.garments.append(item.name)
        reading.lower(min(item.worn, Coverage.MINIMAL), f"reduce:{strong[0].term}+{garment.term}")
    if not ops:
        return
    op = min(ops, key=lambda h: abs(h.start - garment.start))
    assert isinstance(op.value, Op)
    if op.value is Op.SHEER and any(_undoes_sheer(h, garment, hits) for h in hits):
        reading.evidence.append(f"opaque:{garment.term}")
        return
    reading.operations.add(op.value.value)
    reading.garments.append(item.name)
    if op.value is Op.REDUCE and item.removed < Coverage.FULL and _pressed(op, garment, hits, words):
        # "shorter skirt. shorter. even shorter", "lower her neckline a lot": asked again and again,
        # or "a lot", a reduction goes as far as minimal coverage.
        reading.lower(min(item.worn, Coverage.MINIMAL), f"reduce:pressed+{garment.term}")
    elif op.value is Op.REDUCE:
        reading.lower(min(item.worn, Coverage.PARTIAL) if item.removed < Coverage.FULL else Coverage.FULL,
                      f"{op.value}:{op.term}+{garment.term}")
    elif op.value is Op.REPOSITION and item.removed < Coverage.FULL and _pressed(op, garment, hits, words):
        # "pull her neckline way down", "slide the straps all the way down": as far as it goes.
        reading.lower(min(item.worn, Coverage.MINIMAL), f"reposition:pressed+{garment.term}")
    else:
        reading.lower(item.removed, f"{op.value}:{op.term}+{garment.term}")


#: Between an operation and a garment, these say the garment is not what is operated on:
#: "remove the letters *from* the clothing", "delete the cup *on* her shirt", a new sentence.
_BLOCKERS = frozenset({"from", "on", "onto", "at", "near", "beside", "behind", "next", "above", "below",
                       "inside", "into", "with", "then", "while", "for", "so", ".", ";", "!", "?",
                       ":", "de", "sur", "su", "von", "auf", "van", "op", "z", "na", "с", "на", "из"})
_INSTEAD = frozenset({"instead of", "in place of", "en lugar de", "en vez de", "au lieu de", "a la place de", "invece di",
                      "al posto di", "em vez de", "no lugar de", "anstatt", "statt", "in plaats van", "zamiast",
                      "вместо", "замість", "thay vi"})
_COVER_AFTER = frozenset({"ustune", "üstüne", "uzerine", "üzerine", "の上に", "위에"})
#: Values that set a garment to nothing in a key-value request ("clothing: none", "ropa: ninguna").
_NONE_VALUES = frozenset({"none", "nothing", "0", "0%", "off", "null", "removed", "ninguna", "ninguno", "nada", "nenhuma",
                          "nenhum", "aucun", "aucune", "rien", "keine", "keins", "nichts", "nessuno", "nessuna", "niente",
                          "geen", "niets", "brak", "żadne", "zadne", "нет", "ничего", "yok", "hicbiri", "tidak ada",
                          "tanpa", "なし", "無し", "无", "没有", "없음"})
_VALUE_KEYS = frozenset({"value", "valor", "wert", "valeur", "valore", "waarde", "wartosc", "значение", "deger", "level",
                         "amount", "setting", "to"})


#: A setting of a garment in an app's words ("the clothing slider", "outfit level").
_SETTING_WORDS = frozenset({"slider", "level", "setting", "amount", "coverage", "value", "opacity"})


def _set_to_none(garment: _Found, words: tuple[str, ...]) -> bool:
    """The garment is a key whose value is nothing: "clothing: none", {"editar":"ropa","valor":"ninguna"}."""
    if garment.end < 0:
        return False
    after = [w for w in words[garment.end:garment.end + 10] if w not in ('"', "'", "“", "”")]
    if after and after[0] in _SETTING_WORDS:  # "set the clothing slider to 0", "clothing level: none"
        after = after[1:]
    if len(after) >= 2 and after[0] in (":", "=", "to", "at") and after[1] in _NONE_VALUES:  # "clothing: none"
        return True
    # {"edit": "clothing", "value": "none"}: the next key names the garment's value.
    return len(after) >= 4 and after[0] == "," and after[1] in _VALUE_KEYS and after[2] in (":", "=") \
        and after[3] in _NONE_VALUES


#: Right after a garment, these leave it as it is ("keep everyone's swimsuits as they are").
_AS_THEY_ARE = (("as", "they", "are"), ("as", "it", "is"))


def _kept_as_they_are(garment: _Found, words: tuple[str, ...]) -> bool:
    """"keep everyone's swimsuits as they are": "keep" shortly before, "as they are" right after, and
    no "in", "only" or "just" between ("keep her in a bikini as it is" keeps her in the bikini)."""
    before = words[max(0, garment.start - 5):garment.start]
    if "keep" not in before or words[garment.end:garment.end + 3] not in _AS_THEY_ARE:
        return False
    return not {"in", "only", "just"} & set(before[before.index("keep"):])
#: Right after a garment, these keep it on ("ceketini çıkar, gömlek kalsın": the shirt stays).
_KEPT_AFTER = frozenset({"stays", "stay", "remains", "lasciali", "lasciala", "lascialo", "kalsin", "kalsın", "kalacak", "그대로", "유지", "bleibt", "bleiben",
                         "blijft", "reste", "restent", "resta", "restano", "fica", "ficam", "zostaje", "zostają", "zostaja",
                         "остается", "остаётся", "остаются", "залишається", "そのまま", "不变", "保留", "tetap", "giữ", "giu"})
_ONLY_BEFORE = frozenset({"only", "just", "sadece", "yalnizca", "yalnızca", "nur", "solo", "seulement", "tylko", "только",
                          "лише", "тільки", "chi", "hanya", "cuma", "somente", "apenas", "alleen", "endast", "bara", "kun",
                          # "в одних трусах", "w samych bokserkach": in nothing but.
                          "одних", "одном", "одній", "одной", "samych", "samej", "samym"})
#: Right after a garment, these make it laundry or stock ("la ropa del tendedero", "les vêtements qui sèchent").
_LAUNDRY = frozenset({"clothesline", "clothes-line", "washing", "laundry", "drying", "tendedero", "tendedor", "varal",
                      "etendoir", "sechent", "seche-linge", "wascheleine", "waslijn", "stendino", "stendibiancheria",
                      "stesi", "tendida", "tendidos", "secando", "sushatsya", "сушится", "сушатся", "сохнет", "сохнут",
                      "suszy", "susza", "suszą", "kuruyan", "jemuran", "dijemur", "物干し", "晾", "晾着", "晾衣",
                      "разбросанную", "разбросанные", "разбросанной", "ammucchiati", "ammucchiate", "sparsi", "sparse",
                      # Hung out to dry, in the languages that say it before the clothes too.
                      "रस्सी", "सूख", "सूखते", "सूखने", "तार", "חבל", "החבל", "תלויים", "שתלויים", "כביסה",
                      "הכביסה", "rufe", "rufele", "tvattlinan", "tvattlina", "torkar", "torkande", "দড়িতে", "দড়ি",
                      "শুকোতে", "শুকাতে", "শুকানো", "kamba", "zilizoanikwa", "zimeanikwa", "kuanika", "anika",
                      "sampayan", "sinampay", "phơi", "phoi", "빨래", "빨랫줄", "건조대", "sarma",
                      "сохне", "сохнуть", "сушиться", "сушаться", "сушарка", "сушарці"})
#: Laundry words inside unspaced text ("把后面晾的衣服P掉": remove the clothes hung to dry behind).
_LAUNDRY_UNSPACED = ("晾", "晒衣", "曬衣", "物干し", "干してある", "洗濯物", "ราวตากผ้า", "ตากผ้า", "ผ้าที่ตาก")
#: Laundry in a heap: only after the clothes ("her clothes piled on the chair"; "the basket and her
#: clothes" is two things).
_LAUNDRY_HEAP = frozenset({"piled", "pile", "heap", "folded", "hamper", "basket"})
#: Colour words inside unspaced text ("เปลี่ยนชุดเป็นสีแดง": make the outfit red).
_RECOLOUR_UNSPACED = ("เป็นสี", "สีแดง", "สีดำ", "สีขาว", "สีฟ้า", "สีน้ำเงิน", "สีชมพู", "สีเขียว", "สีเหลือง",
                      "颜色", "顏色", "色に", "色の", "红色", "紅色", "黑色", "白色", "蓝色", "藍色", "粉色", "绿色", "綠色")
#: Tagalog "naka-bikini lang": "lang" is "only" there, not the German and Dutch "long".
_TAGALOG_LANG = frozenset({"naka", "nakasuot", "suot", "siya", "sya", "niya", "nya", "po", "na", "ha", "talaga",
                           # "panty at bra lang ang iwan" (leave only ...), "bra lang ang natira" (only ... left).
                           "iwan", "itira", "natira", "ang"})


#: Words that describe what someone has on rather than ask for a change ("my son *is in* swim trunks").
_DESCRIBING = frozenset({"is", "are", "was", "were", "wears", "wearing"})


#: Words between a garment and "smaller" in a swap for something that covers less.
_FOR_SOMETHING = frozenset({"for", "with", "into", "to", "something", "anything", "one", "much", "way", "a", "lot", "even",
                            "far", "bit", "little", "that's", "thats", "that", "is", "'", "s", "more"})


def _swapped_for_less(garment: _Found, reduce: _Found, words: tuple[str, ...]) -> bool:
    """"swap her dress for something much smaller": the garment replaced by "something" smaller."""
    if garment.end < 0 or reduce.start <= garment.end:
        return False
    between = words[garment.end:reduce.start]
    return len(between) <= 6 and bool({"something", "anything", "one"} & set(between)) and set(between) <= _FOR_SOMETHING


def _left_alone(garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"my son is in swim trunks at the lake, leave that, just remove the leash": a garment the
    text describes someone in ("is in", "is wearing"; no operation before it) and then says to
    leave as it is, in a clause of its own ("leave it on the floor" is no keeping)."""
    if garment.start < 0 or not _DESCRIBING.intersection(words[max(0, garment.start - 4):garment.start]) \
            or any(h.tag is Tag.OPERATION and 0 <= h.start < garment.start for h in hits):
        return False
    after = words[garment.end:garment.end + 9]
    return any(after[i] in ("leave", "keep") and after[i + 1] in ("that", "it", "them", "those", "this")
               and (i + 2 == len(after) or after[i + 2] in (",", ".", ";", "!", "alone", "as", "just", "and"))
               for i in range(len(after) - 1))


#: Details of a garment in unspaced scripts and attached-affix Arabic script (wrinkles, stains, dirt, logos, tags).
_DETAILS_UNSPACED = ("シワ", "しわ", "皺", "シミ", "しみ", "汚れ", "ゴミ", "ほこり", "埃", "ロゴ", "タグ", "値札", "毛玉",
                     "污渍", "污点", "污漬", "皱纹", "皱褶", "褶皱", "皺褶", "标签", "吊牌", "商标", "毛球", "线头", "線頭",
                     # Arabic-script words carry attached articles and pronouns, so they are found inside
                     # words too ("البقعة": the stain; Persian "لکه", Urdu "داغ").
                     "بقع", "لکه", "داغ")
#: An "open" that describes the garment ("his open shirt") is no operation on it.
_STATE_WORDS = frozenset({"open", "opened", "unbuttoned", "unzipped"})


def _describes(op: _Found, garment: _Found, words: tuple[str, ...]) -> bool:
    return op.term in _STATE_WORDS and op.end == garment.start and op.start >= 1 \
        and words[op.start - 1] in {"his", "her", "their", "its", "a", "an", "the", "my", "your"}


#: Swap words of unspaced scripts ("换成": change into; "に変えて": change to).
_SWAP_UNSPACED = ("换成", "換成", "改成", "变成", "變成", "换为", "に変え", "に替え", "に着替え", "にして")


def _swapped_unspaced(garment: _Found, hits: list[_Found], text: str) -> bool:
    """In unspaced ``text``, a garment named before one that covers more, with a swap word."""
    item = garment.value
    if not isinstance(item, Garment) or not any(m in text for m in _SWAP_UNSPACED):
        return False
    at = text.find(garment.term.rstrip("*"))
    return at >= 0 and any(isinstance(h.value, Garment) and h.tag is Tag.GARMENT and h.value.worn > item.worn
                           and text.find(h.term.rstrip("*")) > at for h in hits)


def _tagalog_only(garment: _Found, words: tuple[str, ...]) -> bool:
    """Whether the "lang" after a garment is Tagalog "only" ("naka-panty lang siya")."""
    around = set(words[max(0, garment.start - 3):garment.start]) | set(words[garment.end:garment.end + 3])
    return "lang" in words[garment.end:garment.end + 3] and bool(_TAGALOG_LANG & around)
_TAGALOG_PRONOUNS = frozenset({"mo", "ko", "nyo", "niyo", "natin", "namin"})
#: After the garment ("her blouse *into* mesh", "her top *to* just under the chest") only a new
#: clause or a place stops the operation.
_BLOCKERS_AFTER = frozenset({".", ";", "!", "?", ":", "from", "on", "behind", "beside", "near"})
#: Words between a garment and what happens to it that only carry the sentence ("her clothes
#: should just be gone").
_FILLERS = frozenset({"should", "just", "be", "been", "all", "completely", "entirely", "totally", "simply", "to",
                      # Tamil-English particles ("ava dress ah full ah remove pannu").
                      "ah", "full",
                      "get", "got", "is", "are", "was", "were", "must", "need", "needs", "can", "could", "would",
                      "will", "so", "now", "already", "fully", "go", "goes", "have", "has", "had"})
#: Moving a waistband this way uncovers the hips ("tug her waistband down").
_DOWNWARD = frozenset({"down", "lower", "lowered", "lowering", "tug", "tugs", "tugged", "tugging", "pull", "pulls",
                       "pulled", "pulling", "slide", "slides", "slid", "drop", "dropped", "roll", "rolled", "peel",
                       "inch", "below", "under"})
#: Small things taken off a garment ("the price tag off her sweater", "the stain from her shirt").
_DETAILS = frozenset({"tag", "tags", "label", "labels", "sticker", "stickers", "stain", "stains", "logo", "button", "buttons",
                      "pyatno", "pyatna", "pyatnyshko",
                      "patch", "badge", "lint", "pin", "brooch", "price", "dust", "mud", "crumbs", "hair",
                      # A stain in the other languages ("Hapus noda di kemejanya", "Fjern pletten").
                      "mancha", "manchas", "tache", "taches", "macchia", "macchie", "fleck", "flecken", "vlek",
                      "vlekken", "plama", "plamy", "plame", "leke", "lekeyi", "пятно", "пятна", "пляма", "пляму",
                      "noda", "nodanya", "doa", "madoa", "flek", "fleku", "fleka", "флеку", "флека", "флек", "plet", "pletten",
                      "flack", "flacken", "flackar", "flackarna", "tahra", "tahrat", "folt", "foltot", "pata", "oznaka", "mantsa",
                      "daag", "dhabba", "karai", "கறை*", "கறையை", "crease", "creases", "wrinkle", "madez", "madeza",
                      "mrlju", "mrlja", "мрљу", "мрља",
                      "दाग", "दाग़", "দাগ", "দাগটা", "λεκε", "λεκεδες",
                      "얼룩", "얼룩을"})
#: "change the *colour of* her swimsuit": the garment stays as it is.
_RECOLOUR = frozenset({"colour", "color", "colours", "colors", "shade", "pattern", "print", "texture", "logo", "brand", "label", "stain", "stains", "wrinkles",
                       "recolour", "recolor"})
#: Nouns for a garment's colour or print named right after it ("make the swimsuit colours brighter").
_RECOLOUR_NOUNS = frozenset({"colour", "color", "colours", "colors", "pattern", "print", "texture", "logo", "shade"})
#: Operations that act on what is right beside them ("pull down her top", "wet shirt").
_CLOSE_OPS = (Op.REPOSITION, Op.SHEER)
_ADD_WORDS = frozenset({"add", "adding", "insert", "include", "place", "draw", "paint", "anade", "ajoute",
                        "aggiungi", "adicione", "fuge", "voeg", "dodaj", "ekle", "добавь"})
_INDEFINITE = frozenset({"a", "an", "another", "some", "new", "second", "un", "una", "une", "ein", "eine",
                         "een", "um", "uma"})


def _restores(op: _Found, words: tuple[str, ...]) -> bool:
    """"pull it back up onto her shoulder": a strap or top put back where it belongs."""
    after = words[op.end:op.end + 4] if op.start >= 0 else ()
    return op.value is Op.REPOSITION and "back" in after and bool({"up", "on", "onto", "into", "in", "place"} & set(after))


def _goes_somewhere(op: _Found, words: tuple[str, ...]) -> bool:
    """"her dress needs to go *to the cleaners*": going somewhere is no removal."""
    return op.term.split()[-1] in ("go", "goes") and 0 <= op.end < len(words) \
        and words[op.end] in {"to", "back", "with", "into", "in", "on", "well", "nicely", "perfectly"}


def _reaches(op: _Found, garment: _Found, words: tuple[str, ...]) -> bool:
    """Whether ``op`` acts on ``garment``: nothing that names another object or place between."""
    if op.start < 0 or garment.start < 0:
        return True
    # "help her out of that sweater and into a cardigan": a swap, not an undressing; nor is the
    # state a word gives the garment left ("out of the wet jumper and into a dry hoodie").
    # "... and into nothing" is no swap.
    into = words[garment.end:garment.end + 6]
    if "into" in into and "nothing" not in into[into.index("into"):] and (
            op.term.startswith(("help", "get")) or _out_of(words[max(0, min(op.start, garment.start) - 3):garment.start])):
        return False
    if op.start < garment.start:
        if op.value in _CLOSE_OPS and garment.start - op.end > 3:
            return False
        # "remove the balloons, change her dress to navy": the operation took its own object and
        # the sentence moved on ("take off her basket and her clothes" goes on taking).
        if _takes_own_object(op, garment, words) and {",", ";"}.intersection(words[op.end:garment.start]):
            return False
        # "take the price tag off her sweater": what comes off is the detail, not the garment.
        if _DETAILS.intersection(words[max(0, op.start - 3):op.start]):
            return False
        between = words[op.end:garment.start]
        # "remove the people in swimsuits": the operation takes the people, not their clothes.
        others = {"people", "person", "woman", "women", "man", "men", "girls", "boys", "crowd", "someone"}
        # Tagalog "tanggalin mo na yung damit": "na" after a pronoun is a particle ("now"), not
        # the Slavic "na" (onto) that names a place.
        # Spanish "su" right before the garment is "her" ("quita su vestido"), not Italian "on".
        blockers = {w for i, w in enumerate(between) if not (w == "na" and i and between[i - 1] in _TAGALOG_PRONOUNS)
                    and not (w == "su" and i == len(between) - 1)}
        # "hapus noda di kemejanya": a stain or tag between is what comes off.
        # "remove the woman's clothing": a possessive figure owns the garment, it is not taken.
        figures = {w for i, w in enumerate(between) if w in others and not _possessive(between, i)}
        return not _BLOCKERS.intersection(blockers) and not figures and not _DETAILS.intersection(between)
    # "retouch the dress, remove the wrinkles", "in a hoodie and jeans, remove the guy behind him":
    # an operation with an object of its own.
    if _on_detail(op, words) or _takes_own_object(op, garment, words):
        return False
    # "the sweater underneath shows": the garment named before "underneath" is what is under.
    if op.term == "underneath" and garment.end == op.start:
        return False
    # "the sleeve of her dress got cut off in the crop, fix it": the frame cut it, no one asks to.
    if "cut" in (op.term.split()[0], words[op.start - 1] if op.start else "") \
            and _FRAME_CUTS.intersection(words[op.end:op.end + 4]):
        return False
    # "make the text on her t-shirt smaller": the garment is where the print is, not what changes.
    before = words[max(0, garment.start - 6):garment.start]
    if _PRINTED.intersection(before) and _ON_OF.intersection(before):
        return False
    # "gömleğindeki lekeyi kaldır", "uski shirt se daag hata do": the stain between is what goes.
    between = words[garment.end:op.start]
    return not _BLOCKERS_AFTER.intersection(between) and not _DETAILS.intersection(between)


def _takes_other_object(op: _Found, garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"he wears a coat and a shirt, remove the coat", "a man in uniform, remove the scratches":
    past a clause break, an operation with an object of its own (another garment mention, or a
    word that ends the sentence and points back to nothing) does not reach back to this one."""
    if garment.start < 0 or op.start < garment.end or not {",", ";", "."}.intersection(words[garment.end:op.start]):
        return False
    at = next((i for i in range(op.end, min(op.end + 3, len(words))) if words[i] not in _DETERMINERS), None)
    if at is None:
        return False
    if any(h.tag is Tag.GARMENT and h.start == at and h is not garment for h in hits):
        return True
    ends = at + 1 == len(words) or words[at + 1] in {",", ".", ";", "!", "?", "and", "from", "on", "in", "behind", "at"}
    return ends and words[at].isascii() and words[at].isalpha() and words[at] not in _POINTS_BACK \
        and not any(h.start <= at < h.end for h in hits if h.start >= 0)


#: Words after an operation that leave its object where it was ("her dress, remove it completely").
_POINTS_BACK = frozenset({"it", "them", "everything", "all", "too", "also", "off", "away", "now", "please", "pls", "plz",
                          "again", "completely", "entirely", "fully", "altogether", "totally", "quickly", "slowly",
                          "gently", "partly", "partially", "more", "some", "both", "each", "one", "ones", "either",
                          "her", "him", "his", "hers", "me", "us", "you", "thing", "things", "stuff"})


def _takes_what_came_before(op: _Found, words: tuple[str, ...]) -> bool:
    """"there's another one, remove it too": the object is a pronoun for an earlier turn's (a
    stain), so "the same" moves nothing from this turn to a garment."""
    return op.start >= 0 and words[op.end:op.end + 1] in (("it",), ("them",), ("that",), ("those",), ("this",), ("these",))


def _out_of(words: tuple[str, ...]) -> bool:
    return any(words[i:i + 2] == ("out", "of") for i in range(len(words) - 1))


_DETERMINERS = frozenset({"the", "her", "his", "their", "its", "all", "any", "some", "those", "these", "that", "this"})


def _takes_own_object(op: _Found, garment: _Found, words: tuple[str, ...]) -> bool:
    """Whether ``op`` is followed by an object of its own other than ``garment``: someone else in
    the picture (not "the woman's dress"), a thing carried, or a thing of the scene."""
    at = next((i for i in range(op.end, min(op.end + 3, len(words))) if words[i] not in _DETERMINERS), None)
    if at is None or at == garment.start:
        return False
    word = words[at]
    return word in _CARRIED or word in _THINGS or word in _BYSTANDERS and not _possessive(words, at)
#: Other people and animals an operation can take out of the picture.
_BYSTANDERS = frozenset({"people", "person", "woman", "women", "man", "men", "guy", "guys", "crowd", "someone", "stranger",
                         "strangers", "photobomber", "photobombers", "tourist", "tourists", "passerby", "passersby",
                         "dog", "dogs", "cat", "cats", "bird", "birds"})
#: What cuts a garment off when nobody asks to: the crop or the frame ("cut off in the crop").
_FRAME_CUTS = frozenset({"crop", "cropped", "cropping", "frame", "framing", "edge", "border", "shot"})


def _on_new_figure(garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"Add a person in a bathing suit": the garment dresses a figure the edit adds, not the
    person in the photo."""
    if garment.start < 0:
        return False
    people = [h for h in hits if h.tag is Tag.PERSON and 0 <= h.start < garment.start]
    if not people:
        return False
    person = max(people, key=lambda h: h.start)
    return (person.start >= 1 and words[person.start - 1] in _INDEFINITE
            and bool(_ADD_WORDS.intersection(words[max(0, person.start - 4):person.start])))


_FIGURES = frozenset({"people", "person", "woman", "women", "man", "men", "girls", "boys", "crowd", "someone",
                      "tourists", "swimmers", "others", "models"})


def _on_removed_figure(garment: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"remove the people in swimsuits": the garment is worn by figures the edit takes away."""
    if garment.start < 0:
        return False
    removals = [h for h in hits if h.tag is Tag.OPERATION and h.value is Op.REMOVE and 0 <= h.start < garment.start]
    return any(words[i] in _FIGURES and not _possessive(words, i) and _WORN_BY.intersection(words[i + 1:garment.start])
               for r in removals for i in range(r.end, garment.start))


#: Between a figure and its garment: "the people *in* swimsuits", "the man *wearing* a bikini".
_WORN_BY = frozenset({"in", "wearing", "with", "dressed", "who", "that", "en", "con", "avec", "mit", "im", "w", "в"})


def _possessive(words: tuple[str, ...], index: int) -> bool:
    """"the woman's clothing": the figure owns the garment, it is not what the edit takes away."""
    return words[index + 1:index + 3] == ("'", "s") or words[index + 1:index + 2] in (("'s",), ("’s",), ("'",))


#: Negation words that keep a garment on ("keep her dress", "leave the shirt on"); said of nudity
#: they keep her naked ("leave her in nothing but her skin"), so they negate only garment changes.
_KEEPING = frozenset({"keep", "keeping", "leave", "mantén", "manten", "garde", "mantieni", "mantenha", "behalte",
                      "lass", "houd", "zostaw", "koru", "оставь", "пусть будет в", "пусть останется в"})


def _negated(op: _Found, hits: list[_Found], *, keeping: bool = True) -> bool:
    return op.start >= 0 and any(h.tag is Tag.NEGATION and op.start - 3 <= h.start < op.start
                                 and (keeping or h.term not in _KEEPING) for h in hits)


def _continue(hits: list[_Found], words: tuple[str, ...], earlier: _Reading | None, reading: _Reading,
              earlier_ops: Sequence[Op] = (), *, clothing_off: bool = False) -> None:
    """"keep going", "and the t-shirt too": a follow-up that repeats the last turn's reduction
    (on its garment, or on the garment this turn names). "and the rest of her clothes" after
    "remove the hat", "and the scarf": a follow-up that names garments and no operation of its
    own repeats the earlier turns' operation on them, even when that took off only outerwear."""
    # "now give her a book and a drink, same clothes": a garment said to stay is not taken next.
    named = [h.value for h in hits if h.tag is Tag.GARMENT and isinstance(h.value, Garment)
             and not (h.start >= 1 and _STAYING.intersection(words[max(0, h.start - 2):h.start]))]
    own = any(h.tag is Tag.OPERATION for h in hits)
    follows = _follows(hits, words)
    rest = "rest" in words or bool(_REST_WORDS.intersection(words))
    if not named and not own and follows and (rest or _onward(words) and clothing_off):
        # "and the rest" after "take off his coat", "more" or "keep going" after "remove her
        # jacket": the rest of the clothes.
        named = [g for g in GARMENTS if g.name == "clothes"]
    if named and not own and follows and reading.coverage == Coverage.FULL:
        op = next((o for o in earlier_ops if o in (Op.REMOVE, Op.UNDRESS, Op.SHEER, Op.REPOSITION)), None)
        if op is not None:
            item = min(named, key=lambda g: g.removed)
            reading.operations.add(Op.REMOVE.value if op is Op.UNDRESS else op.value)
            reading.garments.append(item.name)
            reading.lower(item.removed, f"continue:{op.value}+{item.name}")
            return
    if earlier is None or earlier.coverage == Coverage.FULL or not any(h.tag is Tag.CONTINUE for h in hits):
        return
    if named and reading.coverage == Coverage.FULL:
        item = min(named, key=lambda g: g.removed)
        reading.lower(max(item.removed, earlier.coverage), f"continue:{item.name}")
    elif not named and earlier.coverage == Coverage.PARTIAL and Op.REDUCE.value in earlier.operations \
            and set(earlier.garments) - {"parts"} and any(h.tag is Tag.CONTINUE and h.term in _PRESS_ON for h in hits):
        # "make her skirt a bit shorter", then "continue, further": a reduction of a garment (not
        # of sleeves or straps) asked for again goes as far as minimal coverage, as when asked
        # twice in one turn (reduce:pressed). "The same for the other photo" repeats, it does not press.
        reading.lower(Coverage.MINIMAL, "continue:pressed")
    elif not named:
        reading.lower(earlier.coverage, "continue:earlier turn")


#: Words before a garment that keep it as it is ("same clothes", "keep the jeans").
_STAYING = frozenset({"same", "keep", "leave", "unchanged", "original"})
#: A follow-up made of these words only asks for more of the same ("more", "keep going", "more please").
_ONWARD = frozenset({"more", "keep", "going", "continue", "go", "on", "further", "even", "please", "pls", "plz", "and",
                     "now", "then", "next", "again", "a", "bit", "little", "lot", "!", ".", ",", "…", "...", "some"})
_ONWARD_CORE = frozenset({"more", "keep", "continue", "further", "go"})


def _onward(words: tuple[str, ...]) -> bool:
    return bool(words) and set(words) <= _ONWARD and bool(_ONWARD_CORE & set(words))


def _follows(hits: list[_Found], words: tuple[str, ...]) -> bool:
    """Whether a turn follows up the one before: "keep going", "and the dress", "more"."""
    first = next((w for w in words if w not in _INTERJECTIONS), "")
    return any(h.tag is Tag.CONTINUE for h in hits) or first in _FOLLOW_ON or _onward(words) \
        or bool(_REST_WORDS.intersection(words))


#: Words a follow-up may open with before what it adds ("ok now the jeans", "nice, now the top").
_INTERJECTIONS = frozenset({"ok", "okay", "nice", "good", "great", "perfect", "cool", "yes", "yeah", "yep", "alright",
                            "right", "so", "hmm", ",", "!", "."})


def _of_a_thing(hit: _Found, words: tuple[str, ...]) -> bool:
    """"expose the brick wall", "show more skin of the statue": the reduction is of a thing."""
    after = [w for w in words[hit.end:hit.end + 4] if w not in _DETERMINERS] if hit.start >= 0 else []
    return bool(after) and (after[0] == "of" or after[0] in _THINGS or after[0] in _PICTURE_NOUNS)


def _took_clothing_off(turn: str, earlier: Sequence[str]) -> bool:
    """Whether a turn (read with the turns before it) took a garment off: a jacket counts, a hat,
    glasses or shoes do not, nor outerwear a follow-up only points back at ("now the scarf")."""
    evidence = parse(turn, earlier).evidence
    taken = [e.rsplit("+", 1)[-1].split("->")[0] for e in evidence if e.startswith((f"{Op.REMOVE}:", f"{Op.UNDRESS}:"))]
    followed = [e.rsplit("+", 1)[-1].split("->")[0] for e in evidence if e.startswith("continue:")]
    return any(term.split()[-1] not in _ACCESSORIES for term in taken) or any(name != "outer" for name in followed)


def _other_one_too(words: tuple[str, ...], last_hits: list[_Found], last_words: tuple[str, ...],
                   reading: _Reading) -> None:
    """"She has a jacket over a top, take off the jacket", then "the other one too": the garment
    the last turn named beside the one it took off goes the same way."""
    if "other" not in words or "one" not in words and "ones" not in words:
        return
    last = _read_coverage(last_hits, last_words, [])
    if Op.REMOVE.value not in last.operations:
        return
    taken = {e.rsplit("+", 1)[-1].split("->")[0] for e in last.evidence if e.startswith(f"{Op.REMOVE}:")}
    others = [h.value for h in last_hits if h.tag is Tag.GARMENT and isinstance(h.value, Garment) and h.term not in taken
              and h.value.name not in {g.value.name for g in last_hits if g.tag is Tag.GARMENT and g.term in taken
                                        and isinstance(g.value, Garment)}]
    if others:
        item = min(others, key=lambda g: g.removed)
        reading.operations.add(Op.REMOVE.value)
        reading.garments.append(item.name)
        reading.lower(item.removed, f"continue:remove+other:{item.name}")


def _rest_of_the_buttons(words: tuple[str, ...], last_words: tuple[str, ...], reading: _Reading) -> None:
    """"undo the top button", then "the rest too" or "the other ones too, all the way": the shirt
    opened all the way down."""
    if not _BUTTONS.intersection(last_words) or not _UNDO_BUTTON.intersection(last_words):
        return
    if {"rest", "other", "all"}.intersection(words):
        reading.operations.add(Op.REPOSITION.value)
        reading.garments.append("top")
        reading.lower(Coverage.MINIMAL, "continue:unbuttoned")


_BUTTONS = frozenset({"button", "buttons"})
_UNDO_BUTTON = frozenset({"undo", "unbutton", "open", "unfasten", "loosen"})


#: Words for a pose, in the parser's languages.
_POSES = frozenset({"pose", "poses", "posing", "posed", "posar", "posa", "posare", "posieren", "poseren", "poza",
                    "pozie", "pozę", "poze", "позе", "поза", "позу", "позі", "poz", "pozu", "pozi", "gaya", "pozisyon",
                    "postura"})
_POSES_UNSPACED = ("ポーズ", "포즈", "姿势", "姿勢", "ท่า", "โพส", "tao dang")
#: What "make it sexier" may say besides the mild word when it is about the picture.
_PICTURE_FILLERS = frozenset({"make", "it", "this", "the", "photo", "picture", "pic", "image", "shot", "edit", "version",
                              "more", "a", "bit", "lot", "little", "much", "way", "look", "looks", "please", "pls", "now",
                              "can", "you", "could", "just", "so", "really", "very", "super", "too", "one", "me", "of",
                              "!", ".", ",", "?"})


def _only_the_picture(hits: list[_Found], words: tuple[str, ...]) -> bool:
    """"make the photo sexier", "make it sexy": a mild word and nothing but the picture."""
    mild = {i for h in hits if h.tag is Tag.SUGGESTIVE and h.start >= 0 for i in range(h.start, h.end)}
    return bool(mild) and all(i in mild or w in _PICTURE_FILLERS for i, w in enumerate(words))


#: A follow-up made only of these (and ``_FOLLOW_ON``, ``_FOLLOW_FILLERS``) asks for more of what
#: the last turn did: "smaller, like almost nothing", "even less", "do it", "all the way".
_PRESS_WORDS = frozenset({
    "more", "less", "smaller", "tinier", "shorter", "lower", "higher", "thinner", "further", "closer", "again", "even",
    "way", "all", "the", "do", "it", "yes", "like", "that", "but", "of", "please", "go", "on", "keep", "going", "still",
    "bit", "little", "lot", "much", "almost", "nothing", "said", "i", "ok", "okay", "so", "really", "very", "up", "down",
    "everything", "else",
    "短一点", "再短一点", "再少一点", "少一点", "更短", "更少",
    "from", "below", "just", "half", "then", "why", "not", "we", "you", "know",
    # the same in the parser's core languages
    "mas", "menos", "pequeno", "plus", "petit", "encore", "noch", "mehr", "weniger", "kleiner", "kurzer", "di", "piu",
    "meno", "ancora", "mais", "ainda", "lagi", "lebih", "tipis", "kecil", "bardziej", "jeszcze", "daha", "ещё", "еще",
    "больше", "меньше", "короче", "더", "もっと", "再", "更"})
#: "The rest" in other languages ("lo demás también", "и остальное тоже", "残りも全部").
_REST_WORDS = frozenset({"resto", "demas", "reste", "rest", "reszta", "resztę", "остальное", "решту", "sisanya",
                         "kalanı", "kalani", "baki", "sisa"})


def _presses_on(words: tuple[str, ...]) -> bool:
    """Whether a follow-up only asks for more of the last turn ("more", "smaller, like almost
    nothing", "再少一点"), in at most eight words."""
    if not words or len(words) > 8:
        return False
    pressing = {w for w in words if w not in _FOLLOW_ON and w not in _FOLLOW_FILLERS}
    return pressing <= _PRESS_WORDS and bool(pressing - {"it", "the", "that", "of", "like", "but", "yes", "ok", "okay",
                                                          "so", "i", "we", "you", "know", "said", "why", "not", "then"})


#: Words that ask for more than the last turn did, not the same again ("even less", "再短一点").
_MORE = frozenset({"more", "less", "smaller", "shorter", "lower", "further", "even", "all", "mas", "plus", "noch",
                   "piu", "lagi"})


def _press_on(words: tuple[str, ...], earlier: EditSemantics, reading: _Reading) -> None:
    """The last turn's coverage, read with its own history, carries to a follow-up that asks for
    more of it ("in swim trunks", "smaller", then "smaller, like almost nothing"); a partial
    reduction asked for again goes as far as minimal coverage, as "continue:pressed" does."""
    if earlier.coverage >= Coverage.FULL:
        return
    target = Coverage(earlier.coverage)
    # Sleeves and straps made shorter again stay partial ("continue:pressed" excludes them too).
    if target == Coverage.PARTIAL and set(earlier.garments) - {"parts"} \
            and (_MORE.intersection(words) or any(w[:1] in ("再", "更") for w in words)):
        target = Coverage.MINIMAL
    reading.operations.update(earlier.operations)
    reading.garments.extend(earlier.garments)
    reading.lower(target, "continue:pressed earlier turn")


def _took_clothing_off_lately(history: Sequence[str]) -> bool:
    """Whether the last turn took clothing off, or one of the two before it did and every turn
    since only named accessories to take next ("now the tie")."""
    for k in range(len(history) - 1, max(-1, len(history) - 4), -1):
        if _took_clothing_off(history[k], history[:k]):
            return True
        words = _hits(_normalise(history[k]))[1]
        if not words or not set(words) <= _FOLLOW_ON | _FOLLOW_FILLERS | _ACCESSORIES:
            return False
    return False


#: First words of a follow-up that adds to the last request ("and the scarf", "now her shirt").
_FOLLOW_ON = frozenset({"and", "now", "then", "plus", "also", "next", "и", "і", "та", "y", "et", "e", "und", "en", "i",
                        "ve",
                        # "same with the skirt": the article-less "the same".
                        "same",
                        # "now" in the parser's other languages ("ahora la blusa", "und jetzt ...").
                        "ahora", "agora", "maintenant", "jetzt", "ora", "adesso", "teraz", "теперь", "тепер", "simdi",
                        "şimdi", "sekarang", "ab", "phir", "gio", "이제", "现在", "然后"})


#: After an operation, words that still point back at the earlier garment ("take off the rest",
#: "remove both layers"), beside the pronouns of ``_BACK_REFERENCES``.
_POINTING_ON = frozenset({"these", "more", "rest", "too", "also", "again", "both", "each", "every", "layers", "layer",
                          "ones", "other", "completely", "entirely", "fully", "all", "everything", "off", "away", "now",
                          "please", "as", "a", "bit", "little", ",", ".", "!", "and", "then", "even", "further", "some",
                          "sie", "ihm", "ihr"})
#: Determiners and possessives before an operation's own object, in the languages of the parser's core.
_OBJECT_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "my", "el", "los", "las", "un", "una",
                                 "del", "die", "der", "das", "den", "dem", "il", "gli", "o", "os", "as", "um", "uma",
                                 "la", "le", "les", "lo"})


def _own_object(op: _Found, words: tuple[str, ...]) -> bool:
    """"make it look dry and remove *the puddle*", "quita *la sombra*": an operation in a follow-up
    with an object of its own is not about the earlier turn's garment."""
    if op.start < 0 or op.end >= len(words):
        return False
    after = [w for w in words[op.end:op.end + 3] if w not in _OBJECT_DETERMINERS]
    return bool(after) and after[0].isalpha() and after[0] not in _POINTING_ON and after[0] not in _BACK_REFERENCES


#: After "crop", words that make the picture the object ("crop it to 4:5", "crop it square").
_FRAME_WORDS = frozenset({"square", "ratio", "aspect", "portrait", "landscape", "widescreen", "instagram", "story",
                          "edges", "edge", "border", "borders", "frame", "margins", ":"})


def _crops_picture(hit: _Found, words: tuple[str, ...]) -> bool:
    """"now crop it to 4:5": a crop to a shape or size is of the picture, not of an earlier garment."""
    if hit.start < 0 or not hit.term.startswith("crop"):
        return False
    after = words[hit.end:hit.end + 5]
    return bool(_FRAME_WORDS.intersection(after)) or any(w.isdigit() for w in after)


def _read_coverage(hits: list[_Found], words: tuple[str, ...], context: list[_Found]) -> _Reading:
    reading = _Reading()
    garments = [h for h in hits if h.tag is Tag.GARMENT]
    for garment in garments:
        _garment_coverage(garment, hits, words, reading)
    for hit in hits:
        # "keep her naked", "leave her in nothing but her skin": keeping is no negation of nudity.
        if hit.tag is Tag.NUDITY and not _negated(hit, hits, keeping=False) and not _bare_thing(hit, words) \
                and not _shade(hit, words):
            reading.lower(Coverage.NONE, f"nudity:{hit.term}")
        elif hit.tag is Tag.REDUCE_MINIMAL and not _negated(hit, hits, keeping=False) and not _of_a_thing(hit, words):
            reading.operations.add(Op.REDUCE.value)
            reading.lower(Coverage.MINIMAL, f"reduce:{hit.term}")
        elif hit.tag is Tag.OPERATION and hit.value is Op.UNDRESS and not _negated(hit, hits):
            reading.operations.add(Op.UNDRESS.value)
            reading.lower(Coverage.NONE, f"undress:{hit.term}")
        elif hit.tag is Tag.UNTIL_NOTHING and any(h.tag is Tag.PERSON for h in hits) and any(
                (h.tag is Tag.OPERATION and h.value in (Op.REMOVE, Op.UNDRESS)) or h.tag in (Tag.GARMENT, Tag.CONTINUE)
                for h in hits):
            # "peel every layer off her until nothing is left", "start with her jacket and keep going
            # until there's nothing left": taking things off a person to the end.
            reading.operations.add(Op.REMOVE.value)
            reading.lower(Coverage.NONE, f"nudity:{hit.term}")
        elif hit.tag is Tag.SKIN_FILL and (garments or context or any(h.tag is Tag.FIGURE for h in hits)):
            # "mask: torso, prompt: bare skin": a garment or the body painted over with skin.
            reading.operations.add(Op.REMOVE.value)
            reading.lower(Coverage.NONE, f"skin_fill:{hit.term}")
        elif hit.tag is Tag.SHEER_BODY and not _negated(hit, hits):
            reading.operations.add(Op.SHEER.value)
            reading.lower(Coverage.MINIMAL, f"sheer:{hit.term}")
        elif hit.tag is Tag.SHEER_MATERIAL and _made_of(hit, words) and (garments or context):
            # "make the dress look like it's made of cling film": a see-through garment.
            reading.operations.add(Op.SHEER.value)
            reading.lower(Coverage.MINIMAL, f"sheer:{hit.term}")
        elif hit.tag is Tag.OPERATION and hit.value is Op.SHEER and hit.start >= 0 and not garments \
                and not any(o.tag is Tag.OPAQUE and not _negated(o, hits) for o in hits) \
                and _FABRIC.intersection(words[max(0, hit.start - 3):hit.end + 3]) and not _negated(hit, hits) \
                and any(h.tag is Tag.PERSON for h in hits) and not _THINGS.intersection(words[max(0, hit.start - 4):hit.end + 3]):
            # "make the fabric thinner", "see-through material": the cloth she wears.
            reading.operations.add(Op.SHEER.value)
            reading.lower(Coverage.MINIMAL, f"sheer:{hit.term}+fabric")
    bare = _bare(hits, words)
    if bare:
        reading.lower(Coverage.NONE, f"nudity:{bare}")
    only = _only_accessories(hits, words)
    if only:
        reading.lower(Coverage.NONE, f"only:{only}")
    if not garments and context and _points_back(words, hits):
        # "make it see-through", "now take it off", "shorter": the operation points back at the
        # garment of an earlier turn. "without"/"no" only with a back-reference ("without it"),
        # and "thinner" too ("make her thinner" is about her figure).
        back = bool(_BACK_REFERENCES.intersection(words))
        pressed = sum(h.tag is Tag.OPERATION and h.value is Op.REDUCE for h in hits) >= 2 \
            and any(h.tag is Tag.CONTINUE and h.term in _PRESS_ON for h in hits)
        for hit in hits:
            operates = hit.tag is Tag.STRONG_REDUCE or (
                hit.tag is Tag.OPERATION and hit.value in (Op.SHEER, Op.REMOVE, Op.REDUCE, Op.REPOSITION))
            if operates and isinstance(hit.value, Op) and not _negated(hit, hits) and not _crops_picture(hit, words) \
                    and not _own_object(hit, words) \
                    and (back or hit.term not in ("no", "without", "sin", "sans", "bez", *_THIN)):
                item = min((c.value for c in context if isinstance(c.value, Garment)), key=lambda g: g.removed)
                if item.removed >= Coverage.FULL:
                    # "add a party hat" then "smaller": a hat or coat made smaller covers as before.
                    continue
                reading.operations.add(hit.value.value)
                reading.garments.append(item.name)
                if hit.tag is Tag.STRONG_REDUCE or hit.value is Op.REDUCE and pressed:
                    # "shorter. and tighter. keep going": asked again and again, as far as minimal.
                    target = min(item.worn, Coverage.MINIMAL)
                elif hit.value is Op.REDUCE:
                    target = min(item.worn, Coverage.PARTIAL)
                else:
                    target = item.removed
                reading.lower(target, f"{hit.value}:{hit.term}+earlier:{item.name}")
    # "make her wet", "soak her": a sheer/wet operation on the person, not on a thing ("the
    # window behind her see-through") and not on her figure ("make her thinner").
    for hit in hits:
        if hit.tag is Tag.OPERATION and hit.value is Op.SHEER and hit.start >= 0 and hit.term not in _THIN and any(
            p.tag is Tag.PERSON and (p.start == hit.start - 1 or (p.start == hit.end and p.end == len(words)))
            and not (p.start >= 1 and words[p.start - 1] in _PLACES)
            for p in hits
        ) and not garments and not (hit.end < len(words) and words[hit.end] in _THINGS):
            # "make her wet hair look dry": the wet thing comes right after.
            reading.operations.add(Op.SHEER.value)
            reading.lower(Coverage.MINIMAL, f"sheer:{hit.term}")
    return reading


#: What a sheer operation makes see-through when it names the cloth, not a garment.
_FABRIC = frozenset({"fabric", "material", "cloth", "clothes", "textile"})
#: Place words: "the window *behind* her see-through" operates on the window, not on her.
_PLACES = frozenset({"behind", "beside", "near", "next", "above", "below", "under", "around", "over", "by",
                     "of", "from", "with", "to"})
#: Things a sheer or wet operation can be about instead of a person or her clothes.
_THINGS = frozenset({"window", "windows", "glass", "door", "doors", "wall", "walls", "screen", "water", "ice",
                     "bottle", "vase", "umbrella", "roof", "ceiling", "floor", "table", "box", "container", "case",
                     "bubble", "balloon", "wings", "ghost", "sky", "cloud", "clouds", "building", "car", "phone",
                     "layer", "background", "overlay", "logo", "text", "watermark", "sign", "road", "street",
                     "ground", "grass", "leaves", "hair", "paint", "cup", "mug", "bowl", "lamp", "shade", "panel",
                     "partition", "fence", "tent", "curtain", "curtains", "blinds", "shower", "pool", "lake",
                     "wire", "wires", "wiring", "cable", "cables", "pipe", "pipes", "beam", "beams", "brick", "bricks",
                     "concrete", "roots", "rock", "rocks", "wrap", "film", "foil", "plastic", "folie", "frischhaltefolie",
                     "brot", "bread", "sandwich"})
#: "like", "made of": what a garment is turned into ("look like it's made of cling film").
_LIKE = frozenset({"like", "of", "into", "from", "in"})


#: Things a nudity word can describe: "nakna björkar", "γυμνά δέντρα", "mur de pierre nu" (bare trees, walls).
_BARE_THINGS = frozenset({
    "putz", "plaster", "beton", "betonwand", "mauer", "ziegel", "flamme", "flame", "flames", "bougie", "candle",
    "ampoule", "plafond", "bulb", "lightbulb", "branch", "agaclara", "agaclari", "agaclarin", "chicken", "roast",
    "candles", "tree", "trees", "wall", "walls", "branches", "birch", "birches", "forest", "mountain", "mountains", "hill", "hills",
    "trad", "traden", "trar", "traer", "trae", "bjorkar", "bjork", "stromy", "strom", "stromu", "δεντρα", "δεντρο",
    "τοιχος", "stabla", "drvece", "arbres", "arbre", "mur", "murs", "pared", "paredes", "arboles", "arbol", "alberi",
    "albero", "muro", "muri", "arvores", "arvore", "parede", "baume", "baum", "wand", "wande", "bomen", "boom", "muur",
    "drzewa", "drzewo", "sciana", "agaclar", "agac", "duvar", "деревья", "дерево", "стены", "стена", "дървета", "дерева",
    "pohon", "dinding", "bundok", "cay", "tuong", "hegy", "fak", "puut", "seina", "koks", "koki", "medziai",
})


def _bare_thing(hit: _Found, words: tuple[str, ...]) -> bool:
    """A nudity word right beside a tree, wall or hill ("the trees look naked", "голи дървета")."""
    if hit.start < 0:
        return False
    near = words[max(0, hit.start - 5):hit.start] + words[hit.end:hit.end + 5]
    if "towel" in hit.term and _TOWEL_PLACES.intersection(words[hit.end:hit.end + 3]):
        # "remove the towel from the railing", "the towel hanging on the chair": a towel on a thing.
        return not any(w in _PERSON_WORDS for w in words[hit.end:hit.end + 5])
    return bool(_BARE_THINGS.intersection(near)) and not any(w in _PERSON_WORDS for w in near)


#: Where a towel hangs or lies when nobody wears it.
_TOWEL_PLACES = frozenset({"railing", "rail", "chair", "hook", "rack", "line", "floor", "bench", "sand", "lounger",
                           "sunbed", "door", "hanging", "hanger", "table", "sink", "radiator", "balcony", "fence"})


_PERSON_WORDS = frozenset({"her", "him", "she", "he", "woman", "man", "girl", "boy", "lady", "wife", "girlfriend"})

#: Make-up, nails and colour words: "nude" beside one is a shade ("a nude-tone manicure",
#: "makeup-nya dibikin nude natural", "rouge à lèvres en teinte nude").
_SHADE_WORDS = frozenset({
    "makeup", "make-up", "manicure", "pedicure", "nails", "nail", "polish", "lipstick", "lip", "lips", "gloss",
    "eyeshadow", "eyeshadows", "palette", "blush", "foundation", "tone", "shade", "shades", "colour", "color",
    "colored", "coloured", "heels", "pumps", "shoes", "makeupnya", "maquillaje", "maquillage", "trucco", "maquiagem",
    "rouge", "teinte", "esmalte", "vernis", "smalto", "unas", "ongles", "unghie", "batom", "labial", "rossetto", "ruj",
    "nagellack", "lippenstift", "arnyalatu", "ruzs", "koromlakk", "colorway", "colourway",
    "oje", "lakier", "szminka", "tono", "ton", "cor", "couleur", "colore", "renk", "farbe", "kleur", "beige", "kuku", "gincu", "riasan", "dandan", "メイク", "ネイル", "口紅", "妆", "指甲", "메이크업",
    "네일", "립스틱"})


def _shade(hit: _Found, words: tuple[str, ...]) -> bool:
    """"nude" right beside a make-up, nail or colour word, in the same phrase: a shade, not a body."""
    if hit.start < 0 or hit.term != "nude":
        return False
    around = {*words[max(0, hit.start - 4):hit.start], *words[hit.end:hit.end + 2]}
    return not {",", ".", ";"} & around and bool(_SHADE_WORDS & around)


def _made_of(hit: _Found, words: tuple[str, ...]) -> bool:
    return hit.start < 0 or bool(_LIKE.intersection(words[max(0, hit.start - 3):hit.start]))


#: Words that, after "bare", say what is bare (her feet, the walls), so "bare" is not nudity.
_BARE_THEN = frozenset({"in", "on", "at", "for", "with", "like", "and", "except", "but", "apart", "from", "now",
                        "again", "please", "here", "there", "today", ".", ",", "!", ";", ":", "?"})
_BARE_BEFORE = frozenset({"completely", "totally", "entirely", "fully", "all", "stark", "utterly", "be", "is", "s", "re",
                          "was", "leave", "left", "her", "him", "them", "stand", "standing", "stands", "lie",
                          "lying", "get", "go", "goes", "pose", "posing", "appear", "look", "looks", "looking"})


def _bare(hits: list[_Found], words: tuple[str, ...]) -> str:
    """"Let her be completely bare", "leave him bare": "bare" said of a person, with nothing after
    it that is bare instead ("her bare feet", "bare-faced", "bare walls" are not nudity)."""
    people = [h.start for h in hits if h.tag is Tag.PERSON and h.start >= 0]
    for k, word in enumerate(words):
        if word != "bare" or not people or k == 0:
            continue
        after = words[k + 1] if k + 1 < len(words) else "."
        person = max((s for s in people if s < k), default=-1)
        # "the trees behind him bare": the thing placed by the person is what is bare.
        placed = person >= 2 and words[person - 1] in _PLACES and bool(_BARE_THINGS.intersection(words[person - 4:person]))
        if after in _BARE_THEN and words[k - 1] in _BARE_BEFORE and 0 <= person and k - person <= 4 and not placed \
                and not _THINGS.intersection(words[person:k]) and not any(
                    h.tag is Tag.NEGATION and h.term not in _KEEPING and person - 3 <= h.start < k for h in hits):
            return " ".join(words[person:k + 1])
    return ""


#: What someone may keep on when nothing else is left ("leave only her shoes on").
_ACCESSORIES = frozenset({"shoes", "heels", "high heels", "stilettos", "socks", "stockings", "boots", "sneakers",
                          "trainers", "sandals", "hat", "cap", "necklace", "jewellery", "jewelry", "earrings",
                          "glasses", "sunglasses", "gloves", "watch", "tie", "bow", "ribbon", "choker", "belt",
                          "scarf", "apron", "headphones", "mask", "crown", "tiara", "veil", "bracelet",
                          "bracelets", "anklet", "collar", "cowboy", "bandana"})
#: "only", "just", "nothing but": all that is left.
_ONLY = frozenset({"only", "just", "nothing", "solely", "except"})
#: "... on", "wearing ...", "in ...": worn.
_WORN = frozenset({"wearing", "wears", "wear", "in", "on", "with"})


def _only_accessories(hits: list[_Found], words: tuple[str, ...]) -> str:
    """"Leave only her shoes on, nothing else", "wearing nothing but her heels", "in just her
    socks": a person left with nothing but accessories. Not "change only her shoes"."""
    people = any(h.tag is Tag.PERSON for h in hits)
    for k, word in enumerate(words):
        if word not in _ONLY:
            continue
        rest = [w for w in words[k + 1:k + 6] if w not in ("but", "her", "his", "their", "a", "an", "the", "pair",
                                                             "of", "pearl", "high", "black", "red", "white")]
        if not rest or rest[0] not in _ACCESSORIES:
            continue
        if word == "nothing" and words[k + 1:k + 2] not in (("but",), ("except",)):
            continue
        before, end = words[max(0, k - 3):k], words.index(rest[0], k) + 1
        # "... on" closing the clause ("only her shoes on, nothing else"), not "on her head".
        closing = ((), (",",), (".",), ("and",), ("nothing",), ("!",), (";",))
        left_on = end < len(words) and words[end] == "on" and (
            words[end + 1:end + 2] in closing
            or words[end + 1:end + 2] in (("her",), ("him",), ("them",)) and words[end + 2:end + 3] in closing
            and bool({"leave", "keep", "left"}.intersection(before)))
        # "make it so only her socks are left": what is left on the person.
        left_on = left_on or "left" in words[end:end + 3]
        # "remove everything except her heels": all that stays.
        all_but = word == "except" and bool({"everything", "all"}.intersection(before))
        if not people:
            continue
        if _WORN.intersection(before) or left_on or all_but \
                or (word == "nothing" and {"leave", "keep", "left", "in"}.intersection(before)):
            return " ".join(words[k:end])
    return ""


#: Words by which a short follow-up points at what an earlier turn named ("make *it* shorter").
_BACK_REFERENCES = frozenset({"it", "them", "that", "those", "this", "one", "lo", "la", "le", "les", "es",
                              "ihn", "het", "go", "onu", "его", "её", "ее", "их", "него", "неё", "нее", "них", "ней"})
#: Nouns that say a short follow-up is about the picture, not the garment ("crop the image").
_PICTURE_NOUNS = frozenset({"image", "photo", "picture", "background", "sky", "video", "frame", "canvas",
                            "colours", "colors", "lighting", "contrast", "brightness", "text"})


def _points_back(words: tuple[str, ...], hits: list[_Found]) -> bool:
    """Whether a turn without a garment of its own refers to the garment of an earlier one: it
    says "it", is a few words long, or goes on ("smaller again", "keep going")."""
    if _PICTURE_NOUNS.intersection(words) or _DETAILS.intersection(words) or _RECOLOUR.intersection(words):
        # "smaller logo on it", "crop the image": about a detail or the picture, not the garment.
        return False
    short = sum(w.isalnum() for w in words)
    # "now wet. really wet.": a follow-up's first word says it goes on with the earlier turn.
    return (bool(_BACK_REFERENCES.intersection(words)) or short <= 3 or (short <= 5 and bool(_FOLLOW_ON.intersection(words)))
            or any(h.tag is Tag.CONTINUE for h in hits))


def _on_thing(op: _Found, hits: list[_Found], words: tuple[str, ...]) -> bool:
    """A see-through or wet operation on a thing ("make the frosted glass window behind her
    see-through", "a transparent umbrella"): no garment is named, and a thing comes shortly before
    the operation or right after it."""
    return op.value is Op.SHEER and op.start >= 0 and op.term.rstrip("*") in _CLEAR \
        and not any(h.tag is Tag.GARMENT for h in hits) and bool(_THINGS.intersection(
            (*words[max(0, op.start - 6):op.start], *words[op.end:op.end + 1])))


#: See-through words a thing can be made ("a see-through window"); wet things are not explained.
_CLEAR = frozenset({"see-through", "see through", "seethrough", "transparent", "translucent", "sheer", "clear"})


#: "full body, white backdrop": a framing of the picture, not a word about the body.
_FRAMING = frozenset({"full", "whole", "entire"})


def _explained(hits: list[_Found], reading: _Reading, words: tuple[str, ...] = ()) -> bool:
    """Whether the parser read the whole request as leaving everyone's coverage as it is: every
    clothing word is worn, recoloured, covered, goods, or outerwear and accessories taken off,
    or the request is a photo operation or makes a thing see-through; nothing reduces, and no
    body word is in it, except a framing ("full body") beside clothes the person wears."""
    garments = [h for h in hits if h.tag is Tag.GARMENT]
    framed = [h for h in hits if h.tag is Tag.FIGURE and garments and 1 <= h.start and words[h.start - 1] in _FRAMING
              and h.term == "body"]
    if reading.unread or reading.coverage < Coverage.FULL or any(
            h.tag in (Tag.NUDITY, Tag.REDUCE_MINIMAL, Tag.FIGURE, Tag.STRONG_REDUCE) and h not in framed for h in hits):
        return False
    things = [h for h in hits if h.tag is Tag.OPERATION and _on_thing(h, hits, words)]
    # "make the see-through blouse opaque": the sheer word names what the request undoes.
    opaque = [g for g in garments if any(_undoes_sheer(o, g, hits) for o in hits)]
    undone = [h for h in hits if h.tag is Tag.OPERATION and h.value is Op.SHEER and h.start >= 0
              and any(g.start >= 0 and abs(h.start - g.start) <= 5 for g in opaque)]
    if any(h.tag is Tag.OPERATION and h.value in (Op.UNDRESS, Op.SHEER, Op.REPOSITION) and h not in things
           and h not in undone for h in hits):
        return False
    return bool(things) or any(h.tag in (Tag.GARMENT, Tag.NEUTRAL) for h in hits)


def _child(hits: list[_Found], words: tuple[str, ...], text: str) -> list[str]:
    found = []
    for hit in hits:
        if hit.tag is not Tag.CHILD:
            continue
        if 0 <= hit.end < len(words) and words[hit.end] in _NOT_CHILD_AFTER:
            continue
        found.append(f"child:{hit.term}")
    for match in _AGE_RE.finditer(text):
        age = next(int(g) for g in match.groups() if g is not None)
        if age < 18:
            found.append(f"age:{match.group(0)}")
    return found


def _explicit(hits: list[_Found], words: tuple[str, ...]) -> list[str]:
    return [
        f"explicit:{h.term}" for h in hits
        if h.tag is Tag.EXPLICIT and not (0 <= h.end < len(words) and words[h.end] in _EXPLICIT_NOT_BEFORE)
        and not _building(h, words)
    ]


_NECKLINES = frozenset({"ausschnitt", "escote", "decote", "scollatura", "decollete", "neckline"})
_RAISED = frozenset({"hoher", "höher", "higher", "alto", "haut", "hoger", "wyzej", "wyżej", "выше", "yuksek", "modest",
                     "closed", "geschlossener", "dezenter", "recatada", "discreto", "discreta"})


def _neckline_raised(hit: _Found, words: tuple[str, ...]) -> bool:
    """"Mach den Ausschnitt etwas höher": a neckline made higher covers more, no body focus."""
    return hit.term in _NECKLINES and hit.start >= 0 and bool(_RAISED.intersection(words[hit.end:hit.end + 6]))


def _building(hit: _Found, words: tuple[str, ...]) -> bool:
    """"the erection of a steel bridge": putting up a structure, unless a person follows."""
    if hit.term != "erection" or words[hit.end : hit.end + 1] != ("of",):
        return False
    after = " ".join(words[hit.end + 1 : hit.end + 3])
    return not any(after == p or after.startswith(p + " ") for p in _PERSON_AFTER_ERECTION)


def _body_focus(hits: list[_Found], words: tuple[str, ...]) -> list[str]:
    found = [f"body:{h.term}" for h in hits if h.tag in (Tag.BODY_PART, Tag.SHAPE) and not _neckline_raised(h, words)]
    for figure in (h for h in hits if h.tag is Tag.FIGURE):
        focus = [h for h in _near(figure, hits, 4, 2) if h.tag is Tag.FOCUS]
        found.extend(f"focus:{f.term}+{figure.term}" for f in focus)
    return found


def _target(hits: list[_Found], raw: str) -> str:
    tags = {h.tag for h in hits}
    if _named(raw) or Tag.RELATION in tags:
        return "named"
    if Tag.PERSON in tags:
        pronoun = any(h.term in ("her", "him", "she", "he", "his", "them", "their") for h in hits if h.tag is Tag.PERSON)
        return "photo_subject" if pronoun else "generic"
    if Tag.OBJECT in tags:
        return "object"
    return "none"


#: A capitalised word after the first in Cyrillic or Greek script: a name the Latin-only name
#: tagger cannot read ("Раздень Анну" names Anna).
_NAME_RE = re.compile(r"(?<=\S)\s+([А-ЯЁΑ-Ω][а-яёα-ω]{2,})")


#: A mild word right before a capitalised word: "seductive Anna", "sexy Emma" (perhaps a name).
_BEFORE_NAME = re.compile(
    r"\b(?i:" + "|".join(sorted(_MILD_SUGGESTIVE)) + r")\s+[A-ZÀ-ÞА-ЯЁΑ-Ω][a-zß-ÿа-яёα-ω]{2,}"
)


def _named(raw: str) -> bool:
    return bool(_NAME_RE.search(raw))


#: Said of a person, these mean "wearing clothes" ("fully clothed"): left out of a picture, nudity.
_CLOTHED = frozenset({"clothed", "dressed", "fully clothed", "fully dressed", "wearing clothes", "clothes on"})


def _names_worn(normalised: str) -> bool:
    """Whether the text names a garment other than outerwear and accessories."""
    return any(h.tag is Tag.GARMENT and isinstance(h.value, Garment) and h.value.removed < Coverage.FULL
               for h in _hits(normalised)[2])


def clothing_in(normalised: str) -> bool:
    """Whether the normalised text names anything :func:`clothing_named` would: one parse of a
    whole negative list, so a long list without clothes costs one lookup, not one per term."""
    return any(word in normalised for word in _CLOTHED) or _names_worn(normalised)


def clothing_named(normalised: str) -> str | None:
    """What the normalised words name that a person wears, other than outerwear and accessories
    ("bikini"; "clothes" for "fully clothed"), or None: what a negative prompt undresses by
    leaving it out."""
    if normalised in _CLOTHED:
        return "clothes"
    return normalised if _names_worn(normalised) else None


_FOLLOW_FILLERS = frozenset({"ok", "okay", "nice", "good", "great", "perfect", "cool", "yes", "yeah", "now",
                             # determiners and possessives of the parser's core languages ("ahora la blusa")
                             "la", "el", "los", "las", "le", "les", "il", "lo", "die", "der", "das", "den", "o", "os",
                             "sua", "su", "sa", "son", "ses", "ihr", "ihre", "seine", "het",
                             "too", "also", "as", "well", "next", "please", "pls", "plz", "then", "her", "his", "their",
                             "the", "that", "this", "those", "these", "a", "an", ".", ",", "!", "…", "..."})


#: Tags that are evidence of their own: a text with any of them is not explained by a look-alike.
_EVIDENCE = frozenset({Tag.GARMENT, Tag.NUDITY, Tag.REDUCE_MINIMAL, Tag.BODY_PART, Tag.FIGURE, Tag.SHAPE, Tag.SUGGESTIVE,
                       Tag.EXPLICIT, Tag.CHILD, Tag.YOUNG, Tag.SHEER_BODY, Tag.SHEER_MATERIAL, Tag.SKIN_TIGHT,
                       Tag.UNTIL_NOTHING, Tag.STRONG_REDUCE})


def _on_detail(op: _Found, words: tuple[str, ...]) -> bool:
    """An operation whose object is a detail or the picture ("remove the stain from her dress")."""
    own = [w for w in words[op.end:op.end + 3] if w not in _DETERMINERS] if op.start >= 0 else []
    return bool(own) and (own[0] in _DETAILS or own[0] in _RECOLOUR or own[0] in _PICTURE_NOUNS)


def _has_lookalike(words: tuple[str, ...], prepared: str) -> bool:
    """Whether a benign look-alike phrase of the vocabulary is in the text."""
    return any(h.tag.tag is Tag.BENIGN for h in _vocabulary().find(words, prepared))


def _bare_follow_up(words: tuple[str, ...], hits: list[_Found]) -> bool:
    """Whether a follow-up says nothing but garments ("and now the dress", "now her shirt too"):
    no operation, colour or anything else of its own."""
    garment_at = {i for h in hits if h.tag is Tag.GARMENT and h.start >= 0 for i in range(h.start, h.end)}
    return any(h.tag is Tag.GARMENT for h in hits) and not any(h.tag is Tag.OPERATION for h in hits) and all(
        i in garment_at or w in _FOLLOW_ON or w in _FOLLOW_FILLERS for i, w in enumerate(words))


def _garments_before(history: Sequence[str]) -> list[_Found]:
    """The garments of the latest of the last four turns that names one (what "it" points back to),
    unless a later turn, or that one, is about a thing of its own: after "make the floral pattern
    smaller" or "add the gym logo on the chest", "smaller" is the pattern or the logo again, and
    after "smaller basket", "now without it" is the basket."""
    for turn in reversed(history[-4:]):
        _, words, hits = _hits(_normalise(turn))
        if _PRINTED.intersection(words):
            return []
        garments = [h for h in hits if h.tag is Tag.GARMENT]
        if garments:
            return garments
        if _THINGS.intersection(words) or _DETAILS.intersection(words) or _CARRIED.intersection(words):
            return []
    return []


#: What is printed or sewn on a garment: a turn about it is about the print, not the garment.
_PRINTED = frozenset({"text", "logo", "logos", "print", "pattern", "writing", "lettering", "graphic", "slogan", "font",
                      "design", "embroidery", "badge", "patch", "name", "number", "words", "letters", "logotipo", "texte",
                      "texto", "testo", "schrift", "aufdruck", "motif", "motivo", "estampado", "stampa"})
#: "on" and "of" in the template languages ("le logo sur son t-shirt", "das Logo auf seinem Shirt").
_ON_OF = frozenset({"on", "of", "across", "sur", "de", "du", "des", "en", "del", "auf", "von", "su", "sul", "sulla", "di",
                    "della", "no", "na", "em", "do", "da", "op", "van"})
#: Things carried or held, which "it" can point back to ("smaller basket", then "now without it").
_CARRIED = frozenset({"basket", "bag", "handbag", "purse", "backpack", "box", "umbrella", "phone", "cup", "mug",
                      "bottle", "glass", "book", "flowers", "bouquet", "sign", "balloon", "balloons", "stroller",
                      "pram", "suitcase"})


def parse(text: str, history: Sequence[str] = (), *, normalised: str | None = None) -> EditSemantics:
    """Read ``text`` (the current instruction) with ``history`` for what it points back to.

    ``normalised`` is ``normalise(text)`` when the caller already has it (the intent detector
    does): normalising is most of the parse's cost. A text with line breaks is normalised here,
    since a line break ends an instruction.
    """
    reuse = normalised is not None and "\n" not in text and not _VIETNAMESE_MORE.search(text)
    prepared, words, hits = _hits(_prepare(normalised) if reuse and normalised is not None else _normalise(text))
    context = _garments_before(history) if history and not any(h.tag is Tag.GARMENT for h in hits) else []
    reading = _read_coverage(hits, words, context)
    if history and reading.coverage == Coverage.FULL:
        last_words, last_hits = _hits(_normalise(history[-1]))[1:]
        # The last turn read with its own earlier garments: "shorter" after "make her dress red".
        last_context = _garments_before(history[:-1]) if not any(h.tag is Tag.GARMENT for h in last_hits) else []
        # The operations the earlier turns applied to a garment, latest first.
        earlier_ops: list[Op] = []
        follows = _follows(hits, words)
        for turn in reversed(history[-4:]) if follows and not any(h.tag is Tag.OPERATION for h in hits) else ():
            turn_words, turn_hits = _hits(_normalise(turn))[1:]
            turn_reading = _read_coverage(turn_hits, turn_words, [])
            # "make her topless", then "the shorts too": an undressing said without an operation.
            earlier_ops += [Op(o) for o in sorted(turn_reading.operations)]
            if turn_reading.coverage <= Coverage.MINIMAL and Op.REMOVE.value not in turn_reading.operations:
                # "make this guy shirtless", then "ok now the jeans": what left him in little takes next.
                earlier_ops.append(Op.REMOVE)
            if "same" in words:
                # "make the curtain transparent", then "do the same to her nightgown": the operation
                # moves from a thing to the garment this turn names.
                earlier_ops += [h.value for h in turn_hits if h.tag is Tag.OPERATION and isinstance(h.value, Op)
                                and h.value in (Op.SHEER, Op.REMOVE, Op.REPOSITION, Op.REDUCE)
                                and not _negated(h, turn_hits) and not _on_detail(h, turn_words)
                                and not _takes_what_came_before(h, turn_words)]
        if follows and not earlier_ops and _bare_follow_up(words, hits):
            # "remove the guy in the background", then "and now the dress": the follow-up names
            # what the last turn's removal takes next; through earlier follow-ups without an
            # operation of their own ("remove his watch", "and his glasses", "now the shirt too").
            for turn in reversed(history[-3:]):
                turn_words, turn_hits = _hits(_normalise(turn))[1:]
                earlier_ops = [h.value for h in turn_hits if h.tag is Tag.OPERATION and h.value in (Op.REMOVE, Op.UNDRESS)
                               and isinstance(h.value, Op) and not _negated(h, turn_hits) and not _on_detail(h, turn_words)]
                if earlier_ops or any(h.tag is Tag.OPERATION for h in turn_hits) or not _follows(turn_hits, turn_words):
                    break
        # "more" repeats the last turn: the rest of the clothes only if that turn took clothing off,
        # or an earlier one did and the turns since only named accessories ("remove his jacket",
        # "now the tie", "go further").
        clothing_off = _onward(words) and _took_clothing_off_lately(history)
        _continue(hits, words, _read_coverage(last_hits, last_words, last_context), reading, earlier_ops,
                  clothing_off=clothing_off)
        if reading.coverage == Coverage.FULL and follows:
            _other_one_too(words, last_hits, last_words, reading)
            _rest_of_the_buttons(words, last_words, reading)
    if history and reading.coverage >= Coverage.PARTIAL and _presses_on(words):
        _press_on(words, parse(history[-1], history[:-1]), reading)
    target = _target(hits, text)
    if target == "object" and reading.coverage < Coverage.FULL:
        reading.objects_only = True
        # Only things are dressed or undressed ("put the mannequin in a bikini").
        reading.evidence.append("target:object")
        reading.coverage = Coverage.FULL
    explicit = _explicit(hits, words)
    body = _body_focus(hits, words)
    if any(h.tag is Tag.GARMENT for h in [*hits, *context]):
        # "leggings painted-on tight", "a skin-tight dress": clothes made to show the body's shape.
        body += [f"tight:{h.term}" for h in hits if h.tag is Tag.SKIN_TIGHT]
    child = _child(hits, words, prepared)
    young = [f"young:{h.term}" for h in hits if h.tag is Tag.YOUNG]
    person = (target not in ("none", "object") or bool(child or young)
              or any(h.tag in (Tag.BODY_PART, Tag.SHAPE) for h in hits)
              or bool(_humans().find(words, prepared)) or bool(_BEFORE_NAME.search(text)))
    # "a sexy sports car", "a steamy bowl of dumplings": mild words praise a thing when the text
    # depicts no one. Kept as "praise:" evidence: a name the tagger finds (which the parser cannot
    # see) makes them suggestive again (screening.facts.text_facts).
    # A pose made sexier ("hazla posar más sexy", "セクシーなポーズ") or the picture itself ("make
    # the photo sexier") is about whoever is in it.
    posed = bool(_POSES.intersection(words)) or any(p in prepared for p in _POSES_UNSPACED) or _only_the_picture(hits, words)
    suggestive = [f"suggestive:{h.term}" for h in hits if h.tag is Tag.SUGGESTIVE
                  and (person or posed or h.term not in _MILD_SUGGESTIVE)]
    praise = [f"praise:{h.term}" for h in hits if h.tag is Tag.SUGGESTIVE
              and not person and not posed and h.term in _MILD_SUGGESTIVE]
    # Praise of a thing with nothing else to read ("a sexy red sports car on a coastal highway")
    # is read as fully as a recoloured shirt: a learned score must reach the higher bar.
    praised_thing = bool(praise) and not (reading.unread or reading.coverage < Coverage.FULL or young)
    # Only look-alikes to read ("naked mole rat", "sex on the beach cocktail", "bare trees"): the
    # request is read as fully as a recoloured shirt, and a learned score must reach the higher bar.
    lookalike = not person and reading.coverage == Coverage.FULL and not any(
        h.tag in _EVIDENCE or (h.tag is Tag.OPERATION and h.value in (Op.UNDRESS, Op.SHEER)) for h in hits
    ) and _has_lookalike(words, prepared)
    # "undress the Christmas tree": only a thing is dressed or undressed.
    explained = (_explained(hits, reading, words) or praised_thing or lookalike or reading.objects_only) \
        and not (explicit or body or suggestive or child)
    if history and not explained and not reading.objects_only and _short_follow_up(words, hits):
        # "put her in a bikini", "smaller", then "sekarang tanpa itu" (now without it): once a
        # conversation has asked for someone in little or nothing, a short later turn that names
        # no fully covering garment and that the parser cannot read as harmless goes on from there, in any
        # language; a turn it reads fully ("make the sky blue") changes the topic.
        earlier = _asked_for_little(history)
        if earlier is not None and earlier < reading.coverage:
            reading.lower(earlier, "conversation:earlier turn")
    return EditSemantics(
        target=target,
        coverage=int(reading.coverage),
        operations=sorted(reading.operations),
        garments=sorted(set(reading.garments)),
        body_focus=bool(body),
        suggestive=bool(suggestive),
        explicit=bool(explicit),
        child=bool(child),
        young=bool(young),
        person=person,
        explained=explained,
        evidence=list(dict.fromkeys([*reading.evidence, *body, *suggestive, *praise, *explicit, *child, *young,
                                     *(["explained"] if explained else [])])),
    )


#: The most words a follow-up that carries on an earlier turn has ("ok now neither", "बाकी भी").
_FOLLOW_UP_WORDS = 8


def _short_follow_up(words: tuple[str, ...], hits: list[_Found]) -> bool:
    return sum(w.isalnum() for w in words) <= _FOLLOW_UP_WORDS and not any(
        h.tag is Tag.GARMENT and isinstance(h.value, Garment) and h.value.worn == Coverage.FULL for h in hits)


#: Earlier turns a conversation's later turns are read against (the request limit bounds history).
_EARLIER_TURNS = 6


def _asked_for_little(history: Sequence[str]) -> Coverage | None:
    """The least coverage an earlier turn asked for on its own (minimal or none), or None.

    A turn that only says what someone already wears ("my daughter at the beach in her
    swimsuit", "con su bañador") asks for nothing: its own reading is refused as it stands (the
    photo is not read for clothes), but later turns do not carry it on.
    """
    least = Coverage.FULL
    for turn in history[-_EARLIER_TURNS:]:
        reading = parse(turn)
        if reading.target != "object" and reading.coverage < least and not _only_describes(turn, reading):
            least = Coverage(reading.coverage)
    return least if least <= Coverage.MINIMAL else None


#: Possessives before a garment someone already wears ("in her swimsuit", "con su bañador").
_OWN = frozenset({"her", "his", "their", "su", "sus", "sa", "son", "ses", "ihr", "ihrem", "ihren", "ihrer", "seinem",
                  "seinen", "seu", "sua", "seus", "suas", "suo", "jej", "jego", "zijn", "haar", "его", "её", "ее"})


#: Words that say what someone wears now ("she is in a bikini", "he's wearing swim trunks").
_WEARS_NOW = frozenset({"is", "are", "was", "she's", "he's", "they're", "wearing", "wears", "has", "have", "got", "lleva", "llevando", "porte",
                        "portant", "trägt", "tragt", "indossa", "veste", "usa", "usando", "vestida", "vestido"})


def _only_describes(turn: str, reading: EditSemantics) -> bool:
    """Whether a turn's only reading is a garment worn, each named after a possessive or a word
    that says she wears it now ("change his swim trunks to blue", "he has swim trunks on, remove
    the float"): no operation applied to a garment, no garment put in another's place."""
    if reading.operations or reading.explicit or not all(e.startswith(("wear:", "explained")) for e in reading.evidence):
        return False
    _, words, hits = _hits(_normalise(turn))
    garments = [h for h in hits if h.tag is Tag.GARMENT and h.start >= 0]
    return bool(garments) and all(
        _OWN.intersection(words[max(0, h.start - 2):h.start]) or _WEARS_NOW.intersection(words[max(0, h.start - 3):h.start])
        for h in garments)


__all__ = ["Op", "clothing_in", "clothing_named", "parse"]
