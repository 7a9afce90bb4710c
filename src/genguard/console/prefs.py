"""Per-user console settings (today: whether media starts revealed), keyed by API key id.

Kept in ``<home>/console-prefs.json``, written whole to a temporary file and renamed, so a
reader in any worker sees the old or the new file, never half of one. Media starts blurred
unless the user has chosen otherwise.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Prefs:
    reveal_media: bool = False


class PrefStore:
    def __init__(self, home: Path) -> None:
        self.path = home / "console-prefs.json"

    def _all(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key_id: int) -> Prefs:
        saved = self._all().get(str(key_id), {})
        return Prefs(reveal_media=saved.get("reveal_media") is True)

    def set(self, key_id: int, prefs: Prefs) -> None:
        with _LOCK:
            data = self._all()
            data[str(key_id)] = asdict(prefs)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".console-prefs.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, self.path)
