"""The banks service on a real database: matching rules, withdrawal, allow banks, quality gate,
flood quarantine, disable-until, re-imports, retro-scan and several workers."""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from genguard.banks import retro
from genguard.banks.formats.records import EntryStatus, HashRecord, SignalType
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind, MatchAction
from genguard.banks.service import BankService, BankSettings
from genguard.detectors.hashes import DIHEDRAL, hamming, pdq, pdq_dihedral
from genguard.errors import Conflict, NotFound, RequestError
from genguard.store.db import Store
from genguard.escalations.tables import EscalationRow
from tests.banks.conftest import CUP, Clock
from tests.banks.hashes import at_distance, random_pdq

RNG_SEED = 5


def pdq_query(value: str, quality: int = 100) -> HashQuery:
    return HashQuery.of({"pdq": value}, {"pdq": quality})


def test_pdq_match_respects_each_banks_threshold(banks: BankService) -> None:
    rng = np.random.default_rng(RNG_SEED)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE, BankSettings(pdq_threshold=31))
    banks.create_bank("strict", BankKind.TERROR, BankSettings(pdq_threshold=10))
    value = random_pdq(rng)
    banks.add_entry("ncii", SignalType.PDQ, value, external_id="case-1")
    banks.add_entry("strict", SignalType.PDQ, value)
    for distance, expected in ((0, {"ncii", "strict"}), (10, {"ncii", "strict"}), (11, {"ncii"}),
                               (31, {"ncii"}), (32, set())):
        found = banks.lookup(pdq_query(at_distance(value, distance, rng))).matches
        assert {m.bank.name for m in found} == expected, distance
        assert all(m.distance == distance and m.action is MatchAction.BLOCK for m in found)
    match = banks.lookup(pdq_query(value)).matches[0]
    assert match.entry.external_id in ("case-1", None) and match.bank.provenance["bank"] in ("ncii", "strict")


def test_exact_hashes_match(banks: BankService) -> None:
    banks.create_bank("csam", BankKind.CHILD_ABUSE)
    md5, sha = "a" * 32, "b" * 64
    banks.add_entry("csam", SignalType.MD5, md5)
    banks.add_entry("csam", SignalType.SHA256, sha)
    assert [m.via for m in banks.lookup(HashQuery.of({"md5": md5})).matches] == ["md5"]
    assert [m.via for m in banks.lookup(HashQuery.of({"sha256": sha})).matches] == ["sha256"]
    assert banks.lookup(HashQuery.of({"md5": "c" * 32, "sha256": "d" * 64})).matches == []


def test_withdrawal_stops_matching_at_once_and_survives_reimport(banks: BankService) -> None:
    rng = np.random.default_rng(RNG_SEED)
    banks.create_bank("stopncii", BankKind.INTIMATE_IMAGE)
    value = random_pdq(rng)
    listed = [HashRecord(SignalType.PDQ, value, "case-7"), HashRecord(SignalType.MD5, "e" * 32, "case-7")]
    first = banks.import_records("stopncii", listed, list_owner="StopNCII", list_version="v1")
    assert first.added == 2
    entry = banks.lookup(pdq_query(value)).matches[0].entry
    assert entry.external_id == "case-7"

    banks.withdraw(entry.id)
    assert banks.lookup(pdq_query(value)).matches == []
    again = banks.import_records("stopncii", listed, list_owner="StopNCII", list_version="v2")
    assert (again.added, again.kept_withdrawn, again.unchanged) == (0, 1, 1)
    assert banks.lookup(pdq_query(value)).matches == []
    assert banks.entry(entry.id).status == EntryStatus.WITHDRAWN
    assert banks.bank("stopncii").list_version == "v2"

    # A new hash of the withdrawn case arrives listed as active: it stays withdrawn too.
    other = random_pdq(rng)
    late = banks.import_records("stopncii", [HashRecord(SignalType.PDQ, other, "case-7")])
    assert (late.added, late.kept_withdrawn) == (0, 1)
    assert banks.lookup(pdq_query(other)).matches == []


def test_withdrawn_status_in_a_list_withdraws(banks: BankService) -> None:
    banks.create_bank("stopncii", BankKind.INTIMATE_IMAGE)
    value = random_pdq(np.random.default_rng(1))
    banks.import_records("stopncii", [HashRecord(SignalType.PDQ, value, "c1")])
    report = banks.import_records("stopncii", [HashRecord(SignalType.PDQ, value, "c1", EntryStatus.WITHDRAWN)])
    assert report.withdrawn == 1
    assert banks.lookup(pdq_query(value)).matches == []


def test_deleted_entry_stays_deleted_on_reimport(banks: BankService) -> None:
    banks.create_bank("internal", BankKind.INTERNAL_BLOCKED)
    entry, _ = banks.add_entry("internal", SignalType.SHA256, "1" * 64)
    banks.delete_entry(entry.id)
    assert banks.lookup(HashQuery.of({"sha256": "1" * 64})).matches == []
    report = banks.import_records("internal", [HashRecord(SignalType.SHA256, "1" * 64)])
    assert report.kept_deleted == 1
    assert banks.lookup(HashQuery.of({"sha256": "1" * 64})).matches == []
    with pytest.raises(Conflict):
        banks.withdraw(entry.id)


def test_allow_bank_suppresses_matches(banks: BankService) -> None:
    rng = np.random.default_rng(RNG_SEED)
    banks.create_bank("terror", BankKind.TERROR)
    banks.create_bank("known-benign", BankKind.ALLOW, BankSettings(pdq_threshold=8))
    value = random_pdq(rng)
    banks.add_entry("terror", SignalType.PDQ, value)
    banks.add_entry("known-benign", SignalType.PDQ, value)
    found = banks.lookup(pdq_query(at_distance(value, 4, rng))).matches
    assert {m.bank.name for m in found} == {"terror", "known-benign"}
    assert {m.action for m in found} == {MatchAction.SUPPRESSED}
    # Outside the allow bank's own threshold, the terror bank acts again.
    found = banks.lookup(pdq_query(at_distance(value, 20, rng))).matches
    assert [(m.bank.name, m.action) for m in found] == [("terror", MatchAction.BLOCK)]


def test_quality_gate(banks: BankService) -> None:
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    value = random_pdq(np.random.default_rng(2))
    banks.add_entry("ncii", SignalType.PDQ, value)
    assert banks.lookup(pdq_query(value, quality=50)).matches
    low = banks.lookup(HashQuery.of({"pdq": value, "md5": "f" * 32}, {"pdq": 49}))
    assert low.matches == [] and low.quality_gated


def test_flood_quarantine(banks: BankService, store: Store, clock: Clock) -> None:
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE, BankSettings(flood_limit=3, flood_window_s=60))
    value = random_pdq(np.random.default_rng(3))
    entry, _ = banks.add_entry("ncii", SignalType.PDQ, value)
    actions = [banks.lookup(pdq_query(value), count=True).matches[0].action for _ in range(5)]
    assert actions == [MatchAction.BLOCK] * 3 + [MatchAction.REVIEW] * 2
    assert banks.entry(entry.id).quarantined_at is not None
    with store.transaction() as session:
        reasons = session.scalars(select(EscalationRow.reason)).all()
    assert reasons == ["BANK_FLOOD_QUARANTINE"]  # one escalation, not one per match
    # Investigative lookups neither count nor unquarantine; a reviewer releases the entry.
    assert banks.lookup(pdq_query(value)).matches[0].action is MatchAction.REVIEW
    banks.release(entry.id)
    clock.advance(61)
    assert banks.lookup(pdq_query(value), count=True).matches[0].action is MatchAction.BLOCK


def test_flood_counts_per_window(banks: BankService, clock: Clock) -> None:
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE, BankSettings(flood_limit=2, flood_window_s=60))
    banks.add_entry("ncii", SignalType.MD5, "9" * 32)
    for _ in range(3):  # two per window, never over the limit
        assert [m.action for m in banks.lookup(HashQuery.of({"md5": "9" * 32}), count=True).matches] == [MatchAction.BLOCK]
        assert [m.action for m in banks.lookup(HashQuery.of({"md5": "9" * 32}), count=True).matches] == [MatchAction.BLOCK]
        clock.advance(60)


def test_disable_until_and_enabled(banks: BankService, clock: Clock) -> None:
    banks.create_bank("noisy", BankKind.TERROR)
    banks.add_entry("noisy", SignalType.MD5, "8" * 32)
    banks.update_bank("noisy", disabled_until=clock.now + timedelta(hours=1))
    assert banks.lookup(HashQuery.of({"md5": "8" * 32})).matches == []
    clock.advance(3601)
    assert banks.lookup(HashQuery.of({"md5": "8" * 32})).matches
    banks.update_bank("noisy", enabled=False)
    assert banks.lookup(HashQuery.of({"md5": "8" * 32})).matches == []


def test_bad_input_is_refused(banks: BankService) -> None:
    with pytest.raises(RequestError):
        banks.create_bank("x", BankKind.TERROR, BankSettings(pdq_threshold=48))
    banks.create_bank("x", BankKind.TERROR)
    with pytest.raises(Conflict):
        banks.create_bank("x", BankKind.TERROR)
    with pytest.raises(NotFound):
        banks.bank("y")
    with pytest.raises(RequestError):
        banks.update_bank("x", kind="allow")
    from genguard.banks.errors import ImportFormatError

    with pytest.raises(ImportFormatError):
        banks.add_entry("x", SignalType.PDQ, "zz")
    banks.add_entry("x", SignalType.MD5, "7" * 32)
    with pytest.raises(Conflict):
        banks.add_entry("x", SignalType.MD5, "7" * 32)


def test_retro_scan_reports_seen_copies(banks: BankService, store: Store) -> None:
    rng = np.random.default_rng(RNG_SEED)
    seen = random_pdq(rng)
    banks.record_seen(source="upload", ref="post-1", sha256="2" * 64, md5="3" * 32, pdq=seen, pdq_quality=90)
    banks.record_seen(source="output", ref="gen-2", sha256="4" * 64, md5="5" * 32,
                      pdq=at_distance(seen, 12, rng), pdq_quality=90)
    banks.record_seen(source="upload", ref="too-plain", sha256="6" * 64, md5="7" * 32, pdq=seen, pdq_quality=10)
    banks.record_seen(source="upload", ref="unrelated", sha256="8" * 64, md5="9" * 32,
                      pdq=at_distance(seen, 60, rng), pdq_quality=90)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    _, report = banks.add_entry("ncii", SignalType.PDQ, seen)
    assert sorted((h.ref, h.distance) for h in report.retro) == [("gen-2", 12), ("post-1", 0)]
    report = banks.import_records("ncii", [HashRecord(SignalType.SHA256, "4" * 64)])
    assert [(h.ref, h.signal_type) for h in report.retro] == [("gen-2", "sha256")]
    with store.transaction() as session:
        assert session.scalars(select(EscalationRow.reason)).all() == ["BANK_RETRO_MATCH"] * 3


def test_retro_scan_of_a_large_import_uses_the_index(banks: BankService) -> None:
    rng = np.random.default_rng(9)
    values = [random_pdq(rng) for _ in range(200)]
    banks.record_seen(source="upload", ref="copy", sha256="2" * 64, md5="3" * 32,
                      pdq=at_distance(values[123], 30, rng), pdq_quality=80)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    report = banks.import_records("ncii", [HashRecord(SignalType.PDQ, v) for v in values])
    assert [(h.ref, h.distance) for h in report.retro] == [("copy", 30)]


@pytest.mark.parametrize("padding", [0, 200], ids=["brute-force", "index"])
def test_retro_scan_finds_a_mirrored_copy_seen_before_the_original_was_banked(banks: BankService, padding: int) -> None:
    original = np.asarray(Image.open(CUP).convert("RGB"))
    mirrored = np.ascontiguousarray(original[:, ::-1])
    turned = dict(zip(DIHEDRAL, (h for h, _ in pdq_dihedral(mirrored)), strict=True))
    banked = pdq(original)[0]
    assert hamming(turned["original"], banked) > 31  # the mirrored copy's own PDQ would not match
    banks.record_seen(source="upload", ref="mirrored", sha256="2" * 64, md5="3" * 32, pdq=turned["original"],
                      pdq_quality=90, pdq_variants=[v for n, v in turned.items() if n != "original"])
    banks.record_seen(source="upload", ref="plain", sha256="4" * 64, md5="5" * 32, pdq=turned["original"],
                      pdq_quality=90)  # recorded without its variants: not found, as before
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    rng = np.random.default_rng(5)
    report = banks.import_records("ncii", [HashRecord(SignalType.PDQ, v)
                                           for v in [banked, *(random_pdq(rng) for _ in range(padding))]])
    assert [(h.ref, h.distance <= 8) for h in report.retro] == [("mirrored", True)]


def test_two_workers_stay_consistent_through_the_change_log(store: Store, clock: Clock) -> None:
    rng = np.random.default_rng(RNG_SEED)
    first = BankService(store, poll_s=0.0, clock=clock)
    first.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    old = random_pdq(rng)
    first.add_entry("ncii", SignalType.PDQ, old)
    second = BankService(store, poll_s=0.0, clock=clock)  # starts from the DB, then tails
    assert second.lookup(pdq_query(old)).matches
    new = random_pdq(rng)
    entry, _ = first.add_entry("ncii", SignalType.PDQ, new)
    assert second.index.seq < first.index.seq
    assert second.lookup(pdq_query(new)).matches  # caught up incrementally by the lookup
    assert second.index.seq == first.index.seq and len(second.index) == 2
    first.withdraw(entry.id)
    assert second.lookup(pdq_query(new)).matches == []
    assert len(second.index) == 1


def test_snapshot_then_tail(store: Store, clock: Clock, tmp_path) -> None:  # noqa: ANN001
    rng = np.random.default_rng(RNG_SEED)
    path = tmp_path / "pdq.idx"
    first = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    first.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    before = [random_pdq(rng) for _ in range(3)]
    first.import_records("ncii", [HashRecord(SignalType.PDQ, v) for v in before])
    seq = first.index.save_snapshot()
    after = random_pdq(rng)
    first.add_entry("ncii", SignalType.PDQ, after)
    first.withdraw(first.lookup(pdq_query(before[0])).matches[0].entry.id)
    second = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    assert second.index.seq > seq  # loaded the snapshot, then applied the two later changes
    assert second.lookup(pdq_query(after)).matches and not second.lookup(pdq_query(before[0])).matches
    assert len(second.index) == 3


def _wait_for_snapshot(path, seq: int) -> int:  # noqa: ANN001
    """The seq of the snapshot at ``path`` once it covers ``seq`` (written by a background thread)."""
    from genguard.banks.errors import IndexFileError
    from genguard.banks.index.snapshot import load_index

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            found = load_index(path).seq
        except IndexFileError:
            found = -1
        if found >= seq:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no snapshot at seq >= {seq} in 20 s")


def test_workers_write_the_snapshot_themselves(store: Store, clock: Clock, tmp_path) -> None:  # noqa: ANN001
    rng = np.random.default_rng(12)
    path = tmp_path / "pdq.idx"
    first = BankService(store, poll_s=0.0, clock=clock)
    first.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    first.import_records("ncii", [HashRecord(SignalType.PDQ, random_pdq(rng)) for _ in range(5)])
    # A worker that had to read the whole database leaves a snapshot for the next one...
    second = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    assert _wait_for_snapshot(path, second.index.seq) == second.index.seq
    # ...and a compaction (the delta outgrew its limit) refreshes it.
    second.index._index._delta_limit = 2  # noqa: SLF001 - a small limit, so three adds compact
    later = [random_pdq(rng) for _ in range(3)]
    first.import_records("ncii", [HashRecord(SignalType.PDQ, v) for v in later])
    assert second.lookup(pdq_query(later[0])).matches  # catches up, then compacts in the background
    _wait_for_snapshot(path, second.index.seq)
    third = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    assert len(third.index) == 8 and third.lookup(pdq_query(later[2])).matches


def test_delete_bank(banks: BankService) -> None:
    banks.create_bank("tmp", BankKind.TERROR)
    banks.add_entry("tmp", SignalType.PDQ, random_pdq(np.random.default_rng(4)))
    assert banks.delete_bank("tmp") == 1 and len(banks.index) == 0
    with pytest.raises(NotFound):
        banks.bank("tmp")


def test_a_snapshot_of_another_database_or_a_corrupt_one_is_not_used(store: Store, clock: Clock, tmp_path) -> None:  # noqa: ANN001
    from genguard.banks.index.mih import MultiIndexHashIndex
    from genguard.banks.index.snapshot import save_index

    rng = np.random.default_rng(8)
    first = BankService(store, poll_s=0.0, clock=clock)
    first.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    value = random_pdq(rng)
    first.add_entry("ncii", SignalType.PDQ, value)
    path = tmp_path / "pdq.idx"
    foreign = np.frombuffer(bytes.fromhex(random_pdq(rng)), dtype=np.uint8).reshape(1, 32)
    save_index(MultiIndexHashIndex.from_arrays(foreign, np.array([1])), path, seq=10_000)
    ahead = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    assert ahead.lookup(pdq_query(value)).matches and len(ahead.index) == 1
    path.write_bytes(b"GGPDQIX\x00 truncated")
    corrupt = BankService(store, poll_s=0.0, clock=clock, snapshot_path=path)
    assert corrupt.lookup(pdq_query(value)).matches and len(corrupt.index) == 1


def test_a_required_setting_cannot_be_cleared(banks) -> None:  # noqa: ANN001
    """Found by the API fuzzer: PATCH {"enabled": null} reached the database as a 500."""
    from genguard.banks.model import BankKind
    from genguard.errors import RequestError

    banks.create_bank("nullable", BankKind.INTERNAL_BLOCKED)
    with pytest.raises(RequestError) as caught:
        banks.update_bank("nullable", enabled=None, note=None)
    assert caught.value.code == "bank_invalid" and "enabled" in caught.value.message
    assert banks.bank("nullable").enabled is True


def test_an_export_with_an_actor_is_audited_and_one_without_is_not(banks: BankService) -> None:
    from genguard.audit.service import AuditService
    from genguard.banks.formats.lists import ListFormat, read_list

    rng = np.random.default_rng(RNG_SEED)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    value = random_pdq(rng)
    banks.add_entry("ncii", SignalType.PDQ, value, external_id="case-1")
    audit = AuditService(banks.store)
    body, media_type = banks.export_list("ncii", ListFormat.THREATEXCHANGE_CSV)
    assert media_type == "text/csv" and [r.value for r in read_list(ListFormat.THREATEXCHANGE_CSV, body)] == [value]
    assert audit.recent(("bank.exported",)) == []  # the CLI's export: the operator's own shell
    banks.export_list("ncii", ListFormat.THREATEXCHANGE_CSV, actor="key:3")
    (record,) = audit.recent(("bank.exported",))
    assert (record.actor, record.subject, record.payload) == ("key:3", "bank:ncii", {"format": "threatexchange-csv"})
    with pytest.raises(NotFound):
        banks.export_list("missing", ListFormat.THREATEXCHANGE_CSV, actor="key:3")
    assert len(audit.recent(("bank.exported",))) == 1  # nothing is recorded for a failed export


def test_active_entries_and_seen_pages(banks: BankService) -> None:
    """What a takedown and the retro-scan job read instead of the tables, as views."""
    from genguard.banks.model import EntryInfo, Seen

    banks.create_bank("internal", BankKind.INTERNAL_BLOCKED)
    kept, _ = banks.add_entry("internal", SignalType.SHA256, "1" * 64, external_id="case:1")
    gone, _ = banks.add_entry("internal", SignalType.MD5, "2" * 32)
    pulled, _ = banks.add_entry("internal", SignalType.MD5, "3" * 32)
    other, _ = banks.add_entry("internal", SignalType.MD5, "4" * 32)
    banks.delete_entry(gone.id)
    banks.withdraw(pulled.id)
    assert [e.id for e in banks.active_entries("internal")] == [kept.id, other.id]
    found = banks.active_entries("internal", values=["1" * 64, "2" * 32, "3" * 32, "f" * 64])
    assert found == [banks.entry(kept.id)] and isinstance(found[0], EntryInfo)
    assert [e.id for e in banks.active_entries("internal", ids=[other.id, gone.id, kept.id])] == [kept.id, other.id]
    assert banks.active_entries("internal", values=[]) == []
    with pytest.raises(NotFound):
        banks.active_entries("nope")

    for i in range(5):
        banks.record_seen(source="upload", ref=f"post-{i}", sha256=f"{i}" * 64, md5=f"{i}" * 32, pdq=None,
                          pdq_quality=None)
    page = banks.seen_page(after=0, limit=3)
    assert [s.ref for s in page] == ["post-0", "post-1", "post-2"] and isinstance(page[0], Seen)
    assert [s.ref for s in banks.seen_page(after=page[-1].id, limit=3)] == ["post-3", "post-4"]
    assert banks.seen_counts(after=page[-1].id) == (3, 2) and banks.seen_counts(after=0) == (0, 5)
    hits = banks.retro_scan([retro.Banked(kept.id, "sha256", "1" * 64)], banks.bank("internal"))
    assert [(h.ref, h.entry_id, h.signal_type) for h in hits] == [("post-1", kept.id, "sha256")]
    with banks.store.transaction() as session:
        assert retro.seen_item(session, page[1].id) == page[1] and retro.seen_item(session, 999) is None
