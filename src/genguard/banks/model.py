"""What the banks service hands out: banks, entries, matches and retro-scan hits.

Plain frozen dataclasses built from rows inside a transaction, so callers (API, CLI,
screening) never hold a database session or a lazily loaded row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from genguard.banks.index.mih import MAX_RADIUS
from genguard.banks.tables import BankEntryRow, BankRow
from genguard.store.base import utcnow


class BankKind(StrEnum):
    CHILD_ABUSE = "child_abuse"
    INTIMATE_IMAGE = "intimate_image"
    TERROR = "terror"
    INTERNAL_BLOCKED = "internal_blocked"
    #: Known-benign content: a match here suppresses every other bank's match.
    ALLOW = "allow"


class MatchAction(StrEnum):
    BLOCK = "block"
    #: The entry is flood-quarantined: a human reviews instead of genguard acting.
    REVIEW = "review"
    #: An allow bank matched too; reported, not acted on.
    SUPPRESSED = "suppressed"


#: PDQ hashes below this quality (0-100) are too featureless to match on (PDQ reference).
MIN_PDQ_QUALITY = 50
DEFAULT_PDQ_THRESHOLD = 31
MAX_PDQ_THRESHOLD = MAX_RADIUS
DEFAULT_FLOOD_LIMIT = 100
DEFAULT_FLOOD_WINDOW_S = 3600
#: The bank that receives outputs genguard blocked, so a later upload of the same image is caught.
INTERNAL_BANK = "genguard-blocked-outputs"


@dataclass(frozen=True, slots=True)
class BankInfo:
    id: int
    name: str
    kind: BankKind
    pdq_threshold: int
    enabled: bool
    disabled_until: datetime | None
    flood_limit: int
    flood_window_s: int
    list_owner: str | None
    list_version: str | None
    imported_at: datetime | None
    note: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: BankRow) -> BankInfo:
        return cls(
            row.id, row.name, BankKind(row.kind), row.pdq_threshold, row.enabled, row.disabled_until,
            row.flood_limit, row.flood_window_s, row.list_owner, row.list_version, row.imported_at,
            row.note, row.created_at,
        )

    def matching_at(self, now: datetime) -> bool:
        """Enabled and not inside a disable-until period."""
        return self.enabled and (self.disabled_until is None or self.disabled_until <= now)

    @property
    def provenance(self) -> dict[str, str]:
        out = {"bank": self.name, "kind": self.kind.value}
        if self.list_owner:
            out["list_owner"] = self.list_owner
        if self.list_version:
            out["list_version"] = self.list_version
        if self.imported_at:
            out["imported_at"] = self.imported_at.isoformat()
        return out

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind.value, "pdq_threshold": self.pdq_threshold,
            "enabled": self.enabled, "matching": self.matching_at(utcnow()),
            "disabled_until": _iso(self.disabled_until), "flood_limit": self.flood_limit,
            "flood_window_s": self.flood_window_s, "list_owner": self.list_owner,
            "list_version": self.list_version, "imported_at": _iso(self.imported_at), "note": self.note,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class EntryInfo:
    id: int
    bank: str
    signal_type: str
    value: str
    external_id: str | None
    status: str
    tombstone: bool
    quarantined_at: datetime | None
    tags: tuple[str, ...]
    note: str | None
    metadata: dict[str, str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: BankEntryRow, bank: str) -> EntryInfo:
        return cls(
            row.id, bank, row.signal_type, row.value, row.external_id, row.status, row.tombstone,
            row.quarantined_at, tuple(row.tags), row.note, dict(row.extra), row.created_at, row.updated_at,
        )

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id, "bank": self.bank, "signal_type": self.signal_type, "value": self.value,
            "external_id": self.external_id, "status": self.status, "deleted": self.tombstone,
            "quarantined_at": _iso(self.quarantined_at), "tags": list(self.tags), "note": self.note,
            "metadata": self.metadata, "created_at": _iso(self.created_at), "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True, slots=True)
class Match:
    """One bank entry an item matched, with everything a reviewer needs in one place."""

    entry: EntryInfo
    bank: BankInfo
    distance: int
    action: MatchAction
    #: Which query hash matched: ``md5``, ``sha256``, or the PDQ variant (``original``, ``flip_x``...).
    via: str = "original"

    def public(self) -> dict[str, Any]:
        return {
            "bank": self.bank.name, "bank_kind": self.bank.kind.value, "distance": self.distance,
            "action": self.action.value, "via": self.via, "entry": self.entry.public(),
            "provenance": self.bank.provenance,
        }


@dataclass(frozen=True, slots=True)
class Seen:
    """An item screening or an upload has seen (a ``seen_content`` row): its hashes, never
    media, where it was seen and when. The retro-scan searches these; a retro-scan hit's case
    reads its item's hashes from one."""

    id: int
    seen_at: datetime
    #: ``screen``, ``upload``, ``output``...
    source: str
    ref: str | None
    #: The item's identity (see ``SeenContentRow.sha256``).
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    #: PDQ of the seven rotations/flips, hex concatenated (see ``SeenContentRow``).
    pdq_variants: str | None
    #: Exact-type values by signal type (``seen_hashes``; ``sha256`` among them).
    exact: Mapping[str, str] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        """The item's hashes by signal type (those it has)."""
        return {**self.exact, **({"pdq": self.pdq} if self.pdq else {})}


@dataclass(frozen=True, slots=True)
class RetroHit:
    """Already-seen content that a newly banked entry matches."""

    entry_id: int
    bank: str
    seen_id: int
    source: str
    ref: str | None
    seen_at: datetime
    signal_type: str
    distance: int

    def public(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id, "bank": self.bank, "seen_id": self.seen_id, "source": self.source,
            "ref": self.ref, "seen_at": _iso(self.seen_at), "signal_type": self.signal_type,
            "distance": self.distance,
        }


@dataclass(slots=True)
class ImportReport:
    """What an import did, entry by entry counted; ``retro`` lists already-seen copies found."""

    added: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    #: Listed as active but kept withdrawn (withdrawal is sticky) or deleted (tombstone).
    kept_withdrawn: int = 0
    kept_deleted: int = 0
    entry_ids: list[int] = field(default_factory=list)
    retro: list[RetroHit] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {
            "added": self.added, "withdrawn": self.withdrawn, "unchanged": self.unchanged,
            "kept_withdrawn": self.kept_withdrawn, "kept_deleted": self.kept_deleted,
            "retro_matches": [hit.public() for hit in self.retro],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
