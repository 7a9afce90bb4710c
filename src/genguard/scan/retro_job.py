"""Retro-scan as a scan job: seen content against a bank's entries, with progress, a rate limit
and a checkpoint, instead of inside the import.

``BankService.import_records(..., retro_scan=False)`` (``genguard banks import --defer-retro``)
commits the list and returns the new entry ids; this job then reads ``seen_content`` a chunk at a
time in id order, finds the copies those entries match (MD5, SHA-256, PDQ with every stored
rotation/flip, the same code as the inline retro-scan) and, per chunk, opens the escalations and
then commits one output record (the chunk's last seen id and its hits). The output is the
checkpoint, as in ``genguard scan``: a resumed job starts after the last committed chunk, and the
one chunk whose escalations may have committed without its record skips the escalations that
already exist, so every copy is escalated exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from genguard.banks import retro
from genguard.banks.model import BankInfo, BankKind, RetroHit
from genguard.banks.service import BankService
from genguard.errors import NotFound, RequestError
from genguard.escalations import queue
from genguard.scan.progress import ScanProgress
from genguard.scan.ratelimit import RateLimit
from genguard.scan.run import ScanResult
from genguard.scan.writers import Writer

#: Seen rows per chunk (one output record, one transaction of escalations).
CHUNK = 10_000


def banked_entries(service: BankService, bank_name: str, entry_ids: Sequence[int] | None) -> tuple[BankInfo, list[retro.Banked]]:
    """The bank and its active entries (all, or those of ``entry_ids``) as the retro-scan needs them."""
    try:
        bank = service.bank(bank_name)
        rows = service.active_entries(bank_name, ids=entry_ids)
    except NotFound:
        raise RequestError(f"no bank named {bank_name!r}", code="bank_not_found") from None
    return bank, [retro.Banked(r.id, r.signal_type, r.value) for r in rows]


def run_retro_job(service: BankService, bank_name: str, writer: Writer, *, entry_ids: Sequence[int] | None = None,
                  progress_stream: Any = None, limit: RateLimit | None = None, chunk: int = CHUNK) -> ScanResult:
    """Retro-scan ``bank_name``'s entries (all active ones, or ``entry_ids``) over seen content."""
    bank, entries = banked_entries(service, bank_name, entry_ids)
    if bank.kind is BankKind.ALLOW:
        raise RequestError("an allow bank is not retro-scanned: it suppresses matches, it finds none",
                           code="allow_bank")
    matcher = retro.PdqMatcher(entries, bank)
    after = int(writer.last_id) if writer.done and writer.last_id else 0
    seen_so_far, left = service.seen_counts(after=after)
    progress = ScanProgress(seen_so_far + left, seen_so_far, stream=progress_stream)
    resuming = writer.done > 0
    count = 0
    try:
        while True:
            rows = service.seen_page(after=after, limit=chunk)
            if not rows:
                break
            if limit is not None:
                limit.acquire(len(rows))
            hits = retro.exact_hits(rows, entries, bank) + matcher.hits(rows)
            after = rows[-1].id
            with service.store.transaction(write_lock=True) as session:
                if resuming:  # this chunk's escalations may have committed before a kill
                    hits_to_escalate = _not_yet_escalated(session, hits)
                    resuming = False
                else:
                    hits_to_escalate = hits
                retro.escalate(session, hits_to_escalate)
            writer.commit([{"seq": writer.done, "id": str(after), "status": "ok", "bank": bank.name,
                            "rows": len(rows), "hits": [h.public() for h in hits]}])
            count += len(rows)
            progress.advance(len(rows), 0)
    finally:
        progress.close()
    return ScanResult(count, 0, seen_so_far)


def _not_yet_escalated(session: Session, hits: list[RetroHit]) -> list[RetroHit]:
    if not hits:
        return hits
    payloads = queue.raised(session, "BANK_RETRO_MATCH")
    done = {(p.get("entry_id"), p.get("seen_id")) for p in payloads}
    return [h for h in hits if (h.entry_id, h.seen_id) not in done]
