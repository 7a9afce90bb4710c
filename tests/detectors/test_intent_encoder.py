"""The intent model's second stage: when it runs, what its score does, and failing closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_files import altered_copy

from genguard.detectors.intent import model as model_module
from genguard.detectors.intent.encoder import ENCODER_DIR, MODEL_FILE, EncoderError, IntentEncoder, intent_encoder
from genguard.detectors.intent.model import SEXUAL, IntentModel, ModelArtefactError
from genguard.detectors.intent.normalise import normalise
from genguard.signals import IntentCategory as C


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel()


class Spy:
    """Records what reaches the encoder; answers with the real encoder or a fixed score."""

    def __init__(self, answer: float | None = None) -> None:
        self.seen: list[str] = []
        self.answer = answer

    def reads(self, normalised: str) -> bool:
        return intent_encoder().reads(normalised)

    def long_enough_to_raise(self, normalised: str) -> bool:
        return intent_encoder().long_enough_to_raise(normalised)

    def score(self, normalised: str) -> float:
        self.seen.append(normalised)
        return intent_encoder().score(normalised) if self.answer is None else self.answer


def test_plainly_benign_prompts_never_reach_the_encoder(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy()
    monkeypatch.setattr(model, "encoder", spy)
    texts = [normalise(t) for t in ("two dogs playing in the snow", "remove the background", "a bowl of soup")]
    model.predict_batch(texts)
    for text in texts:
        model.predict(text)
    assert spy.seen == []


def test_the_encoder_score_raises_the_umbrella_category_with_its_evidence(
    model: IntentModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the gate (0.20 after v11's shift), below the threshold: v11 scores it 0.38 ("a man and
    # a woman dancing", the example until v9, scores 0.17: under v11's higher gate). Until render
    # tags were read apart by the first stage too the example was "woman lying on a sofa, soft
    # light" (0.37; without "soft light" 0.54, which now stands).
    text = normalise("a woman lying on a sofa reading")
    monkeypatch.setattr(model, "encoder", Spy(answer=0.0))
    first = model.predict(text).scores
    assert 0.25 < max(first[c] for c in SEXUAL) < 0.5
    monkeypatch.setattr(model, "encoder", Spy(answer=0.999))
    high = model.predict(text)
    assert high.scores[C.EXPLICIT_SEXUAL] >= 0.5 and high.evidence[C.EXPLICIT_SEXUAL] == ["model:encoder"]
    assert model.predict_batch([text])[0][model.categories.index(C.EXPLICIT_SEXUAL)] == pytest.approx(
        high.scores[C.EXPLICIT_SEXUAL])
    monkeypatch.setattr(model, "encoder", Spy(answer=0.0))
    low = model.predict(text)
    assert "model:encoder" not in low.evidence.get(C.EXPLICIT_SEXUAL, [])  # the first stage's score stands


def test_the_real_encoder_separates_an_undress_request_from_a_benign_edit() -> None:
    encoder = intent_encoder()
    assert encoder.score(normalise("take off all her clothes")) > 0.9
    assert encoder.score(normalise("change the sky to a sunset")) < 0.1


def test_an_altered_or_missing_encoder_refuses_to_load(tmp_path: Path) -> None:
    altered = altered_copy(ENCODER_DIR, MODEL_FILE, tmp_path)
    with pytest.raises(EncoderError) as raised:
        IntentEncoder(altered)
    assert raised.value.code == "intent_encoder_invalid"
    (altered / "SHA256SUMS").unlink()
    with pytest.raises(EncoderError) as raised:
        IntentEncoder(altered)
    assert raised.value.code == "intent_encoder_missing"


def test_an_artefact_calibrated_with_another_encoder_refuses_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "encoder_sha256", lambda: "0" * 64)
    with pytest.raises(ModelArtefactError):
        IntentModel()


def test_the_encoder_is_not_asked_about_text_it_cannot_read(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = intent_encoder()
    assert encoder.reads(normalise("strip the paint off the wall"))
    for text in ("décape la peinture du mur", "gömlekli bir adam", "去掉背景", "दीवार से पेंट उतारो"):
        assert not encoder.reads(normalise(text)), text
    spy = Spy(answer=0.999)
    monkeypatch.setattr(model, "encoder", spy)
    model.predict(normalise("décape la peinture du mur"))
    assert spy.seen == []


def test_a_prompt_the_first_stage_blocks_keeps_its_categories(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(answer=0.999)
    monkeypatch.setattr(model, "encoder", spy)
    scores = model.predict(normalise("put her in a bikini")).scores
    assert scores[C.REVEALING_CLOTHING] >= 0.5 and spy.seen == []


def _first_stage_block(model: IntentModel, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    """``text`` normalised, after checking the first stage alone blocks it (the encoder agrees)."""
    normalised = normalise(text)
    monkeypatch.setattr(model, "encoder", Spy(answer=0.99))
    assert max(model.predict(normalised).scores[c] for c in SEXUAL) >= model.threshold
    return normalised


def test_a_first_stage_block_without_a_named_term_needs_the_encoder_to_agree(
    model: IntentModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v11: two different models, or a lexicon term, before a learned block."""
    text = _first_stage_block(model, monkeypatch, "a woman posing on a bed")
    monkeypatch.setattr(model, "encoder", Spy(answer=0.02))
    vetoed = model.predict(text)
    assert max(vetoed.scores[c] for c in SEXUAL) < model.threshold
    assert vetoed.evidence[C.EXPLICIT_SEXUAL] == ["model:first-stage-unconfirmed-by-encoder"]
    row = model.predict_batch([text])[0]
    assert max(row[model.categories.index(c)] for c in SEXUAL) < model.threshold  # the batch path agrees
    monkeypatch.setattr(model, "encoder", Spy(answer=model._agree))  # at the bar: confirmed
    assert max(model.predict(text).scores[c] for c in SEXUAL) >= model.threshold


def test_a_named_term_or_unreadable_text_needs_no_confirmation(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(answer=0.0)
    for text in ("a nude woman on a bed", "eine nackte Frau auf dem Bett"):
        normalised = normalise(text)
        monkeypatch.setattr(model, "encoder", spy)
        assert max(model.predict(normalised).scores[c] for c in SEXUAL) >= model.threshold, text
    assert normalise("a nude woman on a bed") not in spy.seen  # the term decides; the encoder is not asked


def test_the_encoder_reads_no_single_word(model: IntentModel) -> None:
    encoder = intent_encoder()
    assert not encoder.reads(normalise("romance")) and not encoder.reads(normalise("beauty"))
    assert encoder.reads(normalise("a romance novel"))


@pytest.mark.parametrize("text", ["a woman", "a woman posing", "a lady"])
def test_the_encoder_raises_nothing_under_four_words(model: IntentModel, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """v12 scored "a woman" 0.905: two or three words give it no request to read."""
    monkeypatch.setattr(model, "encoder", Spy(answer=0.999))
    prediction = model.predict(normalise(text))
    assert "model:encoder" not in prediction.evidence.get(C.EXPLICIT_SEXUAL, [])
    assert max(prediction.scores[c] for c in SEXUAL) < 0.5
    encoder = intent_encoder()
    assert encoder.reads(normalise(text)) and not encoder.long_enough_to_raise(normalise(text))
    assert encoder.long_enough_to_raise(normalise("a woman lying on a sofa"))



@pytest.mark.parametrize(("text", "foreign"), [
    ("geleneksel türk kahvesi ve lokum, bakır tepsi, yemek fotoğrafı", True),
    ("हिमालय की बर्फीली चोटियों पर सूर्योदय, बादल, 8k फोटो", True),
    ("떡볶이와 김밥이 놓인 포장마차, 밤, 네온 불빛, 음식 사진", True),
    ("penari bali dengan kostum tradisional dan mahkota emas, potret", True),
    ("hiding bare skin, beautiful, suntanned hypnosis, disheveled and begrimed, antimatter blobs", False),
    ("a cozy cabin in a snowy forest, 8k, octane render", False),
    ("nymphettes", False),  # one word: the first stage was trained on short words of every language
    # Since 2026-12-07 (FOREIGN_SHARE 0.45): short words that are also WordPiece tokens ("wa", "ya",
    # "la", "een") no longer keep such text out of the other-language rules.
    ("mchoro wa moyo wa binadamu kwa ajili ya somo la biolojia", True),
    ("een badkamer met een vrijstaand bad, groene tegels en planten bij het raam", True),
])
def test_text_in_another_language_is_unread_by_the_second_stage(model: IntentModel, text: str, foreign: bool) -> None:
    """Measured on the sixth blind probe: the first stage alone scored such text 0.5-0.93."""
    assert model.unread(normalise(text)) is foreign


@pytest.mark.parametrize("text", ["猫がラーメン食べてる絵かいて", "画一张健身房撸铁的表情包"])
def test_unspaced_chinese_and_japanese_count_a_word_per_character(model: IntentModel, text: str) -> None:
    """Until 2026-12-07 an unspaced sentence was one word, under MIN_WORDS: never another language."""
    assert model.unread(normalise(text))
    assert not intent_encoder().reads(normalise(text))
