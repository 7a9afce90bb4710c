"""A local stand-in for the OpenAI Images API that enforces its published request schema.

``POST /v1/images/generations`` (JSON) and ``POST /v1/images/edits`` (multipart) accept exactly
the parameters of the API reference (https://platform.openai.com/docs/api-reference/images) and
answer unknown parameters, missing ``prompt``/``image``, an ``n`` outside 1..10, an unknown
``size`` or ``response_format`` and a missing or wrong bearer as OpenAI does: 400/401 with
``{"error": {"message", "type", "param", "code"}}``. It answers ``{"created", "data": [{b64_json
| url}]}`` with the licensed benign images a test gives it; ``mode`` makes it misbehave (slow,
5xx, malformed JSON, an oversized body, bad base64, a URL to a private address, more images
than asked for); ``image_url`` makes it answer every image as that URL (one the gateway must
refuse, or a hostile media server's).
"""

from __future__ import annotations

import asyncio
import base64
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

API_KEY = "sk-upstream-test-0123456789"
GENERATION_FIELDS = {"prompt", "model", "n", "size", "response_format", "user", "quality", "style", "background",
                     "moderation", "output_format", "output_compression", "stream", "partial_images",
                     "safety_identifier"}
EDIT_TEXT_FIELDS = {"prompt", "model", "n", "size", "response_format", "user", "quality", "background",
                    "output_format", "output_compression", "stream", "partial_images", "input_fidelity",
                    "safety_identifier"}
EDIT_FILE_FIELDS = {"image", "image[]", "mask"}
SIZES = {"auto", "256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792"}
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")


def _error(status: int, message: str, *, param: str | None = None, code: str | None = None,
           type: str = "invalid_request_error") -> JSONResponse:  # noqa: A002
    return JSONResponse({"error": {"message": message, "type": type, "param": param, "code": code}}, status_code=status)


@dataclass
class FakeImagesAPI:
    """What the server returns (``outputs``, one per requested image, cycled) and what it saw."""

    outputs: list[bytes] = field(default_factory=list)
    mode: str = "ok"
    seen: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    base_url: str = ""
    image_url: str | None = None

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/images/generations")
        async def generations(request: Request) -> Response:
            if (refused := self._auth(request)) is not None:
                return refused
            try:
                body = await request.json()
            except ValueError:
                return _error(400, "We could not parse the JSON body of your request.")
            if not isinstance(body, dict):
                return _error(400, "The body must be a JSON object.")
            unknown = sorted(set(body) - GENERATION_FIELDS)
            if unknown:
                return _error(400, f"Unrecognized request argument supplied: {unknown[0]}", param=unknown[0],
                              code="unknown_parameter")
            if not isinstance(body.get("prompt"), str) or not body["prompt"]:
                return _error(400, "Missing required parameter: 'prompt'.", param="prompt",
                              code="missing_required_parameter")
            return await self._answer(body, "generations", images=0)

        @app.post("/v1/images/edits")
        async def edits(request: Request) -> Response:
            if (refused := self._auth(request)) is not None:
                return refused
            if not request.headers.get("content-type", "").startswith("multipart/form-data"):
                return _error(400, "Invalid Content-Type header, expected multipart/form-data.")
            form = await request.form()
            body: dict[str, Any] = {}
            images = 0
            for name, value in form.multi_items():
                if isinstance(value, str):
                    if name not in EDIT_TEXT_FIELDS:
                        return _error(400, f"Unrecognized request argument supplied: {name}", param=name,
                                      code="unknown_parameter")
                    body[name] = value
                    continue
                if name not in EDIT_FILE_FIELDS:
                    return _error(400, f"Unrecognized file parameter: {name}", param=name, code="unknown_parameter")
                data = await value.read()
                if not data.startswith(IMAGE_MAGIC):
                    return _error(400, "Invalid image file or mode for image 1, please check your image file.",
                                  param=name, code="invalid_image_format")
                images += name != "mask"
            if not images:
                return _error(400, "Missing required parameter: 'image'.", param="image",
                              code="missing_required_parameter")
            if not body.get("prompt"):
                return _error(400, "Missing required parameter: 'prompt'.", param="prompt",
                              code="missing_required_parameter")
            return await self._answer(body, "edits", images=images)

        @app.get("/files/{name}")
        def file(name: str) -> Response:
            return Response(self.files[name], media_type="image/png") if name in self.files else Response(status_code=404)

        return app

    def _auth(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return _error(401, "Incorrect API key provided.", code="invalid_api_key")
        return None

    async def _answer(self, body: dict[str, Any], endpoint: str, *, images: int) -> Response:
        try:
            n = int(body.get("n", 1))
        except (TypeError, ValueError):
            return _error(400, "n must be an integer", param="n", code="invalid_type")
        if not 1 <= n <= 10:
            return _error(400, f"{n} is greater than the maximum of 10 - 'n'", param="n", code="integer_above_max_value")
        if body.get("size", "auto") not in SIZES:
            return _error(400, f"Invalid value: '{body['size']}'. Supported values are: {sorted(SIZES)}.",
                          param="size", code="invalid_value")
        fmt = body.get("response_format", "url" if body.get("model", "dall-e-2") in ("dall-e-2", "dall-e-3") else "b64_json")
        if fmt not in ("url", "b64_json"):
            return _error(400, f"Invalid value: '{fmt}'. Supported values are: 'url' and 'b64_json'.",
                          param="response_format", code="invalid_value")
        self.seen.append({"endpoint": endpoint, "body": body, "images": images})
        if self.mode == "slow":
            await asyncio.sleep(5)
        if self.mode == "500":
            return _error(500, "The server had an error while processing your request.", type="server_error")
        if self.mode == "garbage":
            return Response(b"<html>not json", media_type="application/json")
        if self.mode == "huge":
            return Response(b"[" + b"0," * 2_000_000 + b"0]", media_type="application/json")
        data = []
        for i in range(n + 1 if self.mode == "extra_images" else n):
            image = self.outputs[i % len(self.outputs)]
            if self.mode == "bad_base64":
                data.append({"b64_json": "%%% not base64 %%%"})
            elif self.mode == "private_url":
                data.append({"url": "http://169.254.169.254/latest/meta-data/"})
            elif self.image_url is not None:
                data.append({"url": self.image_url})
            elif fmt == "url":
                name = f"{len(self.files)}.png"
                self.files[name] = image
                data.append({"url": f"{self.base_url}/files/{name}", "revised_prompt": body["prompt"]})
            else:
                data.append({"b64_json": base64.b64encode(image).decode("ascii"), "revised_prompt": body["prompt"]})
        return JSONResponse({"created": int(time.time()), "data": data})
