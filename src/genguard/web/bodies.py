"""Request bodies whose text is UTF-8 without NUL, or refused: text is never guessed.

Starlette decodes a form part that is not valid UTF-8 (or that declares another charset) as
Latin-1. For a screening service that is a bypass: the same request reads differently to the
client and to the detectors. Every route here uses :class:`StrictRoute`, whose requests
parse forms with strict decoders: a declared charset other than UTF-8 is refused with 415
``charset_unsupported``, bytes that are not UTF-8 with 400 ``text_not_utf8``. A NUL character,
in a form field or anywhere in a JSON body, is refused with 422 ``text_invalid``: PostgreSQL
cannot store it in text (it was a 500) and no legitimate field needs it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Coroutine
from contextlib import aclosing
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Request, Response
from fastapi.routing import APIRoute
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from genguard.web.errors import CodedHTTPException


def _charset_unsupported(charset: bytes | str) -> CodedHTTPException:
    name = charset.decode("latin-1") if isinstance(charset, bytes) else charset
    return CodedHTTPException(415, "charset_unsupported",
                              f"charset {name[:40]!r} is not accepted: send form text as UTF-8")


def _require_utf8_charset(params: dict[bytes, bytes]) -> None:
    """A declared charset must name UTF-8 (any spelling Python knows for it)."""
    charset = params.get(b"charset")
    if charset is None:
        return
    try:
        name = codecs.lookup(charset.decode("latin-1")).name
    except (LookupError, UnicodeDecodeError):
        raise _charset_unsupported(charset) from None
    if name != "utf-8":
        raise _charset_unsupported(charset)


def _no_nul(text: str, what: str) -> str:
    if "\x00" in text:
        raise CodedHTTPException(422, "text_invalid", f"{what} contains a NUL character")
    return text


def _utf8(data: bytes | bytearray, what: str) -> str:
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodedHTTPException(400, "text_not_utf8",
                                 f"{what} is not valid UTF-8 (byte {exc.start}): send form text as UTF-8") from None
    return _no_nul(text, what)


def _check_json_text(value: Any, path: str) -> None:
    """Every key and string of a parsed JSON body, at any depth, without NUL."""
    if isinstance(value, str):
        _no_nul(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_text(item, f"{path}.{_no_nul(key, path + ' (a key)')}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json_text(item, f"{path}[{i}]")


class _StrictMultiPartParser(MultiPartParser):
    """Field names, file names and field values decoded as strict UTF-8."""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        for key in (b"name", b"filename"):
            if key in options:
                _utf8(options[key], f"the form's {key.decode()}")
        super().on_headers_finished()  # now decodes without a fallback: the bytes are UTF-8

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            for name, value in part.item_headers:
                if name == b"content-type":
                    _require_utf8_charset(parse_options_header(value)[1])
            self.items.append((part.field_name, _utf8(part.data, f"form field {part.field_name!r}")))
            return
        super().on_part_end()


class _StrictFormParser(FormParser):
    """URL-encoded fields: percent-escapes decoded to bytes, then strict UTF-8."""

    def on_field_end(self) -> None:
        self._current_fields += 1
        if self._current_fields > self.max_fields:
            raise MultiPartException(f"Too many fields. Maximum number of fields is {self.max_fields}.")
        name = _utf8(unquote_to_bytes(bytes(self._field_name).replace(b"+", b" ")), "a form field name")
        value = _utf8(unquote_to_bytes(bytes(self._field_value).replace(b"+", b" ")), f"form field {name!r}")
        self._items.append((name, value))


class StrictRequest(Request):
    """A request whose ``form()`` refuses text that is not UTF-8 instead of re-decoding it,
    and whose ``json()`` refuses NUL characters."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            _check_json_text(await super().json(), "body")
        return self._json

    async def _get_form(self, *, max_files: int | float = 1000, max_fields: int | float = 1000,
                        max_part_size: int = 1024 * 1024) -> FormData:
        if self._form is None:
            content_type, params = parse_options_header(self.headers.get("Content-Type"))
            if content_type not in (b"multipart/form-data", b"application/x-www-form-urlencoded"):
                return await super()._get_form(max_files=max_files, max_fields=max_fields,
                                               max_part_size=max_part_size)
            _require_utf8_charset(params)
            try:
                async with aclosing(self.stream()) as stream:
                    if content_type == b"multipart/form-data":
                        parser: Any = _StrictMultiPartParser(self.headers, stream, max_files=max_files,
                                                             max_fields=max_fields, max_part_size=max_part_size)
                    else:
                        parser = _StrictFormParser(self.headers, stream, max_fields=max_fields)
                    self._form = await parser.parse()
            except MultiPartException as exc:
                raise HTTPException(400, exc.message) from exc
        return self._form


class StrictRoute(APIRoute):
    """The route class of every router: its handlers see :class:`StrictRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictRequest(request.scope, request.receive))

        return strict
