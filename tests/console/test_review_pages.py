"""The review workflow in the browser: a TAKE IT DOWN notice opens a case; a reviewer claims
it from the queue, checks the item on a blurred preview and reveals it, previews the statement
of reasons and decides; the audit trail, timeline and dashboard show it; an auditor cannot
claim or decide; an appeal is decided by a second reviewer; the transparency report counts it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from genguard.vocabulary import Role
from genguard.console.review import CHOICES
from genguard.cases.service import DECISIONS
from genguard.audit.tables import AuditRecordRow
from genguard.cases.tables import CaseRow
from genguard.store.base import utcnow
from tests.console.conftest import Console, shot, sign_in
from tests.images import SHARED_IMAGES

CUP = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"
CAT = SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png"


def _notice(console: Console, image, platform_id: str) -> int:  # noqa: ANN001
    notice = {
        "regime": "take_it_down", "reporter_type": "victim", "category": "intimate_image_abuse",
        "items": [{"platform_id": platform_id, "sha256": hashlib.sha256(image.read_bytes()).hexdigest(),
                   "account": "uploader-1"}],
        "reporter": {"name": "A. Person", "email": "person@example.org"},
        "signature": "/s/ A. Person", "good_faith_statement": True,
    }
    with httpx.Client(base_url=console.url, headers={"Authorization": f"Bearer {console.keys[Role.SERVICE]}"}) as c:
        receipt = c.post("/v1/notices", json=notice)
    assert receipt.status_code == 201, receipt.text
    return receipt.json()["cases"][0]["case_id"]


def _records(console: Console, kind: str, subject: str) -> list[AuditRecordRow]:
    with console.store.transaction() as session:
        return list(session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == kind,
                                                                 AuditRecordRow.subject == subject)))


def test_decision_shortcuts_cover_every_decision() -> None:
    assert [value for value, _, _ in CHOICES] == list(DECISIONS)
    assert len({key for _, key, _ in CHOICES}) == len(CHOICES)


def test_claim_check_reveal_decide_and_see_it_audited(console: Console, new_page) -> None:  # noqa: ANN001
    case_id = _notice(console, CUP, "post-cup")
    late = _notice(console, CAT, "post-cat")
    with console.store.transaction() as session:  # 47 of its 48 hours used: past the escalation point
        session.execute(update(CaseRow).where(CaseRow.id == late).values(
            clock_started_at=utcnow() - timedelta(hours=47), priority=0))

    page = new_page()
    sign_in(page, console, Role.REVIEWER)
    assert "intimate_image_abuse" in page.locator("#queue-sizes").inner_text()
    assert f"#{late}" in page.locator("#at-risk").inner_text() and "escalated" in page.locator("#at-risk").inner_text()
    page.get_by_role("link", name="Review queue").click()
    assert f"#{case_id}" in page.locator("#waiting").inner_text()
    shot(page, console, "10-queue")
    page.keyboard.press("n")  # claim next
    page.wait_for_url(console.page_url(f"/cases/{case_id}"))
    reviewer = page.locator("#held-by").inner_text()
    assert reviewer.startswith("key:")
    [claimed] = _records(console, "case.claimed", f"case:{case_id}")
    assert claimed.actor == reviewer

    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    for form, code in (({"decision": "remove", "explanation": "  "}, "decision_invalid"),
                       ({"decision": "delete", "explanation": "x"}, "decision_invalid"),
                       ({"decision": "remove", "explanation": "x", "ground": "vibes"}, "decision_invalid")):
        bad = page.request.post(console.page_url(f"/cases/{case_id}/decide"), form={"csrf": csrf, **form})
        assert bad.status == 422 and code in bad.text()
    not_image = page.request.post(console.page_url(f"/cases/{case_id}/check"), multipart={
        "csrf": csrf, "item": {"name": "x.png", "mimeType": "image/png", "buffer": b"not an image"}})
    assert not_image.status == 422 and "media_" in not_image.text()
    assert not _records(console, "case.decided", f"case:{case_id}")  # refused input changed nothing

    page.get_by_label("The reported item").set_input_files(str(CUP))
    page.get_by_role("button", name="Check item").click()
    result = page.locator("#check-result").inner_text()
    assert "SHA-256 matches" in result
    image = page.locator("#media-preview")
    assert image.get_attribute("src") == image.get_attribute("data-blurred") != image.get_attribute("data-clear")
    shot(page, console, "11-case-blurred")
    page.keyboard.press("v")
    assert image.get_attribute("src") == image.get_attribute("data-clear")
    page.keyboard.press("v")
    assert image.get_attribute("src") == image.get_attribute("data-blurred")

    page.keyboard.press("1")  # remove
    assert page.get_by_label("Remove", exact=False).first.is_checked()
    page.keyboard.press("e")
    page.keyboard.type("Matches the victim's TAKE IT DOWN request by SHA-256.")
    page.locator("#explanation").blur()
    page.keyboard.press("p")  # preview
    statement = page.locator("#statement-preview").inner_text()
    assert "Matches the victim's TAKE IT DOWN request" in statement and "illegal" in statement
    assert not _records(console, "case.decided", f"case:{case_id}")  # a preview decides nothing
    shot(page, console, "12-case-statement-preview")
    page.get_by_role("button", name="Confirm decision: remove").click()
    page.wait_for_url(console.page_url(f"/cases/{case_id}?decided=1"))
    assert page.get_by_role("status").first.inner_text() == "Decision recorded."
    assert page.locator("#decision").inner_text().startswith("remove by " + reviewer)

    [decided] = _records(console, "case.decided", f"case:{case_id}")
    assert decided.actor == reviewer and decided.payload["decision"] == "remove"
    assert decided.payload["statement"]["facts_and_circumstances"].startswith("Matches the victim's")
    for _ in range(100):  # the decision only enqueued its steps; the service's worker runs them
        steps = page.locator("#takedown-steps").inner_text()
        if "pending" not in steps and "running" not in steps:
            break
        page.wait_for_timeout(100)
        page.reload()
    assert "remove\tdone" in page.locator("#takedown-steps").inner_text()
    assert page.locator("#takedown-progress").inner_text().startswith("0 of 0 copies removed")
    timeline = page.locator("#timeline").inner_text()
    assert f"{decided.seq}" in timeline and "case.decided: remove" in timeline and "webhook.delivery" in timeline
    assert "content.remove" in page.locator("#webhooks").inner_text()
    shot(page, console, "13-case-decided")

    page.get_by_role("link", name="Dashboard").click()
    assert f"#{case_id}" in page.locator("#recent-decisions").inner_text()
    assert page.errors == []


def test_an_auditor_reads_cases_but_cannot_claim_or_decide(console: Console, new_page) -> None:  # noqa: ANN001
    case_id = _notice(console, CUP, "post-auditor")
    page = new_page()
    sign_in(page, console, Role.AUDITOR)
    assert page.get_by_role("link", name="Review queue").count() == 0
    assert page.goto(console.page_url("/queue")).status == 403
    page.goto(console.page_url(f"/cases/{case_id}"))
    assert page.locator("#decision-form").count() == 0
    assert page.get_by_role("button", name="Claim this case").count() == 0
    shot(page, console, "14-case-auditor")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    for path, form in ((f"/cases/{case_id}/claim", {}), ("/queue/claim", {}),
                       (f"/cases/{case_id}/decide", {"decision": "remove", "explanation": "x"})):
        assert page.request.post(console.page_url(path), form={"csrf": csrf, **form}).status == 403
    assert not _records(console, "case.claimed", f"case:{case_id}")
    assert not _records(console, "case.decided", f"case:{case_id}")


def test_media_setting_is_per_user_and_an_appeal_needs_a_second_reviewer(console: Console, new_page) -> None:  # noqa: ANN001
    case_id = _notice(console, CUP, "post-appeal")
    first = new_page()
    sign_in(first, console, Role.REVIEWER)
    first.goto(console.page_url("/queue"))
    first.get_by_label("Media when a case opens").select_option("yes")
    first.get_by_role("button", name="Save setting").click()
    first.goto(console.page_url(f"/cases/{case_id}"))
    first.get_by_role("button", name="Claim this case").click()
    first.get_by_label("The reported item").set_input_files(str(CUP))
    first.get_by_role("button", name="Check item").click()
    first.wait_for_load_state()
    assert first.locator("button.reveal").get_attribute("data-start") == "revealed"
    image = first.locator("#media-preview")
    assert image.get_attribute("src") == image.get_attribute("data-clear")  # this user's setting: revealed
    first.get_by_label("No action").check()
    first.get_by_label("Explanation (the facts").fill("The item is a photo of a coffee cup.")
    first.get_by_role("button", name="Preview statement (p)").click()
    first.get_by_role("button", name="Confirm decision: no_action").click()
    first.wait_for_url(console.page_url(f"/cases/{case_id}?decided=1"))

    with httpx.Client(base_url=console.url, headers={"Authorization": f"Bearer {console.keys[Role.SERVICE]}"}) as c:
        filed = c.post(f"/v1/cases/{case_id}/appeals", json={"appellant": "reporter", "grounds": "It is my photo."})
    assert filed.status_code == 201, filed.text
    first.get_by_role("link", name="Appeals").click()
    assert "It is my photo." in first.locator("#appeal-list").inner_text()
    shot(first, console, "15-appeals")
    first.goto(console.page_url(f"/cases/{case_id}"))
    first.get_by_label("Reverse it").check()
    first.get_by_label("Explanation", exact=True).fill("I decided this case myself.")
    first.get_by_role("button", name="Decide appeal").click()
    assert "appeal_same_reviewer" in first.get_by_role("alert").inner_text()

    second = new_page()
    sign_in(second, console, "reviewer-b")
    second.goto(console.page_url(f"/cases/{case_id}"))
    second.get_by_label("Uphold the decision").check()
    second.get_by_label("Explanation", exact=True).fill("A coffee cup is not intimate imagery.")
    second.get_by_role("button", name="Decide appeal").click()
    second.wait_for_url(console.page_url(f"/cases/{case_id}?decided=1"))
    assert "upheld" in second.locator(".appeal").inner_text()
    [outcome] = _records(console, "appeal.decided", f"case:{case_id}")
    assert outcome.payload["outcome"] == "upheld" and outcome.actor != _records(
        console, "case.decided", f"case:{case_id}")[0].actor
    second.goto(console.page_url("/queue"))
    assert second.get_by_label("Media when a case opens").input_value() == "no"  # the other user's default


def test_transparency_report_page_is_for_auditors(console: Console, new_page) -> None:  # noqa: ANN001
    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    assert reviewer.goto(console.page_url("/reports")).status == 403
    page = new_page()
    sign_in(page, console, Role.AUDITOR)
    page.get_by_role("link", name="Transparency").click()
    figures = page.locator("#report-figures").inner_text()
    assert "Cases opened" in figures
    assert page.locator("svg[role=img]").count() == 5
    assert page.locator("svg[aria-label='Cases by category'] text").filter(has_text="intimate_image_abuse").count() == 1
    shot(page, console, "16-transparency")
    assert page.goto(console.page_url("/reports?start=2026-02-01&end=2026-01-01")).status == 422
    assert page.errors == [] or all("422" in e for e in page.errors)


def test_a_reviewer_pauses_and_resumes_a_pausable_clock_only(console: Console, new_page) -> None:  # noqa: ANN001
    take_it_down = _notice(console, CUP, "post-clock")
    dsa = {
        "regime": "dsa", "reporter_type": "user", "category": "intimate_image_abuse",
        "items": [{"platform_id": "post-dsa", "sha256": hashlib.sha256(CAT.read_bytes()).hexdigest()}],
        "reporter": {"name": "A. Person", "email": "person@example.org"},
        "explanation": "This image of me was shared without my consent.", "accuracy_statement": True,
    }
    with httpx.Client(base_url=console.url, headers={"Authorization": f"Bearer {console.keys[Role.SERVICE]}"}) as c:
        receipt = c.post("/v1/notices", json=dsa)
    assert receipt.status_code == 201, receipt.text
    case_id = receipt.json()["cases"][0]["case_id"]

    page = new_page()
    sign_in(page, console, Role.REVIEWER)
    page.goto(console.page_url(f"/cases/{take_it_down}"))
    page.get_by_label("Pause because").select_option("legal_review")
    page.get_by_role("button", name="Pause the clock").click()
    assert "clock_not_pausable" in page.get_by_role("alert").inner_text()
    assert not _records(console, "case.paused", f"case:{take_it_down}")

    page.goto(console.page_url(f"/cases/{case_id}"))
    page.get_by_label("Pause because").select_option("awaiting_reporter")
    page.get_by_role("button", name="Pause the clock").click()
    assert "paused" in page.locator("#clock").inner_text()
    [paused] = _records(console, "case.paused", f"case:{case_id}")
    assert paused.payload["reason"] == "awaiting_reporter" and paused.actor.startswith("key:")
    shot(page, console, "18-case-paused")
    page.get_by_role("button", name="Resume the clock").click()
    assert "running" in page.locator("#clock").inner_text()
    assert len(_records(console, "case.resumed", f"case:{case_id}")) == 1

    auditor = new_page()
    sign_in(auditor, console, Role.AUDITOR)
    auditor.goto(console.page_url(f"/cases/{case_id}"))
    assert auditor.locator("#clock-form").count() == 0
    csrf = auditor.locator("input[name=csrf]").first.get_attribute("value")
    refused = auditor.request.post(console.page_url(f"/cases/{case_id}/clock"),
                                   form={"csrf": csrf, "action": "pause", "reason": "legal_review"})
    assert refused.status == 403 and len(_records(console, "case.paused", f"case:{case_id}")) == 1


def test_the_case_list_opens_for_every_console_role(console: Console, new_page) -> None:  # noqa: ANN001
    """It was a 500 for everyone: the status filter was passed as the page's HTTP status."""
    for role in (Role.REVIEWER, Role.AUDITOR, Role.ADMIN):
        page = new_page()
        sign_in(page, console, role)
        for status in ("open", "decided", "all"):
            response = page.goto(console.page_url(f"/cases?status={status}"))
            assert response is not None and response.status == 200, (role, status)
            assert page.locator("nav[aria-label='Case status'] [aria-current=page]").inner_text() == status
