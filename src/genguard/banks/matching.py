"""From an item's hashes to verified bank matches, and flood quarantine.

The PDQ index only proposes candidates; every candidate and every exact-hash hit is re-read
from the database with its bank and kept only if the entry is active and not deleted, its bank
is matching now (enabled, not disabled-until), and the distance is within that bank's own
threshold. Then: an allow-bank match suppresses the others; a flood-quarantined entry asks for
review instead of acting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from genguard.banks.formats.records import EntryStatus
from genguard.banks.signal_types import HashKind, kind_of, kinds
from genguard.banks.index.codes import pdq_codes
from genguard.banks.live import LiveIndex
from genguard.banks.model import MIN_PDQ_QUALITY, BankInfo, BankKind, EntryInfo, Match, MatchAction
from genguard.banks.tables import BankEntryHitRow, BankEntryRow, BankRow
from genguard.escalations.queue import escalate


@dataclass(frozen=True, slots=True)
class HashQuery:
    """An item's hashes. ``pdq`` holds (variant name, hex) pairs: the original and, for an
    image, its rotations and flips (see ``detectors.hashes.DIHEDRAL``)."""

    pdq: Sequence[tuple[str, str]] = ()
    pdq_quality: int | None = None
    md5: str | None = None
    sha256: str | None = None

    def exact(self) -> dict[HashKind, str]:
        """The values to look up exactly, by kind: each exact kind's value is the field named
        for its signal type (phase 2 replaces these fields with one mapping)."""
        found = {kind: getattr(self, kind.signal_type.value, None) for kind in kinds("exact")}
        return {kind: value for kind, value in found.items() if value}


@dataclass(slots=True)
class Lookup:
    matches: list[Match] = field(default_factory=list)
    #: True when a PDQ was given but its quality was under the bar, so it was not matched.
    quality_gated: bool = False


def pdq_candidates(index: LiveIndex, query: HashQuery, radius: int) -> dict[int, tuple[int, str]]:
    """entry id -> (smallest distance, variant that gave it), over every variant."""
    if not query.pdq:
        return {}
    found: dict[int, tuple[int, str]] = {}
    names = [name for name, _ in query.pdq]
    for name, hits in zip(names, index.search(pdq_codes([v for _, v in query.pdq]), radius), strict=True):
        for entry_id, distance in hits.as_pairs():
            if entry_id not in found or distance < found[entry_id][0]:
                found[entry_id] = (distance, name)
    return found


def gated(query: HashQuery) -> bool:
    """PDQ under the quality bar is not matched (exact hashes still are)."""
    return query.pdq_quality is not None and query.pdq_quality < MIN_PDQ_QUALITY


def find(session: Session, query: HashQuery, candidates: dict[int, tuple[int, str]], now: datetime) -> Lookup:
    """Verified matches of ``query`` given its PDQ ``candidates`` (no counting: see
    :func:`count_and_quarantine`)."""
    out = Lookup(quality_gated=bool(query.pdq) and gated(query))
    exact = [
        and_(BankEntryRow.signal_type == kind.signal_type.value, BankEntryRow.value == value)
        for kind, value in query.exact().items()
    ]
    if candidates:
        nearest = [k.signal_type.value for k in kinds("nearest")]
        exact.append(and_(BankEntryRow.id.in_(list(candidates)), BankEntryRow.signal_type.in_(nearest)))
    if not exact:
        return out
    rows = session.execute(
        select(BankEntryRow, BankRow)
        .join(BankRow, BankRow.id == BankEntryRow.bank_id)
        .where(or_(*exact), BankEntryRow.status == EntryStatus.ACTIVE.value, BankEntryRow.tombstone.is_(False))
    ).all()
    for entry, bank_row in rows:
        bank = BankInfo.of(bank_row)
        if not bank.matching_at(now):
            continue
        if kind_of(entry.signal_type).index == "nearest":
            distance, via = candidates[entry.id]
            if distance > bank.pdq_threshold:
                continue
        else:
            distance, via = 0, entry.signal_type
        action = MatchAction.REVIEW if entry.quarantined_at is not None else MatchAction.BLOCK
        out.matches.append(Match(EntryInfo.of(entry, bank.name), bank, distance, action, via))
    if any(m.bank.kind is BankKind.ALLOW and m.action is MatchAction.BLOCK for m in out.matches):
        out.matches = [_with(m, MatchAction.SUPPRESSED) for m in out.matches]
    else:
        out.matches = [
            _with(m, MatchAction.SUPPRESSED) if m.bank.kind is BankKind.ALLOW else m for m in out.matches
        ]
    out.matches.sort(key=lambda m: (m.action is not MatchAction.BLOCK, m.distance, m.entry.id))
    return out


def count_and_quarantine(session: Session, matches: list[Match], now: datetime) -> list[Match]:
    """Count each acting match in its entry's current window; past the bank's flood limit the
    entry is quarantined (an escalation opens) and this match and later ones ask for review."""
    out = []
    for m in matches:
        if m.action is not MatchAction.BLOCK:
            out.append(m)
            continue
        window = int(now.timestamp()) // m.bank.flood_window_s * m.bank.flood_window_s
        count = _increment(session, m.entry.id, datetime.fromtimestamp(window, UTC))
        if count <= m.bank.flood_limit:
            out.append(m)
            continue
        row = session.get_one(BankEntryRow, m.entry.id, with_for_update=True)
        if row.quarantined_at is None:
            row.quarantined_at = row.updated_at = now
            escalate(session, "BANK_FLOOD_QUARANTINE",
                     {"entry_id": m.entry.id, "bank": m.bank.name, "matches_in_window": count,
                      "window_s": m.bank.flood_window_s, "flood_limit": m.bank.flood_limit})
        out.append(_with(m, MatchAction.REVIEW))
    return out


def _increment(session: Session, entry_id: int, window_start: datetime) -> int:
    """Atomic upsert of one counter (both backends support ``ON CONFLICT ... RETURNING``)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(BankEntryHitRow).values(entry_id=entry_id, window_start=window_start, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["entry_id", "window_start"], set_={"count": BankEntryHitRow.count + 1}
    ).returning(BankEntryHitRow.count)
    return int(session.execute(stmt).scalar_one())


def _with(m: Match, action: MatchAction) -> Match:
    return Match(m.entry, m.bank, m.distance, action, m.via)


def max_radius(session: Session) -> int:
    """The widest PDQ threshold of any bank: how far the index must look."""
    return int(session.execute(select(func.max(BankRow.pdq_threshold))).scalar() or 0)
