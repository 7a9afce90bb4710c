"""Takedown: the removal webhook, the re-upload bank, the copy sweep, and their reversal.

A removal (1) asks the platform to take the item down (signed webhook, retried); the platform's
acknowledgement is the removal time that stops the statutory clock; (2) banks the item's
hashes in the re-upload bank, so the same image uploaded again is blocked at screening;
(3) uses the banks' retro-scan of seen content to find copies already on the platform, links
each to the case and asks for its removal too (an automated decision: identical to an item a
human decided on); (4) records a strike against the uploader's account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from genguard.banks import retro
from genguard.banks.formats.records import EntryStatus, HashRecord, SignalType
from genguard.banks.model import BankKind, RetroHit
from genguard.cases import outbox
from genguard.cases.notices import Category
from genguard.cases.rows import case_row
from genguard.cases.webhooks import Delivery
from genguard.compliance import mandatory
from genguard.compliance.statements import Ground, statement_of_reasons
from genguard.errors import Conflict
from genguard.store.models import BankEntryRow, CaseCopyRow, CaseRow, NoticeRow, StrikeRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

#: Decisions that take the item down.
REMOVING = ("remove", "mandatory_report")


def send(svc: CaseService, case_id: int, event: str, payload: dict[str, Any], key: str,
         *, effect: str | None = None) -> Delivery:
    """Deliver one webhook through the outbox (kept and retried until acknowledged)."""
    return outbox.deliver(svc, case_id, event, payload, key, effect=effect)


def remove(svc: CaseService, case_id: int, statement: dict[str, Any], actor: str) -> None:
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        content, account, category = _content(row), row.account, row.category
    # Child sexual abuse material is removed from view but kept by the platform as evidence
    # (US providers must preserve reported material, 18 U.S.C. 2258A(h)).
    preserve = category == Category.CHILD_SEXUAL_ABUSE.value
    send(svc, case_id, "content.remove", {"case_id": case_id, "content": content, "account": account,
                                          "preserve_evidence": preserve, "statement": statement},
         f"case-{case_id}-remove", effect="case_removed")
    if account:
        _strike(svc, account, case_id, "removal")
    hashes = {k: v for k in ("sha256", "md5", "pdq") if (v := content.get(k))}
    if svc.banks is not None and hashes:
        _bank_and_sweep(svc, case_id, category, content, hashes, statement, actor)


def retry(svc: CaseService, case_id: int) -> dict[str, Any]:
    """Send a removal the platform has not acknowledged again (same idempotency key)."""
    with svc.store.transaction() as session:
        row = case_row(session, case_id)
        if row.decision not in REMOVING or row.removed_at is not None:
            raise Conflict("nothing to resend: no unacknowledged removal", code="takedown_not_pending")
        content, account = _content(row), row.account
    return send(svc, case_id, "content.remove", {"case_id": case_id, "content": content, "account": account},
                f"case-{case_id}-remove", effect="case_removed").public()


def _bank_and_sweep(svc: CaseService, case_id: int, category: str, content: dict[str, Any], hashes: dict[str, str],
                    statement: dict[str, Any], actor: str) -> None:
    assert svc.banks is not None
    bank = svc.settings.reupload_bank
    svc.banks.ensure_bank(bank, BankKind.INTERNAL_BLOCKED, actor=actor)
    records = [HashRecord(SignalType(kind), value, external_id=f"case:{case_id}") for kind, value in hashes.items()]
    report = svc.banks.import_records(bank, records, actor=actor)
    hits = list(report.retro)
    if report.unchanged:  # banked by an earlier case: its sweep ran then, look again now
        hits += _rescan(svc, bank, hashes, set(report.entry_ids))
    with svc.store.transaction(write_lock=True) as session:
        row = session.get_one(CaseRow, case_id)
        row.signals = {**row.signals, "banked_entries": report.entry_ids}
        svc.audit.append("takedown.banked", {"case_id": case_id, "bank": bank, "entry_ids": report.entry_ids,
                                             "added": report.added, "unchanged": report.unchanged},
                         actor=actor, subject=f"case:{case_id}", session=session)
    for hit in _distinct_copies(hits, content.get("platform_id")):
        _remove_copy(svc, case_id, category, hit, statement)


def _rescan(svc: CaseService, bank_name: str, hashes: dict[str, str], fresh: set[int]) -> list[RetroHit]:
    """The banks' retro-scan over seen content for entries this import found already banked."""
    assert svc.banks is not None
    info = svc.banks.bank(bank_name)
    with svc.store.transaction() as session:
        rows = [r for r in session.scalars(select(BankEntryRow).where(
            BankEntryRow.bank_id == info.id, BankEntryRow.value.in_(list(hashes.values())),
            BankEntryRow.status == EntryStatus.ACTIVE.value, BankEntryRow.tombstone.is_(False))) if r.id not in fresh]
        return retro.retro_scan(session, rows, info) if rows else []


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


def _remove_copy(svc: CaseService, case_id: int, category: str, hit: RetroHit, statement: dict[str, Any]) -> None:
    now = svc.clock()
    try:
        with svc.store.transaction(write_lock=True) as session:
            if session.scalar(select(CaseCopyRow.id).where(CaseCopyRow.seen_id == hit.seen_id,
                                                           CaseCopyRow.removed_at.is_not(None)).limit(1)):
                return  # removed already as a copy in another case
            copy = CaseCopyRow(case_id=case_id, seen_id=hit.seen_id, ref=hit.ref, bank=hit.bank,
                               signal_type=hit.signal_type, distance=hit.distance, found_at=now)
            session.add(copy)
            session.flush()
            copy_id = copy.id
            svc.audit.append("takedown.copy_found", {"case_id": case_id, "copy_id": copy_id, "seen_id": hit.seen_id,
                                                     "ref": hit.ref, "bank": hit.bank, "signal_type": hit.signal_type,
                                                     "distance": hit.distance, "at": now.isoformat()},
                             actor="system", subject=f"case:{case_id}", session=session)
    except IntegrityError:
        return  # already linked by an earlier sweep of this case
    copy_statement = statement_of_reasons(
        case_id=case_id, decision="remove",
        ground=Ground(statement["ground"], statement["legal_ground"] or statement["contractual_ground"],
                      f"Copy of the item removed in case {case_id} ({hit.signal_type} match, distance {hit.distance})"),
        decided_at=now, automated_detection=True, automated_decision=True, notice=None,
        content={"platform_id": hit.ref}, territorial_scope=statement["territorial_scope"],
    )
    send(svc, case_id, "content.remove", {"case_id": case_id, "copy_of": case_id, "copy_id": copy_id,
                                          "content": {"platform_id": hit.ref}, "bank": hit.bank, "category": category,
                                          "statement": copy_statement},
         f"case-{case_id}-copy-{hit.seen_id}", effect="copy_removed")


def _strike(svc: CaseService, account: str, case_id: int, reason: str) -> None:
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        session.add(StrikeRow(account=account, at=now, reason=reason, case_id=case_id))
        svc.audit.append("strike.recorded", {"account": account, "case_id": case_id, "reason": reason,
                                             "at": now.isoformat()}, actor="system",
                         subject=f"account:{account}"[:200], session=session)


def reinstate(svc: CaseService, case_id: int, appeal_id: int, actor: str) -> None:
    """The removal was reversed: reinstate the item and its copies, unbank its hashes."""
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        content, entries = _content(row), list(row.signals.get("banked_entries", []))
        refs = [c.ref for c in session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case_id,
                                                                          CaseCopyRow.removed_at.is_not(None)))]
    delivery = send(svc, case_id, "content.reinstate", {"case_id": case_id, "appeal_id": appeal_id,
                                                        "content": content, "copies": refs},
                    f"appeal-{appeal_id}-reinstate")
    if svc.banks is not None:
        for entry_id in entries:
            svc.banks.delete_entry(entry_id, actor=actor)
    svc.audit.append("case.reinstated", {"case_id": case_id, "appeal_id": appeal_id, "copies": len(refs),
                                         "unbanked_entries": entries, "delivered": delivery.delivered,
                                         "at": svc.clock().isoformat()}, actor=actor, subject=f"case:{case_id}")


def file_reports(svc: CaseService, case_id: int, actor: str) -> list[str]:
    """Write the NCMEC CyberTipline and NCA referral files for a mandatory report."""
    with svc.store.transaction() as session:
        row = session.get_one(CaseRow, case_id)
        notice = session.get(NoticeRow, row.notice_id) if row.notice_id else None
        incident = mandatory.Incident.of(row, notice.body if notice else None)
    paths = mandatory.write_reports(incident, svc.settings)
    for destination in ("ncmec", "nca"):
        svc.audit.append("report.filed", {"case_id": case_id, "destination": destination,
                                          "files": [p.name for p in paths if p.name.startswith(destination + "-")],
                                          "environment": svc.settings.report_environment},
                         actor=actor, subject=f"case:{case_id}")
    return [str(p) for p in paths]


def copies(session: Any, case_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case_id).order_by(CaseCopyRow.id))
    return [{"id": c.id, "seen_id": c.seen_id, "ref": c.ref, "bank": c.bank, "signal_type": c.signal_type,
             "distance": c.distance, "found_at": c.found_at.isoformat(),
             "removed_at": c.removed_at.isoformat() if c.removed_at else None} for c in rows]


def _content(row: CaseRow) -> dict[str, Any]:
    return {"platform_id": row.platform_id, "url": row.url, "sha256": row.sha256, "md5": row.md5, "pdq": row.pdq}
