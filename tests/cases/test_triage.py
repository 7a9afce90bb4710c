"""The indexed queue order against its factor-by-factor reference, over a varied set of cases."""

from __future__ import annotations

import itertools
from pathlib import Path

from genguard.banks.formats.records import SignalType
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.cases.notices import Notice
from genguard.cases.service import CaseService
from genguard.cases.triage import reference_order
from genguard.store.db import Store
from genguard.escalations.tables import EscalationRow
from tests.cases.helpers import FakeClock

BANKED = "7e" * 32


def test_queue_order_matches_the_reference(store: Store, tmp_path: Path) -> None:
    banks = BankService(store, snapshot_path=tmp_path / "pdq.idx")
    banks.create_bank("known", BankKind.INTIMATE_IMAGE)
    banks.add_entry("known", SignalType.SHA256, BANKED)
    clock = FakeClock()
    service = CaseService(store, banks=banks, clock=clock)
    reporters = ("user", "victim", "trusted_flagger", "authorised_representative")
    combos = itertools.product(("child_sexual_abuse", "intimate_image_abuse", "other"), reporters, (False, True))
    for n, (category, reporter, banked) in enumerate(combos):
        item = {"platform_id": f"p{n}", "sha256": BANKED if banked else f"{n:064x}"}
        notice = {"regime": "uk_osa", "reporter_type": reporter, "category": category, "items": [item]}
        if reporter == "authorised_representative":
            notice["on_behalf_of"] = "a person"
        service.submit_notice(Notice.model_validate(notice), actor="t")
        clock.advance(minutes=7)
    with store.transaction() as session:
        session.add(EscalationRow(reason="SEXUALISED_MINOR", payload={"request_id": "r1", "reasons": []}))
    service.ingest_escalations()
    cases = service.list_cases(order="queue", limit=1000)
    assert len(cases) == 25 and sum(bool(c["signals"]["bank_matches"]) for c in cases) == 12
    assert [c["id"] for c in cases] == reference_order(cases)
