"""Checking the audit chain and saying what was tampered with, and where.

The walk reads records in seq order through a server-side cursor inside one read
transaction (a consistent snapshot while appends go on), keeping only a few records and the
findings in memory, so logs of any length verify in constant memory.

For every record it asks three questions:

* **content** - does the stored hash match the record's fields? If not, does it match them
  with a nearby seq (the record was written at another position: *reordered*, or renumbered
  after an insertion or deletion)? If neither: *edited*.
* **link** - does ``prev_hash`` equal the previous record's hash? A record whose successor
  links past it to its predecessor was *inserted*; a broken link with intact records on both
  sides means the earlier one was rewritten with a recomputed hash (*edited*).
* **position** - are written seqs contiguous? Positions skipped and never seen later were
  *deleted*; records beyond the head row were *inserted* at the end.

An attacker who rewrites every record after a change *and* the head row leaves a valid
chain; only an external anchor (:meth:`AuditLog.head` stored elsewhere, passed as
``anchor``) catches that, which is why verify accepts one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from typing import Any

from sqlalchemy import Row, select

from genguard.audit.chain import Head, record_digest
from genguard.store.db import Store
from genguard.audit.tables import GENESIS_HASH, AuditHeadRow, AuditRecordRow

#: How far from its stored seq a record's written seq is searched for (moves further than
#: this read as edits, which is still tampering, only named less precisely).
MOVE_WINDOW = 16
MAX_FINDINGS = 1000
_CHUNK = 1000


class Tamper(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    ANCHOR_MISMATCH = "anchor_mismatch"
    #: The ``audit_head`` row is gone: the walk uses the last stored record as the head, so a
    #: cut-off tail can no longer be told apart (publish anchors to cover that).
    HEAD_MISSING = "head_missing"


@dataclass(frozen=True, slots=True)
class Finding:
    """Tampering of one ``kind`` at stored seqs ``seq``..``last_seq`` (equal for one record)."""

    kind: Tamper
    seq: int
    last_seq: int
    detail: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq == self.last_seq else f"seqs {self.seq}-{self.last_seq}"
        return f"{self.kind.value} at {where}: {self.detail}"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Outcome of :func:`verify`. ``ok`` is True only when no finding was made."""

    records: int
    head: Head
    findings: tuple[Finding, ...]
    #: More findings existed than :data:`MAX_FINDINGS`; the log is badly damaged.
    findings_truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        if self.ok:
            return f"audit log OK: {self.records} records, head seq {self.head.seq} {self.head.hash}"
        lines = [f"audit log TAMPERED: {len(self.findings)} finding(s) in {self.records} records"]
        lines += [f"  {f}" for f in self.findings]
        if self.findings_truncated:
            lines.append(f"  ... more findings not listed (limit {MAX_FINDINGS})")
        return "\n".join(lines)


@dataclass
class _Seen:
    """What the walk remembers of a recent record."""

    seq: int  # stored seq
    written: int  # seq it was hashed with (== seq unless moved; == seq for edited records)
    hash: str
    moved: bool = False
    flagged: bool = False


@dataclass
class _Walk:
    head: Head
    anchor: Head | None
    findings: list[Finding] = field(default_factory=list)
    truncated: bool = False
    #: Written seqs skipped so far, as inclusive ranges; a later record may fill one (a move).
    missing: list[list[int]] = field(default_factory=list)
    max_written: int = 0
    anchor_seen: bool = False

    def flag(self, kind: Tamper, seen: _Seen, detail: str) -> None:
        seen.flagged = True
        self.add(kind, seen.seq, seen.seq, detail)

    def add(self, kind: Tamper, seq: int, last_seq: int, detail: str) -> None:
        last = self.findings[-1] if self.findings else None
        if last and last.kind == kind and last.detail == detail and last.last_seq + 1 == seq:
            self.findings[-1] = Finding(kind, last.seq, last_seq, detail)  # one run, one finding
        elif len(self.findings) < MAX_FINDINGS:
            self.findings.append(Finding(kind, seq, last_seq, detail))
        else:
            self.truncated = True

    def unflag_edited(self, seen: _Seen) -> None:
        """Drop an 'edited' finding for ``seen`` once the links show it was inserted instead."""
        last = self.findings[-1] if self.findings else None
        if last and last.kind == Tamper.EDITED and last.last_seq == seen.seq:
            if last.seq == seen.seq:
                self.findings.pop()
            else:
                self.findings[-1] = Finding(last.kind, last.seq, seen.seq - 1, last.detail)

    def fill_missing(self, written: int) -> bool:
        for i, (lo, hi) in enumerate(self.missing):
            if lo <= written <= hi:
                parts = [[lo, written - 1]] if lo < written else []
                parts += [[written + 1, hi]] if written < hi else []
                self.missing[i : i + 1] = parts
                return True
        return False


def _written_seq(row: Row[Any]) -> int | None:
    """The seq this record's hash was computed with, if it is within reach of its stored seq."""
    fields = (row.ts, row.actor, row.kind, row.subject, row.payload)
    if record_digest(row.prev_hash, row.seq, *fields) == row.hash:
        return int(row.seq)
    for step in range(1, MOVE_WINDOW + 1):
        for candidate in (row.seq - step, row.seq + step):
            if candidate > 0 and record_digest(row.prev_hash, candidate, *fields) == row.hash:
                return int(candidate)
    return None


def _check_link(
    walk: _Walk, row: Row[Any], cur: _Seen, prev: _Seen, before: _Seen | None, *, intact: bool
) -> None:
    """Explain a broken link between ``prev`` and ``cur`` (``before`` precedes ``prev``).

    ``intact`` says whether ``cur`` matches its own hash; if not, its ``prev_hash`` may be the
    edited field, so the predecessor is not blamed for the break.
    """
    if row.prev_hash == prev.hash or cur.written > walk.head.seq:
        return
    if before is not None and row.prev_hash == before.hash and not prev.moved:
        walk.unflag_edited(prev)
        walk.flag(Tamper.INSERTED, prev, "not part of the chain: the next record links past it")
    elif not intact or cur.moved or prev.moved or cur.written > walk.max_written + 1:
        return  # explained by this record's own edit, a move, or a deletion recorded for it
    elif prev.seq == 0:  # an intact first record that does not start the chain
        walk.flag(Tamper.EDITED, cur, "first record does not start from the genesis hash")
    elif not prev.flagged:
        walk.flag(Tamper.EDITED, prev, "rewritten with a recomputed hash: the next record links to the original")


def _step(walk: _Walk, row: Row[Any], prev: _Seen, before: _Seen | None) -> _Seen:
    written = _written_seq(row)
    cur = _Seen(seq=row.seq, written=row.seq if written is None else written, hash=row.hash)
    cur.moved = written is not None and written != row.seq
    _check_link(walk, row, cur, prev, before, intact=written is not None)
    if cur.written > walk.head.seq:
        walk.flag(Tamper.INSERTED, cur, f"after the head (seq {walk.head.seq}) of the chain")
    elif written is None:
        walk.flag(Tamper.EDITED, cur, "content does not match its hash")
    else:
        if cur.written > walk.max_written + 1:
            walk.missing.append([walk.max_written + 1, cur.written - 1])
        elif cur.written <= walk.max_written:
            walk.fill_missing(cur.written)
        if cur.moved:
            shift = cur.seq - cur.written
            walk.flag(
                Tamper.REORDERED,
                cur,
                f"stored {abs(shift)} place(s) {'after' if shift > 0 else 'before'} the position it was written at",
            )
    if cur.written == walk.head.seq and cur.hash != walk.head.hash and not cur.flagged:
        walk.flag(Tamper.EDITED, cur, "last record differs from the head row: rewritten with a recomputed hash")
    if walk.anchor is not None and cur.written == walk.anchor.seq:
        walk.anchor_seen = True
        if cur.hash != walk.anchor.hash:
            walk.add(Tamper.ANCHOR_MISMATCH, cur.seq, cur.seq, "hash differs from the external anchor")
    walk.max_written = max(walk.max_written, min(cur.written, walk.head.seq))
    return cur


def verify(store: Store, *, anchor: Head | None = None) -> VerifyReport:
    """Walk the whole chain in seq order and report every tampering found, by seq.

    ``anchor`` is a :class:`Head` saved earlier outside the database; the record at its seq
    must still carry its hash.
    """
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot for the walk
        with conn.begin():
            head_row = conn.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)).first()
            if head_row is None:
                last = conn.execute(select(AuditRecordRow.seq, AuditRecordRow.hash)
                                    .order_by(AuditRecordRow.seq.desc()).limit(1)).first()
                head = Head(seq=last.seq, hash=last.hash) if last is not None else Head(seq=0, hash=GENESIS_HASH)
            else:
                head = Head(seq=head_row.seq, hash=head_row.hash)
            walk = _Walk(head=head, anchor=anchor)
            if head_row is None:
                walk.add(Tamper.HEAD_MISSING, 0, 0, "the head row is missing (deleted)")
            prev = _Seen(seq=0, written=0, hash=GENESIS_HASH)
            before: _Seen | None = None
            count = 0
            rows = conn.execution_options(stream_results=True, yield_per=_CHUNK).execute(
                select(AuditRecordRow.__table__).order_by(AuditRecordRow.seq)
            )
            for row in rows:
                prev, before = _step(walk, row, prev, before), prev
                count += 1
    for lo, hi in walk.missing:
        walk.add(Tamper.DELETED, lo, hi, "missing from the chain")
    if walk.head.seq > walk.max_written:
        walk.add(Tamper.DELETED, walk.max_written + 1, walk.head.seq, "cut off the end of the chain (head row still counts them)")
    if anchor is not None and not walk.anchor_seen and anchor.seq > 0:
        walk.add(Tamper.ANCHOR_MISMATCH, anchor.seq, anchor.seq, "no record carries the anchored seq")
    findings = tuple(sorted(walk.findings, key=lambda f: (f.seq, f.kind.value)))
    return VerifyReport(records=count, head=walk.head, findings=findings, findings_truncated=walk.truncated)
