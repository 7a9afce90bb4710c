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


_HUGE = (2**63, 2**31)


def _code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_ids_and_offsets_past_the_database_range_get_a_422(live_server: LiveServer) -> None:
    with live_server.client(Role.ADMIN) as client:
        for n in _HUGE:
            for method, path in (("GET", f"/v1/cases/{n}"), ("GET", f"/v1/banks/entries/{n}"),
                                 ("GET", f"/v1/likeness/{n}"), ("DELETE", f"/v1/keys/{n}"),
                                 ("GET", f"/v1/audit/records?after={n}"), ("GET", f"/v1/cases?offset={n}"),
                                 ("POST", f"/v1/cases/{n}/takedown/retry")):
                assert _code(client.request(method, path)) == (422, "request_invalid"), (method, path)


def test_a_missing_case_on_takedown_retry_is_a_404(live_server: LiveServer) -> None:
    with live_server.client(Role.REVIEWER) as client:
        assert _code(client.post("/v1/cases/424242/takedown/retry")) == (404, "case_not_found")


def test_a_nul_in_a_json_field_is_refused(live_server: LiveServer) -> None:
    notice = {"regime": "uk_osa", "reporter_type": "user", "category": "intimate_image_abuse",
              "items": [{"platform_id": "post\u00001", "account": "acct-1"}]}
    with live_server.client(Role.SERVICE) as client:
        assert _code(client.post("/v1/notices", json=notice)) == (422, "text_invalid")
    with live_server.client(Role.ADMIN) as client:
        assert _code(client.post("/v1/keys", json={"role": "service", "name": "a\u0000b"})) == (422, "text_invalid")


def test_an_unexpected_error_answers_in_the_documented_shape_and_is_logged(
        live_server: LiveServer, monkeypatch, caplog) -> None:  # noqa: ANN001
    from genguard.cases.service import CaseService

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("database driver exploded: secret-detail")

    monkeypatch.setattr(CaseService, "list_cases", broken)
    with caplog.at_level("ERROR", logger="genguard.api"), live_server.client(Role.REVIEWER) as client:
        response = client.get("/v1/cases")
    assert _code(response) == (500, "internal_error")
    assert "secret-detail" not in response.text  # details stay in the log
    logged = [r for r in caplog.records if r.name == "genguard.api"]
    assert logged and logged[0].exc_info is not None and "/v1/cases" in logged[0].getMessage()
    assert live_server.keys[Role.REVIEWER] not in caplog.text
