"""Strikes: blocked generation attempts and upheld removals restrict an account (pack [strikes])."""

from __future__ import annotations

from genguard.cases.strikes import RESTRICTED_REASON, StrikeBook
from genguard.policy.pack import StrikePolicy, load_pack
from genguard.request import Request
from genguard.store.db import Store
from genguard.cases.tables import StrikeRow
from genguard.store.base import utcnow
from genguard.verdict import Decision, Verdict
from tests.images import SHARED_IMAGES

PROMPT = "a lighthouse at dusk, oil painting"


def _verdict(decision: Decision) -> Verdict:
    return Verdict(kind="generate", decision=decision, reasons=["X"] if decision is Decision.BLOCK else [],
                   rule=None, policy="test")


def _strike(store: Store, account: str, n: int) -> None:
    with store.transaction() as session:
        session.add_all(StrikeRow(account=account, at=utcnow(), reason="removal") for _ in range(n))


def test_the_bundled_pack_has_a_strikes_table() -> None:
    assert load_pack("uk-osa").strikes == StrikePolicy(window_days=90, restrict_generation_at=3, restrict_upload_at=5)


def test_blocked_attempts_accumulate_until_generation_is_restricted(store: Store) -> None:
    book = StrikeBook(store, StrikePolicy(restrict_generation_at=2, restrict_upload_at=3))
    request = Request(kind="generate", prompt="x", account="acct")
    first = book.apply(request, _verdict(Decision.BLOCK))
    assert first.strikes["strikes"] == 1 and not first.strikes["generation_restricted"]
    second = book.apply(request, _verdict(Decision.BLOCK))
    assert second.strikes["generation_restricted"] and not second.strikes["upload_restricted"]
    refused = book.apply(request, _verdict(Decision.ALLOW))
    assert refused.decision is Decision.BLOCK and refused.reasons == [RESTRICTED_REASON]
    assert book.count("acct") == 2  # a refusal because of the restriction adds no strike
    assert book.apply(Request(kind="generate", prompt="x", account="other"), _verdict(Decision.ALLOW)).decision \
        is Decision.ALLOW
    assert book.apply(Request(kind="generate", prompt="x"), _verdict(Decision.ALLOW)).strikes is None


def test_guard_blocks_a_restricted_account_and_shows_its_standing(guard, store: Store) -> None:  # noqa: ANN001
    _strike(store, "acct-3", 3)
    restricted = guard.screen(kind="generate", prompt=PROMPT, account="acct-3")
    assert restricted.decision is Decision.BLOCK and restricted.reasons == [RESTRICTED_REASON]
    assert restricted.strikes == {"account": "acct-3", "strikes": 3, "window_days": 90,
                                  "generation_restricted": True, "upload_restricted": False}
    clean = guard.screen(kind="generate", prompt=PROMPT, account="acct-0")
    assert clean.decision is Decision.ALLOW and clean.strikes["strikes"] == 0
    _strike(store, "acct-3", 2)
    upload = guard.screen(kind="upload", output=SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png",
                          account="acct-3")
    assert upload.decision is Decision.BLOCK and upload.strikes["upload_restricted"]
