"""Undo the spellings people use to slip a request past a word list.

Both the learned model and the lexicon read the *normalised* text, so "n.u.d.e", "nüde",
"nu\u200bde", "ňűdé", "n00d3" and "nude" become the same characters before anything is scored.
Each step is conservative: ordinary text in any script (Russian, Hindi, Japanese, ...) passes
through unchanged apart from case folding, so normalising never hides a real-language word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Emoji whose sexual or clothing meaning is the point when they appear in an image request.
#: Each maps to a plain word the model and lexicon already know.
EMOJI_WORDS: dict[str, str] = {
    "\U0001f459": "bikini",  # 👙
    "\U0001fa71": "swimsuit",  # 🩱
    "\U0001fa72": "underwear",  # 🩲 briefs
    "\U0001f459\ufe0f": "bikini",
    "\U0001f351": "butt",  # 🍑
    "\U0001f346": "penis",  # 🍆
    "\U0001f4a6": "wet",  # 💦
    "\U0001f445": "lick",  # 👅
    "\U0001f444": "lips",  # 👄
    "\U0001f48b": "kiss",  # 💋
    "\U0001f60f": "seductive",  # 😏
    "\U0001f608": "naughty",  # 😈
    "\U0001f525": "hot",  # 🔥
    "\U0001f51e": "nsfw",  # 🔞
    "\U0001f6bf": "shower",  # 🚿
    "\U0001f6c1": "bath",  # 🛁
    "\U0001f6cf": "bed",  # 🛏
    "\U0001f48f": "kiss",  # 💏
    "\U0001f918": "",  # 🤘 (noise)
    "\U0001f9b5": "leg",  # 🦵
    "\U0001f45a": "blouse",  # 👚
    "\U0001f457": "dress",  # 👗
    "\U0001f455": "shirt",  # 👕
    "\U0001f456": "jeans",  # 👖
    "\U0001fa73": "shorts",  # 🩳
    "\U0001f460": "heels",  # 👠
    "\U0001f9e6": "stockings",  # 🧦
    "\U0001f352": "breasts",  # 🍒 (slang)
    "\U0001f965": "breasts",  # 🥥 (slang)
    "\U0001f348": "breasts",  # 🍈 (slang)
    "\U0001f33d": "penis",  # 🌽 (slang)
    "\U0001f31a": "butt",  # 🌚 (slang)
    "\U0001f9fc": "soap",  # 🧼
}

#: Latin look-alikes from Cyrillic and Greek (and a few symbols). Applied only inside a word
#: that mixes scripts, so genuine Russian or Greek words stay as they are.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "у": "y",
    "х": "x", "ԝ": "w", "ь": "b", "г": "r", "п": "n", "и": "u", "д": "d", "л": "n", "з": "3",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "μ": "u", "σ": "o", "ς": "c", "δ": "d",
    # Latin extensions / symbols that NFKC keeps
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ո": "n", "ս": "u", "ⅼ": "l", "ǀ": "l",
}

#: Latin small capitals, which NFKC keeps, as the letters they show.
_SMALL_CAPITALS = str.maketrans({
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
})

#: Digits and symbols read as letters inside a word ("n00d", "s3xy", "@ss", "$trip").
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e", "£": "l", "¡": "i",
}

_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_LEET_CHARS = re.escape("".join(LEET))
#: A word-ish token made of letters plus leet characters.
_TOKEN_RE = re.compile(rf"[\w{_LEET_CHARS}]+", re.UNICODE)
#: Three or more single letters separated by spaces or punctuation: "n u d e", "n.u.d.e", "n-u-d-e".
#: The separator must repeat unchanged, so neighbouring one-letter words stay apart: in
#: "togli i v-e-s-t-i-t-i a lei" only "v-e-s-t-i-t-i" is joined, not the articles "i" and "a".
_SPLIT_RE = re.compile(
    r"(?<![\w])[^\W\d_](?P<sep>[\s.\-_*·•/\\|,~+']{1,3})(?:[^\W\d_](?P=sep))+[^\W\d_](?![\w])", re.UNICODE
)
_SPLIT_SEP_RE = re.compile(r"[\s.\-_*·•/\\|,~+']+")
#: The same letter three or more times in a row ("nuuuude", "sexxxy").
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")

#: Entries kept by each of the normaliser's caches. One screen reads the same prompt in the intent
#: model, the name tagger and the conversation's reduction moves: it is normalised once, not three
#: times.
NORMALISE_CACHE = 4096


@lru_cache(maxsize=NORMALISE_CACHE)
def _script(char: str) -> str:
    """Coarse script of a letter from its Unicode name: LATIN, CYRILLIC, GREEK, ... (cached: a
    prompt asks this for every letter, from a few dozen distinct ones)."""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""


def strip_invisible(text: str) -> str:
    """Remove zero-width, bidi-control, variation-selector and tag characters."""
    return _INVISIBLE_RE.sub("", text)


def strip_accents(text: str) -> str:
    """Drop combining marks from Latin letters ("nüdé" -> "nude"); other scripts keep theirs."""
    if text.isascii():  # nothing to decompose (most prompts): skip the per-letter walk
        return text
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    previous_script = ""
    for char in decomposed:
        if unicodedata.combining(char):
            # Cyrillic й/ё, Devanagari and Arabic vowel signs carry meaning: keep them.
            if previous_script in ("LATIN", "GREEK"):
                continue
        else:
            previous_script = _script(char)
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def replace_emoji(text: str) -> str:
    """Spell out emoji with sexual or clothing meaning as words (surrounded by spaces)."""
    if text.isascii():  # every emoji is outside ASCII
        return text
    for emoji, word in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    return text


def fold_confusables(token: str, latin_context: bool) -> str:
    """Map Cyrillic/Greek/Armenian look-alikes (and small capitals) to Latin where they stand in for Latin letters.

    That is the case in a token mixing Latin with Cyrillic/Greek ("nudе" with a Cyrillic "е"),
    or in a token made only of look-alikes inside mostly-Latin text. A Cyrillic or Greek word
    in Russian or Greek text is a real word of that language and is kept.
    """
    if token.isascii():  # ASCII letters are all Latin
        return token
    # Small capitals ("remove her ᴄlothes") are Latin letters no ordinary word uses.
    token = token.translate(_SMALL_CAPITALS)
    scripts = {_script(c) for c in token if c.isalpha()}
    foreign = scripts & {"CYRILLIC", "GREEK", "ARMENIAN"}
    if not foreign:
        return token
    mixed = "LATIN" in scripts
    all_lookalike = all(c in CONFUSABLES for c in token if c.isalpha())
    if mixed or (latin_context and all_lookalike):
        return "".join(CONFUSABLES.get(c, c) for c in token)
    return token


def fold_leet(token: str) -> str:
    """Read digits/symbols as letters in a token that also has letters ("s3xy" -> "sexy").

    Pure numbers ("2024", "8k", "35mm") are kept: a digit needs a letter on *both* sides or
    the token must contain at least two leet characters among mostly letters.
    """
    if not any(c in LEET for c in token) or not any(c.isalpha() for c in token):
        return token
    letters = sum(c.isalpha() for c in token)
    leet = sum(c in LEET for c in token)
    if letters < 2 or leet > letters + 1:
        return token
    if re.fullmatch(r"\d+[a-z]{1,2}", token):  # units and sizes: 8k, 4k, 35mm, 3d, 1st
        return token
    return "".join(LEET.get(c, c) for c in token)


def join_split_letters(text: str) -> str:
    """Join runs of single letters separated by spaces or punctuation into one word."""
    return _SPLIT_RE.sub(lambda m: _SPLIT_SEP_RE.sub("", m.group(0)), text)


def squeeze_repeats(text: str) -> str:
    """Collapse a letter repeated three or more times to two ("nuuuude" -> "nuude")."""
    return _REPEAT_RE.sub(r"\1\1", text)


def squeeze_all(text: str) -> str:
    """Collapse every doubled letter ("nuude" -> "nude", "boobs" -> "bobs") for lexicon lookups."""
    return re.sub(r"([^\W\d_])\1+", r"\1", text)


def _is_latin_dominant(text: str) -> bool:
    """True when Latin letters outnumber Cyrillic and Greek ones together."""
    if text.isascii():  # only Latin letters, if any (ASCII letters are the ones with a case)
        return text.lower() != text.upper()
    latin = foreign = 0
    for char in text:
        if char.isalpha():
            script = _script(char)
            latin += script == "LATIN"
            foreign += script in ("CYRILLIC", "GREEK")
    return latin > foreign


@lru_cache(maxsize=NORMALISE_CACHE)
def normalise(text: str) -> str:
    """Return the canonical form of ``text`` that the model and lexicon read (a pure function,
    cached).

    Order matters: NFKC first (full-width and styled letters become plain), invisible characters
    next (so they cannot split a word), emoji to words, case folding, accents, then per-token
    confusables and leetspeak, then split letters and repeats, and finally whitespace.
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text)
    text = replace_emoji(text)
    text = text.casefold()
    text = strip_accents(text)
    latin_context = _is_latin_dominant(text)
    text = _TOKEN_RE.sub(lambda m: fold_leet(fold_confusables(m.group(0), latin_context)), text)
    text = join_split_letters(text)
    text = squeeze_repeats(text)
    return _SPACE_RE.sub(" ", text).strip()
