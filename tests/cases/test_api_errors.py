"""Bad requests to the case API get a machine-readable code and the right status; roles hold."""

from __future__ import annotations

import httpx

from tests.cases.conftest import CaseServer, Receiver


def _code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["message"]
    return body["code"]


def test_errors_and_roles(case_server: CaseServer) -> None:
    notice = {"regime": "uk_osa", "reporter_type": "user", "category": "other", "items": [{"platform_id": "p"}]}
    with httpx.Client(base_url=case_server.url) as anonymous:
        assert _code(anonymous.post("/v1/notices", json=notice), 401) == "unauthenticated"
    with case_server.client("reviewer-a") as reviewer:
        assert _code(reviewer.post("/v1/notices", json=notice), 403) == "forbidden"
        assert _code(reviewer.get("/v1/cases/999"), 404) == "case_not_found"
        assert _code(reviewer.post("/v1/cases/999/claim"), 404) == "case_not_found"
        assert _code(reviewer.get("/v1/reports/transparency", params={"start": "2026-01-01T00:00:00Z",
                                                                    "end": "2026-02-01T00:00:00Z"}), 403) == "forbidden"
        assert reviewer.post("/v1/cases/claim").status_code == 204  # empty queue
    with case_server.client("service") as service:
        assert _code(service.post("/v1/notices", json={**notice, "items": []}), 422) == "notice_invalid"
        assert _code(service.post("/v1/notices", json={**notice, "regime": "mars"}), 422) == "request_invalid"
        assert _code(service.post("/v1/notices", content=b"{", headers={"Content-Type": "application/json"}),
                     422) == "request_invalid"
        receipt = service.post("/v1/notices", json=notice).json()
        case_id = receipt["cases"][0]["case_id"]
        status = service.get(f"/v1/notices/{receipt['notice_id']}").json()
        assert status["cases"] == [{"case_id": case_id, "status": "open", "decision": None,
                                    "due_at": receipt["cases"][0]["due_at"], "removed_at": None}]
        assert _code(service.get("/v1/notices/no-such-notice"), 404) == "notice_not_found"
        assert _code(service.post("/v1/cases/claim"), 403) == "forbidden"
        assert _code(service.post(f"/v1/cases/{case_id}/appeals", json={"appellant": "x", "grounds": "g"}),
                     409) == "appeal_not_open"
    with case_server.client("reviewer-a") as reviewer:
        reviewer.post(f"/v1/cases/{case_id}/claim")
        assert _code(reviewer.post(f"/v1/cases/{case_id}/decision", json={"decision": "zap", "explanation": "x"}),
                     422) == "request_invalid"
        assert _code(reviewer.post(f"/v1/cases/{case_id}/pause", json={"reason": "lunch"}), 422) == "request_invalid"
        assert _code(reviewer.post(f"/v1/cases/{case_id}/resume"), 409) == "clock_not_paused"
        assert _code(reviewer.post(f"/v1/cases/{case_id}/takedown/retry"), 409) == "takedown_not_pending"
        assert reviewer.get(f"/v1/cases/{case_id}").json()["claimed_by"] == f"key:{case_server.key_ids['reviewer-a']}"
    with case_server.client("auditor") as auditor:
        period = {"start": "2026-02-01T00:00:00", "end": "2026-01-01T00:00:00"}
        assert _code(auditor.get("/v1/reports/transparency", params=period), 422) == "period_invalid"
        period = {"start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
        assert _code(auditor.get("/v1/reports/transparency", params=period), 422) == "period_invalid"
        metrics = auditor.get("/v1/cases/metrics")
        assert metrics.status_code == 200 and 'genguard_cases_open{clock="operator_target"} 1' in metrics.text
    with case_server.client("admin") as admin:
        assert admin.post("/v1/cases/tick").json() == {"opened": [], "alerts": [], "jobs": 0, "redelivered": 0,
                                                       "outcomes": 0}


def test_a_takedown_retry_answers_with_its_delivery(case_server: CaseServer, receiver: Receiver) -> None:
    """The platform refused the removal; once it takes it, a retry answers with how the delivery went."""
    notice = {"regime": "uk_osa", "reporter_type": "user", "category": "other", "items": [{"platform_id": "p-r"}]}
    receiver.refuse, receiver.fail_first = True, 1_000
    with case_server.client("service") as service:
        case_id = service.post("/v1/notices", json=notice).json()["cases"][0]["case_id"]
    with case_server.client("reviewer-a") as reviewer:
        reviewer.post(f"/v1/cases/{case_id}/claim")
        decided = reviewer.post(f"/v1/cases/{case_id}/decision", json={"decision": "remove", "explanation": "x"})
        assert decided.status_code == 200, decided.text
    with case_server.client("admin") as admin:
        admin.post("/v1/cases/tick")
    receiver.refuse, receiver.fail_first = False, 0
    with case_server.client("reviewer-a") as reviewer:
        retried = reviewer.post(f"/v1/cases/{case_id}/takedown/retry")
        assert retried.status_code == 200, retried.text
        body = retried.json()
        assert list(body) == ["event", "idempotency_key", "delivered", "attempts", "status", "error", "delivered_at"]
        assert (body["event"], body["idempotency_key"], body["delivered"], body["status"], body["error"]) == (
            "content.remove", f"case-{case_id}-remove", True, 200, None)
        assert body["delivered_at"] and reviewer.get(f"/v1/cases/{case_id}").json()["removed_at"]
        assert _code(reviewer.post(f"/v1/cases/{case_id}/takedown/retry"), 409) == "takedown_not_pending"
