"""Each obfuscation the normaliser undoes, case by case, and ordinary text it must leave alone."""

from __future__ import annotations

import pytest

from genguard.detectors.intent.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｎｕｄｅ", "nude"),  # full-width letters (NFKC)
        ("𝐧𝐮𝐝𝐞", "nude"),  # mathematical bold letters (NFKC)
        ("nu\u200bde", "nude"),  # zero-width space
        ("nu\u00adde", "nude"),  # soft hyphen
        ("nu\u2060de", "nude"),  # word joiner
        ("nudе", "nude"),  # Cyrillic "е" inside a Latin word
        ("ѕеху", "sexy"),  # only look-alikes, inside Latin text context below
        ("nüdé", "nude"),  # accents on Latin letters
        ("n00de", "noode"),  # digits read as letters (later squeezed by the lexicon)
        ("s3xy", "sexy"),
        ("@ss", "ass"),
        ("n u d e", "nude"),  # letters split by spaces
        ("n.u.d.e", "nude"),  # ... by dots
        ("n-u-d-e", "nude"),  # ... by hyphens
        ("n*u*d*e", "nude"),  # ... by asterisks
        ("togli i v-e-s-t-i-t-i a lei", "togli i vestiti a lei"),  # one-letter words stay apart
        ("r e m o v e her c l o t h e s", "remove her clothes"),
        ("nuuuuude", "nuude"),  # repeated letters squeezed to two
        ("put her in a 👙", "put her in a bikini"),  # emoji with clothing meaning
        ("🍑", "butt"),
        ("REMOVE Her Clothes", "remove her clothes"),  # case
    ],
)
def test_obfuscations_are_undone(raw: str, expected: str) -> None:
    if raw == "ѕеху":
        assert normalise(f"make her {raw} now") == f"make her {expected} now"
    else:
        assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "сделай фото ярче",  # Russian stays Cyrillic
        "बिकिनी में",  # Devanagari vowel signs are kept
        "把背景换成海滩",  # Chinese unchanged
        "写真を明るくして",  # Japanese unchanged
        "اجعل الخلفية زرقاء",  # Arabic unchanged
        "a 35mm photo in 8k from 2024",  # sizes and years are not leetspeak
    ],
)
def test_real_language_text_is_kept(text: str) -> None:
    assert normalise(text) == text


def test_whitespace_collapsed() -> None:
    assert normalise("  add \n a   hat  ") == "add a hat"


@pytest.mark.parametrize(("text", "expected"), [
    ("make her nսde", "make her nude"),  # Armenian small letter seh
    ("remove her ᴄlothes", "remove her clothes"),  # Latin small capital c
    ("ᴛᴏᴘʟᴇꜱꜱ", "topless"),
    ("Հայաստան", "հայաստան"),  # a real Armenian word stays Armenian
])
def test_armenian_look_alikes_and_small_capitals_read_as_latin(text: str, expected: str) -> None:
    assert normalise(text) == expected
