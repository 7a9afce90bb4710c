"""Hostile input against a real server: each defect of issue 15 that a client can trigger."""

from __future__ import annotations

import httpx

from genguard.auth.roles import Role
from tests.api.conftest import LiveServer
from tests.images import ADULT_PORTRAIT


def _multipart(fields: list[tuple[bytes, bytes, bytes | None]], boundary: bytes = b"gg-boundary") -> bytes:
    """A multipart body built by hand, so a part can carry any charset or any bytes."""
    out = b""
    for name, value, content_type in fields:
        out += b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"" + name + b"\"\r\n"
        if content_type:
            out += b"Content-Type: " + content_type + b"\r\n"
        out += b"\r\n" + value + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def _post_raw(server: LiveServer, body: bytes, content_type: str) -> httpx.Response:
    with server.client(Role.SERVICE) as client:
        return client.post("/v1/screen", content=body, headers={"Content-Type": content_type})


def test_form_text_that_is_not_utf8_is_refused_never_re_decoded(live_server: LiveServer) -> None:
    text = "mets-lui un chapeau, café".encode("latin-1")  # é is one byte: invalid as UTF-8
    ct = "multipart/form-data; boundary=gg-boundary"
    declared = _post_raw(live_server, _multipart([(b"kind", b"generate", None), (b"prompt", text, None)]),
                         ct + "; charset=latin-1")
    assert declared.status_code == 415 and declared.json()["error"]["code"] == "charset_unsupported"
    part = _post_raw(live_server, _multipart([(b"kind", b"generate", None),
                                              (b"prompt", text, b"text/plain; charset=cp1252")]), ct)
    assert part.status_code == 415 and part.json()["error"]["code"] == "charset_unsupported"
    invalid = _post_raw(live_server, _multipart([(b"kind", b"generate", None), (b"prompt", text, None)]), ct)
    assert invalid.status_code == 400 and invalid.json()["error"]["code"] == "text_not_utf8"
    urlencoded = _post_raw(live_server, b"kind=generate&prompt=caf%E9", "application/x-www-form-urlencoded")
    assert urlencoded.status_code == 400 and urlencoded.json()["error"]["code"] == "text_not_utf8"
    # Valid UTF-8, declared or not, still screens.
    good = _post_raw(live_server, _multipart([(b"kind", b"generate", None),
                                              (b"prompt", "café".encode(), b"text/plain; charset=utf-8")]),
                     ct + "; charset=UTF-8")
    assert good.status_code == 200, good.text
