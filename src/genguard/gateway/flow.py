"""One gateway request: screen it, forward it, screen every image that comes back, stamp them.

    request ─► Guard (generate/edit) ─► upstream ─► Guard (output vs sources, each image)
            ─► Stamper ─► OpenAI-shaped answer

A request the Guard does not allow is never forwarded. If any returned image is not allowed,
none is returned: the whole answer is refused (``content_policy_violation``), because its
siblings came from the same prompt and sources, and returning "the others" would let a caller
draw n samples and keep what slipped through. ``review`` is refused like ``block``: a gateway
answers now and cannot hold an image for a person to look at.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool

from genguard.api.busy import HeavyWork
from genguard.errors import MediaError
from genguard.gateway.errors import GatewayError
from genguard.gateway.stamp import Stamper
from genguard.gateway.upstream import Upstream, UpstreamImage
from genguard.gateway.vault import ImageVault
from genguard.guard import Guard
from genguard.net.fetch import FetchError, MediaFetcher
from genguard.request import ImageInput, RequestKind, ScreenRequest
from genguard.signals import ImageRole
from genguard.verdict import Decision, Verdict


@dataclass(frozen=True)
class Caller:
    """Who asked (recorded as the audit actor) and the bearer for a pass-through upstream."""

    actor: str
    bearer: str | None


@dataclass(frozen=True)
class Ask:
    """What the caller asked for, as the Guard and the upstream each need it."""

    kind: RequestKind
    prompt: str
    sources: list[ImageInput]
    account: str | None
    session_id: str | None
    #: Images asked for: an upstream that returns more is malformed (each one costs a screen).
    n: int


def new_verdict_id() -> str:
    return f"gw_{uuid.uuid4().hex}"


def _verdict_fields(verdict: Verdict) -> dict[str, Any]:
    return {"verdict_id": verdict.id, "decision": verdict.decision.value, "reasons": verdict.reasons,
            "audit_seq": verdict.audit_seq, "receipt": verdict.receipt}


def refusal(verdict: Verdict) -> GatewayError:
    """The request itself was refused: nothing was forwarded."""
    reasons = ", ".join(verdict.reasons) or verdict.decision.value
    return GatewayError(400, "content_policy_violation",
                        f"Your request was rejected by the safety system ({reasons}); nothing was generated.",
                        param=None, type="invalid_request_error", **_verdict_fields(verdict))


class Flow:
    """The screening around one upstream; shared by every request of the gateway."""

    def __init__(self, guard: Guard, upstream: Upstream, stamper: Stamper, vault: ImageVault, heavy: HeavyWork,
                 *, fetcher: MediaFetcher) -> None:
        self.guard, self.upstream, self.stamper, self.vault, self.heavy = guard, upstream, stamper, vault, heavy
        self.fetcher = fetcher

    async def screen(self, request: ScreenRequest, caller: Caller) -> Verdict:
        async with self.heavy.slot():
            return await run_in_threadpool(self.guard.screen, request, actor=caller.actor)

    async def run(self, ask: Ask, caller: Caller, path: str, base_url: str, **forward: Any) -> dict[str, Any]:
        """Screen ``ask``, POST it to the upstream's ``path`` (``forward``: its body), screen and
        stamp every image; the OpenAI answer, or :class:`GatewayError`."""
        verdict_id = new_verdict_id()
        first = await self.screen(ScreenRequest(id=verdict_id, kind=ask.kind, prompt=ask.prompt, sources=ask.sources,
                                          account=ask.account, session_id=ask.session_id), caller)
        if first.decision is not Decision.ALLOW:
            raise refusal(first)
        answer = await self.upstream.post(path, caller_bearer=caller.bearer, **forward)
        if len(answer.images) > ask.n:
            raise GatewayError(502, "upstream_invalid_response", f"the image service returned {len(answer.images)} "
                               f"images for n={ask.n}; nothing was returned")
        images = [await self._bytes(item) for item in answer.images]
        outputs = [ScreenRequest(id=f"{verdict_id}.out{i}", kind=RequestKind.OUTPUT, prompt=ask.prompt,
                           sources=ask.sources, output=ImageInput(data=data), account=ask.account)
                   for i, data in enumerate(images)]
        verdicts = [await self._screen_output(r, caller) for r in outputs]
        refused = [v for v in verdicts if v.decision is not Decision.ALLOW]
        if refused:
            reasons = sorted({r for v in refused for r in v.reasons})
            raise GatewayError(
                400, "content_policy_violation",
                f"{len(refused)} of {len(verdicts)} generated images were rejected by the safety system "
                f"({', '.join(reasons) or 'review'}); no image is returned.",
                param=None, type="invalid_request_error", verdict_id=verdict_id, decision=Decision.BLOCK.value,
                reasons=reasons, outputs=[_verdict_fields(v) for v in verdicts])
        data = [await self._item(item, req, verdict, base_url)
                for item, req, verdict in zip(answer.images, outputs, verdicts, strict=True)]
        return {**answer.rest, "data": data, "genguard": {"request": _verdict_fields(first)}}

    async def _bytes(self, item: UpstreamImage) -> bytes:
        if item.b64_json is not None:
            try:
                return base64.b64decode(item.b64_json, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise GatewayError(502, "upstream_invalid_response",
                                   "the image service's b64_json is not base64; nothing was returned") from exc
        assert item.url is not None  # the upstream answer was validated: one of the two is there
        return await self._fetch(item.url)

    async def _fetch(self, url: str) -> bytes:
        """The image behind an upstream's ``url``, fetched under genguard.net's SSRF rules.

        An upstream (or whoever controls its answers) can name any URL, so this is the same
        fetcher item media uses (:mod:`genguard.net.fetch`: address rules, resolve-once pinning,
        bounded read, content sniffing), with the gateway's policy (``GatewayConfig.url_fetch_policy``).
        That fetcher is synchronous and runs here in a worker thread rather than having an async
        twin in genguard.net: a second transport, redirect loop and bounded read would be a copy of
        the SSRF rules to keep in step, which is how the two fetchers this replaced drifted apart.
        The cost is one worker thread per image in flight, held at most the policy's timeout (a
        fetch whose caller has gone runs to that deadline rather than being cancelled).
        """
        try:
            return (await run_in_threadpool(self.fetcher.fetch, url)).data
        except FetchError as exc:
            if exc.code == "fetch_timeout":
                raise GatewayError(504, "upstream_timeout", "fetching the upstream's image timed out") from exc
            raise GatewayError(502, "upstream_url_refused", f"the upstream's image URL was not fetched: {exc.message}",
                               reason=exc.code) from exc
        except MediaError as exc:  # not an image, or not the type it declares: nothing to screen
            raise GatewayError(502, "upstream_invalid_image", f"the upstream's image URL did not serve an image "
                               f"that can be screened ({exc.code}); nothing was returned") from exc

    async def _screen_output(self, request: ScreenRequest, caller: Caller) -> Verdict:
        try:
            return await self.screen(request, caller)
        except MediaError as exc:  # an image the decoder refuses is not passed on unscreened
            raise GatewayError(502, "upstream_invalid_image",
                               f"the image service returned an image that cannot be screened ({exc.code}); "
                               "nothing was returned") from exc

    async def _item(self, item: UpstreamImage, request: ScreenRequest, verdict: Verdict, base_url: str) -> dict[str, Any]:
        assert request.output is not None and verdict.decision is Decision.ALLOW
        # Signing a manifest re-encodes the image: off the event loop.
        stamped = await run_in_threadpool(partial(self.stamper.stamp, request.output.data, verdict=verdict,
                                                  request=request))
        out: dict[str, Any] = dict(item.extra)
        if item.url is not None:  # the caller expects a URL: the gateway's own, to the screened bytes
            screened = next((i for i in verdict.signals.images if i.role is ImageRole.OUTPUT), None)
            token = self.vault.put(stamped.image, f"image/{(screened.format if screened else None) or 'png'}".lower())
            out["url"] = f"{base_url.rstrip('/')}/v1/images/files/{token}"
        else:
            out["b64_json"] = base64.b64encode(stamped.image).decode("ascii")
        out["genguard"] = {"verdict_id": verdict.id, "decision": verdict.decision.value,
                           "audit_seq": verdict.audit_seq, **stamped.fields}
        return out
