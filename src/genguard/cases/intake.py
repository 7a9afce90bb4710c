"""Intake: valid notices and screening escalations become cases, each with its clock.

A notice opens one case per item; its reported hashes are looked up in the hash banks (a match
raises the case's priority). A screening escalation (claimed from the escalation queue,
``escalations/queue.py``) opens one case per item (content hash), or joins the item's open case,
and is closed as ``cased`` in the same transaction, so racing workers never open two; a unique
index on open cases' ``item_key`` backs this.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genguard.audit.service import get_record
from genguard.banks import retro
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind
from genguard.banks.signal_types import kinds
from genguard.cases.notices import Category, Notice, Regime, ReporterType, hash_kinds, validate_notice
from genguard.cases.triage import HARM, priority
from genguard.cases.views import CaseDue, CaseProgress, CaseSummary, NoticeReceipt, NoticeStatus
from genguard.errors import Conflict, NotFound, RequestError
from genguard.escalations import queue
from genguard.escalations.queue import Escalation
from genguard.screening.facts import kleene_any
from genguard.cases.tables import CaseRow, NoticeRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

#: Screening escalation reasons and the category of the case they open.
ESCALATION_CATEGORY = {"SEXUALISED_MINOR": Category.CHILD_SEXUAL_ABUSE, "KNOWN_ABUSE_HASH": Category.CHILD_SEXUAL_ABUSE}
_BANK_KIND_CATEGORY = {"child_abuse": Category.CHILD_SEXUAL_ABUSE, "intimate_image": Category.INTIMATE_IMAGE_ABUSE}


#: What an ``Idempotency-Key`` may be: printable ASCII, as HTTP header values are.
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class Receipt:
    """A notice's receipt; ``replayed`` when an earlier request with the same key made it."""

    body: NoticeReceipt
    replayed: bool = False


def submit_notice(svc: CaseService, notice: Notice, *, actor: str, idempotency_key: str | None = None) -> Receipt:
    """Validate, store and open one case per item; the receipt names each case and its clock.

    With ``idempotency_key`` (unique per ``actor``) a retry of the same notice returns the first
    receipt and opens nothing; the same key with a different notice is a conflict.
    """
    if idempotency_key is not None and not IDEMPOTENCY_KEY.match(idempotency_key):
        raise RequestError("Idempotency-Key must be 1-200 printable ASCII characters", code="idempotency_key_invalid")
    validate_notice(notice)
    assert notice.regime and notice.reporter_type and notice.category  # validate_notice checked
    digest = notice.digest()
    if idempotency_key is not None and (earlier := _replay(svc, actor, idempotency_key, digest)) is not None:
        return earlier
    try:
        return Receipt(_store_notice(svc, notice, digest, actor, idempotency_key))
    except IntegrityError:
        # A concurrent request with the same key won the insert: answer with its receipt.
        earlier = _replay(svc, actor, idempotency_key, digest) if idempotency_key is not None else None
        if earlier is None:
            raise
        return earlier


def _replay(svc: CaseService, actor: str, key: str, digest: str) -> Receipt | None:
    with svc.store.transaction() as session:
        row = session.scalars(select(NoticeRow).where(NoticeRow.submitted_by == actor,
                                                      NoticeRow.idempotency_key == key)).one_or_none()
        if row is None:
            return None
        if row.digest != digest:
            raise Conflict("this Idempotency-Key was used for a different notice", code="idempotency_key_reused")
        assert row.receipt is not None  # written with the key, in the same insert
        return Receipt(NoticeReceipt.from_json(row.receipt), replayed=True)


def _store_notice(svc: CaseService, notice: Notice, digest: str, actor: str, key: str | None) -> NoticeReceipt:
    assert notice.regime and notice.reporter_type and notice.category
    now = svc.clock()
    notice_id = str(uuid.uuid4())
    source = {ReporterType.HOTLINE: "hotline", ReporterType.TRUSTED_FLAGGER: "trusted_flagger"}.get(
        notice.reporter_type, "notice")
    matches = [_bank_matches(svc, item.hashes()) for item in notice.items]
    with svc.store.transaction(write_lock=True) as session:
        notice_row = NoticeRow(id=notice_id, received_at=now, regime=notice.regime.value,
                               reporter_type=notice.reporter_type.value, category=notice.category.value,
                               digest=digest, body=notice.model_dump(mode="json"), submitted_by=actor,
                               idempotency_key=key)
        session.add(notice_row)
        session.flush()
        rows = [
            _new_case(
                svc, source=source, regime=notice.regime, category=notice.category,
                reporter=notice.reporter_type.value, started=now, notice_id=notice_id,
                content={"platform_id": item.platform_id, "url": item.url, **item.hashes()},
                account=item.account, signals={"bank_matches": found}, signal=0,
            )
            for item, found in zip(notice.items, matches, strict=True)
        ]
        session.add_all(rows)
        session.flush()
        cases = [svc.view_of(r, now) for r in rows]
        # In the same transaction as the rows: a crash leaves both or neither.
        svc.audit.append("notice.received", {
            "notice_id": notice_id, "regime": notice.regime.value, "reporter_type": notice.reporter_type.value,
            "hotline": notice.hotline, "category": notice.category.value, "items": len(notice.items),
            "digest": digest, "at": now.isoformat(), "case_ids": [c.id for c in cases],
        }, actor=actor, subject=f"notice:{notice_id}", session=session)
        for case in cases:
            _audit_opened(svc, case, actor, session)
        receipt = NoticeReceipt(notice_id, now.isoformat(), digest, notice.regime.value,
                                [CaseDue(c.id, c.clock, c.due_at) for c in cases])
        notice_row.receipt = receipt.to_json()
        return receipt


def ingest_escalations(svc: CaseService, *, actor: str = "system") -> list[int]:
    """Open a case for every open screening escalation that names something to act on (each
    escalation exactly once, also when workers race: the escalation row is locked and its status
    changed in the same step).

    One case per item: an escalation about an item that already has an open case (same
    ``item_key``: its content hash) is added to that case instead (``occurrences``; retro-matches
    grouped by bank entry), so 40 screens of one later-banked photo are one case, not 40 clocks.
    An escalation with nothing to act on (a text-only prompt) opens no case (see :func:`_item`).
    """
    opened: list[int] = []
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        for esc in queue.claim_open(session):
            if esc.reason == "BANK_RETRO_MATCH" and esc.payload.get("bank") == svc.settings.reupload_bank:
                queue.close(session, esc.id, "linked")  # a copy the takedown sweep already linked to its case
                continue
            found = _item(svc, session, esc)
            if found is None:
                queue.close(session, esc.id, "no_case")
                svc.audit.append("escalation.not_cased", {
                    "escalation_id": esc.id, "reason": esc.reason, "audit_seq": esc.audit_seq,
                    "why": "nothing to act on: no image (a prompt alone) and no bank match"},
                    actor=actor, subject=f"escalation:{esc.id}", session=session)
                continue
            queue.close(session, esc.id, "cased")
            existing = session.scalars(select(CaseRow).where(
                CaseRow.item_key == found.key, CaseRow.status == "open").with_for_update()).first() if found.key else None
            if existing is not None:
                _add_occurrence(svc, session, existing, esc, found, actor, now)
                continue
            row = _new_case(svc, source="screening", regime=Regime.UK_OSA, category=found.category,
                            reporter="screening", started=esc.created_at, escalation_id=esc.id,
                            content=found.content, account=esc.payload.get("account"), signals=found.signals,
                            signal=6)
            row.item_key = found.key
            session.add(row)
            session.flush()
            _audit_opened(svc, svc.view_of(row, now), actor, session)
            opened.append(row.id)
    return opened


@dataclass(frozen=True)
class _Item:
    """What an escalation is about: the content (platform id and hashes), its key, the case
    category the evidence supports, and the signals a reviewer sees."""

    key: str | None
    content: dict[str, Any]
    category: Category
    signals: dict[str, Any]


#: The image a case is about, most specific first: what was generated or posted, then its source.
_ROLE_ORDER = ("output", "upload", "source")


def _item(svc: CaseService, session: Session, esc: Escalation) -> _Item | None:
    payload = esc.payload
    if esc.reason == "BANK_RETRO_MATCH":
        seen = retro.seen_item(session, payload["seen_id"]) if payload.get("seen_id") is not None else None
        bank_kind = _bank_kind(svc, payload.get("bank"))
        content: dict[str, Any] = {"platform_id": payload.get("ref")}
        if seen is not None:
            content.update(seen.hashes())
        return _Item(f"sha256:{seen.sha256}" if seen is not None else None, content,
                     _BANK_KIND_CATEGORY.get(bank_kind or "", Category.OTHER),
                     {"escalation": esc.reason, "bank_matches": [payload.get("bank")], "escalations": 1,
                      "retro": _retro_group({}, payload)})
    signals = {"escalation": esc.reason, "reasons": payload.get("reasons", []), "rule": payload.get("rule"),
               "audit_seq": esc.audit_seq, "bank_matches": [], "escalations": 1}
    category = ESCALATION_CATEGORY.get(esc.reason, Category.OTHER)
    record = get_record(session, esc.audit_seq) if esc.audit_seq is not None else None
    if record is None or record.kind != "screen.verdict":
        # Not from a screening verdict (a bank flood quarantine, an operator's row): as filed.
        return _Item(None, {"platform_id": payload.get("request_id")}, category, signals)
    images = {i["role"]: i for i in reversed(record.payload["request"]["images"])}
    image = next((images[r] for r in _ROLE_ORDER if r in images), None)
    facts = record.payload.get("facts", {})
    matched = {m["bank"]: m.get("bank_kind") for i in record.payload.get("signals", {}).get("images", [])
               for m in i.get("bank_matches", [])}
    child_banks = sorted(b for b, kind in matched.items() if kind == BankKind.CHILD_ABUSE.value)
    if image is None and not child_banks:
        return None  # a prompt alone: refused at screening; there is no item to review or remove
    minor = kleene_any(v for k, v in facts.items() if k.endswith(".likely_minor"))
    signals.update(likely_minor=minor, bank_matches=sorted(matched))
    if category is Category.CHILD_SEXUAL_ABUSE and not child_banks and minor is False:
        # Child-safety cases need a likely minor in the content or a child-safety bank match; a
        # refusal on the words alone (``text.child``) is not evidence about the image. Unknown
        # (a failed age estimate) stays child safety: fail closed.
        intimate = BankKind.INTIMATE_IMAGE.value in matched.values()
        category = Category.INTIMATE_IMAGE_ABUSE if intimate else Category.OTHER
        signals["child_safety"] = "not opened as child safety: no likely minor, no child-safety bank match"
    content = {"platform_id": payload.get("request_id")}
    if image is not None and image.get("sha256"):
        # The screened image's hashes as its verdict recorded them; sha256 is its identity.
        content.update({name: image.get(name) for k in hash_kinds() if image.get(name := k.signal_type.value)})
        return _Item(f"sha256:{image['sha256']}", content, category, signals)
    return _Item(f"request:{payload.get('request_id')}", content, category, signals)


def _retro_group(groups: dict[str, Any], hit: dict[str, Any], *, keep: int = 50) -> dict[str, Any]:
    """Retro-matches by bank entry: per entry, its bank, how many screenings of the item it
    matched and (the first ``keep``) their references."""
    entry = groups.get(str(hit.get("entry_id")), {"bank": hit.get("bank"), "matches": 0, "refs": []})
    refs = entry["refs"] + ([hit.get("ref")] if len(entry["refs"]) < keep else [])
    return {**groups, str(hit.get("entry_id")): {**entry, "matches": entry["matches"] + 1, "refs": refs}}


def _add_occurrence(svc: CaseService, session: Session, row: CaseRow, esc: Escalation, found: _Item,
                    actor: str, now: datetime) -> None:
    """Another escalation about an item with an open case: counted on that case, and its
    category raised if this one is graver (its clock then is the graver one's, if sooner)."""
    signals = {**row.signals, "escalations": int(row.signals.get("escalations", 1)) + 1}
    if esc.reason == "BANK_RETRO_MATCH":
        signals["retro"] = _retro_group(signals.get("retro", {}), esc.payload)
    signals["bank_matches"] = sorted(set(signals.get("bank_matches", [])) | set(found.signals["bank_matches"]))
    row.signals = signals
    if HARM[found.category] > HARM[Category(row.category)]:
        clock_name, budget = svc.settings.clocks.budget(Regime(row.regime), found.category)
        row.category, row.clock = found.category.value, clock_name
        row.budget_s = min(row.budget_s, int(budget.total_seconds()))
        row.due_at = min(row.due_at, row.clock_started_at + budget)
        row.priority = priority(found.category, bank_match=bool(signals["bank_matches"]), signal=6,
                                reporter="screening")
    svc.audit.append("case.occurrence", {"case_id": row.id, "escalation_id": esc.id, "reason": esc.reason,
                                         "item_key": row.item_key, "category": row.category,
                                         "escalations": signals["escalations"], "at": now.isoformat()},
                     actor=actor, subject=f"case:{row.id}", session=session)


def _new_case(svc: CaseService, *, source: str, regime: Regime, category: Category, reporter: str, started: datetime,
              content: dict[str, Any], account: str | None, signals: dict[str, Any], signal: int,
              notice_id: str | None = None, escalation_id: int | None = None) -> CaseRow:
    clock_name, budget = svc.settings.clocks.budget(regime, category)
    bank_match = bool(signals.get("bank_matches"))
    return CaseRow(
        notice_id=notice_id, escalation_id=escalation_id, source=source, regime=regime.value,
        category=category.value, reporter_type=reporter if reporter != "screening" else None,
        platform_id=content.get("platform_id"), url=content.get("url"),
        hashes={name: v for k in hash_kinds() if (v := content.get(name := k.signal_type.value))}, account=account,
        priority=priority(category, bank_match=bank_match, signal=signal, reporter=reporter),
        signals=signals, status="open", clock=clock_name, opened_at=svc.clock(), clock_started_at=started,
        budget_s=int(budget.total_seconds()), paused_s=0, due_at=started + budget,
    )


def _bank_matches(svc: CaseService, hashes: dict[str, str]) -> list[str]:
    """Banks the reported hashes match (a signal for triage); none when banks are off."""
    if svc.banks is None or not hashes:
        return []
    # A reported hash has no quality to gate on: it is matched as given.
    query = HashQuery.of(hashes, {kind.signal_type: 100 for kind in kinds("nearest")})
    return sorted({m.bank.name for m in svc.banks.lookup(query).matches})


def _bank_kind(svc: CaseService, bank: str | None) -> str | None:
    if svc.banks is None or bank is None:
        return None
    try:
        return svc.banks.bank(bank).kind.value
    except NotFound:
        return None


def _audit_opened(svc: CaseService, case: CaseSummary, actor: str, session: Session) -> None:
    svc.audit.append("case.opened", {
        "case_id": case.id, "source": case.source, "regime": case.regime,
        "category": case.category, "reporter_type": case.reporter_type, "clock": case.clock,
        "started_at": case.clock_started_at, "due_at": case.due_at, "priority": case.priority,
        "notice_id": case.notice_id, "escalation_id": case.escalation_id,
        "bank_matches": case.signals.get("bank_matches", []), "at": case.opened_at,
    }, actor=actor, subject=f"case:{case.id}", session=session)


def notice_status(svc: CaseService, notice_id: str) -> NoticeStatus:
    """What a reporter may be told: when the notice arrived and where each of its cases stands
    (no reviewer identities, no other reporters' data)."""
    now = svc.clock()
    with svc.store.transaction() as session:
        notice = session.get(NoticeRow, notice_id)
        if notice is None:
            raise NotFound(f"no notice {notice_id}", code="notice_not_found")
        rows = session.scalars(select(CaseRow).where(CaseRow.notice_id == notice_id).order_by(CaseRow.id)).all()
        cases = [svc.view_of(r, now) for r in rows]
    return NoticeStatus(notice.id, notice.received_at.isoformat(), notice.regime, notice.digest,
                        [CaseProgress(c.id, c.status, c.decision, c.due_at, c.removed_at) for c in cases])
