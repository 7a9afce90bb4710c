"""Hostile input against a real server: each defect of issue 15 that a client can trigger."""

from __future__ import annotations

import httpx

from genguard.vocabulary import Role
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


def _raw_exchange(url: str, head: bytes, body_start: bytes, wait_s: float = 5.0) -> bytes:
    """Send a request head and the start of its body, then read what the server answers
    before the rest arrives (b"" when it waits for the body instead)."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=wait_s) as sock:
        sock.sendall(head + body_start)
        answer = b""
        try:
            while b"}}" not in answer:  # the end of the JSON error body
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except TimeoutError:
            pass
        return answer


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(live_server: LiveServer) -> None:
    declared = 100 * 1024 * 1024  # under the body limit: only authentication can stop it early
    head = (b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: " + str(declared).encode() + b"\r\n\r\n")
    answer = _raw_exchange(live_server.url, head, b"--b\r\n")
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert b'"unauthenticated"' in answer
    forged = head.replace(b"Host: x\r\n", b"Host: x\r\nAuthorization: Bearer gg_0123456789ab_forged\r\n")
    assert _raw_exchange(live_server.url, forged, b"--b\r\n").startswith(b"HTTP/1.1 401")


def test_a_body_without_credentials_has_a_small_limit(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        big_form = client.post("/console/login", data={"key": "x" * (1024 * 1024)})
    assert big_form.status_code == 413 and big_form.json()["error"]["code"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_is_a_413_like_a_declared_one(live_server: LiveServer) -> None:
    from genguard.api.app import body_limit
    from genguard.config import Settings

    limit = body_limit(Settings())
    chunk = b"\0" * (1024 * 1024)

    def stream():  # noqa: ANN202 - no Content-Length: sent chunked
        yield b'--b\r\nContent-Disposition: form-data; name="sources"; filename="x.jpg"\r\n\r\n'
        for _ in range(limit // len(chunk) + 2):
            yield chunk

    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    with live_server.client(Role.SERVICE) as client:
        chunked = client.post("/v1/screen", content=stream(), headers=headers)
        declared = client.post("/v1/screen", content=b"".join(stream()), headers=headers)
    assert _code(chunked) == (413, "payload_too_large")
    assert _code(declared) == (413, "payload_too_large")


def test_heavy_work_is_bounded_and_a_saturated_server_says_when_to_retry(live_server: LiveServer) -> None:
    heavy = live_server.app.state.heavy
    heavy.wait_s = 0.2
    for _ in range(heavy.slots):  # every slot busy, as under a burst of large images
        assert heavy._free.acquire(blocking=False)
    try:
        with live_server.client(Role.SERVICE) as client:
            busy = client.post("/v1/screen", data={"kind": "generate", "prompt": "a hat"})
            hashing = client.post("/v1/banks/hash", files={"image": ("a.jpg", ADULT_PORTRAIT.read_bytes(), "image/jpeg")})
        for response in (busy, hashing):
            assert _code(response) == (503, "server_busy") and int(response.headers["Retry-After"]) >= 1
    finally:
        for _ in range(heavy.slots):
            heavy._free.release()
    with live_server.client(Role.SERVICE) as client:
        assert client.post("/v1/screen", data={"kind": "generate", "prompt": "a hat"}).status_code == 200


def _notice(platform_id: str = "post-1") -> dict[str, object]:
    return {"regime": "uk_osa", "reporter_type": "user", "category": "intimate_image_abuse",
            "items": [{"platform_id": platform_id, "account": "acct-1"}]}


def test_a_retried_notice_with_its_idempotency_key_opens_one_case(live_server: LiveServer) -> None:
    from sqlalchemy import func, select

    from genguard.cases.tables import CaseRow, NoticeRow

    with live_server.client(Role.SERVICE) as client:
        first = client.post("/v1/notices", json=_notice(), headers={"Idempotency-Key": "retry-1"})
        again = client.post("/v1/notices", json=_notice(), headers={"Idempotency-Key": "retry-1"})
        other = client.post("/v1/notices", json=_notice("post-2"), headers={"Idempotency-Key": "retry-1"})
        fresh = client.post("/v1/notices", json=_notice(), headers={"Idempotency-Key": "retry-2"})
        bad = client.post("/v1/notices", json=_notice(), headers={"Idempotency-Key": "x" * 300})
    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert _code(other) == (409, "idempotency_key_reused")
    assert fresh.status_code == 201 and fresh.json()["notice_id"] != first.json()["notice_id"]
    assert _code(bad) == (422, "idempotency_key_invalid")
    with live_server.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(NoticeRow)) == 2
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 2
    # Keys are scoped to the API key that sent them: another client's "retry-1" is its own.
    with live_server.client(Role.ADMIN) as admin:
        assert admin.post("/v1/notices", json=_notice(), headers={"Idempotency-Key": "retry-1"}).status_code == 201
