"""``Guard.screen()``: the one entry point, from a request to an audited verdict.

request ─► validate ─► media.decode ─► detectors (concurrent) ─► facts ─► policy ─► actions
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from genguard import allocator
from genguard.banks.service import BankService
from genguard.screening.banks import BankScreening, blocked_for_what_it_shows
from genguard.cases.strikes import StrikeBook
from genguard.config import Settings
from genguard.detectors.base import Detector
from genguard.detectors.registry import load_detectors
from genguard.errors import GenguardError, RequestError
from genguard.media.decode import decode_image
from genguard.media.image import DecodedImage
from genguard.policy.engine import evaluate, may_hold
from genguard.policy.pack import PolicyPack, load_pack
from genguard.provenance import screening as provenance
from genguard.receipts import ReceiptSigner, prompt_sha256
from genguard.request import ImageInput, RequestKind, ScreenRequest
from genguard.screening.actions import Actions
from genguard.screening.collect import Target, collect, collect_texts
from genguard.screening.conversation import analyse
from genguard.screening.delta import Thresholds, compare
from genguard.screening.lineage import centre_crop_codes
from genguard.screening.memory import ScreeningMemory, chain_turns
from genguard.screening.recent import RecentSourceSignals
from genguard.screening.facts import build_facts, intent_facts
from genguard.signals import DetectorFailure, ImageRole, IntentSignal, ProvenanceSignal, SignalSet
from genguard.verdict import Decision, Verdict


class Guard:
    """Screens generation requests, outputs and uploads against a policy pack.

    Build one per process and share it: detectors are loaded once and are safe to call from many
    threads. ``store`` records the audit trail (and escalations); pass ``store=None`` explicitly
    with ``audit=False`` only for tools that must not write, such as benchmarks. ``banks`` is the
    platform's bank service (:class:`genguard.wiring.Platform` hands the same one to the case
    service); without it the guard opens one on its store, for standalone use.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        policy: PolicyPack | str | None = None,
        detectors: Mapping[str, Detector[Any]] | None = None,
        store: Any = None,
        audit: bool = True,
        workers: int = 4,
        signer: ReceiptSigner | None = None,
        banks: BankService | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.pack = policy if isinstance(policy, PolicyPack) else load_pack(policy or self.settings.policy)
        self.detectors: dict[str, Detector[Any]] = (
            dict(detectors) if detectors is not None else load_detectors()
        )
        self._delta_thresholds = Thresholds.from_pack(self.pack.thresholds)
        #: Backend and version per slot, recorded in every verdict.
        self._models = {slot: f"{type(d).__name__}/{d.version}" for slot, d in self.detectors.items()}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="genguard-detect")
        #: Signals of recently screened source photos, reused by the next turns and the output screen.
        self.recent_sources = RecentSourceSignals()
        # Its own thread, so lineage hashing never delays a detector job in the pool's queue.
        self._lineage_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="genguard-lineage")
        self.actions = Actions.open(self.settings, store) if audit else None
        # Sessions, lineage and the likeness registry live in the audit store too.
        self.memory = ScreeningMemory(self.actions.store) if self.actions else None
        # Hash banks live in the audit store; without one, bank lookups fail closed.
        self.banks = (BankScreening(banks) if banks is not None
                      else BankScreening.open(self.actions.store if self.actions else None, self.settings.home))
        #: Signs a receipt into every verdict (after the audit record, so it names the sequence).
        self.signer = signer
        anchors = self.settings.c2pa_trust_anchors
        #: PEM roots whose C2PA signers are trusted when a manifest is read (``provenance``).
        self.trust_anchors = anchors.read_bytes() if anchors else None
        self.strikes = StrikeBook(self.actions.store, self.pack.strikes) if self.actions and self.pack.strikes else None

    # -- lifecycle ---------------------------------------------------------------------------

    def load(self) -> None:
        """Load every detector now (the service calls this at start so the first request is fast)."""
        allocator.tune(self.settings.malloc_tune)  # before the models' buffers exist: see genguard.allocator
        for detector in self.detectors.values():
            detector.load()
        if self.memory is not None:
            self.memory.load()

    @property
    def ready(self) -> bool:
        return all(d.loaded for d in self.detectors.values())

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._lineage_pool.shutdown(wait=False, cancel_futures=True)
        if self.actions is not None:
            self.actions.close()

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- screening ---------------------------------------------------------------------------

    def screen(self, request: ScreenRequest | None = None, /, *, actor: str = "local", **fields: Any) -> Verdict:
        """Screen one request and return its verdict (recorded in the audit trail).

        Accepts a :class:`ScreenRequest` or its fields as keywords, where images may be paths, bytes
        or :class:`ImageInput`: ``guard.screen(kind="edit", prompt="...", sources=["a.jpg"])``.
        ``actor`` (who asked: an API key id, a CLI user) is recorded in the audit trail.
        Raises :class:`~genguard.errors.MediaError` or :class:`RequestError` for bad input; a
        detector failure is not an error but a verdict that fails closed.
        """
        if request is None:
            request = _request_from_fields(fields, self.settings)
        elif fields:
            raise RequestError("pass either a ScreenRequest or keyword fields, not both")
        started = time.perf_counter()
        self._validate(request)

        t0 = time.perf_counter()
        targets = [
            Target(ImageRole.SOURCE, i, self._decode(img)) for i, img in enumerate(request.sources)
        ]
        if request.output is not None:
            role = ImageRole.UPLOAD if request.kind is RequestKind.UPLOAD else ImageRole.OUTPUT
            targets.append(Target(role, 0, self._decode(request.output)))
        decode_ms = (time.perf_counter() - t0) * 1000.0

        history = self._history(request, actor)
        has_text = bool(request.prompt.strip()) or bool(history)
        # An allowed output is remembered in its lineage under the PDQ of centre crops of it and
        # its source: hash those beside the detectors, not after the verdict.
        crop_jobs = {
            t.image.sha256: self._lineage_pool.submit(centre_crop_codes, t.image.rgb)
            for t in targets
            if request.kind is RequestKind.OUTPUT and self.memory is not None
        }
        # The output's or upload's C2PA manifest, read beside the detectors.
        manifest_job = (
            self._lineage_pool.submit(provenance.read_signal, request.output.data, request.output.declared_type,
                                      trust_anchors=self.trust_anchors, limits=self.settings.media)
            if request.output is not None else None
        )
        signals, stage_ms = collect(
            text=request.prompt if has_text else None,
            history=history,
            targets=targets,
            detectors=self.detectors,
            pool=self._pool,
            timeout_s=self.settings.detector_timeout_s,
            recent=self.recent_sources,
            refine_when=self._refine_when(request.kind),
        )
        if manifest_job is not None:
            signals = _with_provenance(signals, manifest_job, f"{targets[-1].role.value}[0]")
        verdict = self._decide(request, signals, targets, history, {"decode": decode_ms, **stage_ms}, started)
        if self.actions is not None:
            verdict = self.actions.record(request, verdict, actor=actor, prompt_sha256=prompt_sha256(request))
        if self.signer is not None:
            verdict.receipt = self.signer.sign(request, verdict)
        self.banks.remember(request, verdict, bank_output=blocked_for_what_it_shows(self.pack, verdict))
        if self.memory is not None:
            crops = {sha256: job.result() for sha256, job in crop_jobs.items()}
            self.memory.remember(request, verdict, targets, actor=actor, crops=crops)
        return verdict

    def screen_many(self, requests: Sequence[ScreenRequest], /, *, actor: str = "local") -> list[Verdict | GenguardError]:
        """Screen many requests in order: the same verdicts as ``screen`` one by one, faster.

        Text-only requests that read and write no per-request state (no images, no session,
        no account when the pack counts strikes) are screened together: their intent first
        passes one after another, the name tagger in shared batches where the policy needs it,
        and their audit records in one transaction. Any other request goes through ``screen``
        in its place in the order, so sessions, strikes and the audit chain see the same
        sequence. A request that cannot be screened gets its error in its place in the result
        (nothing else is lost); a detector failure fails closed in a verdict, as in ``screen``.
        """
        results: list[Verdict | GenguardError | None] = [None] * len(requests)
        batch: list[int] = []
        for i, request in enumerate(requests):
            if self._text_only(request):
                batch.append(i)
                continue
            self._screen_texts(requests, batch, actor, results)
            batch = []
            try:
                results[i] = self.screen(request, actor=actor)
            except GenguardError as exc:
                results[i] = exc
        self._screen_texts(requests, batch, actor, results)
        assert all(r is not None for r in results), "every request gets a verdict or an error"
        return results  # type: ignore[return-value]

    def _text_only(self, request: ScreenRequest) -> bool:
        """Whether ``screen_many`` may screen ``request`` in a batch (see there)."""
        return (not request.sources and request.output is None and not request.session_id
                and not (request.account and self.strikes is not None))

    def _screen_texts(
        self, requests: Sequence[ScreenRequest], indices: list[int], actor: str,
        results: list[Verdict | GenguardError | None],
    ) -> None:
        """Screen the text-only ``requests[i]`` for ``i`` in ``indices`` into ``results[i]``."""
        valid: list[int] = []
        for i in indices:
            try:
                self._validate(requests[i])
                valid.append(i)
            except GenguardError as exc:
                results[i] = exc
        if not valid:
            return
        by_kind: dict[RequestKind, list[int]] = {}
        for i in valid:
            by_kind.setdefault(requests[i].kind, []).append(i)
        collected: dict[int, tuple[SignalSet, dict[str, float]]] = {}
        for kind, members in by_kind.items():
            found = collect_texts(
                items=[(requests[i].prompt, list(requests[i].history)) for i in members],
                detector=self.detectors.get("intent"),
                timeout_s=self.settings.detector_timeout_s,
                refine_when=self._refine_when(kind),
            )
            collected.update(zip(members, found, strict=True))
        verdicts: list[Verdict] = []
        for i in valid:
            started = time.perf_counter()
            signals, stage_ms = collected[i]
            verdict = self._decide(requests[i], signals, [], list(requests[i].history),
                                   {"decode": 0.0, **stage_ms}, started)
            # Its own share: the detectors' time spent on it plus deciding it.
            verdict.latency_ms += sum(stage_ms.values())
            verdicts.append(verdict)
        if self.actions is not None:
            verdicts = self.actions.record_many(
                [(requests[i], v, prompt_sha256(requests[i])) for i, v in zip(valid, verdicts, strict=True)],
                actor=actor,
            )
        for i, verdict in zip(valid, verdicts, strict=True):
            if self.signer is not None:
                verdict.receipt = self.signer.sign(requests[i], verdict)
            results[i] = verdict

    def _decide(
        self, request: ScreenRequest, signals: SignalSet, targets: list[Target], history: list[str],
        stages_ms: dict[str, float], started: float,
    ) -> Verdict:
        """From the detectors' signals to the verdict: banks, memory, facts, policy, strikes."""
        has_text = bool(request.prompt.strip()) or bool(history)
        signals = self.banks.annotate(signals, targets)
        if self.memory is not None:
            signals = self.memory.annotate(signals, self._delta_thresholds.same_person)
            if signals.provenance is not None:
                own = next((i.hashes.pdq for i in signals.images if i.role is not ImageRole.SOURCE and i.hashes), None)
                signals = signals.model_copy(update={"provenance": provenance.annotate(
                    signals.provenance, own, self.memory, self._delta_thresholds.same_person)})
        signals = signals.model_copy(update={
            "delta": compare(signals, self._delta_thresholds),
            "conversation": analyse(history, request.prompt, chain_turns=chain_turns(signals)) if has_text else None,
        })
        facts = build_facts(signals, self.pack.thresholds, has_text=has_text, age_assured=request.age_assured)
        outcome = evaluate(
            self.pack, request.kind, facts, sorted({f.detector for f in signals.failures})
        )
        verdict = Verdict(
            id=request.id,
            kind=request.kind.value,
            decision=outcome.decision,
            reasons=outcome.reasons,
            rule=outcome.rule,
            policy=self.pack.label,
            hits=outcome.hits,
            facts=facts,
            signals=signals,
            models=self._models,
            escalate=outcome.escalate,
            stages_ms=stages_ms,
        )
        if self.strikes is not None:
            verdict = self.strikes.apply(request, verdict)
        verdict.latency_ms = (time.perf_counter() - started) * 1000.0
        return verdict

    def _refine_when(self, kind: RequestKind) -> Callable[[IntentSignal], bool]:
        """Whether the intent detector's costly step (the name tagger) can change this verdict.

        It can only raise the categories it ``refines``; with those unknown, a rule for ``kind``
        that reads them must still be able to hold given the first pass's intent facts. In the
        uk-osa pack that is ``generate.intimate_real_person`` once ``intent.intimate`` reaches
        ``$intent``: a name without intimate intent, or any edit, never needs the tagger.
        """
        detector = self.detectors.get("intent")
        refined = frozenset(f"intent.{c.value}" for c in getattr(detector, "refines", ()))
        if "intent.real_person_reference" in refined:
            # A name the tagger finds is also the parsed fact text.named_person.
            refined |= {"text.named_person"}
        thresholds = self.pack.thresholds
        return lambda signal: may_hold(self.pack, kind, intent_facts(signal, has_text=True, thresholds=thresholds),
                                       refined)

    def _history(self, request: ScreenRequest, actor: str) -> list[str]:
        """Earlier turns: the session's kept ones (needs a store), then the request's own."""
        if self.memory is not None:
            return self.memory.history(request, actor, self.settings.max_history)
        if request.session_id:
            raise GenguardError("session_id needs a store to keep the conversation",
                                code="session_store_unavailable", status=503)
        return list(request.history)

    def _validate(self, request: ScreenRequest) -> None:
        s = self.settings
        if len(request.prompt) > s.max_text_chars:
            raise RequestError(
                f"prompt has {len(request.prompt)} characters; the limit is {s.max_text_chars}",
                code="text_too_long",
            )
        if len(request.history) > s.max_history:
            raise RequestError(
                f"history has {len(request.history)} turns; the limit is {s.max_history}",
                code="history_too_long",
            )
        if any(len(turn) > s.max_text_chars for turn in request.history):
            raise RequestError("a history turn is over the text limit", code="text_too_long")
        if len(request.sources) + (request.output is not None) > s.max_images:
            raise RequestError(f"at most {s.max_images} images per request", code="too_many_images")
        kind = request.kind
        if kind is RequestKind.GENERATE and not request.prompt.strip():
            raise RequestError("a generate request needs a prompt", code="prompt_required")
        if kind is RequestKind.GENERATE and (request.sources or request.output):
            raise RequestError("a generate request takes no images; use kind 'edit'", code="unexpected_images")
        if kind is RequestKind.EDIT and not request.sources:
            raise RequestError("an edit request needs at least one source image", code="source_required")
        if kind is RequestKind.EDIT and not request.prompt.strip():
            raise RequestError("an edit request needs a prompt", code="prompt_required")
        if kind in (RequestKind.OUTPUT, RequestKind.UPLOAD) and request.output is None:
            raise RequestError(f"a {kind.value} request needs an output image", code="output_required")
        if kind is RequestKind.UPLOAD and request.sources:
            raise RequestError("an upload request takes no source images", code="unexpected_images")
        for text in (request.prompt, *request.history):
            if "\x00" in text:
                raise RequestError("text contains NUL characters", code="text_invalid")

    def _decode(self, image: ImageInput) -> DecodedImage:
        return decode_image(image.data, limits=self.settings.media, declared_type=image.declared_type)

    def error_verdict(self, request_id: str | None, kind: str, error: GenguardError) -> Verdict:
        """The verdict for a request that could not be screened: never allow."""
        return Verdict(
            id=request_id,
            kind=kind,
            decision=Decision.REVIEW if error.status >= 500 else Decision.BLOCK,
            reasons=["INVALID_REQUEST" if error.status < 500 else "SCREENING_ERROR"],
            rule=None,
            policy=self.pack.label,
            error={"code": error.code, "message": error.message},
        )


def _with_provenance(signals: SignalSet, job: Future[ProvenanceSignal], target: str) -> SignalSet:
    """``signals`` with the manifest read, or with a ``provenance`` failure (fail closed)."""
    try:
        return signals.model_copy(update={"provenance": job.result()})
    except GenguardError as exc:
        error = f"{exc.code}: {exc.message}"[:500]
    except Exception as exc:  # noqa: BLE001 - a reader fault is a failure, reported, never allow
        error = f"{type(exc).__name__}: {exc}"[:500]
    failure = DetectorFailure(detector="provenance", error=error, target=target)
    return signals.model_copy(update={"failures": [*signals.failures, failure]})

def _request_from_fields(fields: dict[str, Any], settings: Settings) -> ScreenRequest:
    from pathlib import Path

    from genguard.media.decode import read_file

    def as_input(value: Any) -> ImageInput:
        if isinstance(value, ImageInput):
            return value
        if isinstance(value, bytes):
            return ImageInput(data=value)
        path = Path(value)
        return ImageInput(data=read_file(path, limits=settings.media), name=path.name)

    data = dict(fields)
    if "sources" in data:
        data["sources"] = [as_input(v) for v in data["sources"]]
    if data.get("output") is not None:
        data["output"] = as_input(data["output"])
    try:
        return ScreenRequest.model_validate(data)
    except ValueError as exc:
        raise RequestError(str(exc)) from exc
