"""The second stage of the intent model: a fine-tuned sentence encoder for the uncertain prompts.

The hashed n-gram model (``model.py``) misses prompts whose intent is carried by meaning rather
than by words it has seen ("clothes forgotten", a boudoir scene described in style words).
all-MiniLM-L6-v2 (Apache-2.0), fine-tuned on the same examples (``training/encoder.py``) and run
as int8 ONNX, reads those better, but costs ~4 ms a prompt on this CPU against ~0.7 ms. So
``model.IntentModel`` asks it only about prompts the first stage finds suspicious without
blocking (calibrated block score at least the artefact's gate, 0.02: 6 % of benign dev captions
and edits) and that it can read (``reads``); it blocks on its own only past the artefact's cut.

The vendored files are sha256-checked before use: an altered or missing encoder stops the
intent detector from loading, which fails screening closed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np

from genguard.detectors.runtime import onnx_session, verified_files
from genguard.errors import GenguardError

ENCODER_DIR: Final = Path(__file__).with_name("encoder")
MODEL_FILE: Final = "encoder-int8.onnx"
TOKENIZER_FILE: Final = "tokenizer.json"
#: Longer prompts are cut; training used the same limit.
MAX_TOKENS: Final = 64
#: The encoder is English-only (an English WordPiece vocabulary): it is asked only about prompts
#: whose words are at least this share whole ASCII words of its vocabulary. Text it cannot read
#: gets confident-looking nonsense scores: French "décape la peinture du mur" (strip the paint
#: off the wall, 2 of 5 words readable) scored 0.90. Cross-validated, the rule costs 1 of 248
#: sexual dev rows (0.6 % of dev rows fall below it).
READABLE_SHARE: Final = 0.6
#: Text with fewer than this share of the encoder's words is in another language: English with
#: rare words ("begrimed", "antimatter") stays above it, Turkish, Hindi or Korean falls below.
#: 0.45 since 2026-12-07 (0.3 before): Swahili, Dutch, German or Yoruba sentences whose short
#: words ("wa", "ya", "met", "een") are also WordPiece tokens sat between 0.3 and 0.6, read by
#: neither the encoder nor the rules for text only the first stage reads, so the first stage
#: alone blocked them ("Mchoro wa moyo wa binadamu ...", a drawing of the human heart, 0.65).
#: On a development probe of 400 ordinary prompts 5 fewer were blocked, with the development
#: sets' sexual and adversarial rows blocked as before (0.5 and above lost some of those).
FOREIGN_SHARE: Final = 0.45
#: Nor about a single word: it was trained on prompts, and one word is outside what it has seen
#: ("romance" 0.92, "beauty" 0.88). Out of fold (v11) it fired on two one-word rows, both benign
#: short words, and on no sexual one; the first stage reads single words alone.
MIN_WORDS: Final = 2
#: The encoder raises a score on its own only from this many words; shorter text it only
#: confirms or not. Two or three words give it no request to read, and v12 (trained on the
#: styled prompts) scored "a woman" 0.905 and "a woman posing" 0.98, while out of fold it
#: raised no sexual or adversarial row of three words or fewer (the first stage and the lexicon
#: read those: "nude woman") and two benign ones ("The girl", "A female").
RAISE_MIN_WORDS: Final = 4
_WORD = re.compile(r"\w+")
#: For telling another language: Chinese characters and Japanese kana one word each, since those
#: scripts put no spaces between words ("猫がラーメン食べてる絵かいて" is not one word).
_FOREIGN_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class EncoderError(GenguardError):
    """The encoder's files are missing or altered."""

    code = "intent_encoder_invalid"
    status = 500


class IntentEncoder:
    """Probability that a normalised prompt asks for sexual imagery; ``score`` is thread-safe."""

    def __init__(self, model_dir: Path = ENCODER_DIR) -> None:
        from tokenizers import Tokenizer

        files = verified_files(model_dir, EncoderError, "intent_encoder")
        if set(files) != {MODEL_FILE, TOKENIZER_FILE}:
            raise EncoderError(f"{model_dir}/SHA256SUMS must list {MODEL_FILE} and {TOKENIZER_FILE}")
        self._session = onnx_session(files[MODEL_FILE], threads=1)
        self._tokenizer = Tokenizer.from_str(files[TOKENIZER_FILE].decode("utf-8"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._vocabulary = frozenset(self._tokenizer.get_vocab())

    def reads(self, normalised: str) -> bool:
        """Whether the prompt has at least MIN_WORDS words and enough of them are whole words of
        the encoder's vocabulary (training applies the same rule through this method)."""
        words, known = self._known(normalised)
        return words >= MIN_WORDS and known >= READABLE_SHARE * words

    def long_enough_to_raise(self, normalised: str) -> bool:
        """Whether the prompt has the RAISE_MIN_WORDS words the encoder needs to raise a score on
        its own. Callers check ``reads`` first; the vocabulary lookup is not done twice."""
        return len(_WORD.findall(normalised)) >= RAISE_MIN_WORDS

    def foreign(self, normalised: str) -> bool:
        """Whether the prompt has at least MIN_WORDS words and under FOREIGN_SHARE of them are
        the encoder's: written in another language, not merely unusual English. Chinese and
        Japanese count a word per character: until 2026-12-07 an unspaced sentence counted as one
        word, under MIN_WORDS, so the first stage alone decided it ("猫がラーメン食べてる絵かいて",
        draw a cat eating ramen, 0.73)."""
        words, known = self._known(normalised, _FOREIGN_WORD)
        return words >= MIN_WORDS and known < FOREIGN_SHARE * words

    def _known(self, normalised: str, word: re.Pattern[str] = _WORD) -> tuple[int, int]:
        """(words, words that are whole ASCII words of the encoder's vocabulary)."""
        words = word.findall(normalised)
        return len(words), sum(w.isascii() and w in self._vocabulary for w in words)

    def score(self, normalised: str) -> float:
        ids = np.asarray([self._tokenizer.encode(normalised).ids], dtype=np.int64)
        logit = float(self._session.run(None, {"ids": ids, "mask": np.ones_like(ids)})[0][0])
        return 1.0 / (1.0 + np.exp(-logit))


def encoder_sha256(model_dir: Path = ENCODER_DIR) -> str:
    """The ONNX file's sha256 as listed: recorded in the intent artefact, checked at load."""
    for line in (model_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        if name == MODEL_FILE:
            return digest
    raise EncoderError(f"{model_dir}/SHA256SUMS does not list {MODEL_FILE}", code="intent_encoder_missing")


@lru_cache(maxsize=1)
def intent_encoder() -> IntentEncoder:
    """The process-wide encoder (23 MB of int8 weights), loaded on first use."""
    return IntentEncoder()
