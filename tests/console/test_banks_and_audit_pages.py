"""Banks (browse, search by hash, add, withdraw) and audit verification in the browser, with
the role limits of each and the audit entries the changes leave."""

from __future__ import annotations

import hashlib

from sqlalchemy import select, update

from genguard.vocabulary import Role
from genguard.banks.model import BankKind
from genguard.audit.tables import AuditRecordRow
from tests.console.conftest import Console, shot, sign_in
from tests.images import SHARED_IMAGES

CUP = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"
BANK = "console-test-intimate"


def _last(console: Console, kind: str) -> AuditRecordRow:
    with console.store.transaction() as session:
        return session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == kind)
                               .order_by(AuditRecordRow.seq.desc()).limit(1)).one()


def test_admin_adds_and_withdraws_an_entry_reviewer_finds_it(console: Console, new_page) -> None:  # noqa: ANN001
    service = console.guard.banks.service
    if BANK not in {b.name for b in service.banks()}:
        service.create_bank(BANK, BankKind.INTIMATE_IMAGE)
    sha256 = hashlib.sha256(CUP.read_bytes()).hexdigest()

    admin = new_page()
    sign_in(admin, console, Role.ADMIN)
    admin.get_by_role("link", name="Banks").click()
    admin.get_by_role("link", name=BANK).click()
    form = admin.locator("#add-entry")
    form.get_by_label("Hash type").select_option("sha256")
    form.get_by_label("Hash (hex)").fill("not-a-hash")
    form.get_by_role("button", name="Add entry").click()
    assert "sha256 value must be 64 hex characters" in admin.get_by_role("alert").inner_text()  # coded refusal
    form = admin.locator("#add-entry")
    form.get_by_label("Hash type").select_option("sha256")
    form.get_by_label("Hash (hex)").fill(sha256)
    form.get_by_label("Note (optional)").fill("console test")
    form.get_by_role("button", name="Add entry").click()
    notice = admin.get_by_role("status").inner_text()
    entry_id = int(notice.split()[1])
    added = _last(console, "bank.entry_added")
    assert added.subject == f"bank-entry:{entry_id}" and added.payload["bank"] == BANK
    assert added.actor.startswith("key:")
    assert sha256 in admin.locator(f"#entry-{entry_id}").inner_text()
    shot(admin, console, "06-banks-admin")

    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    reviewer.goto(console.page_url("/banks"))
    assert reviewer.locator("#add-entry").count() == 0 and reviewer.get_by_role("button", name="Withdraw").count() == 0
    reviewer.get_by_label("Hash type", exact=True).select_option("sha256")
    reviewer.get_by_label("Hash (hex)").fill(sha256)
    reviewer.get_by_role("button", name="Search").click()
    results = reviewer.locator("#search-results").inner_text()
    assert BANK in results and str(entry_id) in results
    shot(reviewer, console, "07-banks-search")

    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name=f"Withdraw entry {entry_id}").click()
    assert f"Entry {entry_id} withdrawn." in admin.get_by_role("status").inner_text()
    assert "withdrawn" in admin.locator(f"#entry-{entry_id}").inner_text()
    withdrawn = _last(console, "bank.entry_withdrawn")
    assert withdrawn.subject == f"bank-entry:{entry_id}" and withdrawn.actor == added.actor

    reviewer.get_by_role("button", name="Search").click()
    assert "No bank holds a match" in reviewer.locator("#search-results").inner_text()
    assert [e for e in admin.errors if "status of 422" not in e] == [] and reviewer.errors == []  # 422: the bad hash


def test_an_auditor_browses_banks_but_cannot_change_them(console: Console, new_page) -> None:  # noqa: ANN001
    page = new_page()
    sign_in(page, console, Role.AUDITOR)
    page.goto(console.page_url("/banks"))
    assert page.locator("#bank-list").count() == 1
    assert page.locator("#add-entry").count() == 0 and page.get_by_role("button", name="Search").count() == 0
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    before = _last(console, "console.signed_in").seq
    refused = page.request.post(console.page_url(f"/banks/{BANK}/entries"),
                                form={"csrf": csrf, "signal_type": "md5", "value": "0" * 32})
    assert refused.status == 403
    assert page.request.post(console.page_url("/banks/entries/1/withdraw"), form={"csrf": csrf}).status == 403
    assert page.request.get(console.page_url("/banks/search?signal_type=md5&value=" + "0" * 32)).status == 403
    with console.store.transaction() as session:
        later = session.scalars(select(AuditRecordRow.kind).where(AuditRecordRow.seq > before)).all()
    assert not [k for k in later if k.startswith("bank.")]


def test_audit_page_verifies_the_chain_and_names_tampering(console: Console, new_page) -> None:  # noqa: ANN001
    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    assert reviewer.get_by_role("link", name="Audit").count() == 0
    assert reviewer.goto(console.page_url("/audit")).status == 403

    page = new_page()
    sign_in(page, console, Role.AUDITOR)
    page.get_by_role("link", name="Audit").click()
    assert page.locator("#verify-status").inner_text().startswith("Intact")
    assert "console.signed_in" in page.locator("#records").inner_text()
    shot(page, console, "08-audit-intact")

    victim = _last(console, "console.signed_in")
    with console.store.transaction() as session:
        session.execute(update(AuditRecordRow).where(AuditRecordRow.seq == victim.seq)
                        .values(payload={"role": "admin"}))
    try:
        page.reload()
        assert page.locator("#verify-status").inner_text().startswith("Tampering found")
        assert str(victim.seq) in page.locator("#findings").inner_text()
        shot(page, console, "09-audit-tampered")
    finally:
        with console.store.transaction() as session:
            session.execute(update(AuditRecordRow).where(AuditRecordRow.seq == victim.seq)
                            .values(payload=victim.payload))
    page.reload()
    assert page.locator("#verify-status").inner_text().startswith("Intact")


def test_likeness_registry_is_read_by_reviewers_and_erased_by_admins(console: Console, new_page) -> None:  # noqa: ANN001
    import httpx

    portrait = SHARED_IMAGES / "portraits" / "barack_obama_official_portrait_2012.jpg"
    consent = {"label": "console-test-person", "registered_by": "self", "consent_name": "The Person",
               "consent_statement": "Block sexual edits of my likeness."}
    with httpx.Client(base_url=console.url, headers={"Authorization": f"Bearer {console.keys[Role.SERVICE]}"},
                      timeout=60) as client:
        created = client.post("/v1/likeness", data=consent,
                              files=[("photos", ("p.jpg", portrait.read_bytes(), "image/jpeg"))])
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]

    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    reviewer.get_by_role("link", name="Likeness").click()
    assert "Block sexual edits of my likeness." in reviewer.locator(f"#person-{person_id}").inner_text()
    assert reviewer.get_by_role("button", name=f"Erase person {person_id}").count() == 0
    csrf = reviewer.locator("input[name=csrf]").first.get_attribute("value")
    assert reviewer.request.post(console.page_url(f"/likeness/{person_id}/erase"), form={"csrf": csrf}).status == 403

    admin = new_page()
    sign_in(admin, console, Role.ADMIN)
    admin.goto(console.page_url("/likeness"))
    shot(admin, console, "17-likeness")
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name=f"Erase person {person_id}").click()
    assert f"Person {person_id} erased" in admin.get_by_role("status").inner_text()
    assert admin.locator(f"#person-{person_id}").count() == 0
    erased = _last(console, "likeness.erased")
    assert erased.payload["person_id"] == person_id and erased.actor.startswith("key:")
