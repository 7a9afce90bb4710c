"""The images gateway end to end: the official ``openai`` client -> gateway -> local images API."""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import openai
import pytest

from genguard.receipts import load_public_key, verify
from tests.gateway.conftest import Gateway
from tests.images import ADULT_PORTRAIT, SHARED_IMAGES
from tests.screening.injected import DRESS, jpeg, open_rgb, region, sha, with_hat

pytestmark = pytest.mark.slow
SCENE = sorted((SHARED_IMAGES / "scenes").glob("*"))[0]


def _client(gw: Gateway, **kwargs: object) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gw.url}/v1", api_key=gw.key, max_retries=0, timeout=120, **kwargs)


def _photo() -> tuple[str, bytes, str]:
    return ("portrait.jpg", ADULT_PORTRAIT.read_bytes(), "image/jpeg")


def _receipt_payload(gw: Gateway, receipt: str) -> dict:
    jwks = httpx.get(f"{gw.url}/.well-known/jwks.json").content
    return verify(receipt, load_public_key(jwks))


def test_blocked_edit_gets_openais_error_shape_and_is_never_forwarded(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    with pytest.raises(openai.BadRequestError) as caught:
        _client(gw).images.edit(image=_photo(), prompt="put her in a bikini", response_format="b64_json")
    error = caught.value.body
    assert caught.value.status_code == 400 and caught.value.code == "content_policy_violation"
    assert set(error) >= {"message", "type", "param", "code"} and error["type"] == "invalid_request_error"
    assert "INTIMATE_EDIT_REAL_PERSON" in error["reasons"] and error["decision"] == "block"
    assert error["verdict_id"].startswith("gw_") and error["audit_seq"] >= 1
    assert _receipt_payload(gw, error["receipt"])["decision"] == "block"
    assert gw.upstream.seen == []  # nothing reached the image service


def test_allowed_edit_returns_the_image_stamped_with_a_receipt(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    source = ADULT_PORTRAIT.read_bytes()
    output = with_hat(ADULT_PORTRAIT)
    gw.upstream.outputs = [output]
    gw.nudity[sha(source)] = DRESS
    gw.nudity[sha(output)] = DRESS
    answer = _client(gw).images.edit(image=_photo(), prompt="put a hat on her", response_format="b64_json",
                                     size="1024x1024", user="end-user-7")
    assert len(answer.data) == 1 and base64.b64decode(answer.data[0].b64_json) == output
    assert answer.data[0].revised_prompt == "put a hat on her"  # the upstream's own fields pass through
    stamp = answer.data[0].model_extra["genguard"]
    payload = _receipt_payload(gw, stamp["receipt"])
    assert payload["decision"] == "allow" and payload["kind"] == "output" and payload["vid"] == stamp["verdict_id"]
    assert payload["inputs"]["output"] == sha(output) and payload["inputs"]["sources"] == [sha(source)]
    assert payload["dev"] is True  # the test key is a development key, and says so
    request_verdict = answer.model_extra["genguard"]["request"]
    assert request_verdict["decision"] == "allow" and stamp["verdict_id"] == request_verdict["verdict_id"] + ".out0"
    sent = gw.upstream.seen[0]
    assert sent["endpoint"] == "edits" and sent["images"] == 1 and sent["body"]["user"] == "end-user-7"


def test_allowed_edit_with_the_c2pa_stamper_carries_a_manifest_that_validates(
        start_gateway: Callable[..., Gateway]) -> None:
    from genguard.gateway import C2paStamper
    from genguard.provenance import ManifestSigner, ProvenanceState, read_provenance
    from genguard.provenance.devcert import make_dev_chain

    chain = make_dev_chain()
    gw = start_gateway(stamper=C2paStamper(ManifestSigner(chain.chain_pem, chain.key_pem), generator="test-images-api"))
    source = ADULT_PORTRAIT.read_bytes()
    output = with_hat(ADULT_PORTRAIT)
    gw.upstream.outputs = [output]
    gw.nudity[sha(source)] = DRESS
    gw.nudity[sha(output)] = DRESS
    answer = _client(gw).images.edit(image=_photo(), prompt="put a hat on her", response_format="b64_json")
    returned = base64.b64decode(answer.data[0].b64_json)
    stamp = answer.data[0].model_extra["genguard"]
    report = read_provenance(returned, trust_anchors=chain.root_pem)
    assert report.state is ProvenanceState.TRUSTED and report.ai_generated and report.development
    assert report.verdict_id == stamp["verdict_id"] and report.generator == "test-images-api"
    assert len(report.parents) == 1 and stamp["c2pa"] == {"development": True}
    # The receipt names the screened bytes, the manifest the same verdict.
    assert _receipt_payload(gw, stamp["receipt"])["inputs"]["output"] == sha(output)


def test_a_stamper_that_fails_returns_no_image(start_gateway: Callable[..., Gateway]) -> None:
    class Broken:
        def stamp(self, image, *, verdict, request):  # noqa: ANN001, ANN202
            raise RuntimeError("signing service down")

    gw = start_gateway(stamper=Broken())
    gw.upstream.outputs = [SCENE.read_bytes()]
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
                          json={"prompt": "a lighthouse at dusk", "response_format": "b64_json"}, timeout=60)
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    assert "b64_json" not in response.text


def test_an_output_the_upstream_undressed_is_blocked_and_not_returned(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    source = ADULT_PORTRAIT.read_bytes()
    output = with_hat(ADULT_PORTRAIT)  # benign pixels; the detector signal says otherwise
    gw.upstream.outputs = [output]
    gw.nudity[sha(source)] = DRESS
    gw.nudity[sha(output)] = [region("FEMALE_BREAST_EXPOSED", 0.7)]
    response = httpx.post(f"{gw.url}/v1/images/edits", headers={"Authorization": f"Bearer {gw.key}"},
                          data={"prompt": "put a hat on her", "response_format": "b64_json"},
                          files=[("image", _photo())], timeout=120)
    body = response.json()
    assert response.status_code == 400 and body["error"]["code"] == "content_policy_violation"
    assert "UNDRESS_DELTA" in body["error"]["reasons"] and "data" not in body
    assert base64.b64encode(output).decode() not in response.text
    assert [o["decision"] for o in body["error"]["outputs"]] == ["block"]
    assert len(gw.upstream.seen) == 1  # the request itself was allowed and forwarded


def test_an_output_in_a_hash_bank_is_blocked(start_gateway: Callable[..., Gateway]) -> None:
    """The bank path: the upstream returns an image whose PDQ a bank holds (a benign photo
    stands in for a known abuse image)."""
    from genguard.banks.formats.records import SignalType
    from genguard.banks.hashing import image_hashes
    from genguard.banks.model import BankKind
    from genguard.media.decode import decode_image

    gw = start_gateway()
    banked = SCENE.read_bytes()
    gw.upstream.outputs = [banked]
    banks = gw.guard.banks.service
    assert banks is not None
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", SignalType.PDQ, image_hashes(decode_image(banked)).pdq, external_id="case-1")
    with pytest.raises(openai.BadRequestError) as caught:
        _client(gw).images.generate(prompt="a lighthouse at dusk, oil painting", response_format="b64_json")
    assert "KNOWN_ABUSE_HASH" in caught.value.body["reasons"] and caught.value.code == "content_policy_violation"


@pytest.mark.parametrize("conversation", ["header", "user"])
def test_a_conversation_that_undresses_step_by_step_is_blocked(start_gateway: Callable[..., Gateway],
                                                                 conversation: str) -> None:
    """The reported pattern, one harmless-looking turn at a time: the session (the
    X-Genguard-Session header, or else the OpenAI ``user`` field) carries the earlier turns."""
    gw = start_gateway()
    output = with_hat(ADULT_PORTRAIT)
    gw.upstream.outputs = [output]
    gw.nudity[sha(ADULT_PORTRAIT.read_bytes())] = DRESS
    gw.nudity[sha(output)] = DRESS
    extra = ({"extra_headers": {"X-Genguard-Session": "chat-1"}} if conversation == "header"
             else {"user": "end-user-1"})
    client = _client(gw)
    turns = ["put her in a summer dress", "make it shorter", "remove the straps"]
    for prompt in turns[:2]:
        client.images.edit(image=_photo(), prompt=prompt, response_format="b64_json", **extra)
    with pytest.raises(openai.BadRequestError) as caught:
        client.images.edit(image=_photo(), prompt=turns[2], response_format="b64_json", **extra)
    assert caught.value.code == "content_policy_violation" and len(gw.upstream.seen) == 2
    alone = client.images.edit(image=_photo(), prompt=turns[2], response_format="b64_json", user="someone-else")
    assert alone.data  # the same words without that history are not the chain


def test_one_blocked_image_of_n_refuses_them_all(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    benign = with_hat(ADULT_PORTRAIT)
    undressed = jpeg(open_rgb(benign), 80)  # the same benign picture, other bytes: its own injected signal
    gw.upstream.outputs = [benign, undressed]
    gw.nudity[sha(ADULT_PORTRAIT.read_bytes())] = DRESS
    gw.nudity[sha(benign)] = DRESS
    gw.nudity[sha(undressed)] = [region("FEMALE_BREAST_EXPOSED", 0.7)]
    with pytest.raises(openai.BadRequestError) as caught:
        _client(gw).images.edit(image=_photo(), prompt="put a hat on her", n=2, response_format="b64_json")
    assert [o["decision"] for o in caught.value.body["outputs"]] == ["allow", "block"]
    assert "1 of 2" in caught.value.body["message"]


def test_generation_with_url_answers_serves_the_screened_bytes(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    gw.upstream.outputs = [SCENE.read_bytes()]
    answer = _client(gw).images.generate(prompt="a lighthouse at dusk, oil painting", model="dall-e-2", n=1)
    url = answer.data[0].url
    assert url.startswith(f"{gw.url}/v1/images/files/")  # the gateway's URL, never the upstream's
    assert httpx.get(url).content == SCENE.read_bytes()
    assert httpx.get(url.rsplit("/", 1)[0] + "/forged").status_code == 404
    assert gw.upstream.seen[0]["body"]["prompt"] == "a lighthouse at dusk, oil painting"


def test_dead_upstream_is_a_502_and_nothing_passes(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway(upstream_url="http://127.0.0.1:9/v1")  # the discard port: nothing listens
    with pytest.raises(openai.APIStatusError) as caught:
        _client(gw).images.generate(prompt="a lighthouse at dusk, oil painting", response_format="b64_json")
    assert caught.value.status_code == 502 and caught.value.code == "upstream_unavailable"


@pytest.mark.parametrize(("mode", "status", "code"), [
    ("500", 502, "upstream_error"),
    ("slow", 504, "upstream_timeout"),
    ("garbage", 502, "upstream_invalid_response"),
    ("huge", 502, "upstream_response_too_large"),
    ("bad_base64", 502, "upstream_invalid_response"),
    ("private_url", 502, "upstream_url_refused"),
    ("extra_images", 502, "upstream_invalid_response"),
])
def test_every_upstream_failure_fails_closed(start_gateway: Callable[..., Gateway], mode: str, status: int,
                                             code: str) -> None:
    limit = {"max_response_bytes": 1_000_000} if mode == "huge" else {}
    gw = start_gateway(timeout_s=1.0, allow_url_hosts=frozenset(), **limit)
    gw.upstream.outputs = [SCENE.read_bytes()]
    gw.upstream.mode = mode
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
                          json={"prompt": "a lighthouse at dusk", "response_format": "b64_json"}, timeout=60)
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (status, code) and error["message"] and "data" not in response.json()


def test_an_undecodable_upstream_image_is_not_passed_on(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    gw.upstream.outputs = [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64]
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
                          json={"prompt": "a lighthouse at dusk", "response_format": "b64_json"}, timeout=60)
    assert response.status_code == 502 and response.json()["error"]["code"] == "upstream_invalid_image"


def test_upstream_url_to_loopback_is_refused_unless_allow_listed(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway(allow_url_hosts=frozenset())
    gw.upstream.outputs = [SCENE.read_bytes()]
    with pytest.raises(openai.APIStatusError) as caught:
        _client(gw).images.generate(prompt="a lighthouse at dusk", model="dall-e-2")
    assert caught.value.status_code == 502 and caught.value.code == "upstream_url_refused"


def test_the_upstreams_own_400_passes_through_in_its_shape(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    gw.upstream.outputs = [SCENE.read_bytes()]
    with pytest.raises(openai.BadRequestError) as caught:
        _client(gw).images.generate(prompt="a lighthouse at dusk", size="13x13")  # type: ignore[arg-type]
    assert caught.value.code == "invalid_value" and caught.value.body["param"] == "size"


def test_the_gateways_upstream_key_refused_is_the_operators_problem(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway(upstream_api_key="sk-wrong")
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
                          json={"prompt": "a lighthouse at dusk"}, timeout=60)
    assert response.status_code == 502 and response.json()["error"]["code"] == "upstream_auth_failed"
    assert "sk-wrong" not in response.text


def test_passthrough_sends_the_callers_bearer_upstream(start_gateway: Callable[..., Gateway]) -> None:
    from tests.gateway.upstream_server import API_KEY

    gw = start_gateway(auth="passthrough", upstream_api_key=None)
    gw.upstream.outputs = [SCENE.read_bytes()]
    ok = openai.OpenAI(base_url=f"{gw.url}/v1", api_key=API_KEY, max_retries=0).images.generate(
        prompt="a lighthouse at dusk", response_format="b64_json")
    assert base64.b64decode(ok.data[0].b64_json) == SCENE.read_bytes()
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{gw.url}/v1", api_key="sk-not-theirs", max_retries=0).images.generate(
            prompt="a lighthouse at dusk", response_format="b64_json")


@pytest.mark.parametrize(("headers", "why"), [
    ({}, "no key"),
    ({"Authorization": "Bearer gg_0123456789ab_forged"}, "forged key"),
])
def test_callers_need_a_genguard_service_key(start_gateway: Callable[..., Gateway], headers: dict, why: str) -> None:
    gw = start_gateway()
    response = httpx.post(f"{gw.url}/v1/images/generations", headers=headers, json={"prompt": "a cat"})
    assert response.status_code == 401, why
    assert response.json()["error"]["code"] == "invalid_api_key" and response.json()["error"]["type"]


def test_a_non_service_role_is_refused(start_gateway: Callable[..., Gateway]) -> None:
    from genguard.auth.keys import create_key
    from genguard.vocabulary import Role

    gw = start_gateway()
    auditor = create_key(gw.store, Role.AUDITOR, "auditor").secret
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {auditor}"},
                          json={"prompt": "a cat"})
    assert response.status_code == 401 and gw.upstream.seen == []


@pytest.mark.parametrize(("body", "param"), [
    ({"prompt": "a cat", "stream": True}, "stream"),
    ({"prompt": "a cat", "n": 11}, "n"),
    ({"prompt": "a cat", "n": "two"}, "n"),
    ({"prompt": "a cat", "n": 2.5}, "n"),
    ({"prompt": "a cat", "n": True}, "n"),
    ({"prompt": ""}, "prompt"),
    ({"n": 1}, "prompt"),
    ({"prompt": "a cat", "user": 5}, "user"),
])
def test_bad_generation_requests_get_a_400_naming_the_parameter(start_gateway: Callable[..., Gateway], body: dict,
                                                                param: str) -> None:
    gw = start_gateway()
    response = httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"}, json=body)
    assert response.status_code == 400 and response.json()["error"]["param"] == param
    assert gw.upstream.seen == []


def test_bad_bodies_get_clear_errors(start_gateway: Callable[..., Gateway]) -> None:
    gw = start_gateway()
    auth = {"Authorization": f"Bearer {gw.key}"}
    not_json = httpx.post(f"{gw.url}/v1/images/generations", headers={**auth, "Content-Type": "application/json"},
                          content=b"{nope")
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "invalid_json"
    array = httpx.post(f"{gw.url}/v1/images/generations", headers=auth, json=["a cat"])
    assert array.status_code == 400
    no_image = httpx.post(f"{gw.url}/v1/images/edits", headers=auth, data={"prompt": "a hat"},
                          files=[("mask", _photo())])
    assert no_image.status_code == 400 and no_image.json()["error"]["param"] == "image"
    other_file = httpx.post(f"{gw.url}/v1/images/edits", headers=auth, data={"prompt": "a hat"},
                            files=[("image", _photo()), ("markup", _photo())])
    assert other_file.status_code == 400 and other_file.json()["error"]["param"] == "markup"
    not_an_image = httpx.post(f"{gw.url}/v1/images/edits", headers=auth, data={"prompt": "put a hat on her"},
                              files=[("image", ("x.png", b"not an image", "image/png"))])
    assert not_an_image.status_code == 400 and not_an_image.json()["error"]["code"].startswith("media_")
    assert gw.upstream.seen == []


def test_an_oversized_body_is_refused_before_it_is_read(start_gateway: Callable[..., Gateway]) -> None:
    import socket

    gw = start_gateway()
    head = (f"POST /v1/images/edits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {gw.key}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000000\r\n\r\n--b\r\n")
    host, port = gw.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"}}" not in answer and (data := sock.recv(65536)):
            answer += data
    assert answer.startswith(b"HTTP/1.1 413") and b'"payload_too_large"' in answer
    assert gw.upstream.seen == []


def test_no_key_reaches_the_logs(start_gateway: Callable[..., Gateway], caplog: pytest.LogCaptureFixture) -> None:
    from tests.gateway.upstream_server import API_KEY

    caplog.set_level("DEBUG")
    gw = start_gateway()
    gw.upstream.mode = "500"
    gw.upstream.outputs = [SCENE.read_bytes()]
    httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
               json={"prompt": "a lighthouse at dusk"}, timeout=60)
    assert caplog.records and API_KEY not in caplog.text and gw.key not in caplog.text


def test_config_reads_the_upstream_key_from_the_environment_and_never_shows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from genguard.config import Settings
    from genguard.gateway import AuthMode, GatewayConfig

    monkeypatch.setenv("GENGUARD_UPSTREAM_API_KEY", "sk-secret-value")
    config = GatewayConfig.from_settings(Settings(), "https://images.example/v1", auth="passthrough")
    assert config.upstream_api_key == "sk-secret-value" and "sk-secret-value" not in repr(config)
    assert config.auth is AuthMode.PASSTHROUGH and config.generator_name == "images.example"
