"""The WordLlama token-vector view: read from the installed wheel, semantic, pinned by sha256."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from genguard.detectors.intent.embedding import token_embedding
from genguard.detectors.intent.model import ARTEFACT, IntentModel, ModelArtefactError
from genguard.training.intent import write_npz


def test_vectors_are_unit_length_and_deterministic() -> None:
    emb = token_embedding()
    for text in ["make her naked", "", "把她的衣服脱掉", "a b c"]:
        vector = emb.embed(text)
        assert vector.shape == (emb.dims,) and vector.dtype == np.float32
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
        assert np.array_equal(vector, emb.embed(text))


def test_related_words_are_closer_than_unrelated_ones() -> None:
    emb = token_embedding()
    nude, naked, fruit = (emb.embed(t) for t in ("a nude woman", "a naked woman", "a bowl of fruit"))
    assert float(nude @ naked) > float(nude @ fruit) + 0.2


def test_artefact_trained_on_other_vectors_is_refused(tmp_path: Path) -> None:
    with np.load(ARTEFACT, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(str(arrays["meta"]))
    assert meta["embedding_sha256"] == token_embedding().sha256
    meta["embedding_sha256"] = "0" * 64
    arrays["meta"] = np.asarray(json.dumps(meta, sort_keys=True))
    altered = tmp_path / "intent_model.npz"
    write_npz(altered, arrays)
    with pytest.raises(ModelArtefactError, match="WordLlama"):
        IntentModel(altered)


def test_pool_gives_the_mean_and_a_maximum_without_the_start_token() -> None:
    emb = token_embedding()
    for text in ["make her naked", "把她的衣服脱掉", "a woman, boudoir, highly detailed, artstation, 8k"]:
        mean, peak = emb.pool(text)
        assert np.array_equal(mean, emb.embed(text))
        assert abs(float(np.linalg.norm(peak)) - 1.0) < 1e-5
    ids = emb._tokenizer.encode("nude").ids  # <s> plus the word's pieces
    expected = emb.table[ids[1:]].astype(np.float32).max(axis=0)
    assert np.allclose(emb.pool("nude")[1], expected / np.linalg.norm(expected))
    # with <s> in the maximum the result would differ wherever <s> holds the largest value
    with_start = emb.table[ids].astype(np.float32).max(axis=0)
    assert not np.allclose(with_start / np.linalg.norm(with_start), emb.pool("nude")[1])
