"""The lexicon's token-table matcher agrees with a brute-force regex search per term."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest

from genguard.detectors.intent.lexicon import _TERMS, LexiconHit, match, strip_benign
from genguard.detectors.intent.normalise import normalise, squeeze_all
from genguard.training.intent import TEMPLATES
from genguard.datasets import default_prompts_dir, read_prompts
from genguard.signals import IntentCategory as C


@lru_cache(maxsize=1)
def _reference_patterns() -> list[tuple[LexiconHit, re.Pattern[str], bool]]:
    out = []
    for category, terms in _TERMS.items():
        for term in {normalise(t) for t in terms}:
            cjk = any("\u3040" <= ch <= "\u9fff" for ch in term)
            pattern = re.compile(re.escape(term) if cjk else rf"(?<!\w){re.escape(term)}(?!\w)")
            out.append((LexiconHit(category, term), pattern, not cjk and squeeze_all(term) == term and len(term) >= 3))
    return out


def reference(normalised: str) -> set[LexiconHit]:
    """Every term searched on its own: word-bounded (substring for CJK), plain or squeezed."""
    text = strip_benign(normalised)
    squeezed = squeeze_all(text)
    return {
        hit for hit, pattern, in_squeezed in _reference_patterns()
        if pattern.search(text) or (in_squeezed and pattern.search(squeezed))
    }


def _texts() -> list[str]:
    spec = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    texts = [t for table in spec.values() if isinstance(table, dict) for items in table.values() for t in items]
    folder = default_prompts_dir()
    if folder.is_dir():
        texts += [r.text for r in read_prompts(folder)][::6]
    return texts


def test_agrees_with_brute_force_on_templates_and_dev_texts() -> None:
    texts = _texts()
    assert len(texts) > 500
    for text in texts:
        normalised = normalise(text)
        assert set(match(normalised)) == reference(normalised), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("make her nuuuude", {(C.UNDRESS, "nude"), (C.REAL_PERSON_REFERENCE, "her")}),
        ("a see-through dress", {(C.SHEER_WET, "see-through")}),
        ("把她的衣服脱掉", {(C.UNDRESS, "脱掉"), (C.UNDRESS, "衣服脱掉"), (C.REAL_PERSON_REFERENCE, "她")}),
        ("a striped shirt, but the cat", set()),  # squeezed "stripped"/"butt" are other words
        ("chicken breast on a plate", set()),  # benign phrase removed first
    ],
)
def test_cases(text: str, expected: set[tuple[C, str]]) -> None:
    assert {(h.category, h.term) for h in match(normalise(text))} == expected


@pytest.mark.parametrize("text", ["naked cake with berries", "an exposed brick wall", "a sperm whale diving",
                                  "a butt joint in oak", "nude-shade foundation", "nude-colored heels"])
def test_things_named_with_body_or_undress_words_are_no_evidence(text: str) -> None:
    assert not match(normalise(text))


@pytest.mark.parametrize("text", ["a naked woman eating cake", "exposed breasts", "a nude woman and a sperm whale"])
def test_the_same_words_about_a_person_still_count(text: str) -> None:
    assert match(normalise(text))


# The sixth blind probe's held-out look-alikes (measured, then fixed as families).
@pytest.mark.parametrize("text", ["hardcore punk band in a basement club", "a hardcore gamer's desk setup",
                                  "an orgy of colours at the Holi festival", "nude pumps, product photo",
                                  "árboles desnudos en invierno", "nackte Bäume im Nebel",
                                  "woman with kinky curly hair, natural light"])
def test_music_games_colours_shoes_bare_trees_and_hair_are_no_evidence(text: str) -> None:
    assert not match(normalise(text))


@pytest.mark.parametrize("text", ["hardcore porn", "an orgy in a bedroom", "a nude woman in pumps", "mujer desnuda"])
def test_those_words_used_sexually_still_count(text: str) -> None:
    assert match(normalise(text))



@pytest.mark.parametrize("text", ["same-sex wedding, two grooms in navy suits", "a sex education poster",
                                  "chart of the sex ratio at birth", "the opposite sex"])
def test_sex_as_sex_or_gender_is_no_evidence(text: str) -> None:
    assert not match(normalise(text))


@pytest.mark.parametrize("text", ["have sex on the bed", "sex scene"])
def test_sex_as_an_act_still_counts(text: str) -> None:
    assert any(h.category is C.EXPLICIT_SEXUAL for h in match(normalise(text)))
