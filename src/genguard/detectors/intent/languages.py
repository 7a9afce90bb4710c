"""Word lists of the languages the edit-semantics parser reads from vocabulary alone.

``garments.py`` and ``semantics.py`` hold the ontology's first fifteen languages inline, each
term beside the garment or operation it names. The languages here came later, one table each:
the core words a request to undress someone needs in that language (clothes and the garments
that matter, naked, undress, take off / without, see-through and wet). Adding a language is one
entry; ``semantics._entries`` merges every table into the parser's vocabulary, under the same
garment and operation names as the inline terms, so the policy reads them the same way.

Words were written by the genguard authors from the languages themselves (including the slang
and romanised forms people type), never from an evaluation probe's lines. Terms follow
``vocabulary.Vocabulary``'s forms: a trailing ``*`` for inflected word beginnings; Arabic-script
(Urdu, Persian), Ethiopic and Hebrew words are found inside longer words (attached articles and
prepositions), so only words of three letters or more are listed in those scripts.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The concepts a table may fill: a garment of ``garments.GARMENTS`` by name, ``nudity``
#: (the request ends with nothing on), ``explicit`` (sex and pornography words), or an operation
#: of ``semantics.Op`` by value.
CONCEPTS = frozenset({"clothes", "top", "dress", "trousers", "bra", "underwear", "swimwear", "outer", "wetsuit", "towel",
                      "nudity", "undress", "remove", "sheer", "explicit"})

LANGUAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "he": {  # Hebrew (articles and prepositions attach: "בביקיני", "הבגדים")
        "clothes": ("בגדים", "בגדיה", "בגדיו", "הבגדים", "לבוש"),
        "top": ("חולצה", "חולצת", "חולצתה", "גופיה", "גופייה"),
        "dress": ("שמלה", "שמלת", "חצאית"),
        "trousers": ("מכנסיים", "מכנסי", "ג'ינס"),
        "bra": ("חזייה", "חזיה"),
        "underwear": ("תחתונים", "הלבשה תחתונה", "חוטיני", "לבני נשים"),
        "swimwear": ("ביקיני", "בגד ים", "בגד-ים"),
        "nudity": ("עירום", "עירומה", "ערום", "ערומה", "עירומים", "בלי בגדים", "ללא בגדים", "בלי כלום"),
        "undress": ("תפשיט*", "להפשיט*", "הפשיט*", "הפשט", "תפשטי"),
        "remove": ("תוריד", "תורידי", "להוריד", "תסיר", "תסירי", "להסיר", "תמחק", "בלי", "ללא"),
        "sheer": ("שקוף", "שקופה", "שקופים", "רטוב", "רטובה"),
    },
    "sv": {  # Swedish, with the Norwegian and Danish words that differ
        "clothes": ("klader*", "klaer*", "toj", "tojet", "klaedes*"),
        "top": ("troja", "trojan", "skjorta*", "blus", "blusen", "linne", "linnet", "genser*"),
        "dress": ("klanning*", "kjol", "kjolen", "kjole*", "skjort*"),
        "trousers": ("byxor*", "bukser*", "jeansen"),
        "bra": ("bh", "bh:n", "behå", "beha", "behan", "bysteholder*", "brystholder*"),
        "underwear": ("underklader*", "trosor*", "kalsong*", "stringtros*", "undertoy*", "undertoj*", "truse*",
                      "underbukser*"),
        "swimwear": ("baddrakt*", "badbyxor*", "badklader*", "badedrakt*", "badetoj*"),
        "nudity": ("naken", "nakna", "naket", "naakt", "splitternaken", "helt naken", "uten klaer", "utan klader"),
        "undress": ("kla av", "klad av", "klae av", "kle av", "klaed av", "klae hende af", "kle av henne"),
        "remove": ("ta av", "ta bort", "utan", "uten", "uden", "fjern*"),
        "sheer": ("genomskinlig*", "gjennomsiktig*", "gennemsigtig*", "blota"),
    },
    "fi": {  # Finnish
        "clothes": ("vaatteet", "vaatteita", "vaatte*", "vaatetus"),
        "top": ("paita", "paidan", "paita*", "pusero*", "toppi*"),
        "dress": ("mekko*", "mekon", "hame", "hameen", "hametta"),
        "trousers": ("housut", "housuja", "farkut", "farkkuja"),
        "bra": ("rintaliivi*", "liivit"),
        "underwear": ("alusvaatte*", "alushousu*", "pikkuhousu*", "stringi*", "alusasu*"),
        "swimwear": ("uimapuku*", "uimapuvu*", "bikinit", "bikineissa", "bikineihin", "uikkar*"),
        "nudity": ("alasti", "alaston", "alastomaksi", "alastoman", "alastomana", "ilman vaatteita", "nakuna", "naku"),
        "undress": ("riisu", "riisuu", "riisuttu", "riisuta", "riisuisi", "riisu hanet"),
        "remove": ("poista", "ota pois", "ilman"),
        "sheer": ("lapinakyv*", "markana", "marka"),
    },
    "hu": {  # Hungarian
        "clothes": ("ruhait", "ruhajat", "ruhak*", "ruhazat*", "ruhat", "ruhaja"),
        "top": ("polojat", "polot", "bluz*", "felso*"),
        "dress": ("ruha", "szoknya*"),
        "trousers": ("nadrag*",),
        "bra": ("melltarto*",),
        "underwear": ("bugyi*", "alsonemu*", "fehernemu*", "tanga*", "alsogatya*"),
        "swimwear": ("furdoruha*", "bikini*", "bikiniben", "bikinibe"),
        "nudity": ("meztelen*", "pucer*", "ruhatlan*", "anyaszult*"),
        "undress": ("vetkoztes*", "vetkoztet*", "levetkoz*", "vetkozz*"),
        "remove": ("vedd le", "vedd le rola", "tavolitsd el", "nelkul"),
        "sheer": ("atlatsz*", "vizes", "vizesse"),
    },
    "ro": {  # Romanian
        "clothes": ("hainele", "haine*", "hainel*", "imbracamint*"),
        "top": ("bluza*", "camasa*", "tricou*", "maieu*"),
        "dress": ("rochia", "rochie*", "fusta*"),
        "trousers": ("pantalon*", "blugi*"),
        "bra": ("sutien*",),
        "underwear": ("chilot*", "lenjerie intima", "lenjeria intima", "lenjerie sexy", "tanga"),
        "swimwear": ("costum de baie", "costumul de baie", "costum de plaja"),
        "nudity": ("goala", "goale", "dezgolit*", "fara haine", "fara nimic pe ea", "in pielea goala", "despuiat*"),
        "undress": ("dezbrac*", "dezbraca*"),
        "remove": ("scoate", "scoate-i", "sterge", "indeparteaza"),
        "sheer": ("transparent*", "uda", "uda leoarca"),
    },
    "sw": {  # Swahili
        "clothes": ("nguo", "nguo zake", "mavazi"),
        "top": ("shati", "blauzi", "fulana"),
        "dress": ("gauni", "sketi"),
        "trousers": ("suruali",),
        "bra": ("sidiria",),
        "underwear": ("chupi", "nguo za ndani"),
        "swimwear": ("vazi la kuogelea", "nguo za kuogelea"),
        "nudity": ("uchi", "bila nguo", "bila nguo yoyote"),
        "undress": ("mvue nguo", "vua nguo", "mvua nguo"),
        "remove": ("ondoa", "mvue", "vua", "bila"),
        "sheer": ("inayoonyesha ndani", "nguo za kuonyesha", "iliyolowa", "imelowa", "la kuonyesha mwili",
                  "kuonyesha mwili", "inayoonyesha mwili"),
    },
    "am": {  # Amharic (Ethiopic script; affixes attach, so words are found inside longer ones)
        "clothes": ("ልብሷ", "ልብሱ", "ልብሶቿ", "ልብሶች", "ልብሷን", "ልብሱን"),
        "top": ("ሸሚዝ",),
        "dress": ("ቀሚስ",),
        "trousers": ("ሱሪዋ", "ሱሪውን"),
        "bra": ("ጡት ማስያዣ", "ጡት መያዣ"),
        "underwear": ("የውስጥ ሱሪ", "ፓንት", "የውስጥ ልብስ"),
        "swimwear": ("ቢኪኒ", "የዋና ልብስ"),
        "nudity": ("ራቁት", "ራቁቷ", "ራቁቱ", "እርቃን", "እርቃኗ", "ያለ ልብስ"),
        "undress": ("አውልቂ", "አውልቅ", "አውልቃ", "አራቁ", "አስወልቅ"),
        "remove": ("አስወግድ",),
        "sheer": ("የሚያሳይ", "እርጥብ"),
    },
    "el": {  # Greek (what garments.py's inline Greek lacks)
        "clothes": ("ρουχα", "ρουχων"),
        "top": ("μπλουζ*", "πουκαμισ*"),
        "dress": ("φορεμα*", "φουστα*"),
        "trousers": ("παντελον*", "τζιν"),
        "bra": ("σουτιεν",),
        "underwear": ("εσωρουχ*", "κιλοτ*", "στρινγκ"),
        "nudity": ("γυμνη", "γυμνος", "ολογυμν*", "χωρις ρουχα"),
        "undress": ("γδυσ*", "ξεγυμν*", "ξεντυσ*"),
        "remove": ("βγαλε", "αφαιρεσε", "χωρις"),
        "sheer": ("διαφαν*", "βρεγμεν*"),
    },
    "cs": {  # Czech and Slovak
        "top": ("tricko", "tricka", "trickem", "halenk*", "kosil*", "tielk*"),
        "dress": ("saty", "sukn*", "saticky"),
        "trousers": ("kalhoty", "kalhot", "dziny", "nohavice"),
        "bra": ("podprsenk*",),
        "underwear": ("kalhotk*", "spodni pradlo", "spodnim pradle", "spodniho pradla", "spodni pradla", "tangach", "nohavick*", "spodna bielizen",
                      "spodnej bielizni"),
        "swimwear": ("plavk*", "plavek", "bikiny", "bikinach"),
        "nudity": ("nahou", "naha", "nahy", "nahe", "nahota", "uplne nahou", "bez obleceni", "bez saticek"),
        "undress": ("svlekn*", "svlec*", "vyzlec*", "vysvlec*", "odhal ji"),
        "remove": ("sundej", "sundat", "odstran*", "zbav"),
        "sheer": ("pruhledn*", "priesvitn*", "mokr*"),
    },
    "bn": {  # Bengali (whole words since the tokeniser keeps Indic vowel signs)
        "clothes": ("জামা*", "কাপড়*", "পোশাক*", "জামাকাপড়*"),
        "top": ("ব্লাউজ*", "টপ", "শার্ট*"),
        "dress": ("শাড়ি*", "স্কার্ট*", "ফ্রক*"),
        "trousers": ("প্যান্ট", "জিন্স"),
        "bra": ("ব্রা",),
        "underwear": ("প্যান্টি*", "অন্তর্বাস*", "আন্ডারওয়্যার*"),
        "swimwear": ("সাঁতারের পোশাক*",),
        "nudity": ("ন্যাংটো*", "ন্যাংটা*", "ল্যাংটা*", "ল্যাংটো*", "উলঙ্গ*", "নগ্ন*", "বিবস্ত্র*"),
        "undress": ("কাপড় খুলে*", "জামা খুলে*", "বিবস্ত্র কর*"),
        "remove": ("খুলে", "খোলো", "খুলে দাও", "সরিয়ে দাও", "ছাড়া"),
        "sheer": ("স্বচ্ছ", "ভেজা", "ভিজে"),
        "outer": ("চশমা*", "সানগ্লাস*", "টুপি*", "জ্যাকেট*", "কোট*", "স্কার্ফ*"),
    },
    "fa": {  # Persian words the inline Arabic-script ones lack ("لباس زیر": underwear)
        "underwear": ("لباس زیر", "لباس‌زیر", "شورت", "زیرپوش"),
        "bra": ("سوتین",),
        "swimwear": ("مایو", "بیکینی", "لباس شنا"),
        "nudity": ("لخت", "لختش", "برهنه", "بدون لباس"),
        "sheer": ("شفاف", "خیس", "بدن‌نما", "بدن نما"),
    },
    "hi": {"top": ("कमीज़", "क़मीज़", "टी-शर्ट"), "dress": ("स्कर्ट", "फ़्रॉक"), "underwear": ("अंडरवियर", "पैंटी", "ब्रा")},
    "ur": {  # Urdu (Arabic script)
        "clothes": ("کپڑے", "کپڑوں", "لباس"),
        "top": ("قمیض", "شرٹ"),
        "dress": ("فراک", "اسکرٹ"),
        "trousers": ("شلوار", "پینٹ"),
        "underwear": ("زیر جامہ", "زیر جامے", "زیرجامہ", "انڈرویئر", "انڈر ویئر", "پینٹی"),
        "swimwear": ("بکنی", "سوئمنگ سوٹ"),
        "nudity": ("ننگی", "ننگا", "برہنہ", "بے لباس", "عریاں", "عریانی"),
        "undress": ("ننگا کر", "ننگی کر", "کپڑے اتار"),
        "remove": ("اتار", "اتارو", "ہٹا", "بغیر"),
        "sheer": ("شفاف", "گیلی", "گیلا"),
    },
    "fa-latn": {  # Persian typed in Latin letters ("Finglish")
        "clothes": ("lebas", "lebasesh", "lebasasho", "lebasesho", "lebasaye", "lebasash"),
        "underwear": ("lebas zir", "shoort", "sootin", "sutin"),
        "bra": ("sootin", "sutin"),
        "nudity": ("lokht", "lokhte", "lokhtesh", "lokht kon", "barahne", "berahne", "bedune lebas", "bedoone lebas"),
        "undress": ("lokhtesh kon", "lokht kon", "lokhtesh kun"),
        "remove": ("dar biar", "darbiar", "bardar", "bedune", "bedoone"),
    },
    "ru-latn": {  # Russian typed in Latin letters
        "clothes": ("odezhd*", "odezhdu"),
        "underwear": ("trusy", "trusiki", "nizhnee bel'e", "lifchik"),
        "bra": ("lifchik", "byustgalter"),
        "swimwear": ("kupal'nik*", "kupalnik*"),
        "nudity": ("golaya", "golaia", "golaja", "golyi", "golaya", "obnazhenn*", "bez odezhdy", "nudistsk*"),
        "undress": ("razden*", "razdet'", "razdevai"),
        "remove": ("snimi", "uberi", "bez"),
        "sheer": ("prozrachn*", "mokr*"),
    },
    "ms-id": {  # Malay and Indonesian words the inline Indonesian lacks (colloquial forms)
        "clothes": ("busana", "bajunya", "pakaiannya", "bajunye"),
        "top": ("kemeja*", "kaos", "kaosnya", "atasan*"),
        "dress": ("rok", "roknya", "gaun*"),
        "trousers": ("celana", "celananya", "seluar*"),
        "bra": ("beha", "bh", "bhnya", "kutang"),
        "underwear": ("celana dalam", "cd nya", "daleman", "pakaian dalam", "seluar dalam", "g-string"),
        "swimwear": ("baju renang", "pakaian renang", "bikini"),
        "nudity": ("bugilin", "bugilkan", "telanjangin", "bogel", "berbogel", "tanpa busana", "tanpa baju",
                   "tanpa pakaian", "tanpa seurat benang"),
        "undress": ("telanjangin", "bugilin", "bogelkan", "lucuti*", "tanggalkan pakaian", "buka baju*"),
        "remove": ("dilepas", "dilepasin", "lepasin", "lepasin aja", "buka", "bukain", "dibuka", "tanpa", "hapus",
                   "tanggalkan"),
        "sheer": ("tembus pandang", "transparan", "nerawang", "basah", "basahin", "jarang", "tipis"),
        "towel": ("cuma pakai handuk", "hanya pakai handuk", "cuma handuk", "hanya handuk", "pakai handuk doang",
                  "berbalut handuk", "cuma berhanduk"),
    },
    "tl": {  # Tagalog (Taglish spellings too)
        "clothes": ("damit", "damit niya", "mga damit", "suot niya", "suot"),
        "top": ("blusa", "t-shirt niya", "pang-itaas"),
        "dress": ("palda",),
        "trousers": ("pantalon", "shorts niya"),
        "bra": ("bra niya",),
        "underwear": ("panty", "pantie", "panties lang", "briefs lang", "salawal", "kalsunsilyo"),
        "swimwear": ("swimsuit lang", "bikini lang"),
        "nudity": ("hubad", "hubo", "hubot hubad", "walang saplot", "walang suot"),
        "undress": ("hubaran", "hubarin", "maghubad", "paghubarin"),
        "remove": ("tanggalin", "tanggalan", "alisin", "alisan", "hubarin", "walang"),
        "sheer": ("basang-basa", "basang basa"),
    },
    "ar-outer": {"outer": ("جاكيت", "جاكيته", "جاكيتها", "الجاكيت", "سترة", "السترة", "بليزر", "معطفها", "قبعتها", "نظارته", "نظارتها")},
    "ar-gulf": {"remove": ("شيل", "شيلي", "شيلوا")},
    "ar-levant": {"remove": ("شلح", "شلّح", "شلحها", "شلّحها", "شلحه", "شلّحه"), "clothes": ("تياب", "تيابها", "تيابه")},
    "ar-dialects": {  # Gulf, Levantine and Egyptian words ("شيل هدومها": take her clothes off)
        "clothes": ("هدوم", "هدومها", "لبسها", "هدومه"),
        "nudity": ("من غير هدوم", "بدون هدوم", "عريانة", "عريانه"),
        "undress": ("شيل هدوم", "شيلي هدوم", "قلع هدوم", "اقلع هدوم", "قلعها هدوم", "شلحها", "شلح هدوم", "قلعها"),
        "remove": ("شيل ال", "شيلي ال", "قلع ال", "اشلح", "شلح ال"),
    },
    "zh-hant": {  # Traditional Chinese forms the inline simplified ones miss
        "remove": ("脫掉", "脫下", "拿掉", "去除"),
        "undress": ("脫光", "脫衣", "扒光"),
        "sheer": ("透視", "濕透", "濕身", "濕"),
    },
    "ko": {"top": ("티", "흰 티", "나시"), "remove": ("없애*", "벗겨*", "치워*"), "nudity": ("다 벗은", "홀딱 벗은", "맨몸"),
           "towel": ("수건 한 장만", "수건 한장만", "수건만 두른", "수건 하나만 두른"), "sheer": ("속이 비치*", "비치게", "젖게")},
    "uk": {  # Ukrainian words the inline Russian lacks
        "top": ("футболк*", "блузк*", "кофтин*"),
        "dress": ("сукн*", "спідниц*"),
        "trousers": ("штани", "штанці", "джинси"),
        "bra": ("ліфчик*", "бюстгальтер*"),
        "underwear": ("трусик*", "труси", "білизн*", "спідню білизну", "стрінги"),
        "swimwear": ("купальник*", "бікіні"),
        "nudity": ("гола", "голу", "голою", "оголен*", "без одягу", "без нічого", "нудистськ*"),
        "towel": ("лише в рушнику", "тільки в рушнику", "в одному рушнику", "лише рушник", "тільки рушник"),
    },
    "pt-gl-ca": {  # European Portuguese, Galician, Catalan
        "clothes": ("roba", "la roba"),
        "underwear": ("roupa interior", "cuecas", "roba interior", "calces", "sostenidors"),
        "swimwear": ("banyador",),
        "nudity": ("espida", "espido", "despullada", "despullat", "nua del tot"),
        "undress": ("despulla*", "espe-a", "espila"),
        "remove": ("quítalle", "sácalle", "treu-li", "treu", "treure", "tira-lhe"),
    },
    "eu": {"clothes": ("arropa", "arropak"), "underwear": ("barruko arropa",), "swimwear": ("bainujantzi*",),
           "nudity": ("biluzik", "biluzi"), "undress": ("biluztu", "biluzi ezazu"), "remove": ("kendu", "kendu iezaiozu")},
    "sh": {  # Serbian, Croatian, Bosnian (Latin and Cyrillic)
        "clothes": ("odjeću", "odjeća", "odeću", "odeća", "odjeće", "одећу", "одећа", "odjecu", "odecu"),
        "top": ("majic*", "košulj*", "мајиц*"),
        "dress": ("haljin*", "suknj*", "хаљин*"),
        "bra": ("grudnjak*", "grudnjač*", "грудњак*"),
        "underwear": ("donjem vešu", "donji veš", "donje rublje", "donjem rublju", "gaćice", "гаћице", "доњем вешу", "доњи веш"),
        "swimwear": ("kupaći kostim", "kupaćem kostimu", "купаћи костим"),
        "nudity": ("gola", "golu", "gole", "razgolićen*", "гола", "голу"),
        "undress": ("svuci", "svuci je", "skini je", "razodjeni", "свуци", "скини је"),
        "remove": ("skini", "skinuti", "ukloni", "bez", "скини", "уклони"),
        "sheer": ("prozirn*", "providn*", "провидн*", "прозирн*"),
    },
    "bg": {"clothes": ("дрехи*",), "underwear": ("бельо", "бельото", "бикини"), "bra": ("сутиен*",),
           "nudity": ("гола", "голи"), "undress": ("съблечи*", "съблек*"), "remove": ("свали", "махни")},
    "baltic": {  # Lithuanian, Latvian, Estonian
        "clothes": ("drabužius", "drabužiai", "drabuž*", "drēbes", "drēbēm", "riided", "riietus"),
        "bra": ("liemenėl*", "krūšturi*", "rinnahoidja*"),
        "underwear": ("apatiniai*", "apatiniais", "apakšveļ*", "aluspesu", "pesu väel", "pesus"),
        "swimwear": ("maudymosi kostium*", "peldkostīm*", "ujumistrikoo*"),
        "nudity": ("nuoga", "nuogą", "kaila", "kailu", "alasti", "paljas*"),
        "undress": ("nurenk*", "nurengt*", "izģērb*", "riided seljast", "võta riided"),
        "remove": ("nuimk", "novelc", "seljast"),
    },
    "da-no-is": {  # Danish, Norwegian and Icelandic with their own letters (ø, æ, ð)
        "clothes": ("klær", "klærne", "tøj", "tøjet", "tøy", "tøyet", "föt", "fötin", "fötunum"),
        "underwear": ("undertøj", "undertøy", "trusser", "truser", "nærföt*", "nærbux*"),
        "swimwear": ("badetøj", "badedragt*", "badetøy", "sundföt*"),
        "nudity": ("nøgen", "nøgne", "nakin", "nakta", "nakinn", "uden tøj", "uten klær"),
        "undress": ("klæd hende af", "kle av henne", "afklæð*", "klæd af"),
        "remove": ("tag af", "taktu", "fjarlægðu"),
    },
    "ka-hy": {  # Georgian and Armenian
        "clothes": ("ტანსაცმელ*", "հագուստ*", "շորեր*"),
        "underwear": ("საცვლ*", "ներքնազգեստ*", "ներքնաշոր*"),
        "swimwear": ("ბიკინ*", "საცურაო*", "բիկինի*", "լողազգեստ*"),
        "nudity": ("შიშველ*", "մերկ*"),
        "undress": ("გახადე", "გაშიშვლ*", "մերկացր*", "հանվի"),
        "remove": ("გახადე", "მოაშორე", "հանիր", "հանեք"),
    },
    "turkic-mongolic": {  # Azerbaijani, Kazakh, Uzbek, Mongolian
        "clothes": ("paltar*", "киім*", "kiyim*", "хувцас*"),
        "underwear": ("alt paltar*", "іш киім*", "ichki kiyim*", "дотуур хувцас*"),
        "nudity": ("çılpaq", "жалаңаш*", "yalang'och", "yalangoch", "нүцгэн*"),
        "undress": ("soyundur*", "шешіндір*", "yechintir*", "нүцгэлэ*"),
        "remove": ("çıxart", "çıxar", "шешіп", "yechib", "тайл*"),
    },
    "indic": {  # Tamil, Marathi, Gujarati, Punjabi, Nepali, Sinhala (whole words: see vocabulary.tokens)
        "clothes": ("டிரஸ்*", "உடை*", "ஆடை*", "कपडे", "કપડાં", "કપડા", "ਕੱਪੜੇ", "कपडा*", "ඇඳුම්*"),
        "underwear": ("உள்ளாடை*", "ਅੰਡਰਵੀਅਰ", "અંડરવેર", "යට ඇඳුම්*"),
        "nudity": ("நிர்வாண*", "नागडी", "नागडा", "નગ્ન", "ਨੰਗੀ", "ਨੰਗਾ", "नाङ्गो", "नाङ्गी", "නිරුවත්*"),
        "undress": ("கழட்டு", "கழற்று*", "ਕੱਪੜੇ ਲਾਹ*"),
        "remove": ("கழட்டு", "கழற்று*", "அகற்று*", "நீக்கு*", "काढ*", "કાઢ*", "ਲਾਹ*", "ਉਤਾਰ*", "खोल*", "ගලවන්න", "ගලව*"),
        "swimwear": ("பிகினி*", "நீச்சல் உடை*"),
    },
    "sea-scripts": {  # Burmese, Khmer and Lao (no spaces between words: found inside longer ones)
        "clothes": ("အဝတ်", "ខោអាវ", "ເສື້ອຜ້າ"),
        "underwear": ("အတွင်းခံ", "ខោអាវក្នុង", "ຊຸດຊັ້ນໃນ"),
        "nudity": ("ကိုယ်လုံးတီး", "အဝတ်မဲ့", "អាក្រាត", "ເປືອຍ"),
        "undress": ("ချွတ်", "ដោះខោអាវ", "ແກ້ຜ້າ"),
    },
    "africa": {  # Hausa, Yoruba, Zulu, Afrikaans, Somali
        "clothes": ("kayanta", "kayan jikinta", "aṣọ rẹ", "izingubo", "klere", "dharka", "dharkeeda"),
        "underwear": ("kayan ciki", "aṣọ abẹ́", "izingubo zangaphansi", "onderklere", "nigis"),
        "swimwear": ("baaikostuum*",),
        "nudity": ("tsirara", "ìhòòhò", "nqunu", "maak haar kaal", "haar kaal", "kaalgat", "qaawan", "qaawanaa"),
        "undress": ("cire mata kaya", "bọ́ aṣọ", "mkhumule", "khumula", "trek haar klere uit", "trek haar uit", "ka bixi dharka"),
        "remove": ("khumula", "uittrek", "ka bixi"),
    },
    "iranian-other": {  # Pashto and Kurdish (Kurmanji, Sorani)
        "clothes": ("جامې", "کالي", "cilên", "cil", "جلەکان", "جل و بەرگ"),
        "nudity": ("لوڅ", "لوڅه", "tazî", "ڕووت"),
        "undress": ("جامې وباس", "جلەکانی دابکەن"),
        "remove": ("وباسه", "derxe", "dabkena", "دابکەنە"),
    },
    "zh-slang": {"remove": ("P掉", "p掉", "P没", "修掉", "脱了", "脫了"), "undress": ("去衣", "一键去衣", "一鍵去衣")},
    "ru-outer": {"outer": ("пиджак*", "жакет*", "блейзер*", "кардиган*", "шарф*")},
    "yue-zh": {  # Cantonese, and nudist beaches in Chinese
        "clothes": ("啲衫", "件衫", "衫褲"),
        "underwear": ("底衫底褲", "底褲", "底衫"),
        "nudity": ("冇着衫", "無着衫", "剝光", "天体海滩", "天體海灘", "天体浴场", "裸体海滩", "裸滩"),
        "undress": ("除衫", "除咗佢啲衫", "除晒"),
        "remove": ("除咗", "除咗佢"),
    },
    "ar-latn": {  # Arabic typed in Latin letters and digits ("Arabizi")
        "clothes": ("hdoom", "hdoum", "hdomha", "hdoomha", "hdoumha", "hedoum", "hedoumha", "hdoumo", "malabis", "mlabis"),
        "underwear": ("malabis dakhiliya", "malabis el dakhiliya", "malabes dakhleya", "malabis da5iliya", "mlabis dakhlia"),
        "nudity": ("bdoon hdoom", "bedoon hdoom", "bdun hdum", "3arya", "3aria", "3eryana", "min ghair hdoom",
                   "men gher hedoum", "min gher hdoum", "men ghair hdoom", "bdoon hedoum", "men gher hdoum"),
        "remove": ("shil", "sheel", "ishla7", "eshla7"),
    },
    # Sex and pornography, for the languages above and those the inline lists lack.
    "explicit": {"explicit": (
        "סקס", "פורנו", "sexo explícito", "σεξ", "πορνο*", "szex", "pornó*", "порно*", "секс", "сексом", "pornografi*",
        "ngono", "kufanya mapenzi", "picha za ngono", "jima'i", "உடலுறவு", "ஆபாச*", "संभोग", "सेक्स", "যৌন*",
        "সেক্স", "جنسی", "سکس", "pornô", "pornografia", "seks", "seksi video", "bokep", "ngentot", "ngewe",
        "kantot*", "iyot", "chịch", "dit nhau", "làm tình", "gợi dục", "เย็ด", "โป๊", "เซ็กส์", "โจ่งแจ้ง", "에로", "야동",
        "섹스", "성관계", "セックス", "性行為", "エロ動画", "做爱", "做愛", "性交", "性爱", "性愛", "露骨", "无码", "無碼", "色情",
    )},
    "nudity-more": {"nudity": ("ngực trần", "nguc tran", "топлес", "zieht sich aus", "soski vidny", "соски видны", "nippel sichtbar",
                               # Chat spellings and settings-style requests ("clothes: 0%").
                               "nakd", "nakid", "nekkid", "nekid", "clothing : none", "clothes : none", "clothes : 0",
                               "clothing : 0", "outfit : none", "clothing : off", "clothes : off", "bare body",
                               "full frontal", "full-frontal", "full monty", "without all that fabric",
                               "without any fabric", "so we see everything", "nothing hidden",
                               "as god made her", "as god made him", "jak ja pan bog stworzyl", "jak go pan bog stworzyl",
                               "jak ją pan bóg stworzył", "কাপড় নেই", "একটুও কাপড় নেই")},
    "en-hi-latn": {  # English chat shorthand and Hindi/Urdu typed in Latin letters
        "remove": ("w / o", "w / out", "inpaint out", "mask out"),
        "clothes": ("kapray", "kapre", "kapdo", "kapdey"),
        "towel": ("sirf towel", "sirf towel mein", "bas towel mein", "sirf tauliya", "sirf tolia"),
        "top": ("ka top", "ki top", "ke top"),
        "underwear": ("nighty",),
        "swimwear": ("leotard", "leotards"),
    },
    "more": {  # Slovenian, Albanian, Telugu, Nepali, Lao, Vietnamese without accents, Hindi romanised
        "clothes": ("బట్టలు", "లుగా", "लुगा", "ເຄື່ອງ"),
        "underwear": ("spodnjem perilu", "spodnje perilo", "të brendshme", "te brendshmet", "లోదుస్తు*", "અંડરવેર*",
                      "अंतर्वस्त्र*"),
        "nudity": ("gola", "golo", "lakuriq", "నగ్న*", "नाङ्गै"),
        "undress": ("sleci", "slecite", "zhvish*", "lot do", "lột đồ", "lot sach", "ແກ້ເຄື່ອງ", "baaki sab hata", "baki sab hata",
                    "sab kapde utaar", "goloi", "goloy", "golaia"),
        "remove": ("తీసేయ్*", "తీసెయ్*", "फुकाल*", "hata do", "hatao", "tøjet af", "tag tøjet"),
        "explicit": ("soulož*", "souloz*", "nagtatalik", "pagtatalik", "kantutan", "pron", "porrn"),
    },
    "nl": {"top": ("trui", "truitje", "hemdje", "topje", "bloesje"), "nudity": ("bloot", "naakt")},
    "tr": {"sheer": ("transparan", "transparanlas*", "ic gosteren", "iç gösteren"), "top": ("ustunu", "üstünü"),
           "nudity": ("cirilciplak", "ciplak", "ciplakla*"), "remove": ("cikart", "cikarin"),
           "undress": ("onu soy", "kadını soy", "kadini soy", "bunu soy", "soyundur*")},
    "es": {  # Latin American words the inline Spanish lacks, and wetting a garment ("mójale la camiseta")
        "sheer": ("mojale", "mojala", "mojarle", "moja la", "empapale", "empapala", "empapad*", "se moje", "moje", "se mojen"),
        "top": ("remera", "remerita", "polera", "playera", "blusita"),
        "bra": ("corpino", "corpiño", "sosten", "sostén", "brasier"),
        "underwear": ("bombacha*", "pantaleta*", "chones", "calzon*", "hilo dental", "tanguita*", "cachetero*"),
        "swimwear": ("malla de bano", "malla enteriza", "traje de bano", "vestido de bano"),
        "nudity": ("desnudita", "desnudito", "empelotad*", "encuerad*", "sin ropa", "en cueros", "sin nada puesto", "sin nada encima"),
        "undress": ("quitale todo", "quitarle todo", "sacale todo", "sacarle todo", "sacale la ropa", "empelota*"),
    },
    "pt": {
        "underwear": ("fio dental", "sutia", "calcinha*", "cuequinha*", "lingerie"),
        "nudity": ("peladinha*", "sem roupa", "nuazinha", "nua em pelo"),
        "undress": ("tirar tudo", "tira tudo", "tire tudo", "tirando tudo", "tira a roupa", "tire a roupa", "tirar a roupa"),
    },
    "fr": {
        "underwear": ("en string", "un string", "son string", "petit string", "en petite culotte", "soutif",
                      "sous-vetement*"),
        "nudity": ("toute nue", "tout nu", "a poil", "sans vetements"),
        "undress": ("enleve-lui tout", "enleve lui tout", "enleve tout", "retire tout", "deshabille*"),
    },
    "it": {"undress": ("toglile tutto", "togli tutto", "levale tutto", "spogliala", "spoglialo"),
           # "costume" alone is the swimsuit at the beach ("togli anche il costume").
           "nudity": ("nuda", "tutta nuda", "senza niente addosso", "senza vestiti", "senza costume", "togli il costume",
                      "togli anche il costume", "toglile il costume", "levale il costume")},
    "de": {"undress": ("zieh ihr alles aus", "alles ausziehen", "zieh alles aus"),
           "nudity": ("ohne alles", "ohne klamotten", "ohne kleidung", "nackig")},
    "pl": {"undress": ("zdejmij wszystko", "zdejmij z niej wszystko", "rozbierz*")},
}


def terms(concept: str) -> tuple[str, ...]:
    """Every table's words for ``concept`` (none for a concept no table fills), Hebrew ones also with their attached articles and
    prepositions ("ה", "ב", "ו", "ל", "מ", "ש" and pairs such as "וה")."""
    out: list[str] = []
    for language, table in LANGUAGES.items():
        words = table.get(concept, ())
        out.extend(_hebrew_forms(words) if language == "he" else words)
    return tuple(dict.fromkeys(out))


_HEBREW_PREFIXES = ("", "ה", "ב", "ו", "ל", "מ", "ש", "וה", "וב", "של", "שה", "בה")


def _hebrew_forms(words: Iterable[str]) -> list[str]:
    return [prefix + word for word in words for prefix in _HEBREW_PREFIXES]


__all__ = ["CONCEPTS", "LANGUAGES", "terms"]
