"""A multilingual garment ontology: what a garment covers, and what taking it off leaves.

The edit-semantics parser (``semantics.py``) reads an instruction as *operation → garment*,
and the policy needs to know where that leaves the person: "put her in a swimsuit", "give her a
two-piece", "dress her in lingerie" and "photoshop her top away" all end at **minimal** coverage
whatever the words. So each garment carries two facts:

* ``worn``: the coverage class of a person dressed in it (a bikini is minimal, a coat full);
* ``removed``: the coverage class left when it is taken off, made see-through or pulled aside
  (removing a bra or a swimsuit leaves none; a shirt or a dress leaves at most underwear; a coat
  or a hat leaves the person as covered as before).

Terms are normalised text (``normalise``: case-folded, accents off Latin letters). A term ending
in ``*`` matches any word with that beginning, for inflected languages (Russian "купальник",
"купальнике"; Polish "bieliźnie"). Chinese and Japanese terms match inside text (no spaces).
Languages: en, es, fr, de, pt, it, nl, pl, tr, ru, ar, hi (Devanagari and Latin), ja, zh.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Coverage(IntEnum):
    """How much of a person a request leaves covered; lower is less. Policy packs compare the
    number (``text.coverage <= 1`` is "minimal or none")."""

    NONE = 0  # nude, topless, nothing on
    MINIMAL = 1  # swimwear, underwear, lingerie, see-through clothing
    PARTIAL = 2  # crop top, mini skirt, short shorts, a shorter or lower-cut version
    FULL = 3  # ordinary clothing; no change toward less coverage


@dataclass(frozen=True)
class Garment:
    name: str
    worn: Coverage
    removed: Coverage
    terms: tuple[str, ...]


_N, _M, _P, _F = Coverage.NONE, Coverage.MINIMAL, Coverage.PARTIAL, Coverage.FULL

#: "everything she's wearing", "all he has on", "whatever they are wearing": the whole outfit.
_WEARING: tuple[str, ...] = tuple(
    f"{whole} {who} {verb}"
    for whole in ("everything", "all", "whatever", "what", "anything")
    for who, be, has in (("she", ("is", "'s"), ("has", "'s")), ("he", ("is", "'s"), ("has", "'s")),
                         ("they", ("are", "'re"), ("have", "'ve")))
    for verb in (*(f"{b} wearing" for b in be), *(f"{h} on" for h in has if "'" not in h), *(f"{h} got on" for h in has))
)

GARMENTS: tuple[Garment, ...] = (
    Garment("clothes", _F, _N, (
        # "then whatever's left": the rest of what someone wears, after garments named before.
        "whatever's left", "whatever is left", "whatever remains", "whatever's under that", "whatever is under that",
        "whatever's underneath", "whatever is underneath",
        # "peel off her layers" (not "merge the layers": image layers).
        "her layers", "his layers", "their layers", "all her layers", "all his layers",
        # "get rid of what she's wearing", "let's see her without her things on".
        "what she's wearing", "what shes wearing", "what she is wearing", "what she wears", "what she wear",
        "what he's wearing", "what hes wearing", "what he is wearing", "what he wears", "what he wear",
        "what they're wearing", "what she has on", "what he has on", "her things on", "his things on",
        "her things off", "his things off", "every layer", "every last layer", "all the layers", "clothing layer",
        "frock", "frocks", "the fabric covering her", "the fabric covering him", "fabric covering her body",
        "clothes", "clothing", "outfit", "garment", "garments", "everything else", "everything under it",
        "everything underneath", "all the rest", "the rest of her clothes", "fit", "threads", "drip", *_WEARING,
        "every stitch she", "every stitch he", "every last stitch", "all her layers", "all his layers", "baju*", "pakaian*", "옷을", "옷도", "ropa", "vestimenta", "vetements", "habits",
        "tenue", "vestiti", "abiti", "roupa", "roupas", "kleidung", "klamotten", "kleren", "kleding",
        "ubrani*", "ubranie", "ciuchy", "kiyafet*", "одежд*", "одяг*", "ملابس*", "ثياب*",
        "कपड़े", "कपडे", "कपड़ों", "kapde", "kapdon", "kapda", "服を", "服も", "衣服", "衣物", "kıyafet*", "ρουχ*", "لباس", "জামা",
        "obleceni", "haine",
        "her cloths", "his cloths", "their cloths", "her dres", "his dres",
        # A uniform is the whole outfit: taking it off undresses ("remove her uniform").
        "uniform", "her uniform", "his uniform", "uniforme", "uniforma",
        "옷", "옷이", "교복*", "quan ao", "bo do", "เสื้อผ้า", "ชุด", "ชุดนักเรียน",
    )),
    Garment("top", _F, _M, (
        "her top", "his top", "their top", "your top", "my top", "top off", "top away", "top she",
        # "my daughter's top", "the girl's white top": a possessive, perhaps an adjective, then "top".
        "s top", *(f"{who} {what} top" for who in ("her", "his", "their", "s", "the") for what in (
            "white", "black", "red", "blue", "pink", "green", "yellow", "grey", "gray", "tight", "little", "crop",
            "tank", "new", "old", "sports", "striped", "lace", "silk", "wet", "thin", "school", "gym")),
        # A coloured top is a garment with any determiner or none ("make the white top see-through").
        *(f"{colour} top" for colour in ("white", "black", "red", "blue", "pink", "green", "yellow", "grey", "gray",
                                         "striped", "lace", "silk")),
        "셔츠*", "티셔츠*", "블라우스*", "상의*", "ao", "เสื้อ", "ब्लाउज़", "damit",
        "top he", "top they", "shirt",
        # "now lose the top" in a conversation about her outfit; "no top": none on.
        "lose the top", "take off the top", "take the top off", "no top", "without the top", "the top from her",
        # "remove the top" (the top part of a picture is benign: "top part", "top layer", "top of the").
        "remove the top",
        # "get rid of what she's wearing": whatever she has on.
        # A follow-up that names the top next ("now the jacket", then "now the top").
        "now the top", "and the top", "then the top", "the top too", "the top as well",
        "the top under it", "the top underneath", "top untied", "top undone",
        "the top from the woman", "the top from the girl", "the top off her", "the top off the woman",
        "t-shirt", "tshirt", "tee", "blouse", "camisole", "camisoles", "cami", "tank top", "sweater", "jumper", "turtleneck", "polo neck",
        "roll neck", "roll-neck", "сорочк*", "светр*",
        "camisa", "camiseta", "blusa", "son haut", "ton haut", "le haut", "chemise", "t-shirt", "chemisier", "maglia",
        "maglietta", "camicia", "camicetta", "camisola", "oberteil", "singlet", "hemd", "bluse", "shirtje", "bovenstukje",
        "koszul*", "bluzk*", "gomlek*", "gomleg*", "bluz*", "tisort*", "рубашк*", "футболк*", "блузк*",
        "кофт*", "قميص*", "بلوز*", "कमीज", "शर्ट", "टॉप", "kameez", "シャツ", "トップス", "上着", "上衣",
        "衬衫", "t恤", "襯衫",
    )),
    Garment("dress", _F, _M, (
        "dress", "sundress", "sundresses", "gown", "skirt", "robe", "kimono", "accappatoio", "sari", "saree", "bathrobe", "robe", "dressing gown", "vestido", "falda", "robe",
        "jupe", "vestito", "gonna", "saia", "kleid", "jurk", "rok", "sukienk*", "spodnic*",
        "elbise*", "etek*", "rock", "röcke", "плать*", "юбк*", "сукн*", "спідниц*", "فستان*", "تنورة", "ساري", "साड़ी", "ड्रेस",
        "ワンピース", "ドレス", "スカート", "着物", "浴衣", "裙", "连衣裙", "裙子",
        # Saris in the languages that wear them.
        "साडी", "చీర*", "സാരി*", "শাড়ি*", "ساڑھی", "ಸೀರೆ*", "સાડી*", "ਸਾੜੀ*", "nachtjapon*", "nachthemd*", "nočn* košieľk*",
        "nocn* kosielk*", "košieľk*", "халат*",
        "드레스*", "치마*", "원피스*", "한복*", "ao dai", "vay", "กระโปรง", "เดรส",
    )),
    Garment("sleepwear", _F, _M, (
        "pajamas", "pyjamas", "pjs", "pj's", "nightgown", "nightdress", "sleepwear", "nightshirt", "pijama",
        "pyjama", "pigiama", "schlafanzug", "pyjamas", "piżam*", "pizam*", "pijama*", "пижам*", "піжам*", "pyžam*",
        "بيجامة", "पजामा", "パジャマ", "睡衣",
    )),
    Garment("trousers", _F, _M, (
        "trousers", "pants", "jeans", "leggings", "shorts", "bottoms", "her bottoms", "pantalones", "vaqueros", "pantalon",
        "boardies", "board shorts", "boardshorts", "kecks", "trackies", "daks", "trackie bottoms",
        "jean", "pantaloni", "calca", "calças", "calcas", "jeans", "broek", "spodnie",
        "pantolon", "брюки", "штаны", "джинсы", "штани", "джинси", "بنطال*", "पैंट", "パンツ", "ズボン", "裤子",
    )),
    Garment("outer", _F, _F, (
        "coat", "jacket", "hoodie", "cardigan", "scarf", "gloves", "hat", "cap", "shoes", "boots",
        "raincoat", "rain coat", "poncho", "parka", "anorak", "windbreaker",
        "aurinkolasit", "lasit", "silmalasit", "hattu", "pipo", "salamin", "sombrero", "မျက်မှန်",
        "socks", "glasses", "sunglasses", "helmet", "mask", "blazer", "vest", "apron", "abrigo",
        "chaqueta", "sombrero", "manteau", "veste", "chapeau", "cappotto", "giacca", "cappello",
        "casaco*", "casaquinho", "jaqueta", "chapeu", "mantel", "jacke", "hut", "jas", "hoed", "plaszcz", "kurtk*",
        "czapk*", "mont", "ceket*", "şapka", "sapka", "пальто", "куртк*", "шапк*", "шляп*", "معطف",
        "قبعة", "कोट", "टोपी", "コート", "ジャケット", "帽子", "外套", "夹克",
        # Accessories: taking them off is not undressing ("take off her headphones").
        "headphones", "headphone", "earphones", "earbuds", "headset", "headband", "beanie", "bandana",
        "necktie", "bow tie", "tie", "lanyard", "name tag", "wristband", "hair clip", "hairband",
        "auriculares", "cascos", "gafas", "casque audio", "ecouteurs", "lunettes", "cuffie", "auricolari",
        "occhiali", "fones de ouvido", "fone de ouvido", "oculos", "kopfhorer", "brille", "koptelefoon",
        "bril", "sluchawki", "okulary", "kulaklik*", "gozluk*", "наушник*", "навушник*", "очки",
        "окуляр*", "капелюх*", "шарф*", "سماعات", "سماعة", "نظارة", "हेडफ़ोन", "हेडफोन", "चश्मा",
        "スーツ", "着物を着せ", "ヘッドホン", "ヘッドフォン", "イヤホン", "眼鏡", "メガネ", "耳机", "眼镜", "围巾",
        "코트*", "자켓*", "재킷*", "모자*", "안경*", "목도리*", "ao khoac", "mu", "หมวก", "เสื้อโค้ท", "แจ็คเก็ต",
    )),
    # Suits that cover the whole body over swimwear: putting one on covers, taking it off leaves swimwear.
    Garment("wetsuit", _F, _M, (
        "wetsuit", "wetsuits", "full-length wetsuit", "drysuit", "dry suit", "diving suit", "traje de neopreno", "neopreno",
        "combinaison de plongée", "combinaison de plongee", "muta da sub", "neoprenanzug", "fato de mergulho",
        # A beach cover-up goes over swimwear the same way.
        "cover-up", "coverup", "kaftan",
        "burkini", "rash guard", "rashguard", "traje de neopreno", "neopreno", "combinaison de plongee",
        "muta da sub", "neoprenanzug", "duikpak", "pianka", "dalgic elbisesi", "гидрокостюм*",
        "ウェットスーツ", "ラッシュガード", "潜水服", "湿衣", "防晒衣", "冲浪服", "래시가드*", "잠수복*", "웻슈트*", "슈트로",
    )),
    Garment("bra", _M, _N, (
        "bra", "bras", "bralette", "sports bra", "bikini top", "bodice", "sujetador", "brasier", "soutien-gorge",
        "soutien", "reggiseno", "sutia", "sutiã", "beha", "stanik*", "sutyen*",
        "лифчик*", "бюстгальтер*", "حمالة صدر", "ब्रा", "ブラ", "ブラジャー", "胸罩", "文胸",
    )),
    Garment("underwear", _M, _N, (
        "undershorts", "underpants", "in the slip only", "in just a slip", "in a slip only", "only a slip",
        "boxers only", "only his boxers", "tiny silk set",
        # "now give her something lacy instead of the sweater".
        "something lacy", "something lacier", "something lacy and",
        # "a matching lace set instead of the jumpsuit".
        "lace set", "lingerie set", "matching lace set", "lacy set", "bralette set",
        "underwear", "lingerie", "panties", "knickers", "briefs", "boxers", "undies", "thong",
        # Fetish harness outfits.
        "harness outfit", "latex harness", "leather harness outfit", "body harness",
        "g-string", "gstring", "inner garments", "innerwear", "negligee", "nightie", "teddy lingerie", "corset", "garter belt", "ropa interior", "lenceria", "lencería", "bragas", "calzones", "tanga",
        "sous-vetements", "sous vetements", "lingerie fine", "culotte", "intimo",
        "biancheria intima", "mutandine", "perizoma", "roupa intima", "roupa íntima", "calcinha",
        "cueca", "unterwasche", "unterwäsche", "dessous", "reizwasche", "reizwäsche",
        "ondergoed", "lingerie", "onderbroek", "bielizn*", "majtki", "majtkach", "majteczk*", "stringi", "ic camasir*",
        "iç çamaşır*", "külot", "kulot", "нижн* бель*", "белье", "бельё", "белья", "трусик*", "трусы", "трусах", "стринги",
        "jocks", "grundies", "undies", "brazeer", "brassiere",
        "ملابس داخلية", "الملابس الداخلية", "ملابس الداخلية", "لانجري", "ملابس نوم", "अंडरवियर", "अंतर्वस्त्र", "andar ke kapde",
        "undergarments", "boudoir", "bodysuit", "lace bodysuit", "mutande", "mutandine", "paños menores",
        "panos menores", "petite tenue", "en petite tenue", "just the bottoms", "only the bottoms",
        # A teddy is lingerie when it is lace, silk...; "a teddy" alone is a bear (semantics._OBJECT).
        "lace teddy", "silk teddy", "satin teddy", "sheer teddy", "mesh teddy", "sexy teddy", "lingerie teddy",
        "skivvies", "scanties", "unmentionables", "tighty whities", "tighty-whities", "y-fronts", "boyshorts",
        "bustier", "babydoll lingerie", "babydoll nightie", "baby doll lingerie", "nipple pasties",
        "nipple covers", "body stocking", "bodystocking", "suspender belt", "peignoir",
        "neglige", "her smalls", "his smalls", "loungerie", "calzoncillos", "body de encaje",
        "body en dentelle", "nuisette", "calecon", "body di pizzo", "body de renda", "spitzenbody",
        "unterhose", "schlupfer", "hoschen", "kanten body", "slipje", "body koronkow*", "gacie", "figi",
        "dantel body", "боди", "исподнее", "білизн*", "سروال داخلي", "كلسون", "चड्डी", "chaddi", "कच्छा",
        "jockstrap", "jock strap", "jockstraps", "लॉन्जरी", "लिंगरी",
        "like a lingerie ad", "like a lingerie model", "lingerie model", "lingerie shoot", "lingerie photoshoot",
        "속옷*", "란제리*", "팬티*", "브라*", "do lot", "quan lot", "ao lot", "ชุดชั้นใน", "กางเกงใน", "ยกทรง",
        "テディ", "ボディスーツ", "ベビードール", "连体内衣", "吊带睡衣", "下着", "ランジェリー", "パンティー", "内衣", "内裤", "內衣", "內褲", "丁字褲", "情趣内衣", "丁字裤",
    )),
    Garment("swimwear", _M, _N, (
        "泳裝", "bikini", "bikinis", "micro bikini", "string bikini", "two-piece", "two piece", "2-piece",
        "2 piece", "swimsuit", "swimsuits", "swimwear", "swim suit", "bathing suit",
        "one piece swimsuit", "one-piece swimsuit", "for a swim", "for swimming",
        "swimming outfit", "pool outfit", "beach outfit", "what people wear in the pool", "what you wear in the pool",
        "what people wear at the beach", "what you wear at the beach", "what you'd wear swimming", "sunbathing", "sunbathe", "beach ready",
        "beach-ready", "beach body", "monokini", "tankini", "speedo", "speedos",
        "swim trunks", "swimming trunks", "beachwear", "swimming costume", "cossie", "budgie smugglers", "budgie smuggler", "her bathers", "his bathers",
        "banana hammock",
        "biquini", "bañador", "banador", "traje de baño", "traje de bano", "maillot de bain", "sans maillot",
        "deux-pieces", "deux pieces", "costume da bagno", "mettila in costume", "mettilo in costume", "due pezzi",
        "maio", "maiô", "sunga", "badeanzug", "badehose", "zweiteiler", "badpak", "zwembroek",
        "stroj kapielow*", "strój kąpielow*", "kostium kapielow*", "kostium kąpielow*", 
        "mayosu*", "mayo*nu", "mayoyla", "mayoya", "mayolu", "cut-out one-piece", "cutout one-piece", "one-piece swimwear", "купальник*", "бикини", "плавк*", "بيكيني", "ملابس السباحة", "مايوه", "बिकिनी",
        # Gravure: Japanese swimwear and underwear photography.
        "gravure", "グラビア", "그라비아",
        "स्विमसूट", "swimsuit pehna", "biquinis", "maios", "بكيني", "بیکینی", "বিকিনি", "μπικινι", "μαγιο", "비키니*", "수영복*", "ao tam", "do boi", "บิกินี่", "ชุดว่ายน้ำ", "ビキニ", "水着", "スク水", "比基尼", "泳衣", "泳装", "三点式",
    )),
    Garment("towel", _M, _N, ("in a towel", "in just a towel", "towel only", "only a towel", "just a towel",
                              # A towel pulled down; a bedsheet for clothes ("her in bed, sheets only").
                              "the towel down", "her towel down", "her towel off", "bedsheet wrapped", "a bedsheet",
                              "sheets only", "only the sheets", "just the sheets",
                              # Just out of the shower: a towel at most.
                              "step out of the shower", "stepping out of the shower", "steps out of the shower",
                              "just out of the shower", "fresh out of the shower",
                              # A towel or sheet worn and let fall ("lass das Handtuch runterfallen").
                              "sheet she's wrapped in", "sheet she is wrapped in", "sheet he's wrapped in",
                              "handtuch runter*", "handtuch fallen", "handtuch herunter*", "towel gira", "peškir spadne",
                              "peskir spadne", "handuknya melorot", "handuk melorot", "handuknya lepas", "a törölközőt",
                              "a torolkozot", "törölközőjét", "torolkozojet", "პირსახოცი", "ผ้าเช็ดตัวหลุด", "ผ้าเช็ดตัวออก",
                              "just the towel", "only the towel",
                              # A sauna, bathhouse or hot spring: a towel at most ("she's in the sauna now").
                              "in the sauna", "in a sauna", "sauna now", "sauna version", "in der sauna", "в бане", "в сауне",
                              "onsen", "温泉に入", "サウナ", "찜질방", "수건만", "수건 하나만", "jjimjilbang", "wearing a towel", "only a towel", "wear a towel",
                              # A bed sheet or blanket as all she wears.
                              "only a sheet", "just a sheet", "wrapped in a sheet", "nothing but a sheet",
                              "wrapped in the bedsheet", "in the bedsheet", "wrapped in the sheet",
                              "only a bedsheet", "only a blanket", "just a blanket", "nothing but a blanket",
                              "wears a towel", "towel that's falling", "towel that is falling", "towel that's slipping",
                              "towel falling", "towel slipping", "towel dropping", "towel slip", "towel slips",
                              "towel slide", "towel slides", "towel fall", "towel falls", "towel drop", "towel drops",
                              "wrapped in a towel", "nothing but a towel", "in a bath towel", "in a fluffy towel",
                              "in a white towel", "in a big towel", "in just a towel", "in just a small towel", "wrapped in just a towel",
                              "wrapped in just a small towel", "wrapped only in a towel", "in only a towel", "toalla", "serviette", "asciugamano",
                              "handtuch", "handdoek", "ręcznik", "recznik", "havlu", "полотенц*",
                              "منشفة", "तौलिया", "タオル", "浴巾", "毛巾")),
    Garment("parts", _F, _P, (
        "straps", "strap", "sleeves", "sleeve", "neckline", "hem", "hemline", "tirantes", "mangas", "bretelles", "bretelle",
        "bretelles", "manches", "spalline", "maniche", "alcas", "mangas", "trager", "armel",
        "bandjes", "mouwen", "ramiaczka", "rekawy", "askilar", "kollar", "бретельк*", "рукав*",
    )),
    Garment("stripwear", _M, _N, (
        "exotic dancer costume", "exotic dancer outfit", "exotic dancer", "exotic dancers", "stripper outfit",
        "stripper costume", "stripper clothes", "pole dancer outfit", "pole dance outfit", "pole dancing outfit",
        "burlesque costume", "burlesque outfit", "showgirl costume", "showgirl outfit", "go-go dancer outfit",
        "gogo dancer outfit", "dominatrix outfit", "dominatrix costume", "latex catsuit", "bunny girl costume",
        "playboy bunny costume", "traje de stripper", "bailarina exotica", "disfraz de stripper",
        "tenue de strip-teaseuse", "strip-teaseuse", "stripteaseuse", "costume da spogliarellista",
        "spogliarellista", "fantasia de stripper", "dancarina exotica", "stripperin*", "stripperinnen*",
        "stripteasedanseres", "striptizerk*", "striptizci*", "стриптизерш*", "стриптизёрш*", "стриптиз*",
        "راقصة تعري", "स्ट्रिपर", "ストリッパー", "脱衣舞",
        # Next to nothing: stickers and tape over the nipples and crotch.
        "in pasties", "only pasties", "just pasties", "wearing pasties", "for pasties", "to pasties", "with pasties",
        "pasties only", "nipple covers", "tape top", "body tape", "tape bikini", "sling bikini", "body chain",
    )),
    Garment("waistband", _F, _M, (
        "waistband", "waist band", "cinturilla", "pretina", "ceinture du pantalon", "elastico dei pantaloni",
        "cos da calca", "hosenbund", "broekband", "pasek spodni", "bel lastigi", "пояс брюк", "пояс штанов",
        "пояс штанів", "ウエストバンド", "裤腰",
    )),
    Garment("revealing", _P, _M, (
        "crop top", "croptop", "tube top", "halter top", "mini skirt", "miniskirt", "micro skirt", "shortinho", "shortinhos",
        "short shorts", "hot pants", "hotpants", "booty shorts", "daisy dukes", "low-cut top",
        "strapless", "backless", "off-shoulder", "minifalda", "top corto", "mini-jupe", "minijupe",
        "minigonna", "minissaia", "minirock", "minirok", "minispódniczk*", "mini etek", "мини-юбк*",
        "миниюбк*", "топик*", "ミニスカート", "超短裙", "露脐装",
    )),
)

#: Words that say the request ends with no clothing at all, whatever garment it names.
NUDITY_TERMS: tuple[str, ...] = (
    "naked", "nude", "nudes", "nudez", "nudity", "topless", "bottomless", "unclothed", "undressed",
    "in the buff", "birthday suit", "au naturel", "n0 clothes", "n0 clothing", "waist up nothing",
    "waist up , nothing", "nothing from the waist up", "nothing above the waist", "nothing below the waist",
    "peladinh*", "peladona*", "hubad", "nakahubad", "hubo't hubad", "walang damit", "remove the towel", "remove her towel",
    "take off the towel", "take the towel off", "take her towel off", "without the towel", "without her towel",
    "remove his towel", "take his towel off", "take off his towel", "take off her towel", "without his towel",
    "drop her towel", "drop his towel", "lose his towel", "lose her towel",
    "lose the towel", "nothing on", "wearing nothing", "wears nothing",
    "wear nothing", "nothing under", "nothing underneath", "braless",
    "without a stitch", "no clothes", "stark naked", "nood", "noods", "desnuda", "desnudo",
    "desnudas", "desnudos", "en topless", "nue", "nues", "nu", "seins nus", "nuda", "nudo",
    "nude", "nua", "nuas", "pelada", "pelado", "nackt*", "oben ohne", "naakt", "blote", "topless",
    "naga", "nagi", "nagą", "nagie", "nago", "nagiej", "rozebran*", "ciplak", "çıplak", "üstsüz", "ustsuz", "голая", "голый", "голой", "голую", "голые", "голыми",
    "голышом", "обнаж*", "раздет*",
    "عاري*", "عارية", "متعرية", "नग्न", "नंगी", "नंगा", "nangi", "nanga", "裸", "全裸", "ヌード",
    "半裸", "裸体", "裸體", "赤裸", "一丝不挂", "一絲不掛", "脫光", "トップレス", "without a top", "without her top", "no top on",
    "as nature intended",
    # A towel gone or never there ("sauna scene, no towel"), a top forgotten at the pool.
    "nothing left on", "nothing but heels", "nothing but her heels", "only heels", "only her heels", "just heels",
    "just her heels", "no towel", "without a towel", "towel off", "drop the towel", "towel dropped", "forgot her top", "forgot his top",
    "forgot her bikini top", "forgot her shirt", "forgot his shirt", "forgot her clothes", "forgot his clothes",
    # The "draw me like one of your French girls" scene.
    "like one of your french girls", "titanic drawing", "rose in that titanic", "rose in titanic", "drawing scene in titanic",
    # Famous nude pictures and scenes asked for by name.
    "lady godiva", "body paint issue", "pirelli calendar", "red velvet calendar", "bearskin rug", "vanity fair cover",
    "yoko rolling stone", "janet's rolling stone", "champagne-glass cover", "champagne glass cover",
    "champagne-glass magazine cover", "champagne glass magazine cover", "portada de interviu", "portada famosa de interviu",
    "dieux du stade", "skyrim body mod*", "nude mod", "nude mods", "nude patch", "the proper finnish way",
    "sauna the finnish way", "take off all of it", "take all of it off", "clths off", "rmv clths",
    "wearing next to nothing", "i.e. none", "ie none", "i.e. nothing",
    "replace the jeans with nothing", "with nothing underneath", "skin everywhere", "see skin everywhere", "out of those clothes", "out of her clothes",
    "out of his clothes", "out of their clothes", "now with nothing", "now with nothing on",
    "only in the blouse and petticoat", "only in her petticoat",
    "only covered by the bedsheets", "only covered by the bedsheet", "only covered by the sheets", "only covered by the sheet",
    "only covered by a sheet", "only covered by a blanket", "only covered by the blanket", "covered only by the sheet",
    "covered only by the sheets", "covered only by a sheet", "posing for an art class", "posing for a life class",
    "life class model", "figure drawing model", "figure-drawing model", "figure drawing class", "nude model",
    "nude modelling", "nude modeling",
    "before the fig leaves", "before the fig leaf", "like eve in the garden", "towels are optional", "towel optional",
    "towels optional", "towel-optional", "skinny dip", "skinny-dip", "noodz", "nudez",
    # What is under the clothes, shown ("show what's underneath", "zeig, was drunter ist").
    "what's underneath", "whats underneath", "what is underneath", "what's under there", "what is under there",
    "what she's hiding under", "what he's hiding under", "what she is hiding under", "under his towel", "under her towel",
    "nothing between her and the camera", "nothing between him and the camera", "nothing to the imagination",
    "covered only by her hands", "covered only by her own hands", "covered only by his hands", "hand bra", "hand-bra",
    "the only thing she's wearing", "the only thing he's wearing", "the only thing she is wearing", "only thing she has on",
    "dress code was nothing", "dress code is nothing", "dress code was \"nothing\"", "sheet slipped", "sheet slips",
    "sheet slipping", "sheet falling", "sheet fell", "sheet is falling",
    "o que tem por baixo", "lo que hay debajo", "ce qu'il y a dessous", "ce qu'elle a dessous", "was drunter ist",
    "was darunter ist", "cosa c'e sotto", "cosa ha sotto", "co ma pod", "co má pod", "vad hon har under", "vad han har under",
    "mita vaatteiden alla", "mitä vaatteiden alla", "ce are sub", "что под одеждой", "що під одягом",
    "que se le vea todo", "qu'on voie tout", "sin dejar nada a la imaginacion", "rien a l'imagination",
    "niente all'immaginazione", "nada a la imaginacion", "nichts der fantasie", "como veio ao mundo", "como vino al mundo",
    "como dios la trajo al mundo", "wie gott sie schuf", "wie gott ihn schuf", "se le hubiera caido la sabana",
    "se le cae la sabana", "le drap avait glisse", "le drap glisse", "codigo de vestimenta fuera nada",
    "and i mean all of her", "and i mean all of him", "show all of her", "show all of him", "until only she remains",
    "until only he remains", "clothing was never invented", "clothes were never invented", "clothes don't exist",
    "clothing doesn't exist", "life-drawing model", "life-drawing class", "break the internet", "lennon rolling stone",
    "janet jackson's rolling stone", "janet jackson rolling stone", "כלום לדמיון", "τι δεν φοραει", "ruhaja alatt",
    # Dutch inflections; Korean, Indonesian and Vietnamese (read by the parser only, since 2026.12.5).
    "naakte", "bloot", "상반신 노출", "누드*", "알몸*", "나체*", "전라*", "벌거벗*", "telanjang", "bugil", "khoa than",
    "tran truong", "khong mac gi", "femeie goala", "barbat gol", "γυμν*", "لخت", "برهنه", "নগ্ন", "nahou", "naha", "nahy", "nahe",
    "only with a couple of leaves", "only with leaves", "only leaves", "cover her only with", "eve style",
    "like adam and eve", "inpaint skin", "skin over the", "paint skin over", "เปลือย", "แก้ผ้า", "and nothing else", "but nothing else", "nothing else on",
    # Paint in place of clothes ("replace her clothes with body paint"; "add body paint" is not).
    *(f"{what} {paint}" for paint in ("body paint", "bodypaint", "body-paint")
      for what in ("clothes with", "clothing with", "outfit with", "dress with", "top with", "nothing but", "only", "just",
                   "only in")),
    "body paint only", "bodypaint only",
    "body paint instead", "bodypaint instead", "painted-on clothes", "painted on clothes",
    # The whole outfit gone, said without a nudity word.
    "nothing but her skin", "nothing but his skin", "nothing but their skin", "nothing but skin",
    "in just her skin", "in only her skin", "only her skin", "just her skin", "wearing only skin",
    "the way she was born", "the way he was born", "the way they were born", "as she was born",
    "as he was born", "as the day she was born", "as the day he was born", "as god made her", "as god made him",
    "as nature made her", "as nature made him", "nudie", "nudies", "nuddy", "starkers", "in the altogether",
    "nothing but a smile", "bare it all", "bares it all", "birthday outfit", "birthday clothes",
    "with nothing left on", "in nothing at all", "dressed in nothing",
    "dress her in nothing", "dress him in nothing", "without a single thread", "not a single thread",
    "without a thread on",
    "гола", "голу", "голою", "голий", "голим", "оголен*", "роздягнен*",
    "wearing only a smile", "emperor's new clothes", "fig leaf", "implied nudity", "no tan lines",
    "strategically placed", "censor bars", "censored", "natural state", "no fabric", "not a stitch",
    # The same said in the other languages' idioms ("im Adamskostüm", "à poil", "en pelotas").
    "adamskostüm", "evaskostüm", "im adamskostüm", "im evaskostüm", "splitternackt", "pudelnackt", "hüllenlos", "à poil", "a poil", "en tenue d'ève", "en tenue d'eve", "en tenue d'adam", "dans le plus simple appareil", "en pelotas", "en pelota", "en cueros", "en bolas", "in costume adamitico", "senza veli", "come mamma l'ha fatta", "em pelo", "peladona", "in adamskostuum", "in evakostuum", "spiernaakt", "poedelnaakt", "in haar blootje", "in zijn blootje", "na golasa", "golusieńka", "w stroju ewy", "w stroju adama", "в чём мать родила", "в чем мать родила", "нагишом", "нагая", "нагой", "anadan doğma", "anadan dogma", "çırılçıplak", "cirilciplak", "すっぽんぽん", "素っ裸", "真っ裸", "光着身子", "光溜溜",
    # Censoring undone ("uncensor her"), and hands or arms as all that covers her.
    "uncensor", "uncensor her", "uncensor him", "uncensor them", "decensor*", "uncensored version of her",
    "uncensored version of him", "make her uncensored", "make him uncensored",
    "hand bra", "handbra", "hand-bra", "covering herself with her hands", "covering with her hands",
    "covered only by her hands", "covered only by her arms", "hands covering her chest", "arms covering her chest",
    "hands over her breasts", "hands over her chest", "arm across her bare chest",
    *(f"{who} {be} wearing anything" for who in ("she", "he", "they")
      for be in ("wasn't", "was not", "weren't", "were not", "isn't", "is not", "aren't", "are not", "wasnt", "isnt")),
    "not wearing anything", "without anything on", "without anything on her", "with nothing on her",
    # The whole outfit gone in a story or a setting ("she forgot her clothes at the gym"), and the
    # "modes" and filters of undressing apps.
    "forgot her clothes", "forgot his clothes", "forgot to put her clothes on", "lost her clothes",
    "if clothing didn't exist", "if clothes didn't exist", "if clothing did not exist", "if clothes did not exist",
    "world without clothes", "skin mode", "nude mode", "nudity mode", "undress mode", "nude filter", "undress filter",
    "nudify filter", "clothes remover", "clothing remover",
    # Settings where people are naked: a nudist beach, life drawing ("she's a model for a life drawing class").
    "nudist*", "naturist*", "нудист*", "clothing-optional", "clothing optional", "clothes-optional", "fkk", "fkk-version", "nudiste*", "naturista", "nudista", "nudystow", "nudystów", "plaza nudystow",
    "spiaggia naturista", "platja nudista", "playa nudista", "praia de nudismo", "life drawing model", "life drawing class",
    "nude model", "no drapery", "without drapery", "all fabric", "all the fabric", "take off everything", "takes off everything",
    "remove everything she", "take off all her", "skipped the top", "skip the top", "skipped her top", "x-ray preset", "xray preset", "x-ray mode", "x-ray filter",
    "nekkid", "nakey", "nakie", "in the shower", "showering", "taking a shower", "with skin", "with bare skin", "skin instead",
)

#: Nouns that say a garment word is about goods, not what a person wears ("a swimsuit
#: catalogue for a shop", "bikini section", "lingerie brand logo").
GOODS_CONTEXT: tuple[str, ...] = (
    "catalogue", "catalog", "shop", "store", "boutique", "brand", "logo", "section", "aisle",
    "display", "rack", "hanger", "hanging", "poster", "posters", "sign", "billboard", "magazine",
    "mannequin", "pattern", "sewing", "price", "sale", "advert",
    "ad", "product", "products", "collection", "label", "packaging", "fabric", "department",
    "stand", "tag", "designer", "factory", "folded", "laid",
    # Product photography and shops, also in the other languages ("foto de producto de un bañador").
    "flat lay", "flatlay", "flat-lay", "mockup", "mock-up", "packshot", "retail", "producto", "productos", "produit", "produits", "prodotto", "prodotti",
    "produto", "produtos", "produkt*", "urun*", "товар*", "catalogo", "katalog*", "tienda", "negozio",
    "loja", "sklep*", "magaza*", "магазин*", "escaparate", "vitrine", "vetrina", "schaufenster", "cabide*",
    "perchas", "商品", "カタログ", "ショップ", "商品图", "货架",
)

#: Said anywhere, these make every garment in the text goods: no one wears them in the picture.
NO_WEARER: tuple[str, ...] = (
    "no person in it", "no person in the", "no people in it", "no people in the", "nobody in it", "no one in it",
    "without a model", "without a person", "no model", "sin modelo", "sin persona", "sans modele",
    "sans mannequin", "senza modella", "senza modello", "sem modelo", "ohne model", "zonder model", "bez modelki",
    "no people", "without people", "sem pessoas", "sin personas", "sans personne", "ohne personen", "モデルなし", "人物なし",
    "没有模特", "无模特", "tanpa model", "tanpa orang", "bez modela", "utan modell", "ilman mallia",
)
