"""Seen content and retro-scan: when a hash is banked, which copies has genguard already seen?

Screening records the hashes (never pixels) of every image it looks at in ``seen_content`` (one
row per item: its SHA-256 identity and PDQ) and ``seen_hashes`` (one row per exact-type value,
any registered exact type). Adding entries to a bank searches them: exact hashes through the
``(signal_type, value)`` index of ``seen_hashes``, PDQ by
Hamming distance over the stored PDQ and its seven rotations/flips in chunks (brute force for a
few new hashes, a multi-index table over the new hashes for a large import), so a mirrored or
turned copy seen before its original was banked is found too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

import numpy as np
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from genguard.banks.signal_types import SignalType, kinds
from genguard.banks.index.codes import hamming, pdq_codes
from genguard.banks.index.mih import MultiIndexHashIndex
from genguard.banks.model import MIN_PDQ_QUALITY, BankInfo, RetroHit, Seen
from genguard.banks.tables import SeenContentRow, SeenHashRow
from genguard.escalations import queue

#: Seen rows read per step of a PDQ retro-scan.
_CHUNK = 100_000
#: Up to this many new PDQ hashes, scan each against a chunk directly; more, index them.
_BRUTE_MAX = 64
#: The columns of a :class:`Seen` view, in its field order (read as plain rows, no ORM objects).
_SEEN = (SeenContentRow.id, SeenContentRow.seen_at, SeenContentRow.source, SeenContentRow.ref,
         SeenContentRow.sha256, SeenContentRow.pdq, SeenContentRow.pdq_quality, SeenContentRow.pdq_variants)
#: The nearest type seen content keeps in its own columns (``pdq``, ``pdq_quality``, ``pdq_variants``).
_PDQ = SignalType.PDQ.value


def record_seen(
    session: Session, *, source: str, ref: str | None, now: datetime, pdq_quality: int | None = None,
    pdq_variants: Sequence[str] = (), **hashes: str | None,
) -> None:
    """Remember an item's hashes, named by signal type (``sha256=`` is required: the item's
    identity; ``pdq=`` with its quality and variants; any registered exact type by its name)."""
    sha256 = hashes.get("sha256")
    if not sha256:
        raise ValueError("a seen item needs its sha256 (its identity)")
    exact = {k.signal_type.value for k in kinds("exact")}
    unknown = set(hashes) - exact - {_PDQ}
    if unknown:
        raise ValueError(f"seen content keeps no {', '.join(sorted(unknown))} (not a registered exact type)")
    row = SeenContentRow(seen_at=now, source=source, ref=ref, sha256=sha256, pdq=hashes.get(_PDQ) or None,
                         pdq_quality=pdq_quality, pdq_variants="".join(pdq_variants) or None)
    session.add(row)
    session.flush()
    session.add_all(SeenHashRow(seen_id=row.id, signal_type=name, value=value)
                    for name, value in hashes.items() if name in exact and value)


class Banked(NamedTuple):
    """A newly banked entry, as the retro-scan needs it."""

    id: int
    signal_type: str
    value: str


def retro_scan(session: Session, entries: Sequence[Banked], bank: BankInfo) -> list[RetroHit]:
    """Seen items that ``entries`` (new, active entries of ``bank``) match."""
    hits: list[RetroHit] = []
    for kind in kinds("exact"):
        name = kind.signal_type.value
        by_value = {e.value: e.id for e in entries if e.signal_type == name}
        for chunk in _chunks(list(by_value), 500):
            query = (select(*_SEEN, SeenHashRow.value).join(SeenHashRow, SeenHashRow.seen_id == SeenContentRow.id)
                     .where(SeenHashRow.signal_type == name, SeenHashRow.value.in_(chunk))
                     .order_by(SeenContentRow.id))
            for row in session.execute(query):
                hits.append(_hit(by_value[row[-1]], bank, Seen(*row[:-1]), name, 0))
    pdq = [e for e in entries if e.signal_type == _PDQ]
    if pdq:
        hits += _pdq_hits(session, pdq, bank)
    return hits


def escalate(session: Session, hits: Sequence[RetroHit]) -> None:
    """One escalation per copy found, for the case system to pick up."""
    for hit in hits:
        queue.escalate(session, "BANK_RETRO_MATCH", hit.public())


def _pdq_hits(session: Session, entries: Sequence[Banked], bank: BankInfo) -> list[RetroHit]:
    matcher = PdqMatcher(entries, bank)
    hits: list[RetroHit] = []
    last = 0
    while rows := seen_rows(session, after=last, limit=_CHUNK, pdq_only=True):
        last = rows[-1].id
        hits += matcher.hits(rows)
    return hits


def seen_rows(session: Session, *, after: int, limit: int, pdq_only: bool = False) -> list[Seen]:
    """The next ``limit`` seen items with id over ``after``, in id order, with their exact
    values (``pdq_only``: those with a PDQ of matchable quality, without exact values: the PDQ
    scan reads nothing else)."""
    query = select(*_SEEN).where(SeenContentRow.id > after)
    if pdq_only:
        query = query.where(SeenContentRow.pdq.is_not(None), SeenContentRow.pdq_quality >= MIN_PDQ_QUALITY)
        return [Seen(*row) for row in session.execute(query.order_by(SeenContentRow.id).limit(limit))]
    rows = session.execute(query.order_by(SeenContentRow.id).limit(limit)).all()
    if not rows:
        return []
    # The page holds every item with after < id <= its last id: one range read of the child rows.
    exact = _exact_values(session, SeenHashRow.seen_id > after, SeenHashRow.seen_id <= rows[-1][0])
    return [Seen(*row, exact=exact.get(row[0], {})) for row in rows]


def seen_item(session: Session, seen_id: int) -> Seen | None:
    """One seen item by id, or None."""
    row = session.execute(select(*_SEEN).where(SeenContentRow.id == seen_id)).first()
    if row is None:
        return None
    return Seen(*row, exact=_exact_values(session, SeenHashRow.seen_id == seen_id).get(seen_id, {}))


def _exact_values(session: Session, *where: ColumnElement[bool]) -> dict[int, Mapping[str, str]]:
    """seen id -> {signal type: value} of the ``seen_hashes`` rows ``where`` selects, in
    registration order of the types (a type no longer registered is left out)."""
    found: dict[int, dict[str, str]] = {}
    for seen_id, signal_type, value in session.execute(
        select(SeenHashRow.seen_id, SeenHashRow.signal_type, SeenHashRow.value).where(*where)
    ):
        found.setdefault(seen_id, {})[signal_type] = value
    order = [k.signal_type.value for k in kinds("exact")]
    return {i: {t: v[t] for t in order if t in v} for i, v in found.items()}


def seen_counts(session: Session, *, after: int) -> tuple[int, int]:
    """How many seen items have an id up to ``after``, and how many over it."""
    upto = session.scalar(select(func.count()).select_from(SeenContentRow).where(SeenContentRow.id <= after)) or 0
    over = session.scalar(select(func.count()).select_from(SeenContentRow).where(SeenContentRow.id > after)) or 0
    return upto, over


class PdqMatcher:
    """New PDQ entries, ready to search chunks of seen rows (brute force or a multi-index table)."""

    def __init__(self, entries: Sequence[Banked], bank: BankInfo) -> None:
        pdq = [e for e in entries if e.signal_type == _PDQ]
        self.bank = bank
        self.codes = pdq_codes([e.value for e in pdq])
        self.ids = np.array([e.id for e in pdq], dtype=np.int64)
        self.index = MultiIndexHashIndex.from_arrays(self.codes, self.ids) if len(pdq) > _BRUTE_MAX else None

    def hits(self, rows: Sequence[Seen]) -> list[RetroHit]:
        """Hits among ``rows`` (rows without a matchable PDQ are skipped), nearest variant each."""
        rows = [r for r in rows if r.pdq is not None and (r.pdq_quality or 0) >= MIN_PDQ_QUALITY]
        if not rows or not len(self.ids):
            return []
        owner, values = _seen_codes(rows)
        nearest: dict[tuple[int, int], int] = {}
        for code_pos, entry_id, distance in _pairs(pdq_codes(values), self.codes, self.ids, self.index,
                                                   self.bank.pdq_threshold):
            key = (int(owner[code_pos]), entry_id)
            nearest[key] = min(distance, nearest.get(key, distance))
        return [_hit(entry_id, self.bank, rows[pos], _PDQ, d) for (pos, entry_id), d in sorted(nearest.items())]


def exact_hits(rows: Sequence[Seen], entries: Sequence[Banked], bank: BankInfo) -> list[RetroHit]:
    """Exact-type hits of ``entries`` among ``rows`` (a chunk read by :func:`seen_rows`)."""
    hits: list[RetroHit] = []
    for kind in kinds("exact"):
        name = kind.signal_type.value
        by_value = {e.value: e.id for e in entries if e.signal_type == name}
        hits += [_hit(by_value[v], bank, r, name, 0) for r in rows if (v := r.exact.get(name)) in by_value]
    return hits


def _seen_codes(rows: Sequence[Seen]) -> tuple[np.ndarray, list[str]]:
    """Every stored PDQ of the rows (original, then its variants) and the row position of each."""
    owner: list[int] = []
    values: list[str] = []
    for pos, row in enumerate(rows):
        turned = row.pdq_variants or ""
        for value in [row.pdq or "", *(turned[i : i + 64] for i in range(0, len(turned), 64))]:
            owner.append(pos)
            values.append(value)
    return np.asarray(owner, dtype=np.int64), values


def _pairs(
    seen: np.ndarray, codes: np.ndarray, ids: np.ndarray, index: MultiIndexHashIndex | None, radius: int
) -> Iterator[tuple[int, int, int]]:
    """(seen position, entry id, distance) of every pair within ``radius``."""
    if index is None:
        for code, entry_id in zip(codes, ids, strict=True):
            dist = hamming(seen, code)
            for pos in np.flatnonzero(dist <= radius):
                yield int(pos), int(entry_id), int(dist[pos])
        return
    for seen_pos, found in enumerate(index.search_batch(seen, radius)):
        for entry_id, distance in found.as_pairs():
            yield seen_pos, entry_id, distance


def _hit(entry_id: int, bank: BankInfo, row: Seen, signal_type: str, distance: int) -> RetroHit:
    return RetroHit(entry_id, bank.name, row.id, row.source, row.ref, row.seen_at, signal_type, distance)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
