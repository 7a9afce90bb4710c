"""StopNCII-style feedback on bank matches over the API: one verdict per reporter and matched
item (a later one replaces it), counted per entry, refused for unknown entries, bad verdicts and
roles that may not report; the transparency report states it per bank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from genguard.vocabulary import Role
from genguard.compliance import render, transparency
from tests.api.conftest import LiveServer, live_server  # noqa: F401 - the fixture


def _entry(admin: httpx.Client, bank: str, value: str) -> int:
    assert admin.post("/v1/banks", json={"name": bank, "kind": "intimate_image"}).status_code == 201
    added = admin.post(f"/v1/banks/{bank}/entries", json={"signal_type": "sha256", "value": value})
    assert added.status_code == 201, added.text
    return added.json()["entry"]["id"]


def test_feedback_is_counted_per_entry_and_reported(live_server: LiveServer) -> None:  # noqa: F811
    admin = live_server.client(Role.ADMIN)
    entry = _entry(admin, "ncii-partner", "d4" * 32)
    other = _entry(admin, "second-list", "e5" * 32)
    reviewer, platform = live_server.client(Role.REVIEWER), live_server.client(Role.SERVICE)

    first = reviewer.post(f"/v1/banks/entries/{entry}/feedback", json={"verdict": "false_positive", "subject": "case:7",
                                                                       "note": "a different beach photo"})
    assert first.status_code == 200, first.text
    assert first.json() == {"entry_id": entry, "true_positive": 0, "false_positive": 1, "total": 1,
                            "false_positive_rate": 1.0}
    platform.post(f"/v1/banks/entries/{entry}/feedback", json={"verdict": "true_positive", "subject": "item-9"})
    platform.post(f"/v1/banks/entries/{entry}/feedback", json={"verdict": "true_positive", "subject": "item-10"})
    # The reviewer changes their mind about the same match: replaced, not counted twice.
    changed = reviewer.post(f"/v1/banks/entries/{entry}/feedback", json={"verdict": "true_positive",
                                                                         "subject": "case:7"})
    assert changed.json()["true_positive"] == 3 and changed.json()["false_positive"] == 0
    reviewer.post(f"/v1/banks/entries/{other}/feedback", json={"verdict": "false_positive", "subject": "case:8"})

    auditor = live_server.client(Role.AUDITOR)
    assert auditor.get(f"/v1/banks/entries/{entry}/feedback").json()["total"] == 3
    assert auditor.post(f"/v1/banks/entries/{entry}/feedback",
                        json={"verdict": "true_positive", "subject": "x"}).status_code == 403
    for body, status in (({"verdict": "maybe", "subject": "case:1"}, 422),
                         ({"verdict": "true_positive"}, 422),
                         ({"verdict": "true_positive", "subject": ""}, 422),
                         ({"verdict": "true_positive", "subject": "s", "extra": 1}, 422)):
        assert reviewer.post(f"/v1/banks/entries/{entry}/feedback", json=body).status_code == status, body
    missing = reviewer.post("/v1/banks/entries/999999/feedback", json={"verdict": "true_positive", "subject": "s"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "entry_not_found"
    assert auditor.get("/v1/banks/entries/999999/feedback").status_code == 404

    now = datetime.now(UTC)
    report = transparency.build(live_server.store, now - timedelta(hours=1), now + timedelta(seconds=1))
    assert report["match_feedback"] == {"true_positive": 3, "false_positive": 2, "changed": 1, "share_false": 0.4,
                                        "false_positive_by_bank": {"ncii-partner": 1, "second-list": 1}}
    assert "Feedback on hash-bank matches" in render.to_html(report)
    assert "match_feedback.false_positive_by_bank.second-list,1" in render.to_csv(report)
