"""Benign text-to-image prompts in the styles real users write them (issue 14; the v10 experiment).

Until v9 the benign training text was COCO captions, edit instructions, a few art prompts and
short words, while comma-separated "subject, style tags" prompts (photography and render terms,
fashion, beauty and product wording, look-alike words such as "naked eye" or "breast stroke")
occurred mostly among the sexual public prompts; the two stages learned "style tags → sexual"
and blocked 25 of 150 ordinary prompts of a blind probe. This module writes such prompts from
vocabulary lists written by the genguard authors for this purpose (Apache-2.0): subject
inventories (fully clothed people in many outfits, professions and cultures, animals, food,
products, vehicles, architecture, landscapes, space, science, sport), style and quality tags,
look-alike hard negatives, and a share in the template languages written from per-language
vocabularies. No line of any evaluation probe or reserved data set is used.

``styled_benign_prompts()`` is seeded and deterministic (``random.Random(SEED)`` over fixed
lists; no hash randomisation, no clock). Each prompt carries a *group* (its subject), so the
variants of one subject share a cross-validation fold. ``training.intent`` filters them
(``styled_benign_examples``: the lexicon, dev rows, holdout texts) so that no text the lexicon
reads as sexual is labelled benign, and adds them to the first stage of every run since v11
(v10 tried them opt-in; the encoder is not trained on them; docs/evaluation.md, "v11").
"""

from __future__ import annotations

import random
import re

SEED = 1414
#: English prompts drawn (before de-duplication and filtering).
ENGLISH = 3200
#: Prompts drawn per other language.
PER_LANGUAGE = 70
#: Anime tag-list prompts drawn (v11).
BOORU = 600

# --- English subject inventories --------------------------------------------------------------

_PEOPLE = (
    "woman", "man", "elderly woman", "old man", "young woman", "young man", "middle-aged man",
    "middle-aged woman", "grandmother", "grandfather", "couple", "family", "group of friends",
)
_OUTFITS = (
    "a tailored navy business suit", "a long wool coat and scarf", "a yellow raincoat",
    "a knitted turtleneck sweater", "a denim jacket and jeans", "a leather biker jacket",
    "a traditional Japanese kimono", "a Korean hanbok", "an Indian silk sari", "a Scottish kilt",
    "a Nigerian agbada", "a Mexican embroidered huipil", "a Moroccan djellaba",
    "a Peruvian poncho", "a West African kente cloth robe", "a Vietnamese ao dai",
    "a Russian fur hat and winter coat", "a hijab and long abaya", "a Sikh turban and kurta",
    "a Bavarian dirndl with a long apron", "a puffer jacket and beanie", "an oversized XXL hoodie",
    "a cable-knit cardigan", "a tweed blazer", "a trench coat and fedora", "a tuxedo",
    "a long evening gown with sleeves", "a white lab coat", "a chef's jacket and apron",
    "overalls and a flannel shirt", "a high-visibility vest and hard hat", "a graduation gown",
    "a medieval suit of armour", "a Victorian dress with a high collar", "a 1920s three-piece suit",
    "a spacesuit", "a ski suit and goggles", "a wetsuit and hood", "a tracksuit",
    "a cosy oversized sweater", "a linen shirt and chinos", "a velvet blazer",
)
_PROFESSIONS = (
    "firefighter in full turnout gear", "nurse in blue scrubs", "surgeon in an operating room",
    "astronaut on the space station", "chef plating a dish", "barista making latte art",
    "carpenter in a woodshop", "blacksmith at the forge", "potter at a wheel", "beekeeper in a veil",
    "fisherman mending nets", "farmer on a tractor", "teacher at a chalkboard",
    "scientist looking through a microscope", "pilot in a cockpit", "train conductor",
    "mechanic under a car", "librarian shelving books", "violinist on stage", "jazz saxophonist",
    "street musician playing guitar", "painter at an easel", "architect reviewing blueprints",
    "police officer directing traffic", "mail carrier on a bicycle", "tailor measuring fabric",
    "watchmaker with a loupe", "glassblower shaping a vase", "baker pulling bread from an oven",
    "judge in robes", "news anchor in a studio", "mountain guide with a rope", "park ranger",
    "deep-sea diver in a brass helmet", "welder with sparks flying", "sommelier pouring wine",
    "florist arranging tulips", "samurai in lacquered armour", "viking warrior in furs",
    "knight on horseback", "Roman centurion", "cowboy on a ranch", "monk in saffron robes",
    "fashion model in a wool coat on a runway", "catalogue model wearing a parka",
    "male model in a tailored suit", "runway model in a long knitted dress",
)
_ANIMALS = (
    "red fox", "snow leopard", "barn owl", "humpback whale", "golden retriever puppy",
    "tabby cat", "siberian husky", "african elephant", "giraffe at sunset", "bengal tiger",
    "koala in a eucalyptus tree", "red panda", "emperor penguin", "hummingbird at a flower",
    "monarch butterfly", "chameleon on a branch", "sea turtle", "octopus", "jellyfish",
    "axolotl", "hedgehog", "raccoon", "bald eagle", "peacock with open tail", "flamingo flock",
    "wild horse on a beach", "highland cow", "alpaca", "sloth", "polar bear on ice",
    "wolf howling at the moon", "lion cub", "deer in morning fog", "frog on a lily pad",
    "corgi wearing a raincoat", "cat sleeping on a windowsill", "parrot", "kingfisher diving",
    "snake shedding its old skin", "python coiled on a branch", "gecko on a leaf",
    "wild ass on the steppe", "donkey in a field", "shrimp", "koi fish in a pond",
)
_FOOD = (
    "bowl of ramen", "stack of pancakes with maple syrup", "margherita pizza", "sushi platter",
    "grilled chicken breast with vegetables", "roast duck breast with cherry sauce",
    "chocolate lava cake", "croissants on a bakery counter", "avocado toast", "fruit tart",
    "bowl of pho", "tacos al pastor", "paella in a pan", "bento box", "dim sum basket",
    "cup of cappuccino", "matcha latte", "bottle of hot sauce", "hot dog with mustard",
    "cheeseburger and fries", "fresh baguettes", "macarons in pastel colours",
    "glass of red wine", "strawberry milkshake", "salad bowl", "steaming hot chocolate",
    "gingerbread house", "wedding cake", "honey dripping from a spoon", "charcuterie board",
    "peaches in a basket", "cherries", "melons at a market stall", "buns fresh from the oven",
    "strip steak on a grill",
)
_PRODUCTS = (
    "perfume bottle", "luxury wristwatch", "pair of running shoes", "leather handbag",
    "skincare serum bottles and cream jars", "body lotion bottle", "lipstick in a nude shade",
    "nail polish in nude colours", "bottle of sunscreen", "shampoo bottle", "face cream jar",
    "bar of handmade soap", "wireless headphones", "smartphone", "mechanical keyboard",
    "espresso machine", "ceramic coffee mug", "scented candle", "sneaker", "pair of thong sandals",
    "flip-flops on the sand", "hoodie mockup", "t-shirt mockup", "baseball cap", "backpack",
    "sunglasses", "gold necklace", "diamond ring", "bath bomb", "bath towels", "silk scarf",
    "wool socks", "leather boots", "fountain pen", "camera lens", "electric guitar",
    "skateboard deck", "cosmetics flat lay", "makeup brushes", "foundation bottles in skin tones",
)
_VEHICLES = (
    "vintage red sports car", "sexy sports car", "classic muscle car", "electric car",
    "motorcycle", "steam locomotive", "bullet train", "sailboat", "yacht", "submarine",
    "hot air balloon", "fighter jet", "vintage biplane", "space shuttle launch", "city bus",
    "tuk-tuk", "gondola in Venice", "cargo ship", "bicycle leaning on a wall", "pickup truck",
)
_PLACES = (
    "cyberpunk city street with neon signs", "Tokyo street at night", "Paris cafe terrace",
    "Venice canal", "New York skyline", "medieval castle", "Gothic cathedral", "Japanese temple",
    "Shinto shrine with red torii gates", "Korean royal palace", "Moroccan riad courtyard",
    "Greek island village", "lighthouse on a cliff", "cabin in the woods", "mountain lake",
    "alpine meadow", "desert dunes", "tropical beach", "waterfall in a jungle", "rice terraces",
    "lavender fields", "autumn forest", "bare trees in winter fog", "snowy village",
    "northern lights over a fjord", "volcano erupting", "canyon at sunset", "coral reef",
    "floating islands", "steampunk airship harbour", "futuristic city", "abandoned factory",
    "library with tall bookshelves", "cosy living room", "modern kitchen", "greenhouse",
    "strip mall parking lot", "Las Vegas strip at night", "subway station", "farmers market",
    "bridge in the rain", "harbour at dawn", "zen garden", "bamboo forest", "Mongolian steppe",
    "hotel lobby", "hotel room with a neatly made bed", "spa with towels and candles",
    "bathroom with a clawfoot tub", "swimming pool at a resort, empty", "hot spring in the snow",
)
_SPACE_SCIENCE = (
    "Milky Way seen with the naked eye", "galaxy", "nebula", "Saturn and its rings",
    "astronaut floating above Earth", "black hole", "lunar surface", "Mars rover",
    "solar eclipse", "DNA double helix", "cells under a microscope", "neurons",
    "crystal structure", "chemistry lab", "circuit board macro", "quantum computer",
    "weather satellite", "telescope observatory", "fossil of a dinosaur", "anatomy of a flower",
    "cross-section of the earth", "human skeleton in a museum", "heart anatomy diagram",
)
_SPORT = (
    "athlete swimming breast stroke in an olympic pool", "swimmer doing butterfly stroke",
    "marathon runner crossing the finish line", "soccer player kicking a ball",
    "basketball player dunking", "tennis player serving", "skier on a steep slope",
    "surfer on a big wave in a wetsuit", "rock climber on a cliff", "cyclist in the Tour de France",
    "boxer in the ring", "gymnast on the balance beam in a long-sleeved leotard", "figure skater spinning",
    "sumo wrestlers", "rowing team at sunrise", "horse jockey", "yoga class in a park, people in tracksuits",
    "martial artist in a white gi", "fencing match", "golfer on the green", "baseball pitcher",
    "skateboarder doing a kickflip", "hikers on a ridge", "ice hockey player", "cricket batsman",
)
_LOOKALIKES = (
    "chicken breast salad", "nude colour palette for a living room", "nude lipstick swatches",
    "bare trees along a country road", "bare branches against a grey sky", "strip mall at dusk",
    "comic strip about a cat", "hot sauce bottle label design", "sexy vintage car advertisement",
    "model train set", "fashion model walking the runway in a winter coat",
    "3D model of a house", "modelling clay figures", "scale model of a ship",
    "skin care products on a marble counter", "body lotion advertisement", "naked mole rat",
    "wild ass grazing", "breast stroke swimming race", "thong sandals on a wooden deck",
    "strip of film negatives", "hot air balloons over Cappadocia", "butt of a rifle in a museum",
    "sheer cliff face", "a sheer curtain blowing in the wind", "nude heels product shot",
    "cherry blossom", "a shower of sparks", "rain shower over a valley",
    "bath time for a golden retriever", "pole vault athlete", "lap pool in a gym",
    "bedroom interior design", "king-size bed in a showroom", "spread of food on a table",
    "tight shot of a lens", "exposed brick wall", "exposure bracketing landscape",
    "a cock crowing at dawn", "a rooster", "kitty litter advert",
    "a titmouse on a branch", "blue tit in the snow", "booby bird on a rock",
    "woodcock in the forest", "Dick Whittington pantomime poster", "Moby Dick whale painting",
)
_ADJECTIVES = (
    "stunning", "beautiful", "gorgeous", "elegant", "majestic", "cute", "cozy", "moody",
    "dramatic", "serene", "vibrant", "minimalist", "epic", "whimsical", "intricate", "lonely",
)

# --- style and quality tags -----------------------------------------------------------------

_PHOTO = (
    "professional photography", "studio photography", "product photography", "street photography",
    "fashion photography", "editorial photo", "portrait photography", "macro photography",
    "wildlife photography", "drone shot", "aerial view", "long exposure", "tilt-shift",
    "35mm film", "Kodak Portra 400", "Fujifilm", "shot on Canon EOS R5", "Sony A7 III",
    "85mm lens", "50mm f/1.8", "24mm wide angle", "shallow depth of field", "bokeh",
    "DSLR", "polaroid", "black and white photo", "HDR", "RAW photo", "flat lay", "mockup",
    "high fashion", "catalogue shot", "lookbook", "magazine cover", "surreal photography",
)
_LIGHT = (
    "soft light", "golden hour", "blue hour", "studio lighting", "rim light", "volumetric lighting",
    "cinematic lighting", "natural light", "dramatic lighting", "neon lighting", "backlit",
    "overcast", "moody lighting", "sunset glow", "candlelight", "softbox", "hard shadows",
)
_RENDER = (
    "octane render", "unreal engine 5", "3d render", "blender", "cgi", "ray tracing",
    "vray", "redshift render", "isometric", "low poly", "voxel art", "pixel art",
)
_QUALITY = (
    "8k", "4k", "uhd", "highly detailed", "ultra detailed", "hyperrealistic", "photorealistic",
    "sharp focus", "masterpiece", "best quality", "award winning", "trending on artstation",
    "featured on behance", "intricate details", "high resolution", "cinematic", "epic composition",
    "depth of field", "realistic", "ultra realistic", "insanely detailed",
)
_ART = (
    "oil painting", "watercolor", "digital painting", "concept art", "matte painting",
    "anime style", "studio ghibli style", "ukiyo-e woodblock print", "art nouveau", "art deco",
    "impressionism", "cubism", "surrealism", "baroque", "renaissance painting", "pop art",
    "vaporwave", "synthwave", "cyberpunk", "steampunk", "fantasy art", "comic book style",
    "pencil sketch", "charcoal drawing", "gouache", "ink illustration", "children's book illustration",
    "storybook illustration", "stained glass", "mosaic", "paper cut art", "claymation",
    "by Greg Rutkowski", "by Alphonse Mucha", "in the style of Van Gogh", "by Hokusai",
    "by Monet", "by Studio Ghibli", "by Moebius", "by Syd Mead", "blade runner vibes",
    "wes anderson style", "film noir", "retro 80s", "vintage poster", "minimalism",
)
_TAG_POOLS = (_PHOTO, _LIGHT, _RENDER, _QUALITY, _ART)

# --- anime/booru tag lists and prompt syntax (v11) -------------------------------------------
# Tag-list prompts ("1girl, solo, school uniform, ...") and weighting syntax ("(masterpiece:1.2)")
# were absent from the benign training text, so the first stage pushed them past the encoder's
# gate and the encoder, which had seen such syntax only among sexual prompts, blocked them.
# Every outfit tag below is full clothing; nothing revealing is labelled benign.

_BOORU_CHARACTERS = ("1girl", "1boy", "2girls", "2boys", "1girl, 1boy", "multiple girls", "3boys",
                     "solo", "1other", "no humans")
_BOORU_OUTFITS = (
    "school uniform", "serafuku", "blazer", "hoodie", "winter coat", "scarf", "sweater", "turtleneck",
    "long sleeves", "kimono", "yukata", "hakama", "armor", "knight armor", "maid apron over long dress",
    "lab coat", "military uniform", "police uniform", "raincoat", "cardigan", "jeans", "long skirt",
    "trench coat", "suit", "necktie", "track suit", "witch hat and robe", "cloak", "gloves", "boots",
    "sneakers", "overalls", "chef uniform", "nurse uniform with long sleeves", "pilot suit", "spacesuit",
)
_BOORU_FEATURES = (
    "smile", "open mouth", "closed eyes", "looking at viewer", "looking away", "long hair", "short hair",
    "twintails", "ponytail", "blue eyes", "red eyes", "brown hair", "silver hair", "glasses",
    "hat", "holding umbrella", "holding book", "holding sword", "holding cup", "waving", "running",
    "sitting", "standing", "walking", "reading", "cooking", "playing guitar", "eating ramen",
    "full body", "upper body", "portrait", "from side", "from behind", "dynamic angle", "cowboy shot",
)
_BOORU_SETTINGS = (
    "cherry blossoms", "classroom", "library", "train station", "city street", "night sky", "starry sky",
    "rain", "snow", "autumn leaves", "beach umbrella, boardwalk", "forest", "shrine", "castle", "cafe",
    "kitchen", "rooftop", "festival lanterns", "fireworks", "mountain", "field of flowers", "spaceship interior",
    "dungeon", "market", "bedroom desk with computer", "sunset", "underwater ruins", "desert ruins",
    "simple background", "white background", "outdoors", "indoors", "day", "night",
)
_BOORU_QUALITY = ("masterpiece", "best quality", "high quality", "absurdres", "highres", "ultra-detailed",
                  "detailed background", "official art", "anime screencap", "illustration", "sfw",
                  "game cg", "key visual", "pixiv", "newest", "very aesthetic")
_NEGATIVES = ("lowres", "bad anatomy", "bad hands", "text", "error", "missing fingers", "extra digit",
              "cropped", "worst quality", "low quality", "jpeg artifacts", "signature", "watermark",
              "username", "blurry", "deformed", "ugly", "duplicate", "out of frame", "disfigured")
_MJ_PARAMETERS = ("--ar 16:9", "--ar 2:3", "--ar 1:1", "--v 6", "--v 5.2", "--style raw", "--niji 6",
                  "--stylize 250", "--chaos 20", "--q 2", "--s 750", "--tile")


def _weighted(rng: random.Random, tag: str) -> str:
    """A tag in Stable Diffusion's emphasis syntax, as front ends write it."""
    form = rng.random()
    if form < 0.5:
        return f"({tag}:{rng.choice(('1.1', '1.2', '1.3', '1.4', '0.8'))})"
    if form < 0.8:
        return f"(({tag}))"
    return f"[{tag}]"


def _booru(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Anime tag-list prompts of clothed, everyday scenes, with quality and negative tags."""
    out: list[tuple[str, str]] = []
    for _ in range(count):
        setting = rng.choice(_BOORU_SETTINGS)
        tags = [rng.choice(_BOORU_CHARACTERS)]
        if tags[0] != "no humans":
            tags += rng.sample(_BOORU_OUTFITS, k=rng.choice((1, 1, 2)))
            tags += rng.sample(_BOORU_FEATURES, k=rng.choice((1, 2, 3, 4)))
        tags.append(setting)
        quality = rng.sample(_BOORU_QUALITY, k=rng.choice((0, 1, 2, 3)))
        if quality and rng.random() < 0.5:
            quality[0] = _weighted(rng, quality[0])
        tags = quality + tags if rng.random() < 0.7 else tags + quality
        text = ", ".join(tags)
        if rng.random() < 0.25:
            text += ", negative prompt: " + ", ".join(rng.sample(_NEGATIVES, k=rng.choice((2, 3, 5))))
        out.append((text, f"booru:{setting}"))
    return out


def _syntax(rng: random.Random, text: str) -> str:
    """An English prompt as a front end's user may write it: emphasis, negative prompt, parameters."""
    style = rng.random()
    if style < 0.12:
        head, *rest = text.split(", ")
        return ", ".join([_weighted(rng, head), *rest])
    if style < 0.22:
        return f"{text}, negative prompt: {', '.join(rng.sample(_NEGATIVES, k=rng.choice((2, 3, 4))))}"
    if style < 0.3:
        return f"{text} {' '.join(rng.sample(_MJ_PARAMETERS, k=rng.choice((1, 2, 3))))}"
    return text


_FRAMES = (
    "{s}", "a {s}", "a photo of a {s}", "photo of a {s}", "portrait of a {s}", "close-up of a {s}",
    "an illustration of a {s}", "a painting of a {s}", "{adj} {s}", "a {adj} {s}",
    "wide shot of a {s}", "a cinematic still of a {s}", "product shot of a {s}",
)


def _subjects() -> list[tuple[str, str]]:
    """(subject, domain) pairs of the English inventory."""
    out: list[tuple[str, str]] = []
    for person in _PEOPLE:
        for outfit in _OUTFITS:
            out.append((f"{person} wearing {outfit}", "people"))
    out += [(p, "profession") for p in _PROFESSIONS]
    for name, items in (("animal", _ANIMALS), ("food", _FOOD), ("product", _PRODUCTS), ("vehicle", _VEHICLES),
                        ("place", _PLACES), ("science", _SPACE_SCIENCE), ("sport", _SPORT), ("lookalike", _LOOKALIKES)):
        out += [(s, name) for s in items]
    return out


def _english(rng: random.Random, count: int) -> list[tuple[str, str]]:
    subjects = _subjects()
    people = [s for s in subjects if s[1] == "people"]
    others = [s for s in subjects if s[1] != "people"]
    out: list[tuple[str, str]] = []
    for i in range(count):
        # People in outfits are many combinations; draw them a third of the time.
        subject, domain = rng.choice(people) if i % 3 == 0 else rng.choice(others)
        frame = rng.choice(_FRAMES) if domain != "place" else rng.choice(("{s}", "a {s}", "{adj} {s}", "view of a {s}"))
        text = frame.replace("{adj}", rng.choice(_ADJECTIVES)).replace("{s}", subject)
        text = re.sub(r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2", text)
        n_tags = rng.choice((0, 1, 2, 2, 3, 3, 4, 5))
        pools = rng.sample(_TAG_POOLS, k=min(n_tags, len(_TAG_POOLS)))
        tags = [rng.choice(pool) for pool in pools]
        if n_tags > len(_TAG_POOLS):
            tags.append(rng.choice(_QUALITY))
        tags = list(dict.fromkeys(tags))
        style = rng.random()
        if style < 0.15:
            text = text.lower()
        body = ", ".join([text, *tags])
        if style > 0.9 and tags:
            body = f"{text} | {' | '.join(tags)}"
        elif 0.8 < style <= 0.9:
            body = f"{body}, --ar 16:9" if rng.random() < 0.5 else f"{body} --v 6"
        out.append((_syntax(rng, body), f"en:{subject}"))
    return out


# --- other languages: subjects and tags written per language ---------------------------------

_LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "es": (("una mujer con abrigo de lana en la nieve", "un hombre con traje de negocios en la playa",
            "un zorro rojo en el bosque", "una calle de ciudad cyberpunk con letreros de neón",
            "un tazón de ramen", "una botella de perfume", "un coche deportivo rojo", "un faro en un acantilado",
            "la Vía Láctea a simple vista", "un nadador en estilo braza", "una pechuga de pollo a la plancha",
            "un astronauta en la luna", "una catedral gótica", "un gato dormido en la ventana",
            "una modelo con un jersey de cuello alto", "productos de cuidado de la piel sobre mármol",
            "árboles desnudos en invierno", "un mercado de frutas", "una bailarina de flamenco con vestido largo"),
           ("fotografía profesional", "luz suave", "8k", "muy detallado", "render 3d", "pintura al óleo",
            "estilo anime", "hora dorada", "fotografía de producto", "iluminación cinematográfica")),
    "fr": (("une femme en trench-coat sous la pluie", "un homme en costume sur une plage",
            "un renard roux dans la forêt", "une rue cyberpunk avec des néons", "un bol de ramen",
            "un flacon de parfum", "une voiture de sport rouge", "un phare sur une falaise",
            "la Voie lactée à l'œil nu", "un nageur en brasse", "un blanc de poulet grillé",
            "un astronaute sur la lune", "une cathédrale gothique", "un chat qui dort sur le rebord",
            "un mannequin en pull à col roulé", "des soins pour la peau sur du marbre",
            "des arbres dénudés en hiver", "un marché aux fruits", "une crêpe au chocolat"),
           ("photographie professionnelle", "lumière douce", "8k", "très détaillé", "rendu 3d",
            "peinture à l'huile", "style anime", "heure dorée", "photo de produit", "éclairage cinématographique")),
    "de": (("eine Frau im Wollmantel im Schnee", "ein Mann im Anzug am Strand", "ein Rotfuchs im Wald",
            "eine Cyberpunk-Straße mit Neonschildern", "eine Schüssel Ramen", "ein Parfümflakon",
            "ein roter Sportwagen", "ein Leuchtturm auf einer Klippe", "die Milchstraße mit bloßem Auge",
            "ein Schwimmer beim Brustschwimmen", "gegrillte Hähnchenbrust", "ein Astronaut auf dem Mond",
            "eine gotische Kathedrale", "eine Katze schläft am Fenster", "ein Model im Rollkragenpullover",
            "Hautpflegeprodukte auf Marmor", "kahle Bäume im Winter", "ein Obstmarkt", "eine Frau im Dirndl auf der Alm"),
           ("professionelle Fotografie", "weiches Licht", "8k", "sehr detailliert", "3D-Rendering",
            "Ölgemälde", "Anime-Stil", "goldene Stunde", "Produktfoto", "kinoreife Beleuchtung")),
    "pt": (("uma mulher de casaco de lã na neve", "um homem de terno na praia", "uma raposa vermelha na floresta",
            "uma rua cyberpunk com letreiros de neon", "uma tigela de ramen", "um frasco de perfume",
            "um carro esportivo vermelho", "um farol num penhasco", "a Via Láctea a olho nu",
            "um nadador em nado peito", "peito de frango grelhado", "um astronauta na lua",
            "uma catedral gótica", "um gato dormindo na janela", "uma modelo de suéter de gola alta",
            "produtos de skincare sobre mármore", "árvores sem folhas no inverno", "uma feira de frutas",
            "uma baiana com vestido tradicional"),
           ("fotografia profissional", "luz suave", "8k", "muito detalhado", "render 3d", "pintura a óleo",
            "estilo anime", "hora dourada", "foto de produto", "iluminação cinematográfica")),
    "it": (("una donna con cappotto di lana nella neve", "un uomo in giacca e cravatta sulla spiaggia",
            "una volpe rossa nel bosco", "una strada cyberpunk con insegne al neon", "una ciotola di ramen",
            "una bottiglia di profumo", "una macchina sportiva rossa", "un faro su una scogliera",
            "la Via Lattea a occhio nudo", "un nuotatore a rana", "petto di pollo alla griglia",
            "un astronauta sulla luna", "una cattedrale gotica", "un gatto che dorme sul davanzale",
            "una modella con un maglione a collo alto", "prodotti per la cura della pelle sul marmo",
            "alberi spogli in inverno", "un mercato di frutta", "una gondola a Venezia"),
           ("fotografia professionale", "luce morbida", "8k", "molto dettagliato", "rendering 3d",
            "pittura a olio", "stile anime", "ora d'oro", "foto di prodotto", "illuminazione cinematografica")),
    "ru": (("женщина в шерстяном пальто на снегу", "мужчина в деловом костюме на пляже", "рыжая лиса в лесу",
            "киберпанк-улица с неоновыми вывесками", "миска рамена", "флакон духов", "красный спортивный автомобиль",
            "маяк на скале", "Млечный Путь невооружённым глазом", "пловец плывёт брассом",
            "куриная грудка на гриле", "космонавт на Луне", "готический собор", "кошка спит на подоконнике",
            "модель в свитере с высоким горлом", "средства по уходу за кожей на мраморе",
            "голые деревья зимой", "фруктовый рынок", "девушка в кокошнике и сарафане"),
           ("профессиональная фотография", "мягкий свет", "8k", "высокая детализация", "3d рендер",
            "картина маслом", "в стиле аниме", "золотой час", "предметная съёмка", "кинематографичный свет")),
    "pl": (("kobieta w wełnianym płaszczu na śniegu", "mężczyzna w garniturze na plaży", "rudy lis w lesie",
            "cyberpunkowa ulica z neonami", "miska ramenu", "flakon perfum", "czerwony samochód sportowy",
            "latarnia morska na klifie", "Droga Mleczna gołym okiem", "pływak płynie żabką",
            "grillowana pierś z kurczaka", "astronauta na Księżycu", "gotycka katedra", "kot śpi na parapecie",
            "modelka w golfie", "kosmetyki do pielęgnacji skóry na marmurze", "nagie drzewa zimą",
            "targ owocowy", "góral w stroju ludowym"),
           ("profesjonalna fotografia", "miękkie światło", "8k", "bardzo szczegółowe", "render 3d",
            "obraz olejny", "styl anime", "złota godzina", "zdjęcie produktowe", "filmowe oświetlenie")),
    "nl": (("een vrouw in een wollen jas in de sneeuw", "een man in pak op het strand", "een rode vos in het bos",
            "een cyberpunkstraat met neonborden", "een kom ramen", "een parfumflesje", "een rode sportauto",
            "een vuurtoren op een klif", "de Melkweg met het blote oog", "een zwemmer die schoolslag zwemt",
            "gegrilde kipfilet", "een astronaut op de maan", "een gotische kathedraal",
            "een kat die slaapt op de vensterbank", "een model in een coltrui",
            "huidverzorgingsproducten op marmer", "kale bomen in de winter", "een fruitmarkt",
            "molens bij zonsondergang"),
           ("professionele fotografie", "zacht licht", "8k", "zeer gedetailleerd", "3d-render", "olieverfschilderij",
            "anime-stijl", "gouden uur", "productfoto", "filmische belichting")),
    "tr": (("karda yün paltolu bir kadın", "plajda takım elbiseli bir adam", "ormanda kızıl bir tilki",
            "neon tabelalı siberpunk bir sokak", "bir kase ramen", "bir parfüm şişesi", "kırmızı bir spor araba",
            "uçurumda bir deniz feneri", "çıplak gözle Samanyolu", "kurbağalama yüzen bir yüzücü",
            "ızgara tavuk göğsü", "ayda bir astronot", "gotik bir katedral", "pencerede uyuyan bir kedi",
            "balıkçı yaka kazaklı bir model", "mermer üzerinde cilt bakım ürünleri", "kışın yapraksız ağaçlar",
            "bir meyve pazarı", "Kapadokya üzerinde sıcak hava balonları"),
           ("profesyonel fotoğraf", "yumuşak ışık", "8k", "çok detaylı", "3d render", "yağlı boya tablo",
            "anime tarzı", "altın saat", "ürün fotoğrafı", "sinematik ışıklandırma")),
    "ar": (("امرأة ترتدي معطفا صوفيا في الثلج", "رجل يرتدي بدلة على الشاطئ", "ثعلب أحمر في الغابة",
            "شارع سايبربانك بلافتات نيون", "وعاء رامن", "زجاجة عطر", "سيارة رياضية حمراء", "منارة على جرف",
            "درب التبانة بالعين المجردة", "سباح يسبح سباحة الصدر", "صدر دجاج مشوي", "رائد فضاء على القمر",
            "كاتدرائية قوطية", "قطة نائمة عند النافذة", "عارضة أزياء ترتدي كنزة بياقة عالية",
            "منتجات العناية بالبشرة على الرخام", "أشجار عارية في الشتاء", "سوق فواكه", "رجل يرتدي ثوبا وشماغا في الصحراء"),
           ("تصوير احترافي", "إضاءة ناعمة", "8k", "تفاصيل عالية", "تصيير ثلاثي الأبعاد", "لوحة زيتية",
            "أسلوب أنمي", "الساعة الذهبية", "تصوير منتجات", "إضاءة سينمائية")),
    "hi": (("बर्फ़ में ऊनी कोट पहने एक महिला", "समुद्र तट पर सूट पहने एक आदमी", "जंगल में एक लाल लोमड़ी",
            "नियॉन साइन वाली साइबरपंक गली", "रामेन का कटोरा", "इत्र की बोतल", "लाल स्पोर्ट्स कार",
            "चट्टान पर एक लाइटहाउस", "नंगी आँखों से दिखती आकाशगंगा", "ब्रेस्टस्ट्रोक में तैरता तैराक",
            "ग्रिल्ड चिकन", "चाँद पर अंतरिक्ष यात्री", "गॉथिक गिरजाघर", "खिड़की पर सोती बिल्ली",
            "टर्टलनेक स्वेटर में एक मॉडल", "संगमरमर पर त्वचा की देखभाल के उत्पाद", "सर्दियों में पत्तियों रहित पेड़",
            "फलों का बाज़ार", "साड़ी पहने एक महिला मंदिर में"),
           ("पेशेवर फ़ोटोग्राफ़ी", "नरम रोशनी", "8k", "अत्यधिक विस्तृत", "3डी रेंडर", "तैल चित्र",
            "एनीमे शैली", "सुनहरा समय", "उत्पाद फ़ोटो", "सिनेमाई रोशनी")),
    "hi-latn": (("barf mein oon ka coat pehne ek aurat", "beach par suit pehne ek aadmi", "jungle mein ek laal lomdi",
                 "neon signs wali cyberpunk gali", "ramen ka katora", "itr ki bottle", "laal sports car",
                 "chattan par lighthouse", "nangi aankhon se dikhti akashganga", "breaststroke mein tairta tairak",
                 "grilled chicken breast", "chaand par antariksh yatri", "purana kila", "khidki par soti billi",
                 "turtleneck sweater mein ek model", "marble par skincare products", "sardi mein bina patton ke ped",
                 "phalon ka bazaar", "saree pehne ek aurat mandir mein"),
                ("professional photography", "naram roshni", "8k", "bahut detailed", "3d render", "oil painting",
                 "anime style", "sunehra samay", "product photo", "cinematic lighting")),
    "ja": (("雪の中でウールのコートを着た女性", "ビーチでスーツを着た男性", "森の中の赤いキツネ", "ネオンサインのサイバーパンクな街並み",
            "ラーメンの丼", "香水の瓶", "赤いスポーツカー", "崖の上の灯台", "肉眼で見える天の川", "平泳ぎをする水泳選手",
            "鶏むね肉のグリル", "月面の宇宙飛行士", "ゴシック様式の大聖堂", "窓辺で眠る猫", "タートルネックのセーターを着たモデル",
            "大理石の上のスキンケア用品", "冬の葉のない木々", "果物市場", "着物姿の男性と京都の寺"),
           ("プロの写真", "柔らかい光", "8k", "高精細", "3Dレンダリング", "油絵", "アニメ風", "ゴールデンアワー",
            "商品写真", "映画のような照明")),
    "zh": (("雪中穿羊毛大衣的女人", "海滩上穿西装的男人", "森林里的红狐狸", "霓虹灯招牌的赛博朋克街道", "一碗拉面",
            "一瓶香水", "红色跑车", "悬崖上的灯塔", "肉眼可见的银河", "蛙泳的游泳运动员", "烤鸡胸肉", "月球上的宇航员",
            "哥特式大教堂", "窗台上睡觉的猫", "穿高领毛衣的模特", "大理石上的护肤品", "冬天光秃秃的树", "水果市场",
            "穿汉服的女子在古镇"),
           ("专业摄影", "柔和光线", "8k", "高度细节", "3D渲染", "油画", "动漫风格", "黄金时刻", "产品摄影", "电影感灯光")),
}
_SEPARATOR = {"ja": "、", "zh": "，"}


def _other(rng: random.Random, lang: str, count: int) -> list[tuple[str, str]]:
    subjects, tags = _LANGUAGES[lang]
    sep = _SEPARATOR.get(lang, ", ")
    out: list[tuple[str, str]] = []
    for _ in range(count):
        subject = rng.choice(subjects)
        chosen = rng.sample(tags, k=rng.choice((0, 1, 2, 2, 3)))
        out.append((sep.join([subject, *chosen]), f"{lang}:{subject}"))
    return out


def styled_benign_prompts(seed: int = SEED, english: int = ENGLISH, per_language: int = PER_LANGUAGE,
                          booru: int = BOORU) -> list[tuple[str, str, str]]:
    """Distinct (text, language, group) prompts in a fixed order; the same arguments give the same list."""
    rng = random.Random(seed)
    drawn = [(text, "en", group) for text, group in _english(rng, english)]
    for lang in sorted(_LANGUAGES):
        drawn += [(text, lang, group) for text, group in _other(rng, lang, per_language)]
    drawn += [(text, "en", group) for text, group in _booru(rng, booru)]
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    for text, lang, group in drawn:
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            out.append((text, lang, group))
    return out
