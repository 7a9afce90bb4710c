"""Webhook signing and the retrying sender, against a real local HTTP receiver."""

from __future__ import annotations

import time

from genguard.cases.webhooks import WebhookSender, sign, verify
from tests.cases.conftest import SECRET, Receiver


def test_signature_covers_timestamp_and_body() -> None:
    now = int(time.time())
    header = f"t={now},v1={sign(SECRET, now, b'{}')}"
    assert verify(SECRET, header, b"{}")
    assert not verify(SECRET, header, b'{"a":1}')  # body changed
    assert not verify(b"other", header, b"{}")  # wrong secret
    assert not verify(SECRET, header, b"{}", now=now + 301)  # replayed too late
    assert not verify(SECRET, "garbage", b"{}")


def test_retries_with_backoff_and_one_idempotency_key(receiver: Receiver) -> None:
    receiver.fail_first = 3
    sleeps: list[float] = []
    sender = WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0.5, sleep=sleeps.append)
    delivery = sender.send("content.remove", {"case_id": 7}, "case-7-remove")
    assert delivery.delivered and delivery.attempts == 4 and delivery.status == 200
    assert sleeps == [0.5, 1.0, 2.0]  # exponential
    assert [h.status for h in receiver.hits] == [503, 503, 503, 200]
    assert {h.key for h in receiver.hits} == {"case-7-remove"} and all(h.signed for h in receiver.hits)


def test_gives_up_after_the_last_attempt(receiver: Receiver) -> None:
    receiver.fail_first = 10
    delivery = WebhookSender(url=receiver.url, secret=SECRET, attempts=3, sleep=lambda _: None).send(
        "content.remove", {}, "k")
    assert not delivery.delivered and delivery.attempts == 3 and delivery.error == "http_503"


def test_unreachable_and_unconfigured_never_report_success() -> None:
    down = WebhookSender(url="http://127.0.0.1:9/hooks", secret=SECRET, attempts=2, sleep=lambda _: None)
    result = down.send("x", {}, "k")
    assert not result.delivered and result.error == "ConnectError"
    assert WebhookSender(url=None).send("x", {}, "k").error == "not_configured"
