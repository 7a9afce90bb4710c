"""The scan loop: source ─► batches ─► engine ─► writer, resuming after what the output holds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from genguard.errors import RequestError
from genguard.scan.engine import Engine
from genguard.scan.items import ScanItem
from genguard.scan.progress import ScanProgress
from genguard.scan.ratelimit import RateLimit
from genguard.scan.writers import Writer

#: Text-only request lines per batch: they share model batches (``Guard.screen_many``).
TEXT_BATCH = 256
#: Items with images per batch: small, so the cores stay busy to the end and a crash loses little.
MEDIA_BATCH = 4


@dataclass(frozen=True, slots=True)
class ScanResult:
    items: int
    errors: int
    skipped: int


def batches(items: Iterable[ScanItem], *, text: int = TEXT_BATCH, media: int = MEDIA_BATCH) -> Iterator[list[ScanItem]]:
    """Consecutive items grouped: a batch closes at ``text`` text lines or ``media`` other items."""
    batch: list[ScanItem] = []
    heavy = 0
    for item in items:
        batch.append(item)
        heavy += not item.light
        if heavy >= media or len(batch) >= text:
            yield batch
            batch, heavy = [], 0
    if batch:
        yield batch


def run_scan(items: Iterable[ScanItem], engine: Engine, writer: Writer, *, progress: ScanProgress | None = None,
             limit: RateLimit | None = None) -> ScanResult:
    """Run every item the writer does not hold yet; each batch's records are committed in order."""
    skipped = writer.done
    it = iter(items)
    if skipped:
        already = list(islice(it, skipped))
        if len(already) < skipped or already[-1].id != writer.last_id:
            raise RequestError(
                f"the output holds {skipped} records but the input's item {skipped} is not the last of them: "
                "resume only over the same input", code="resume_mismatch")
    size = TEXT_BATCH if limit is None else max(1, min(TEXT_BATCH, int(limit.rate)))

    def paced() -> Iterator[list[ScanItem]]:
        for batch in batches(it, text=size, media=min(MEDIA_BATCH, size)):
            if limit is not None:
                limit.acquire(len(batch))
            yield batch

    count = errors = 0
    for records in engine.map(paced()):
        writer.commit(records)
        failed = sum(r.get("status") == "error" or "error" in r for r in records)
        count += len(records)
        errors += failed
        if progress is not None:
            progress.advance(len(records), failed)
    return ScanResult(count, errors, skipped)
