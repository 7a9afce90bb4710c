"""The text normaliser takes any Unicode an attacker can send and never raises (issue 15)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genguard.detectors.intent.normalise import normalise

#: Any code point, surrogates included (a JSON body can carry a lone one), plus the blocks
#: attackers use: combining marks, zero-width and bidi controls, confusables, emoji.
ANY_TEXT = st.text(st.characters(codec=None), max_size=300)
TRICKS = st.text(st.sampled_from(list("a\u0301\u200b\u200d\u202e\ufeff\u0430\u043e\u0435\U0001f351\U0001f346"
                                      "5$@0!|\u00e9\u0131\u0130\u1e9e\ufb01\u2160")), max_size=200)


@settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(ANY_TEXT, TRICKS))
def test_any_unicode_in_a_string_out(text: str) -> None:
    out = normalise(text)
    assert isinstance(out, str)
    assert isinstance(normalise(out), str)
