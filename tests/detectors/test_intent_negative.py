"""Negative prompts are read as what they ask for (``detectors.intent.negative``)."""

from __future__ import annotations

import pytest

from genguard.detectors.intent.negative import positive_reading


@pytest.mark.parametrize(("text", "expected"), [
    ("1girl, solo, hoodie, city at night, (sfw:1.3), Negative prompt: nsfw, cleavage, lowres",
     "1girl, solo, hoodie, city at night, (sfw:1.3)"),
    ("woman on a beach, Negative prompt: clothes, (bikini:1.2), censored, blurry",
     "woman on a beach, without clothes, without bikini, uncensored nsfw"),
    ("portrait of a woman --no clothing, bra --v 6", "portrait of a woman, without clothing, without bra, --v 6"),
    ("woman, negative: fully clothed, low quality", "woman, without clothes"),
    ("a red fox in snow --no people, text --ar 3:2", "a red fox in snow, --ar 3:2"),
    ("a woman\nNegative prompt: clothes, bra\nSteps: 20", "a woman, without clothes, without bra, Steps: 20"),
    ("Prompt negativo: nsfw, desnudo, baja calidad. Un caballero medieval frente a un castillo",
     "Un caballero medieval frente a un castillo"),
    ("(傑作), 魔法使いの少年, 星空, ネガティブプロンプト: nsfw, 裸, 低品質", "(傑作), 魔法使いの少年, 星空"),
    ("negative_prompt = nude, naked", ""),
    ("a hat and coat on a peg, Negative prompt: hat", "a hat and coat on a peg"),
])
def test_the_negative_section_is_rewritten(text: str, expected: str) -> None:
    assert positive_reading(text) == expected


@pytest.mark.parametrize("text", ["a cat on a sofa", "the negative of a film photo", "say no to war", "--no"])
def test_text_without_a_negative_section_is_unchanged(text: str) -> None:
    assert positive_reading(text) == text


def test_the_whole_decision_reads_the_rewrite(detectors) -> None:  # noqa: ANN001 - the session's real detectors
    from genguard.guard import Guard
    from genguard.request import ScreenRequest
    from genguard.verdict import Decision

    careful = "1girl, solo, hoodie, headphones, city at night, neon, Negative prompt: nsfw, nude, cleavage, lowres"
    undressing = "photo of a woman on a beach, Negative prompt: clothes, bikini, censored"
    with Guard(detectors=detectors) as guard:
        allowed, blocked = guard.screen_many([ScreenRequest(kind="generate", prompt=careful),
                                              ScreenRequest(kind="generate", prompt=undressing)])
    assert allowed.decision is Decision.ALLOW, allowed.reasons
    assert blocked.decision is Decision.BLOCK
    assert "without clothes" in (blocked.signals.intent.normalised_text if blocked.signals.intent else "")


def test_a_service_whose_generator_ignores_the_syntax_reads_every_word() -> None:
    from genguard.config import Settings
    from genguard.detectors.intent import IntentDetector

    careful = "a knight in armour, Negative prompt: nsfw, nude, naked"
    honoured = IntentDetector().detect(careful, [])
    literal = IntentDetector(settings=Settings(negative_prompts="literal")).detect(careful, [])
    assert honoured.semantics is not None and honoured.semantics.coverage == 3
    assert literal.semantics is not None and literal.semantics.coverage == 0


def test_an_unknown_reading_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from genguard.config import ConfigError, Settings

    monkeypatch.setenv("GENGUARD_NEGATIVE_PROMPTS", "sometimes")
    with pytest.raises(ConfigError, match="GENGUARD_NEGATIVE_PROMPTS"):
        Settings()


def test_a_maximal_hostile_negative_list_is_read_in_bounded_time() -> None:
    """8,000 characters of two-thousand made-up terms: one parse of the list, not one per term."""
    import random
    import string
    import time

    rng = random.Random(0)
    terms = ["".join(rng.choice(string.ascii_lowercase) for _ in range(3)) for _ in range(2000)]
    positive_reading("warm up, Negative prompt: bra")
    for head in ("a cat, Negative prompt: ", "a cat, Negative prompt: bra, "):
        text = (head + ", ".join(terms))[:8000]
        started = time.perf_counter()
        read = positive_reading(text)
        assert time.perf_counter() - started < 2.0
        assert ("without bra" in read) is ("bra" in head)
