"""Session tokens (forged, expired, tampered, other secret) and the dashboard's audit-trail
queries on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from genguard.audit.chain import AuditLog
from genguard.audit.service import AuditService
from genguard.vocabulary import Role
from genguard.console.session import LIFETIME_S, Signer
from genguard.store.db import Store
from genguard.store.base import utcnow

SECRET = b"0123456789abcdef0123456789abcdef"


def test_a_token_reads_back_until_it_expires() -> None:
    signer = Signer(SECRET)
    token = signer.issue(7, Role.REVIEWER, now=1000.0)
    session = signer.read(token, now=1001.0)
    assert session is not None and (session.key_id, session.role) == (7, Role.REVIEWER)
    assert signer.read(token, now=1000.0 + LIFETIME_S) is None


def test_forged_and_tampered_tokens_are_refused() -> None:
    signer = Signer(SECRET)
    token = signer.issue(7, Role.AUDITOR, now=1000.0)
    body, _, mac = token.rpartition(".")
    promoted = body.replace(".auditor.", ".admin.") + "." + mac
    assert signer.read(promoted, now=1001.0) is None
    assert Signer(b"another-secret-of-32-bytes-long!").read(token, now=1001.0) is None
    for junk in ("", "abc", "a.b.c.d.e", "." * 600, None):
        assert signer.read(junk, now=1001.0) is None


def test_csrf_tokens_belong_to_one_session() -> None:
    signer = Signer(SECRET)
    one = signer.read(signer.issue(1, Role.REVIEWER, now=0.0), now=1.0)
    two = signer.read(signer.issue(1, Role.REVIEWER, now=0.0), now=1.0)
    assert one is not None and two is not None
    assert signer.csrf_ok(one, signer.csrf(one))
    assert not signer.csrf_ok(one, signer.csrf(two))
    assert not signer.csrf_ok(one, "")


def _verdict(log: AuditLog, decision: str) -> None:
    log.append("screen.verdict", {"decision": decision, "request": {"kind": "upload"}, "reasons": []}, actor="t")


def test_volumes_count_verdicts_by_decision_in_each_window(store: Store) -> None:
    log = AuditLog(store)
    for decision in ("allow", "allow", "block", "review", "block"):
        _verdict(log, decision)
    log.append("case.decided", {"decision": "block"}, actor="t")  # another kind: not counted
    audit = AuditService(store)
    hour, day, week = audit.verdict_volumes()
    assert (hour.allow, hour.review, hour.block, hour.total) == (2, 1, 2, 5)
    assert hour.block_rate == 0.4 and day.total == week.total == 5
    later = audit.verdict_volumes(now=utcnow() + timedelta(hours=2))
    assert later[0].total == 0 and later[0].block_rate is None and later[1].total == 5
    assert [r.payload["decision"] for r in audit.recent(("screen.verdict",), limit=2)] == ["block", "review"]


def test_media_setting_is_kept_per_key_in_the_database(store) -> None:  # noqa: ANN001
    from genguard.auth.keys import create_key
    from genguard.vocabulary import Role
    from genguard.auth.prefs import Prefs, PrefStore

    alice = create_key(store, Role.REVIEWER, "alice").key_id
    bob = create_key(store, Role.REVIEWER, "bob").key_id
    prefs = PrefStore(store)
    assert prefs.get(alice) == Prefs(reveal_media=False)  # blurred until the reviewer chooses
    prefs.set(alice, Prefs(reveal_media=True))
    assert PrefStore(store).get(alice).reveal_media is True  # a second worker reads the same row
    assert prefs.get(bob).reveal_media is False
    prefs.set(alice, Prefs(reveal_media=False))
    assert prefs.get(alice).reveal_media is False
