"""Takedown: the removal webhook, the re-upload bank, the copy sweep, and their reversal.

A removal (1) asks the platform to take the item down (signed webhook, retried); the platform's
acknowledgement is the removal time that stops the statutory clock; (2) banks the item's
hashes in the re-upload bank, so the same image uploaded again is blocked at screening;
(3) uses the banks' retro-scan of seen content to find copies already on the platform, links
each to the case and asks for its removal too (an automated decision: identical to an item a
human decided on); (4) records a strike against the uploader's account.

Each of these is a job of the case worker (cases/jobs.py), enqueued with the decision: the
``run_*`` functions here are the jobs, and each may run more than once with the effect of once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from genguard.banks import retro
from genguard.banks.formats.records import HashRecord, SignalType
from genguard.banks.model import BankKind, EntryInfo, RetroHit
from genguard.audit.chain import Entry
from genguard.cases import jobs, outbox
from genguard.cases.notices import Category, hash_kinds
from genguard.cases.rows import case_row
from genguard.cases.views import Copy, DeliveryReport, iso
from genguard.cases.webhooks import Delivery
from genguard.compliance import mandatory
from genguard.compliance.statements import Ground, statement_of_reasons
from genguard.errors import Conflict
from genguard.cases.tables import CaseCopyRow, CaseJobRow, CaseRow, NoticeRow, StrikeRow, WebhookOutboxRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

#: Decisions that take the item down.
REMOVING = ("remove", "mandatory_report")
#: Copies linked, and their removal webhooks stored, per transaction of a sweep.
_SWEEP_BATCH = 200
#: Why a copy got no removal webhook: without a platform id the platform cannot find it.
NO_PLATFORM_ID = "no_platform_id"


def send(svc: CaseService, case_id: int, event: str, payload: dict[str, Any], key: str,
         *, effect: str | None = None) -> Delivery:
    """Deliver one webhook through the outbox (kept and retried until acknowledged)."""
    return outbox.deliver(svc, case_id, event, payload, key, effect=effect)


def plan(svc: CaseService, session: Session, row: CaseRow, statement: dict[str, Any], actor: str,
         notice: dict[str, Any] | None, now: datetime) -> None:
    """Enqueue the steps of a decision in the decision's own transaction (see cases/jobs.py):
    the decision is never on record without them, and nothing runs in the reviewer's request."""
    payload = {"statement": statement, "actor": actor}
    # A case decided again (its "no action" reversed on appeal) notifies again: a new round's keys.
    rounds = session.scalar(select(func.count()).where(CaseJobRow.case_id == row.id, CaseJobRow.kind == "notify"))
    suffix = f"-r{rounds}" if rounds else ""
    if row.decision in REMOVING:
        jobs.enqueue(session, row.id, "remove", payload, now)
        if svc.banks is not None and any(_hashes(row).values()):
            jobs.enqueue(session, row.id, "bank", payload, now)
    jobs.enqueue(session, row.id, "notify", {**payload, "notice": notice, "round": suffix}, now, suffix=suffix)
    if row.decision == "mandatory_report":
        jobs.enqueue(session, row.id, "report", payload, now)


def run_remove(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``remove``: the removal webhook for the item and the uploader's strike."""
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        content, account, category = _content(row), row.account, row.category
        if row.status == "reinstated":
            return  # reversed on appeal before this step ran
    # Child sexual abuse material is removed from view but kept by the platform as evidence
    # (US providers must preserve reported material, 18 U.S.C. 2258A(h)).
    preserve = category == Category.CHILD_SEXUAL_ABUSE.value
    send(svc, case_id, "content.remove", {"case_id": case_id, "content": content, "account": account,
                                          "preserve_evidence": preserve, "statement": payload["statement"]},
         f"case-{case_id}-remove", effect="case_removed")
    if account:
        _strike(svc, account, case_id, "removal")


def retry(svc: CaseService, case_id: int) -> DeliveryReport:
    """Send a removal the platform has not acknowledged again (same idempotency key), and put
    the case's failed steps back in the worker's queue."""
    with svc.store.transaction() as session:
        row = case_row(session, case_id)
        if row.decision not in REMOVING or row.removed_at is not None:
            raise Conflict("nothing to resend: no unacknowledged removal", code="takedown_not_pending")
        content, account = _content(row), row.account
    jobs.requeue(svc, case_id)
    sent = send(svc, case_id, "content.remove", {"case_id": case_id, "content": content, "account": account},
                f"case-{case_id}-remove", effect="case_removed")
    return DeliveryReport(**sent.public())


def run_bank(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``bank``: the item's hashes into the re-upload bank, so a re-upload is blocked at
    screening; then the copy sweep is enqueued (in the transaction that records the banking)."""
    assert svc.banks is not None
    bank, actor = svc.settings.reupload_bank, payload["actor"]
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        hashes = _hashes(row)
        if row.status == "reinstated":
            return
    svc.banks.ensure_bank(bank, BankKind.INTERNAL_BLOCKED, actor=actor)
    records = [HashRecord(SignalType(kind), value, external_id=f"case:{case_id}") for kind, value in hashes.items()]
    report = svc.banks.import_records(bank, records, actor=actor)
    # This case's own entries (a re-run finds them "unchanged"): what a reversal unbanks.
    own = [e.id for e in _entries(svc, bank, hashes) if e.external_id == f"case:{case_id}"]
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        row = session.get_one(CaseRow, case_id)
        row.signals = {**row.signals, "banked_entries": own}
        if row.status != "reinstated":  # reversed meanwhile: the reinstatement unbanks, nothing to sweep
            jobs.enqueue(session, case_id, "sweep", payload, now)
        svc.audit.append("takedown.banked", {"case_id": case_id, "bank": bank, "entry_ids": own,
                                             "added": report.added, "unchanged": report.unchanged},
                         actor=actor, subject=f"case:{case_id}", session=session)


def run_sweep(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``sweep``: copies of the item already seen on the platform, each linked to the case
    once with its removal webhook stored in the outbox, in batches, each batch sent before the
    next is linked (what the platform does not acknowledge, the outbox retries). A re-run after
    a crash skips the copies a finished batch linked and sends what is still pending."""
    assert svc.banks is not None
    bank, statement = svc.settings.reupload_bank, payload["statement"]
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        hashes, category, original = _hashes(row), row.category, row.platform_id
        if row.status == "reinstated":
            return
    info = svc.banks.bank(bank)
    entries = [retro.Banked(e.id, e.signal_type, e.value) for e in _entries(svc, bank, hashes)]
    hits = svc.banks.retro_scan(entries, info) if entries else []
    found = _distinct_copies(hits, original)
    for i in range(0, len(found), _SWEEP_BATCH):
        _link_copies(svc, case_id, category, found[i : i + _SWEEP_BATCH], statement)
        outbox.send_case(svc, case_id)  # copies come down batch by batch, not after the whole scan
    svc.audit.append("takedown.swept", {"case_id": case_id, "bank": bank, "copies": len(found)},
                     actor="system", subject=f"case:{case_id}")


def _entries(svc: CaseService, bank: str, hashes: dict[str, str]) -> list[EntryInfo]:
    """Active entries of ``bank`` for these hashes (whichever case banked them)."""
    assert svc.banks is not None
    return svc.banks.active_entries(bank, values=list(hashes.values()))


def _distinct_copies(hits: list[RetroHit], original: str | None) -> list[RetroHit]:
    """One hit per platform item (a seen row per screening, several hash kinds per row),
    leaving out the reported item itself."""
    chosen: dict[str, RetroHit] = {}
    for hit in sorted(hits, key=lambda h: (h.distance, h.seen_id)):
        key = hit.ref if hit.ref is not None else f"seen:{hit.seen_id}"
        if hit.ref is not None and hit.ref == original:
            continue
        chosen.setdefault(key, hit)
    return sorted(chosen.values(), key=lambda h: h.seen_id)


def _link_copies(svc: CaseService, case_id: int, category: str, hits: list[RetroHit],
                 statement: dict[str, Any]) -> None:
    """One transaction: the copies not linked yet, their audit records and their webhooks.
    A copy without a platform id is linked as ``cannot notify`` and gets no webhook (a
    ``platform_id: null`` removal would reach the platform as an instruction it cannot act on)."""
    now = svc.clock()
    seen_ids = [h.seen_id for h in hits]
    with svc.store.transaction(write_lock=True) as session:
        linked = set(session.scalars(select(CaseCopyRow.seen_id).where(
            CaseCopyRow.seen_id.in_(seen_ids),
            (CaseCopyRow.case_id == case_id) | CaseCopyRow.removed_at.is_not(None))))  # or removed in another case
        fresh = [h for h in hits if h.seen_id not in linked]
        copies = [CaseCopyRow(case_id=case_id, seen_id=h.seen_id, ref=h.ref, bank=h.bank, signal_type=h.signal_type,
                              distance=h.distance, found_at=now, notify_error=None if h.ref else NO_PLATFORM_ID)
                  for h in fresh]
        session.add_all(copies)
        session.flush()
        records = []
        for hit, copy in zip(fresh, copies, strict=True):
            records.append(Entry("takedown.copy_found", {
                "case_id": case_id, "copy_id": copy.id, "seen_id": hit.seen_id, "ref": hit.ref, "bank": hit.bank,
                "signal_type": hit.signal_type, "distance": hit.distance, "at": now.isoformat()},
                "system", f"case:{case_id}"))
            if hit.ref is None:
                records.append(Entry("takedown.copy_cannot_notify", {
                    "case_id": case_id, "copy_id": copy.id, "seen_id": hit.seen_id, "reason": NO_PLATFORM_ID},
                    "system", f"case:{case_id}"))
                continue
            outbox.stage(session, case_id, "content.remove", {
                "case_id": case_id, "copy_of": case_id, "copy_id": copy.id, "content": {"platform_id": hit.ref},
                "bank": hit.bank, "category": category, "statement": _copy_statement(case_id, hit, statement, now)},
                f"case-{case_id}-copy-{hit.seen_id}", effect="copy_removed", now=now)
        svc.audit.append_many(records, session=session)
        # A heartbeat: a long sweep keeps its lease while it makes progress (a dead one's expires).
        session.execute(update(CaseJobRow).where(CaseJobRow.case_id == case_id, CaseJobRow.kind == "sweep",
                                                 CaseJobRow.status == "running")
                        .values(lease_expires_at=now + svc.settings.job_lease))


def _copy_statement(case_id: int, hit: RetroHit, statement: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The copy's own statement of reasons: an automated decision (identical to an item a human
    decided on)."""
    return statement_of_reasons(
        case_id=case_id, decision="remove",
        ground=Ground(statement["ground"], statement["legal_ground"] or statement["contractual_ground"],
                      f"Copy of the item removed in case {case_id} ({hit.signal_type} match, distance {hit.distance})"),
        decided_at=now, automated_detection=True, automated_decision=True, notice=None,
        content={"platform_id": hit.ref}, territorial_scope=statement["territorial_scope"],
    )


def run_notify(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``notify``: the restriction webhook, the statement of reasons to the uploader (DSA
    Art. 17) and the decision to the reporter (Art. 16(5)), as webhooks the platform delivers."""
    statement, notice, suffix = payload["statement"], payload.get("notice"), payload.get("round", "")
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        account, content = row.account, _content(row)
    if statement["decision"] == "restrict":
        send(svc, case_id, "content.restrict", {"case_id": case_id, "content": content, "statement": statement},
             f"case-{case_id}-restrict{suffix}")
    if account and statement["decision"] == "mandatory_report":
        # A referral to NCMEC/NCA: telling the uploader could tip off a suspect, so the
        # statement is kept (audit) and released by the operator once law enforcement allows.
        svc.audit.append("notification.withheld", {"case_id": case_id, "to": "uploader",
                                                    "reason": "law_enforcement_referral"},
                         actor="system", subject=f"case:{case_id}")
    elif account:
        send(svc, case_id, "notify.uploader", {"case_id": case_id, "account": account, "statement": statement},
             f"case-{case_id}-notify-uploader{suffix}")
    if notice is not None:
        send(svc, case_id, "notify.reporter", {
            "case_id": case_id, "reporter": notice.get("reporter"), "decision": statement["decision"],
            "statement": statement}, f"case-{case_id}-notify-reporter{suffix}")


def run_report(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``report``: the NCMEC / NCA report files (rewritten whole on a re-run)."""
    file_reports(svc, case_id, payload["actor"])


def _strike(svc: CaseService, account: str, case_id: int, reason: str) -> None:
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        if session.scalar(select(StrikeRow.id).where(StrikeRow.case_id == case_id, StrikeRow.reason == reason)):
            return  # recorded by an earlier run of this step
        session.add(StrikeRow(account=account, at=now, reason=reason, case_id=case_id))
        svc.audit.append("strike.recorded", {"account": account, "case_id": case_id, "reason": reason,
                                             "at": now.isoformat()}, actor="system",
                         subject=f"account:{account}"[:200], session=session)


def plan_reinstatement(svc: CaseService, session: Session, case_id: int, appeal_id: int, actor: str,
                       now: datetime) -> None:
    """In the appeal decision's transaction: stop what is still to come of the removal (its
    pending steps and unsent removal webhooks are cancelled) and enqueue the reinstatement."""
    cancelled = session.execute(update(CaseJobRow).where(
        CaseJobRow.case_id == case_id, CaseJobRow.kind.in_(("remove", "bank", "sweep")),
        CaseJobRow.status == "pending").values(status="cancelled")).rowcount  # type: ignore[attr-defined]
    unsent = session.execute(update(WebhookOutboxRow).where(
        WebhookOutboxRow.case_id == case_id, WebhookOutboxRow.effect.in_(("case_removed", "copy_removed")),
        WebhookOutboxRow.status == "pending").values(status="cancelled", next_attempt_at=None)).rowcount  # type: ignore[attr-defined]
    svc.audit.append("takedown.cancelled", {"case_id": case_id, "appeal_id": appeal_id, "steps": cancelled,
                                            "webhooks": unsent, "at": now.isoformat()},
                     actor=actor, subject=f"case:{case_id}", session=session)
    jobs.enqueue(session, case_id, "reinstate", {"appeal_id": appeal_id, "actor": actor}, now)


def run_reinstate(svc: CaseService, case_id: int, payload: dict[str, Any]) -> None:
    """Job ``reinstate``: the removal was reversed: reinstate the item and the copies removed,
    unbank the hashes this case banked. Waits for a removal step another worker is still running
    (it would otherwise remove a copy after the reinstatement listed them)."""
    appeal_id, actor = payload["appeal_id"], payload["actor"]
    with svc.store.transaction() as session:
        if session.scalar(select(CaseJobRow.id).where(CaseJobRow.case_id == case_id, CaseJobRow.status == "running",
                                                      CaseJobRow.kind != "reinstate").limit(1)):
            raise jobs.NotReady("a removal step of this case is still running")
        row = session.get_one(CaseRow, case_id)
        content, entries = _content(row), list(row.signals.get("banked_entries", []))
        refs = [c.ref for c in session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case_id,
                                                                          CaseCopyRow.removed_at.is_not(None)))]
    delivery = send(svc, case_id, "content.reinstate", {"case_id": case_id, "appeal_id": appeal_id,
                                                        "content": content, "copies": refs},
                    f"appeal-{appeal_id}-reinstate")
    if svc.banks is not None:
        for entry_id in entries:
            try:
                svc.banks.delete_entry(entry_id, actor=actor)
            except Conflict:
                pass  # deleted by an earlier run of this step
    svc.audit.append("case.reinstated", {"case_id": case_id, "appeal_id": appeal_id, "copies": len(refs),
                                         "unbanked_entries": entries, "delivered": delivery.delivered,
                                         "at": svc.clock().isoformat()}, actor=actor, subject=f"case:{case_id}")


def load_incident(session: Session, case_id: int) -> mandatory.Incident:
    """What the mandatory reports say of a case: the case, its notice and its review record."""
    row = session.get_one(CaseRow, case_id)
    notice = session.get(NoticeRow, row.notice_id) if row.notice_id else None
    return mandatory.Incident.of(row, notice.body if notice else None)


def file_reports(svc: CaseService, case_id: int, actor: str) -> list[str]:
    """Write the NCMEC CyberTipline and NCA referral files for a mandatory report."""
    with svc.store.transaction() as session:
        incident = load_incident(session, case_id)
    paths = mandatory.write_reports(incident, svc.settings)
    for destination in ("ncmec", "nca"):
        svc.audit.append("report.filed", {"case_id": case_id, "destination": destination,
                                          "files": [p.name for p in paths if p.name.startswith(destination + "-")],
                                          "environment": svc.settings.report_environment},
                         actor=actor, subject=f"case:{case_id}")
    return [str(p) for p in paths]


def copies(session: Session, case_id: int) -> list[Copy]:
    rows = session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case_id).order_by(CaseCopyRow.id))
    return [Copy(c.id, c.seen_id, c.ref, c.bank, c.signal_type, c.distance, c.found_at.isoformat(),
                      iso(c.removed_at), "cannot notify: no platform id" if c.notify_error == NO_PLATFORM_ID else None)
                 for c in rows]


def _hashes(row: CaseRow) -> dict[str, str]:
    """The case's hashes of registered types, in notice order (a type no longer registered is
    left out rather than guessed at)."""
    return {name: v for k in hash_kinds() if (v := row.hashes.get(name := k.signal_type.value))}


def _content(row: CaseRow) -> dict[str, Any]:
    return {"platform_id": row.platform_id, "url": row.url,
            **{k.signal_type.value: row.hashes.get(k.signal_type.value) for k in hash_kinds()}}
