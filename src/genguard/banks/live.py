"""One worker's in-memory PDQ index, kept in step with the database through the change log.

Start-up: load the newest snapshot file (its header says which log seq it covers) or, without
one, read every matchable PDQ entry; then apply the log after that seq. The snapshot is kept
fresh without an operator: a worker that had to read the database writes one, and every
compaction (when the delta outgrows its limit) rewrites it, so a restarting worker replays at
most about one delta of the log. Afterwards each search
first applies whatever the log gained since the last look (at most every ``poll_s`` seconds;
one indexed range query, usually empty). So a hash added through any worker matches on every
worker within ``poll_s`` plus one query, no worker ever reloads everything because another
changed something, and a worker that was idle catches up incrementally.

The index only proposes candidates: matching re-reads each candidate's entry and bank from the
database, so a withdrawal is effective at once even on a worker whose index has not caught up.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select

from genguard.banks import changelog
from genguard.banks.changelog import Change, ChangeOp
from genguard.banks.errors import IndexFileError
from genguard.banks.formats.records import EntryStatus, SignalType
from genguard.banks.index.base import Hits
from genguard.banks.index.codes import pdq_codes
from genguard.banks.index.mih import MultiIndexHashIndex
from genguard.banks.index.snapshot import load_index, save_index
from genguard.store.db import Store
from genguard.banks.tables import BankEntryRow

log = logging.getLogger(__name__)

#: Log rows applied per query while catching up.
_PAGE = 50_000


class LiveIndex:
    """A :class:`MultiIndexHashIndex` of matchable PDQ entries (ids = entry ids) plus its log seq."""

    def __init__(self, store: Store, *, snapshot_path: Path | None = None, poll_s: float = 0.2) -> None:
        self.store = store
        self.snapshot_path = snapshot_path
        self.poll_s = poll_s
        self._apply_lock = threading.Lock()
        self._index, self.seq = self._start()
        self._checked = 0.0
        self.catch_up(force=True)
        self._loaded_ids: np.ndarray | None = None  # only the first catch-up can overlap what the start read
        if self.snapshot_path is not None and self._from_database and len(self._index):
            threading.Thread(target=self._refresh_snapshot, name="genguard-bank-snapshot", daemon=True).start()

    def _start(self) -> tuple[MultiIndexHashIndex, int]:
        self._from_database = False
        self._loaded_ids = None
        if self.snapshot_path is not None and self.snapshot_path.exists():
            try:
                snap = load_index(self.snapshot_path)
            except IndexFileError as exc:  # a bad file costs a full read, never a wrong index
                log.error("ignoring bank index snapshot %s: %s", self.snapshot_path, exc.message)
            else:
                with self.store.transaction() as session:
                    head = changelog.head_seq(session)
                if snap.seq <= head:
                    return snap.index, snap.seq
                # Ahead of this database's log: it belongs to another database.
                log.error("ignoring bank index snapshot %s: seq %d is past the log head %d",
                          self.snapshot_path, snap.seq, head)
        with self.store.transaction() as session:
            seq = changelog.head_seq(session)
            rows = session.execute(
                select(BankEntryRow.id, BankEntryRow.value).where(
                    BankEntryRow.signal_type == SignalType.PDQ.value,
                    BankEntryRow.status == EntryStatus.ACTIVE.value,
                    BankEntryRow.tombstone.is_(False),
                )
            ).all()
        # Read after the head: anything committed in between is in the log too, and the first
        # catch-up skips the adds of entries already read.
        self._from_database = True
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        self._loaded_ids = ids
        spill_dir = None
        if self.snapshot_path is not None:
            spill_dir = self.snapshot_path.parent
            spill_dir.mkdir(parents=True, exist_ok=True)
        return MultiIndexHashIndex.from_arrays(pdq_codes([r[1] for r in rows]), ids, spill_dir=spill_dir), seq

    def __len__(self) -> int:
        return len(self._index)

    @property
    def nbytes(self) -> int:
        return self._index.nbytes

    def catch_up(self, *, force: bool = False) -> int:
        """Apply log rows after ``seq``; returns how many were applied."""
        if not force and time.monotonic() - self._checked < self.poll_s:
            return 0
        applied = 0
        with self._apply_lock:
            if not force and time.monotonic() - self._checked < self.poll_s:
                return 0  # another thread caught up while this one waited
            while True:
                with self.store.transaction() as session:
                    page = changelog.since(session, self.seq, _PAGE)
                self._apply(page)
                applied += len(page)
                if len(page) < _PAGE:
                    break
            self._checked = time.monotonic()
        if self._index.needs_compaction:
            self._index.compact_in_background(then=self._refresh_snapshot)
        return applied

    def _apply(self, changes: list[Change]) -> None:
        """Apply in log order, a run of adds or of removals at a time (a removal scans the
        compacted segment's ids, so one scan serves a whole run)."""
        run: list[Change] = []
        for change in changes:
            if change.signal_type != SignalType.PDQ.value:
                continue
            if run and run[-1].op is not change.op:
                self._apply_run(run)
                run = []
            run.append(change)
        if run:
            self._apply_run(run)
        if changes:
            self.seq = changes[-1].seq

    def _apply_run(self, run: list[Change]) -> None:
        ids = np.array([c.entry_id for c in run], dtype=np.int64)
        if run[0].op is ChangeOp.REMOVE:
            self._index.remove(ids)
            return
        fresh = np.ones(len(run), dtype=bool)
        if self._loaded_ids is not None:
            fresh = ~np.isin(ids, self._loaded_ids)
        self._index.add(pdq_codes([c.value for c, f in zip(run, fresh, strict=True) if f]), ids[fresh])

    def forget(self, entry_ids: list[int]) -> None:
        """Drop entries whose rows are gone (a deleted bank) from this worker's index."""
        if entry_ids:
            with self._apply_lock:
                self._index.remove(np.array(entry_ids, dtype=np.int64))

    def _refresh_snapshot(self) -> None:
        """Rewrite the snapshot (if there is a path); a failure is logged, never raised."""
        if self.snapshot_path is None:
            return
        try:
            self.save_snapshot()
        except Exception:  # noqa: BLE001 - a stale snapshot costs a longer replay, never a wrong index
            log.exception("could not refresh the bank index snapshot %s", self.snapshot_path)

    def search(self, codes: np.ndarray, radius: int) -> list[Hits]:
        self.catch_up()
        return self._index.search_batch(codes, radius)

    def save_snapshot(self, path: Path | None = None) -> int:
        """Write the index and the seq it covers; returns that seq."""
        target = path or self.snapshot_path
        if target is None:
            raise ValueError("no snapshot path configured")
        target.parent.mkdir(parents=True, exist_ok=True)
        with self._apply_lock:  # the arrays and the seq must describe the same moment
            save_index(self._index, target, seq=self.seq)
            return self.seq
