"""What a scan worker does: hold the models and the bank index, turn a batch of items into records.

One :class:`ScanWorker` lives in each worker process (local engine) or Ray actor, built once, so
models and the PDQ index load once per worker, never per item. Records carry no timings, so the
same input gives the same records on any engine and any number of workers.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from genguard.banks.hashing import media_hashes, signal_hashes
from genguard.banks.service import BankService
from genguard.config import Settings
from genguard.detectors.runtime import FACE_WORKERS_ENV, THREADS_ENV
from genguard.errors import GenguardError, RequestError
from genguard.request import ImageInput, Request, RequestKind
from genguard.scan.items import Mode, ScanItem
from genguard.scan.media import read_media
from genguard.verdict import Verdict

log = logging.getLogger(__name__)

#: The error code of an item that killed its worker twice (see the local engine).
CRASHED = "worker_crashed"
#: Fields a request line may have (those of ``genguard screen --batch``).
REQUEST_FIELDS = {"id", "kind", "prompt", "history", "sources", "output", "account", "session_id", "age_assured"}


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """Everything a worker needs to build itself; plain values, so it crosses process boundaries.

    ``style`` ``scan`` gives scan records; ``verdict`` gives ``screen --batch``'s verdict lines
    (with latency). ``snapshot`` is the PDQ index snapshot the bank index starts from (default:
    ``$GENGUARD_HOME/banks/pdq.idx``), so a worker on another machine can load a shared copy.
    """

    mode: Mode = Mode.SCREEN
    policy: str | None = None
    actor: str = "scan"
    style: str = "scan"
    snapshot: str | None = None
    #: ONNX threads per call in this worker (``None``: the runtime's default).
    onnx_threads: int | None = None
    #: Face analyses its face detector may run at once (``None``: the service's default).
    face_workers: int | None = None

    def one_core(self) -> WorkerConfig:
        """This config for a worker that is one core's worth (a pinned local worker, a Ray actor
        with ``num_cpus=1``): one ONNX thread and one face analysis at a time, unless set
        explicitly, so N workers use N cores and do not contend for them."""
        return replace(self, onnx_threads=self.onnx_threads or 1, face_workers=self.face_workers or 1)


class ScanWorker:
    """Turns items into records; every failure becomes that item's error record."""

    def __init__(self, config: WorkerConfig, settings: Settings | None = None) -> None:
        from genguard.guard import Guard  # heavy: models load here, in the worker

        # Read as the models load (each ONNX session, the face detector's dlib model sets).
        if config.onnx_threads is not None:
            os.environ[THREADS_ENV] = str(config.onnx_threads)
        if config.face_workers is not None:
            os.environ[FACE_WORKERS_ENV] = str(config.face_workers)
        self.config = config
        self.settings = settings or Settings()
        self.guard: Guard | None = None
        self.banks: BankService | None = None
        snapshot = Path(config.snapshot) if config.snapshot else self.settings.home / "banks" / "pdq.idx"
        if config.mode is not Mode.MATCH or config.style == "verdict":
            self.guard = Guard(self.settings, policy=config.policy)
            self.guard.load()
            self.banks = self.guard.banks.service
        else:
            from genguard.store.db import open_store

            self.banks = BankService(open_store(self.settings.resolved_database_url()), snapshot_path=snapshot)

    def close(self) -> None:
        if self.guard is not None:
            self.guard.close()
        elif self.banks is not None:
            self.banks.store.close()

    def run(self, items: list[ScanItem]) -> list[dict[str, Any]]:
        """One record per item, in the items' order."""
        records: list[dict[str, Any] | None] = [None] * len(items)
        screened: list[tuple[int, Request]] = []
        for pos, item in enumerate(items):
            try:
                if item.error is not None:
                    # A crashed worker is a screening failure (review); anything else is bad input.
                    raise GenguardError(item.error[1], code=item.error[0],
                                        status=500 if item.error[0] == CRASHED else 400)
                if self.config.mode is Mode.MATCH:
                    records[pos] = self._match(item)
                else:
                    screened.append((pos, self._request(item)))
            except GenguardError as exc:
                records[pos] = self._error(item, exc)
            except Exception as exc:  # noqa: BLE001 - one broken item must not stop the scan
                log.exception("scan item %s failed", item.seq)
                records[pos] = self._error(item, GenguardError(f"{type(exc).__name__}: {exc}"[:300],
                                                               code="internal_error", status=500))
        if screened:
            assert self.guard is not None
            results = self._screen_all([r for _, r in screened])
            for (pos, _), result in zip(screened, results, strict=True):
                item = items[pos]
                records[pos] = (self._error(item, result) if isinstance(result, GenguardError)
                                else self._screen_record(item, result))
        assert all(r is not None for r in records)
        return records  # type: ignore[return-value]

    # -- screening ---------------------------------------------------------------------------

    def _screen_all(self, requests: list[Request]) -> list[Verdict | GenguardError]:
        """``Guard.screen_many`` (batched text), or one by one if it fails as a whole."""
        assert self.guard is not None
        try:
            return self.guard.screen_many(requests, actor=self.config.actor)
        except Exception:  # noqa: BLE001 - isolate the request that breaks it
            log.exception("screen_many failed; screening this batch one by one")
        out: list[Verdict | GenguardError] = []
        for request in requests:
            try:
                out.append(self.guard.screen(request, actor=self.config.actor))
            except GenguardError as exc:
                out.append(exc)
            except Exception as exc:  # noqa: BLE001
                out.append(GenguardError(f"{type(exc).__name__}: {exc}"[:300], code="internal_error", status=500))
        return out

    def _request(self, item: ScanItem) -> Request:
        if item.path is not None:
            # A media file on its own is screened as an upload.
            data = read_media(item.path, self.settings.media)
            return Request(id=item.id, kind=RequestKind.UPLOAD, output=ImageInput(data=data, name=Path(item.path).name))
        assert item.request is not None
        return request_from_fields(item.request, self.settings)

    def _screen_record(self, item: ScanItem, verdict: Verdict) -> dict[str, Any]:
        if self.config.style == "verdict":
            return verdict.summary()
        record = self._head(item, "ok")
        record["screen"] = {k: v for k, v in verdict.summary().items() if k not in ("id", "latency_ms")}
        if self.config.mode is Mode.BOTH and item.path is not None:
            image = verdict.signals.images[0] if verdict.signals.images else None
            if image is not None and image.hashes is not None:
                record["hashes"] = _hashes(signal_hashes(image.hashes).public())
                record["matches"] = [
                    {"bank": m.bank, "entry_id": m.entry_id, "signal_type": m.signal_type,
                     "distance": m.distance, "action": m.action}
                    for m in image.bank_matches
                ]
        return record

    # -- matching ----------------------------------------------------------------------------

    def _match(self, item: ScanItem) -> dict[str, Any]:
        if item.path is None:
            raise RequestError("match mode takes media paths, not request lines", code="not_media")
        assert self.banks is not None
        hashes = media_hashes(read_media(item.path, self.settings.media), limits=self.settings.media)
        # Investigative: a back-scan must not count towards an entry's flood quarantine.
        found = self.banks.lookup(hashes.query(), count=False)
        record = self._head(item, "ok")
        record["hashes"] = _hashes(hashes.public())
        record["quality_gated"] = found.quality_gated
        record["matches"] = [
            {"bank": m.bank.name, "entry_id": str(m.entry.id), "signal_type": m.entry.signal_type,
             "distance": m.distance, "action": m.action.value}
            for m in found.matches
        ]
        return record

    # -- records -----------------------------------------------------------------------------

    def _head(self, item: ScanItem, status: str) -> dict[str, Any]:
        record: dict[str, Any] = {"seq": item.seq, "id": item.id, "status": status}
        if item.path is not None:
            record["path"] = item.path
        return record

    def _error(self, item: ScanItem, error: GenguardError) -> dict[str, Any]:
        """The record of an item that could not be done: never an allow."""
        kind = str((item.request or {}).get("kind", "upload" if item.path else "unknown"))
        if self.config.style == "verdict":
            assert self.guard is not None
            return self.guard.error_verdict(item.id, kind, error).summary()
        record = self._head(item, "error")
        record["error"] = {"code": error.code, "message": error.message}
        if self.guard is not None and self.config.mode is not Mode.MATCH:
            verdict = self.guard.error_verdict(item.id, kind, error)
            record["screen"] = {"decision": verdict.decision.value, "reasons": verdict.reasons}
        return record


def _hashes(public: dict[str, Any]) -> dict[str, Any]:
    return {k: public[k] for k in ("md5", "sha256", "pdq", "pdq_quality", "media", "exact") if k in public}


def request_from_fields(record: dict[str, Any], settings: Settings) -> Request:
    """A :class:`Request` from a request line's fields; image paths are read here (bounded)."""
    unknown = sorted(set(record) - REQUEST_FIELDS)
    if unknown:
        raise RequestError(f"unknown fields: {', '.join(unknown)}", code="unknown_fields")
    if not isinstance(record.get("id"), str):
        raise RequestError("'id' (a string) is required", code="id_required")

    def image(value: Any) -> ImageInput:
        if not isinstance(value, str):
            raise RequestError("image paths must be strings", code="request_invalid")
        return ImageInput(data=read_media(value, settings.media), name=Path(value).name)

    sources = record.get("sources") or []
    if not isinstance(sources, list):
        raise RequestError("'sources' must be a list of paths", code="request_invalid")
    try:
        return Request(
            id=record["id"],
            kind=record.get("kind"),  # type: ignore[arg-type]  # pydantic checks it
            prompt=record.get("prompt") or "",
            history=record.get("history") or [],
            sources=[image(s) for s in sources],
            output=image(record["output"]) if record.get("output") else None,
            account=record.get("account"),
            session_id=record.get("session_id"),
            age_assured=record.get("age_assured", False),
        )
    except ValueError as exc:
        raise RequestError(str(exc).splitlines()[0] + ": " + "; ".join(
            str(e.get("loc", "")) + " " + e.get("msg", "") for e in getattr(exc, "errors", list)()
        )) from exc
