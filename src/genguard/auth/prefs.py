"""Per-user console settings (today: whether media starts revealed), keyed by API key id.

They belong to the key (the person behind it), not to a page, so they live with the keys and
pages reach them through :func:`genguard.web.services.prefs`.

Kept in the ``console_prefs`` table, so every worker and host serving the console reads the same
setting. Media starts blurred unless the user has chosen otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from genguard.store.db import Store
from genguard.auth.tables import ConsolePrefsRow
from genguard.store.base import utcnow


@dataclass(frozen=True, slots=True)
class Prefs:
    reveal_media: bool = False


class PrefStore:
    """The console's own table behind one small service: pages ask it, never the table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key_id: int) -> Prefs:
        with self.store.transaction() as session:
            row = session.get(ConsolePrefsRow, key_id)
            return Prefs(reveal_media=row.reveal_media) if row is not None else Prefs()

    def set(self, key_id: int, prefs: Prefs) -> None:
        """Insert or update; two first saves racing each other end as the later one."""
        for _ in range(2):
            try:
                with self.store.transaction() as session:
                    row = session.get(ConsolePrefsRow, key_id)
                    if row is None:
                        session.add(ConsolePrefsRow(key_id=key_id, reveal_media=prefs.reveal_media))
                    else:
                        row.reveal_media = prefs.reveal_media
                        row.updated_at = utcnow()
                return
            except IntegrityError:
                continue  # another worker inserted the row first: update it instead
        raise RuntimeError(f"could not save console settings for key {key_id}")
