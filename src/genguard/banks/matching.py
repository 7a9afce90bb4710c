"""From an item's hashes to verified bank matches, and flood quarantine.

The PDQ index only proposes candidates; every candidate and every exact-hash hit is re-read
from the database with its bank and kept only if the entry is active and not deleted, its bank
is matching now (enabled, not disabled-until), and the distance is within that bank's own
threshold. Then: an allow-bank match suppresses the others; a flood-quarantined entry asks for
review instead of acting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from genguard.banks.formats.records import EntryStatus
from genguard.banks.signal_types import HashKind, SignalType, kind_of, kinds
from genguard.banks.index.codes import pdq_codes
from genguard.banks.live import LiveIndex
from genguard.banks.model import BankInfo, BankKind, EntryInfo, Match, MatchAction
from genguard.banks.tables import BankEntryHitRow, BankEntryRow, BankRow
from genguard.escalations.queue import escalate


@dataclass(frozen=True, slots=True)
class HashQuery:
    """An item's hashes: signal type -> (variant name, value) pairs, and the quality of a
    ``nearest`` type's values. An exact type has one pair; a nearest one (PDQ) has the original
    and, for an image, its rotations and flips (``detectors.hashes.DIHEDRAL``) and further
    frames. Values are normalised (:meth:`HashKind.normalise`); an empty sequence is no value."""

    values: Mapping[SignalType, Sequence[tuple[str, str]]] = field(default_factory=dict)
    #: Signal type -> quality (0-100) of its values; under the kind's bar they are not matched.
    quality: Mapping[SignalType, int] = field(default_factory=dict)

    @classmethod
    def of(cls, hashes: Mapping[str, str | None], quality: Mapping[str, int] | None = None) -> HashQuery:
        """One ``original`` value per named type; empty or None values are left out (a name the
        registry does not know is a ``ValueError``)."""
        return cls({SignalType(name): [("original", value)] for name, value in hashes.items() if value},
                   {SignalType(name): q for name, q in (quality or {}).items()})

    def exact(self) -> dict[HashKind, str]:
        """The values to look up exactly, by kind."""
        found = {kind: self.values.get(kind.signal_type, ()) for kind in kinds("exact")}
        return {kind: pairs[0][1] for kind, pairs in found.items() if pairs and pairs[0][1]}

    def nearest(self, kind: HashKind) -> Sequence[tuple[str, str]]:
        """A ``nearest`` kind's (variant, value) pairs, or none."""
        return self.values.get(kind.signal_type, ())

    def gated(self, kind: HashKind) -> bool:
        """True when ``kind``'s values are under its quality bar (they are not matched)."""
        return kind.gated(self.quality.get(kind.signal_type))


@dataclass(slots=True)
class Lookup:
    matches: list[Match] = field(default_factory=list)
    #: True when a nearest-type value (PDQ) was given but its quality was under the bar, so it
    #: was not matched.
    quality_gated: bool = False


#: The nearest kind the live index holds (``banks.live`` indexes PDQ codes).
_PDQ = kind_of("pdq")


def pdq_candidates(index: LiveIndex, query: HashQuery, radius: int) -> dict[int, tuple[int, str]]:
    """entry id -> (smallest distance, variant that gave it), over every variant."""
    pairs = query.nearest(_PDQ)
    if not pairs:
        return {}
    found: dict[int, tuple[int, str]] = {}
    names = [name for name, _ in pairs]
    for name, hits in zip(names, index.search(pdq_codes([v for _, v in pairs]), radius), strict=True):
        for entry_id, distance in hits.as_pairs():
            if entry_id not in found or distance < found[entry_id][0]:
                found[entry_id] = (distance, name)
    return found


def gated(query: HashQuery) -> bool:
    """PDQ under the quality bar is not matched (exact hashes still are)."""
    return query.gated(_PDQ)


def searched(query: HashQuery) -> bool:
    """Whether the live index has anything to search for ``query`` (PDQ given, not gated)."""
    return bool(query.nearest(_PDQ)) and not gated(query)


def find(session: Session, query: HashQuery, candidates: dict[int, tuple[int, str]], now: datetime) -> Lookup:
    """Verified matches of ``query`` given its PDQ ``candidates`` (no counting: see
    :func:`count_and_quarantine`)."""
    out = Lookup(quality_gated=any(query.nearest(k) and query.gated(k) for k in kinds("nearest")))
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
