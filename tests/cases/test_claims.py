"""20 reviewers claim from 1,000 cases at once through the API: no case twice, none lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from genguard.cases.notices import Notice
from genguard.cases.tables import CaseRow
from tests.cases.conftest import CaseServer

REVIEWERS = 20
CASES = 1000


def _notice(batch: int) -> Notice:
    return Notice.model_validate({
        "regime": "uk_osa", "reporter_type": "user", "category": "intimate_image_abuse" if batch % 2 else "other",
        "items": [{"platform_id": f"post-{batch}-{i}"} for i in range(100)],
    })


def test_twenty_reviewers_thousand_cases(case_server: CaseServer) -> None:
    cases = case_server.app.state.cases
    for batch in range(CASES // 100):
        cases.submit_notice(_notice(batch), actor="test")
    names = [f"reviewer-{i}" for i in range(REVIEWERS)]
    for name in names:
        case_server.add_reviewer(name)

    def drain(name: str) -> list[int]:
        got: list[int] = []
        with case_server.client(name) as client:
            while True:
                response = client.post("/v1/cases/claim")
                if response.status_code == 204:
                    return got
                assert response.status_code == 200, response.text
                got.append(response.json()["id"])

    with ThreadPoolExecutor(REVIEWERS) as pool:
        claimed = list(pool.map(drain, names))
    every = [case_id for ids in claimed for case_id in ids]
    assert len(every) == len(set(every)) == CASES  # none twice, none lost
    assert sum(1 for ids in claimed if ids) > 1  # the reviewers really competed
    with case_server.store.transaction() as session:
        rows = {r.id: r for r in session.scalars(select(CaseRow))}
        assert session.scalar(select(func.count()).select_from(CaseRow)) == CASES
    for name, ids in zip(names, claimed, strict=True):
        # Each case is held by the reviewer whose claim returned it ...
        assert {rows[i].claimed_by for i in ids} <= {f"key:{case_server.key_ids[name]}"}, name
        # ... and each reviewer took cases in queue order (harm first).
        priorities = [rows[i].priority for i in ids]
        assert priorities == sorted(priorities, reverse=True), name
