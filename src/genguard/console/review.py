"""The review queue and the case page: claim next, check the reported item on a blurred
greyscale preview, read signals, reasons and bank matches, preview the statement of reasons,
decide; the case's timeline, clock, copies swept, webhooks and appeals.

Everything goes through the case service (``services.cases``, the same as ``/v1/cases``), so claims,
decisions and their audit records are the API's own. genguard keeps no media: when the platform
registered a media URL for the case's item, the page fetches it server-side through the
SSRF-safe fetcher (``cases/item_media.py``); otherwise a reviewer uploads the file. Either way it
is hashed, compared with the case's hashes, run through the nudity and face detectors and shown
blurred, then dropped. The unblurred pixels of a fetched item leave the server only after a
reviewer's reveal, which is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.web.params import Offset, RowId
from genguard.vocabulary import Role
from genguard.banks.hashing import image_hashes
from genguard.cases.clocks import PauseReason
from genguard.cases.service import DECISIONS, CaseService
from genguard.cases.views import Case, CaseSummary
from genguard.console import preview
from genguard.console.access import Viewer, viewer
from genguard.auth.prefs import Prefs
from genguard.console.render import PREFIX, page, redirect
from genguard.detectors.hashes import hamming
from genguard.errors import GenguardError, NotFound, RequestError
from genguard.media.decode import decode_image

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)
Reviewer = Annotated[Viewer, Depends(viewer(Role.REVIEWER))]
Reader = Annotated[Viewer, Depends(viewer(Role.REVIEWER, Role.AUDITOR))]
#: Decision choices with their keyboard shortcut and label, in form order.
CHOICES = [("remove", "1", "Remove"), ("restrict", "2", "Restrict"), ("no_action", "3", "No action"),
           ("escalate", "4", "Escalate"), ("mandatory_report", "5", "Remove and file mandatory report")]




def preview_statement(case: CaseSummary, decision: str, explanation: str, ground: str | None) -> dict[str, Any]:
    """The statement of reasons ``CaseService.decide`` will issue for this draft (its own builder)."""
    return CaseService.statement(case, decision, explanation, decided_at=datetime.now(UTC), ground=ground)


def item_media(request: Request, case: CaseSummary) -> dict[str, Any] | None:
    """The case's item fetched from its registered media URL and checked like an upload, or
    why it could not be (refused by the fetch policy, unreachable, expired, not an image).
    None when the platform registered no URL for the item."""
    registry = request.app.state.item_media
    platform_id = case.content.platform_id
    try:
        registered = registry.get(platform_id) if platform_id else None
    except NotFound:
        registered = None
    if registered is None:
        return None
    try:
        fetched = registry.fetch(platform_id)
        return {"url": fetched.url, "checked": _check_item(request, case, fetched.data, fetched.content_type)}
    except GenguardError as exc:
        return {"url": registered.url, "error": exc}


def case_page(request: Request, who: Viewer, case_id: RowId, *, status: int = 200, **extra: Any) -> HTMLResponse:
    cases = services.cases(request)
    case = cases.get(case_id)  # with its webhooks' outbox state
    events = cases.history(case_id)
    media = extra.pop("media", None) or item_media(request, case)
    return page(request, "case.html", who, status=status, case=case, events=events,
                held=case.claimed_by == who.actor, choices=CHOICES, pause_reasons=list(PauseReason),
                prefs=services.prefs(request).get(who.key_id), item_media=media, **extra)


async def _page(request: Request, who: Viewer, case_id: RowId, **extra: Any) -> HTMLResponse:
    """:func:`case_page` off the event loop: it may fetch the item's media (up to the fetch deadline)."""
    return await run_in_threadpool(partial(case_page, request, who, case_id, **extra))


async def _fail(request: Request, who: Viewer, case_id: RowId, exc: GenguardError) -> HTMLResponse:
    return await _page(request, who, case_id, status=exc.status, error=exc)


# -- queue ----------------------------------------------------------------------------------

@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, who: Reviewer, empty: bool = False) -> HTMLResponse:
    waiting = services.cases(request).list_cases(status="open", order="queue", limit=25)
    return page(request, "queue.html", who, waiting=waiting, mine=[c for c in waiting if c.claimed_by == who.actor],
                prefs=services.prefs(request).get(who.key_id), notice="The queue has nothing to claim." if empty else None)


@router.post("/queue/claim")
async def claim_next(request: Request, who: Reviewer) -> Response:
    await who.check_csrf(request)
    case = await run_in_threadpool(services.cases(request).claim, who.actor)
    return redirect("/queue?empty=1") if case is None else redirect(f"/cases/{case.id}")


@router.post("/prefs")
async def set_prefs(request: Request, who: Reviewer, reveal_media: Annotated[str, Form()] = "no") -> Response:
    """The per-user media setting: blurred (default) or revealed when a page opens."""
    await who.check_csrf(request)
    services.prefs(request).set(who.key_id, Prefs(reveal_media=reveal_media == "yes"))
    return redirect("/queue")


# -- cases ----------------------------------------------------------------------------------

@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, who: Reader,
          status: Annotated[str, Query(pattern="^(open|decided|reinstated|all)$")] = "open",
          offset: Offset = 0) -> HTMLResponse:
    found = services.cases(request).list_cases(status=None if status == "all" else status, limit=50, offset=offset)
    # ``status`` of page() is the HTTP status; the filter travels as ``case_status``.
    return page(request, "cases.html", who, cases=found, case_status=status, offset=offset)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: RowId, who: Reader, decided: bool = False) -> HTMLResponse:
    try:
        return case_page(request, who, case_id, notice="Decision recorded." if decided else None)
    except GenguardError as exc:
        return page(request, "error.html", who, status=exc.status, heading="No such case", message=exc.message)


@router.post("/cases/{case_id}/claim")
async def claim(request: Request, case_id: RowId, who: Reviewer) -> Response:
    await who.check_csrf(request)
    try:
        await run_in_threadpool(services.cases(request).claim, who.actor, case_id)
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return redirect(f"/cases/{case_id}")


@router.post("/cases/{case_id}/release")
async def release(request: Request, case_id: RowId, who: Reviewer) -> Response:
    await who.check_csrf(request)
    try:
        await run_in_threadpool(services.cases(request).release, case_id, who.actor)
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return redirect("/queue")


@router.post("/cases/{case_id}/clock")
async def clock(request: Request, case_id: RowId, who: Reviewer, action: Annotated[str, Form(max_length=16)] = "",
                reason: Annotated[str, Form(max_length=32)] = "") -> Response:
    """Pause a clock for a reason its regime allows (never TAKE IT DOWN), or resume it."""
    await who.check_csrf(request)
    cases = services.cases(request)
    try:
        if action == "pause":
            if reason not in set(PauseReason):
                raise RequestError(f"choose a reason: {', '.join(PauseReason)}", code="pause_reason_invalid")
            await run_in_threadpool(lambda: cases.pause(case_id, PauseReason(reason), actor=who.actor))
        elif action == "resume":
            await run_in_threadpool(lambda: cases.resume(case_id, actor=who.actor))
        else:
            raise RequestError("action must be 'pause' or 'resume'", code="clock_action_invalid")
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return redirect(f"/cases/{case_id}")


def _check_item(request: Request, case: CaseSummary, data: bytes, declared: str | None) -> dict[str, Any]:
    """Hash the reviewer's copy of the item, compare with the case, detect, render the preview."""
    guard = request.app.state.guard
    decoded = decode_image(data, limits=guard.settings.media, declared_type=declared)
    hashes = image_hashes(decoded)
    reported = case.content.hashes
    signals: dict[str, Any] = {}
    for slot in ("nudity", "faces"):
        if slot in guard.detectors:
            signals[slot] = guard.detectors[slot].detect(decoded).model_dump(mode="json")
    return {
        "sha256_match": None if not (sha256 := reported.get("sha256")) else sha256 == hashes.sha256,
        "md5_match": None if not (md5 := reported.get("md5")) else md5 == hashes.md5,
        "pdq_distance": hamming(pdq, hashes.pdq) if (pdq := reported.get("pdq")) else None,
        "sha256": hashes.sha256,
        "regions": len((signals.get("nudity") or {}).get("regions", [])),
        "faces": len((signals.get("faces") or {}).get("faces", [])),
        "preview": preview.render(decoded, preview.boxes_of(signals)),
    }


@router.post("/cases/{case_id}/check", response_class=HTMLResponse)
async def check(request: Request, case_id: RowId, who: Reviewer, item: Annotated[UploadFile, File()]) -> HTMLResponse:
    await who.check_csrf(request)
    limit = request.app.state.guard.settings.media.max_bytes
    try:
        data = await item.read(limit + 1)
        if len(data) > limit:
            raise RequestError(f"the file is over the {limit}-byte limit", code="media_too_large", status=413)
        found = await run_in_threadpool(_check_item, request, services.cases(request).get(case_id), data,
                                        item.content_type)
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return await _page(request, who, case_id, checked=found)


@router.post("/cases/{case_id}/media/reveal", response_class=HTMLResponse)
async def reveal_media(request: Request, case_id: RowId, who: Reviewer) -> HTMLResponse:
    """Show the fetched item unblurred to this reviewer, and record that they saw it."""
    await who.check_csrf(request)
    try:
        case: Case = await run_in_threadpool(services.cases(request).get, case_id)
    except GenguardError as exc:
        return page(request, "error.html", who, status=exc.status, heading="No such case", message=exc.message)
    media = await run_in_threadpool(item_media, request, case)
    if media is None or "error" in media:
        error = media["error"] if media else NotFound("the platform registered no media URL for this item",
                                                      code="item_media_not_found")
        return await _page(request, who, case_id, status=error.status, media=media, error=error)
    await run_in_threadpool(lambda: services.audit(request).record("case.media_viewed", {
        "case_id": case_id, "unblurred": True, "platform_id": case.content.platform_id, "url": media["url"],
        "sha256": media["checked"]["sha256"], "at": datetime.now(UTC).isoformat()}, actor=who.actor,
        subject=f"case:{case_id}"))
    return await _page(request, who, case_id, media={**media, "revealed": True})


@dataclass(frozen=True)
class Draft:
    """A decision as the form sent it; :meth:`checked` refuses an incomplete one in the page."""

    decision: str
    explanation: str
    ground: str

    def checked(self) -> tuple[str, str, str | None]:
        if self.decision not in DECISIONS:
            raise RequestError(f"choose a decision: {', '.join(DECISIONS)}", code="decision_invalid")
        if not self.explanation.strip():
            raise RequestError("a decision needs an explanation (the facts relied on)", code="decision_invalid")
        if self.ground not in ("", "illegal", "contractual"):
            raise RequestError("ground must be 'illegal' or 'contractual'", code="decision_invalid")
        return self.decision, self.explanation, self.ground or None


def draft_form(decision: Annotated[str, Form(max_length=32)] = "",
               explanation: Annotated[str, Form(max_length=10_000)] = "",
               ground: Annotated[str, Form(max_length=16)] = "") -> Draft:
    return Draft(decision, explanation, ground)


DraftForm = Annotated[Draft, Depends(draft_form)]


@router.post("/cases/{case_id}/preview", response_class=HTMLResponse)
async def preview_decision(request: Request, case_id: RowId, who: Reviewer, draft: DraftForm) -> HTMLResponse:
    """Step one of a decision: the statement of reasons exactly as it will be issued."""
    await who.check_csrf(request)
    try:
        checked = draft.checked()
        current = services.cases(request).get(case_id)
        statement = None if draft.decision == "escalate" else preview_statement(current, *checked)
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return await _page(request, who, case_id, draft=draft, statement=statement)


@router.post("/cases/{case_id}/decide")
async def decide(request: Request, case_id: RowId, who: Reviewer, draft: DraftForm) -> Response:
    """Step two: the confirmed decision, through the case service (takedown, banking, notices)."""
    await who.check_csrf(request)
    try:
        decision, explanation, ground = draft.checked()
        await run_in_threadpool(lambda: services.cases(request).decide(case_id, who.actor, decision,
                                                                       explanation=explanation, ground=ground))
    except GenguardError as exc:
        return await _fail(request, who, case_id, exc)
    return redirect(f"/cases/{case_id}?decided=1")
