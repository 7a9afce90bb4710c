"""Read labelled prompt files (the shared dev-set schema) and split them reproducibly.

Both offline tools read them: training fits on the ``train`` rows, evaluation reports on the
``holdout`` rows. The module sits below both (not in ``eval``) so that neither imports the other
for it; ``eval`` may import ``training`` (``eval.by_source`` retrains the first stage), never
the reverse.

The split is a salted hash of the normalised text, independent of the dev/hidden split the
data set itself uses, so training on ``train`` rows and reporting on ``holdout`` rows gives an
honest estimate for the committed model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from genguard.errors import GenguardError

LABELS = ("block", "allow", "review")
#: 1 in HOLDOUT_MOD rows (by hash) are held out from training.
HOLDOUT_MOD = 5
_SALT = "genguard-intent-holdout-v1:"


class EvalDataError(GenguardError):
    """A prompt file is missing, not JSON Lines, or a row lacks the required fields."""

    code = "eval_data_invalid"
    status = 422


@dataclass(frozen=True)
class PromptRow:
    id: str
    text: str
    label: str
    category: str
    flags: tuple[str, ...] = field(default_factory=tuple)
    #: The row's ``source`` field (``owner/repo/path`` of the text's origin), "" when absent.
    source: str = ""
    #: Stem of the file the row was read from (one data set per file in the shared dev set).
    file: str = ""


def default_prompts_dir() -> Path:
    """``<repo>/../shared/data/prompts``: the dev set sits beside the checkout (and in CI)."""
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "prompts"


def is_holdout(text: str) -> bool:
    """True for the ~20 % of texts held out from training (stable across runs and machines)."""
    key = " ".join(text.split()).lower()
    digest = hashlib.sha256((_SALT + key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % HOLDOUT_MOD == 0


def read_prompts(path: Path) -> list[PromptRow]:
    """Rows of one ``.jsonl`` file, or of every ``*.jsonl`` in a folder (sorted by name)."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise EvalDataError(f"no .jsonl files in {path}", code="eval_data_empty")
    elif path.is_file():
        files = [path]
    else:
        raise EvalDataError(f"{path} does not exist", code="eval_data_missing")
    rows: list[PromptRow] = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            rows.append(_parse(line, f"{file.name}:{number}", file.stem))
    if not rows:
        raise EvalDataError(f"no rows in {path}", code="eval_data_empty")
    return rows


def _parse(line: str, where: str, file: str) -> PromptRow:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise EvalDataError(f"{where}: a row must be a JSON object")
    text, label = record.get("text"), record.get("label")
    if not isinstance(text, str) or not isinstance(label, str):
        raise EvalDataError(f"{where}: 'text' and 'label' must be strings")
    if label not in LABELS:
        raise EvalDataError(f"{where}: label {label!r} is not one of {LABELS}")
    category = record.get("category", label)
    flags = record.get("flags", [])
    return PromptRow(
        id=str(record.get("id", where)),
        text=text,
        label=label,
        category=str(category),
        flags=tuple(str(f) for f in flags) if isinstance(flags, list) else (),
        source=str(record.get("source", "")),
        file=file,
    )
