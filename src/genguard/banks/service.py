"""The banks service: bank and entry CRUD, imports, withdrawal, lookups, flood quarantine.

One instance per process (the Guard holds it; the API and CLI use the Guard's). A change made
with an ``actor`` appends its audit record (``bank.*``) in the change's own transaction, so the
two commit together or not at all. Every entry
change is logged (``changelog.append``) in its own transaction, so every worker's
:class:`~genguard.banks.live.LiveIndex` follows; the worker that made the change applies it
before returning, so its own next lookup already sees it.

Entries are never physically deleted while their bank exists: withdrawal (by the list owner)
and deletion (a tombstone, by an operator) keep the row, which is what makes both stick when
the same list is imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genguard.audit.chain import AuditLog
from genguard.banks import changelog, feedback, matching, retro
from genguard.banks.changelog import ChangeOp
from genguard.banks.formats.lists import ListFormat, write_list
from genguard.banks.formats.records import EntryStatus, HashRecord, SignalType, check_value
from genguard.banks.live import LiveIndex
from genguard.banks.model import (
    DEFAULT_FLOOD_LIMIT,
    DEFAULT_FLOOD_WINDOW_S,
    DEFAULT_PDQ_THRESHOLD,
    MAX_PDQ_THRESHOLD,
    BankInfo,
    BankKind,
    EntryInfo,
    ImportReport,
    RetroHit,
    Seen,
)
from genguard.banks.matching import Lookup
from genguard.errors import Conflict, NotFound, RequestError
from genguard.store.db import Store
from genguard.banks.tables import BankEntryHitRow, BankEntryRow, BankRow
from genguard.store.base import utcnow

#: Bank settings an update may change.
_BANK_FIELDS = {"pdq_threshold", "enabled", "disabled_until", "flood_limit", "flood_window_s",
                "list_owner", "list_version", "note"}
#: Those that always have a value (an explicit null was a 500 from the database; the fuzzer found it).
_REQUIRED_FIELDS = {"pdq_threshold", "enabled", "flood_limit", "flood_window_s"}
_IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class BankSettings:
    """Validated bank settings (API and CLI build these from user input)."""

    pdq_threshold: int = DEFAULT_PDQ_THRESHOLD
    enabled: bool = True
    disabled_until: datetime | None = None
    flood_limit: int = DEFAULT_FLOOD_LIMIT
    flood_window_s: int = DEFAULT_FLOOD_WINDOW_S
    list_owner: str | None = None
    list_version: str | None = None
    note: str | None = None


def check_settings(values: dict[str, Any]) -> None:
    threshold = values.get("pdq_threshold")
    if threshold is not None and not 0 <= threshold <= MAX_PDQ_THRESHOLD:
        raise RequestError(f"pdq_threshold must be within 0..{MAX_PDQ_THRESHOLD}", code="bank_invalid")
    for name in ("flood_limit", "flood_window_s"):
        if values.get(name) is not None and values[name] < 1:
            raise RequestError(f"{name} must be at least 1", code="bank_invalid")
    until = values.get("disabled_until")
    if until is not None and until.tzinfo is None:
        raise RequestError("disabled_until needs a time zone", code="bank_invalid")


class BankService:
    def __init__(
        self,
        store: Store,
        *,
        snapshot_path: Path | None = None,
        poll_s: float = 0.2,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.clock = clock
        self.index = LiveIndex(store, snapshot_path=snapshot_path, poll_s=poll_s)

    @classmethod
    def for_home(cls, store: Store, home: Path) -> BankService:
        """The service on ``store`` with its PDQ index snapshot under ``home`` (where every
        process on this machine looks for it, so a restart loads the index instead of rebuilding)."""
        return cls(store, snapshot_path=home / "banks" / "pdq.idx")

    # -- banks -------------------------------------------------------------------------------

    def _audit(self, session: Session, actor: str | None, kind: str, subject: str, payload: dict[str, Any]) -> None:
        """The change's audit record, in the change's transaction (none without an actor: the
        caller records the change itself, as screening does in its verdict)."""
        if actor is not None:
            AuditLog(self.store).append(kind, payload, actor=actor, subject=subject, session=session)

    def create_bank(self, name: str, kind: BankKind, settings: BankSettings | None = None, *,
                    actor: str | None = None) -> BankInfo:
        s = settings or BankSettings()
        check_settings(vars_of(s))
        if not name or len(name) > 100:
            raise RequestError("a bank name has 1 to 100 characters", code="bank_invalid")
        try:
            with self.store.transaction(write_lock=True) as session:
                row = BankRow(name=name, kind=BankKind(kind).value, created_at=self.clock(), **vars_of(s))
                session.add(row)
                session.flush()
                info = BankInfo.of(row)
                self._audit(session, actor, "bank.created", f"bank:{name}", info.public())
                return info
        except IntegrityError:
            raise Conflict(f"bank {name!r} exists", code="bank_exists") from None

    def bank(self, name: str) -> BankInfo:
        with self.store.transaction() as session:
            return BankInfo.of(_bank_row(session, name))

    def banks(self) -> list[BankInfo]:
        with self.store.transaction() as session:
            return [BankInfo.of(r) for r in session.scalars(select(BankRow).order_by(BankRow.name))]

    def update_bank(self, name: str, *, actor: str | None = None, **changes: Any) -> BankInfo:
        unknown = set(changes) - _BANK_FIELDS
        if unknown:
            raise RequestError(f"cannot change {sorted(unknown)}", code="bank_invalid")
        cleared = sorted(k for k in _REQUIRED_FIELDS & set(changes) if changes[k] is None)
        if cleared:
            raise RequestError(f"{', '.join(cleared)} cannot be null", code="bank_invalid")
        check_settings(changes)
        with self.store.transaction(write_lock=True) as session:
            row = _bank_row(session, name, lock=True)
            for key, value in changes.items():
                setattr(row, key, value)
            session.flush()
            info = BankInfo.of(row)
            public = info.public()
            self._audit(session, actor, "bank.updated", f"bank:{name}", {k: public[k] for k in sorted(changes)})
            return info

    def delete_bank(self, name: str, *, actor: str | None = None) -> int:
        """Delete a bank and all its entries; returns how many entries went.

        The rows (and their log rows) go with it, so other workers' indexes keep stale codes
        until their next start; matching re-reads every candidate, so those never match.
        """
        with self.store.transaction(write_lock=True) as session:
            row = _bank_row(session, name, lock=True)
            ids = list(session.scalars(select(BankEntryRow.id).where(BankEntryRow.bank_id == row.id)))
            session.delete(row)
            self._audit(session, actor, "bank.deleted", f"bank:{name}", {"entries": len(ids)})
        self.index.forget(ids)
        return len(ids)

    # -- entries -----------------------------------------------------------------------------

    def import_records(
        self,
        bank_name: str,
        records: Sequence[HashRecord],
        *,
        list_owner: str | None = None,
        list_version: str | None = None,
        actor: str | None = None,
        detail: dict[str, Any] | None = None,
        retro_scan: bool = True,
    ) -> ImportReport:
        """Add or update entries from a list; withdrawals and deletions stick (see module doc).

        A list owner or version marks this as an import of that list (the bank's provenance
        is updated). Newly active entries are retro-scanned against seen content once the
        import has committed, unless ``retro_scan`` is False: then ``report.entry_ids`` are
        for a retro-scan job (``genguard banks retro-scan``, with progress, a rate limit and a
        checkpoint), which a large list against a large seen-content table needs.
        ``detail`` adds to the ``bank.imported`` record (the list format).
        """
        def record(session: Session, report: ImportReport) -> None:
            counts = {k: v for k, v in report.public().items() if k != "retro_matches"}
            self._audit(session, actor, "bank.imported", f"bank:{bank_name}",
                        {**(detail or {}), "list_owner": list_owner, "list_version": list_version, **counts,
                         "entry_ids": report.entry_ids})

        return self._import(bank_name, records, list_owner, list_version, record, retro_scan=retro_scan)

    def _import(self, bank_name: str, records: Sequence[HashRecord], list_owner: str | None,
                list_version: str | None, record: Callable[[Session, ImportReport], None],
                *, retro_scan: bool = True) -> ImportReport:
        """The import itself; ``record`` appends its audit record inside the transaction."""
        report = ImportReport()
        now = self.clock()
        with self.store.transaction(write_lock=True) as session:
            bank_row = _bank_row(session, bank_name, lock=True)
            bank = BankInfo.of(bank_row)
            latest = {(r.signal_type.value, r.value): r for r in records}  # a repeated hash: last wins
            existing = _existing(session, bank.id, [v for _, v in latest])
            withdrawn_cases = _withdrawn_cases(session, bank.id, {r.external_id for r in latest.values() if r.external_id})
            new_rows: list[dict[str, Any]] = []
            withdraw_ids: list[int] = []
            for key, rec in latest.items():
                found = existing.get(key)
                if found is None:
                    sticky = rec.external_id in withdrawn_cases
                    status = EntryStatus.WITHDRAWN if rec.status is EntryStatus.WITHDRAWN or sticky else EntryStatus.ACTIVE
                    new_rows.append(_new_values(bank.id, rec, status, now))
                    if status is EntryStatus.ACTIVE:
                        report.added += 1
                    elif sticky and rec.status is EntryStatus.ACTIVE:
                        report.kept_withdrawn += 1
                    else:
                        report.withdrawn += 1
                elif found.tombstone:
                    report.kept_deleted += 1
                elif found.status == EntryStatus.WITHDRAWN.value:
                    report.kept_withdrawn += rec.status is EntryStatus.ACTIVE
                    report.unchanged += rec.status is EntryStatus.WITHDRAWN
                elif rec.status is EntryStatus.WITHDRAWN:
                    withdraw_ids.append(found.id)
                    report.withdrawn += 1
                else:
                    report.unchanged += 1
            fresh = [
                retro.Banked(entry_id, row["signal_type"], row["value"])
                for entry_id, row in zip(_insert(session, new_rows), new_rows, strict=True)
                if row["status"] == EntryStatus.ACTIVE.value
            ]
            for i in range(0, len(withdraw_ids), _IN_CHUNK):
                session.execute(
                    update(BankEntryRow)
                    .where(BankEntryRow.id.in_(withdraw_ids[i : i + _IN_CHUNK]))
                    .values(status=EntryStatus.WITHDRAWN.value, updated_at=now)
                )
            changes = [(e.id, ChangeOp.ADD) for e in fresh] + [(i, ChangeOp.REMOVE) for i in withdraw_ids]
            changelog.append(session, changes, now)
            if list_owner is not None or list_version is not None:
                bank_row.list_owner = list_owner or bank_row.list_owner
                bank_row.list_version = list_version or bank_row.list_version
                bank_row.imported_at = now
            report.entry_ids = [e.id for e in fresh]
            record(session, report)
        self.index.catch_up(force=True)
        if bank.kind is not BankKind.ALLOW and fresh and retro_scan:
            # After the commit, so a long scan of seen content never holds the write lock.
            with self.store.transaction() as session:
                report.retro = retro.retro_scan(session, fresh, bank)
            if report.retro:
                with self.store.transaction() as session:
                    retro.escalate(session, report.retro)
        return report

    def add_entry(
        self,
        bank_name: str,
        signal_type: SignalType,
        value: str,
        *,
        external_id: str = "",
        tags: Sequence[str] = (),
        note: str = "",
        metadata: dict[str, str] | None = None,
        actor: str | None = None,
    ) -> tuple[EntryInfo, ImportReport]:
        """One entry (validated); a value the bank already holds is a conflict."""
        value = check_value(SignalType(signal_type), value, "value")
        key = (SignalType(signal_type).value, value)
        with self.store.transaction() as session:
            bank = _bank_row(session, bank_name)
            if key in _existing(session, bank.id, [value]):
                raise Conflict(f"bank {bank_name!r} already holds this {signal_type} hash", code="entry_exists")
        record = HashRecord(SignalType(signal_type), value, external_id, EntryStatus.ACTIVE, tuple(tags), note,
                            dict(metadata or {}))

        def added(session: Session, report: ImportReport) -> None:
            for entry_id in report.entry_ids:
                self._audit(session, actor, "bank.entry_added", f"bank-entry:{entry_id}",
                            {"bank": bank_name, "signal_type": key[0]})

        report = self._import(bank_name, [record], None, None, added)
        with self.store.transaction() as session:
            return self.entry(_existing(session, bank.id, [value])[key].id), report

    def entry(self, entry_id: int) -> EntryInfo:
        with self.store.transaction() as session:
            row = _entry_row(session, entry_id)
            return EntryInfo.of(row, _bank_name(session, row.bank_id))

    def entries(
        self, bank_name: str, *, status: str | None = None, limit: int = 100, offset: int = 0,
        include_deleted: bool = False,
    ) -> list[EntryInfo]:
        with self.store.transaction() as session:
            bank = _bank_row(session, bank_name)
            query = select(BankEntryRow).where(BankEntryRow.bank_id == bank.id)
            if status is not None:
                query = query.where(BankEntryRow.status == EntryStatus(status).value)
            if not include_deleted:
                query = query.where(BankEntryRow.tombstone.is_(False))
            rows = session.scalars(query.order_by(BankEntryRow.id).limit(limit).offset(offset))
            return [EntryInfo.of(r, bank.name) for r in rows]

    def withdraw(self, entry_id: int, *, actor: str | None = None) -> EntryInfo:
        """The list owner withdrew it: it stops matching now and stays withdrawn on re-import."""
        return self._change_entry(entry_id, actor, "bank.entry_withdrawn", status=EntryStatus.WITHDRAWN.value)

    def delete_entry(self, entry_id: int, *, actor: str | None = None) -> EntryInfo:
        """An operator removed it: a tombstone that also survives re-imports."""
        return self._change_entry(entry_id, actor, "bank.entry_deleted", tombstone=True)

    def update_entry(self, entry_id: int, *, note: str | None = None, tags: Sequence[str] | None = None,
                     metadata: dict[str, str] | None = None, actor: str | None = None) -> EntryInfo:
        changes: dict[str, Any] = {"note": note, "tags": None if tags is None else list(tags), "extra": metadata}
        return self._change_entry(entry_id, actor, "bank.entry_updated",
                                  **{k: v for k, v in changes.items() if v is not None})

    def release(self, entry_id: int, *, actor: str | None = None) -> EntryInfo:
        """A reviewer cleared a flood-quarantined entry: it acts again (its counters restart)."""
        with self._entry_tx(entry_id) as (session, row):
            if row.quarantined_at is None:
                raise Conflict("entry is not quarantined", code="entry_not_quarantined")
            row.quarantined_at, row.updated_at = None, self.clock()
            session.query(BankEntryHitRow).filter(BankEntryHitRow.entry_id == entry_id).delete()
            session.flush()
            info = EntryInfo.of(row, _bank_name(session, row.bank_id))
            self._audit(session, actor, "bank.entry_released", f"bank-entry:{entry_id}", {"bank": info.bank})
            return info

    def _change_entry(self, entry_id: int, actor: str | None, kind: str, **changes: Any) -> EntryInfo:
        with self._entry_tx(entry_id) as (session, row):
            if row.tombstone:
                raise Conflict("entry is deleted", code="entry_deleted")
            was_live = row.status == EntryStatus.ACTIVE.value
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = self.clock()
            if was_live and (row.status != EntryStatus.ACTIVE.value or row.tombstone):
                changelog.append(session, [(row.id, ChangeOp.REMOVE)], row.updated_at)
            session.flush()
            info = EntryInfo.of(row, _bank_name(session, row.bank_id))
            self._audit(session, actor, kind, f"bank-entry:{entry_id}",
                        {"bank": info.bank, **{k: v for k, v in changes.items() if k in ("note", "tags", "extra")}})
        self.index.catch_up(force=True)
        return info

    @contextmanager
    def _entry_tx(self, entry_id: int) -> Iterator[tuple[Session, BankEntryRow]]:
        with self.store.transaction(write_lock=True) as session:
            yield session, _entry_row(session, entry_id, lock=True)

    def export(self, bank_name: str) -> list[HashRecord]:
        """Every entry not deleted, withdrawn ones included (so a re-import withdraws too)."""
        return [
            HashRecord(SignalType(e.signal_type), e.value, e.external_id or "", EntryStatus(e.status), e.tags,
                       e.note or "", e.metadata)
            for e in self._all_entries(bank_name)
        ]

    def export_list(self, bank_name: str, fmt: ListFormat, *, actor: str | None = None) -> tuple[bytes, str]:
        """The bank as a list file in ``fmt``: its bytes and media type. The lists themselves are
        sensitive, so with ``actor`` the export is audited (``bank.exported``) before it is handed out."""
        body, media_type = write_list(fmt, self.export(bank_name))
        if actor is not None:
            AuditLog(self.store).append("bank.exported", {"format": fmt.value}, actor=actor, subject=f"bank:{bank_name}")
        return body, media_type

    def active_entries(self, bank_name: str, *, values: Sequence[str] | None = None,
                       ids: Sequence[int] | None = None) -> list[EntryInfo]:
        """The bank's active entries (neither withdrawn nor deleted, quarantined ones included),
        in id order: all of them, or those holding one of ``values`` (hash values of any signal
        type), or those of ``ids``. What a takedown matched and what a retro-scan job searches for."""
        with self.store.transaction() as session:
            bank = _bank_row(session, bank_name)
            query = select(BankEntryRow).where(BankEntryRow.bank_id == bank.id,
                                               BankEntryRow.status == EntryStatus.ACTIVE.value,
                                               BankEntryRow.tombstone.is_(False))
            if values is None and ids is None:
                return [EntryInfo.of(r, bank.name) for r in session.scalars(query.order_by(BankEntryRow.id))]
            column, keys = (BankEntryRow.value, sorted(set(values))) if values is not None else (
                BankEntryRow.id, sorted(set(ids or ())))
            rows = [r for i in range(0, len(keys), _IN_CHUNK)
                    for r in session.scalars(query.where(column.in_(keys[i : i + _IN_CHUNK])))]
            return [EntryInfo.of(r, bank.name) for r in sorted(rows, key=lambda r: r.id)]

    def _all_entries(self, bank_name: str) -> Iterator[EntryInfo]:
        offset = 0
        while page := self.entries(bank_name, limit=10_000, offset=offset):
            yield from page
            offset += len(page)

    # -- matching ----------------------------------------------------------------------------

    def lookup(self, query: matching.HashQuery, *, count: bool = False) -> Lookup:
        """Verified matches of an item's hashes. ``count=True`` (screening) feeds flood
        quarantine; investigative lookups (API, CLI) leave the counters alone."""
        now = self.clock()
        candidates: dict[int, tuple[int, str]] = {}
        if matching.searched(query):
            with self.store.transaction() as session:
                radius = matching.max_radius(session)
            candidates = matching.pdq_candidates(self.index, query, radius)
        with self.store.transaction() as session:
            found = matching.find(session, query, candidates, now)
        if count and any(m.action.value == "block" for m in found.matches):
            with self.store.transaction(write_lock=True) as session:
                found.matches = matching.count_and_quarantine(session, found.matches, now)
        return found

    def record_seen(self, *, source: str, ref: str | None, pdq_quality: int | None = None,
                    pdq_variants: Sequence[str] = (), **hashes: str | None) -> None:
        """Remember an item's hashes by signal type (see :func:`retro.record_seen`)."""
        with self.store.transaction() as session:
            retro.record_seen(session, source=source, ref=ref, now=self.clock(), pdq_quality=pdq_quality,
                              pdq_variants=pdq_variants, **hashes)

    def retro_scan(self, entries: Sequence[retro.Banked], bank: BankInfo) -> list[RetroHit]:
        """Seen items that ``entries`` (active entries of ``bank``) match; escalates nothing (a
        takedown's copy sweep links what it finds to its case itself)."""
        with self.store.transaction() as session:
            return retro.retro_scan(session, entries, bank)

    def seen_page(self, *, after: int, limit: int) -> list[Seen]:
        """The next ``limit`` seen items with id over ``after``, in id order: a reader (the
        retro-scan job) pages with the last id."""
        with self.store.transaction() as session:
            return retro.seen_rows(session, after=after, limit=limit)

    def seen_counts(self, *, after: int) -> tuple[int, int]:
        """How many seen items have an id up to ``after`` (a resumed reader's done part), and
        how many over it."""
        with self.store.transaction() as session:
            return retro.seen_counts(session, after=after)

    def ensure_bank(self, name: str, kind: BankKind, *, actor: str | None = None) -> BankInfo:
        """The bank, created with default settings if missing (safe when workers race)."""
        try:
            return self.bank(name)
        except NotFound:
            try:
                return self.create_bank(name, kind, actor=actor)
            except Conflict:
                return self.bank(name)

    def record_feedback(self, entry_id: int, subject: str, verdict: feedback.Verdict, *, actor: str,
                        note: str | None = None) -> dict[str, Any]:
        """``actor``'s verdict (true or false positive) on a match of the entry against
        ``subject``, audited; the entry's counts after it (``banks/feedback.py``)."""
        return feedback.record(self.store, entry_id, subject, verdict, actor=actor, note=note)

    def feedback_counts(self, entry_id: int) -> dict[str, Any]:
        """How often reporters called the entry's matches right or wrong."""
        return feedback.counts(self.store, entry_id)


def vars_of(settings: BankSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in BankSettings.__slots__}


def _bank_row(session: Session, name: str, *, lock: bool = False) -> BankRow:
    query = select(BankRow).where(BankRow.name == name)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise NotFound(f"no bank named {name!r}", code="bank_not_found")
    return row


def _bank_name(session: Session, bank_id: int) -> str:
    return session.get_one(BankRow, bank_id).name


def _entry_row(session: Session, entry_id: int, *, lock: bool = False) -> BankEntryRow:
    row = session.get(BankEntryRow, entry_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no bank entry {entry_id}", code="entry_not_found")
    return row


@dataclass(frozen=True, slots=True)
class _Known:
    id: int
    status: str
    tombstone: bool


def _existing(session: Session, bank_id: int, values: list[str]) -> dict[tuple[str, str], _Known]:
    """What the bank already holds of ``values``, keyed by (signal type, value); plain rows, so
    a large import does not build an ORM object per entry."""
    found: dict[tuple[str, str], _Known] = {}
    unique = sorted(set(values))
    for i in range(0, len(unique), _IN_CHUNK):
        rows = session.execute(
            select(BankEntryRow.signal_type, BankEntryRow.value, BankEntryRow.id, BankEntryRow.status,
                   BankEntryRow.tombstone)
            .where(BankEntryRow.bank_id == bank_id, BankEntryRow.value.in_(unique[i : i + _IN_CHUNK]))
        )
        found.update({(t, v): _Known(entry_id, st, tomb) for t, v, entry_id, st, tomb in rows})
    return found


def _insert(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert entry rows in bulk; their ids in the order given."""
    if not rows:
        return []
    stmt = insert(BankEntryRow).returning(BankEntryRow.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, rows))


def _withdrawn_cases(session: Session, bank_id: int, external_ids: set[str]) -> set[str]:
    """External ids (cases) of this bank the owner has withdrawn: new hashes of them stay withdrawn."""
    found: set[str] = set()
    ids = sorted(external_ids)
    for i in range(0, len(ids), _IN_CHUNK):
        found.update(
            session.scalars(
                select(BankEntryRow.external_id).where(
                    BankEntryRow.bank_id == bank_id,
                    BankEntryRow.status == EntryStatus.WITHDRAWN.value,
                    BankEntryRow.external_id.in_(ids[i : i + _IN_CHUNK]),
                )
            )
        )
    return found


def _new_values(bank_id: int, rec: HashRecord, status: EntryStatus, now: datetime) -> dict[str, Any]:
    return {
        "bank_id": bank_id, "signal_type": rec.signal_type.value, "value": rec.value,
        "external_id": rec.external_id or None, "status": status.value, "tombstone": False,
        "tags": list(rec.tags), "note": rec.note or None, "extra": dict(rec.metadata),
        "created_at": now, "updated_at": now,
    }
