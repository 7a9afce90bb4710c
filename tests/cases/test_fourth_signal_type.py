"""A hash type registered by a test alone flows through genguard: list import and export, exact
matching, retro-scan of seen content, notice intake, case content and the takedown's copy sweep,
and screening computes it from a screened image (bank match, seen content, the verdict's signal).

Nothing outside ``banks/signal_types.py`` names the set of types, so registering one
:class:`HashKind` here is all it takes; the fixture unregisters it afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from genguard.api.routers.banks import HashLookup
from genguard.banks.errors import ImportFormatError
from genguard.banks.hashing import image_hashes
from genguard.banks.formats.lists import ListFormat, read_list, write_list
from genguard.banks.matching import HashQuery
from genguard.banks.model import INTERNAL_BANK, BankKind
from genguard.banks.service import BankService
from genguard.banks.signal_types import DigestKind, SignalType, kind_of, kinds, register, unregister
from genguard.cases.notices import Notice, NoticeInvalid, validate_notice
from genguard.cases.service import CaseService
from genguard.cases.settings import REUPLOAD_BANK
from genguard.guard import Guard
from genguard.media.decode import decode_image
from genguard.media.image import DecodedImage
from genguard.verdict import Decision
from tests.banks.conftest import CAT, CUP

SHA1 = hashlib.sha1(b"a test item").hexdigest()
OTHER = hashlib.sha1(b"another item").hexdigest()


class Sha1Kind(DigestKind):
    """A test-only exact type: SHA-1 of the first frame's pixels (spelt ``SHA-1`` by TCAP)."""

    def __init__(self) -> None:
        super().__init__("sha1", 40, {"tcap-csv": "SHA-1"})

    def compute(self, image: DecodedImage) -> str:
        return hashlib.sha1(image.rgb.tobytes()).hexdigest()


@pytest.fixture
def sha1() -> Iterator[SignalType]:
    kind = register(Sha1Kind())
    try:
        yield kind.signal_type
    finally:
        unregister("sha1")


def _notice(**item: str) -> Notice:
    return Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                  "items": [{"platform_id": "post-1", "account": "acct", **item}]})


def test_the_type_is_registered_and_then_gone(sha1: SignalType) -> None:
    assert SignalType("sha1") is sha1 and kind_of("sha1").index == "exact"
    assert [k.signal_type.value for k in kinds()] == ["pdq", "md5", "sha256", "sha1"]
    assert "sha1" in list(SignalType)


def test_unregistered_it_is_refused_everywhere() -> None:
    assert "sha1" not in {k.signal_type.value for k in kinds()}
    with pytest.raises(ValueError):
        SignalType("sha1")
    with pytest.raises(ImportFormatError, match="unknown hash type"):
        read_list(ListFormat.THREATEXCHANGE_CSV, f"signal_type,signal_value\nsha1,{SHA1}\n".encode())
    with pytest.raises(ValueError):
        _notice(sha1=SHA1)
    with pytest.raises(ValueError):
        HashLookup.model_validate({"sha1": SHA1})
    with pytest.raises(ValueError, match="built in"):
        unregister("md5")


def test_csv_import_export_and_exact_matching(sha1: SignalType, banks: BankService) -> None:
    csv = f"signal_type,signal_value,content_id,status,tags,note\nsha1,{SHA1.upper()},c-1,active,,\n"
    records = read_list(ListFormat.THREATEXCHANGE_CSV, csv.encode())
    assert [(r.signal_type, r.value) for r in records] == [(sha1, SHA1)]  # normalised by the kind
    tcap = read_list(ListFormat.TCAP_CSV, f"hash_type,hash,tcap_id\nSHA-1,{OTHER}\n".encode())
    assert [(r.signal_type, r.value) for r in tcap] == [(sha1, OTHER)]
    with pytest.raises(ImportFormatError, match="sha1 value must be 40 hex characters"):
        read_list(ListFormat.THREATEXCHANGE_CSV, f"signal_type,signal_value\nsha1,{SHA1[:-1]}\n".encode())

    body = HashLookup.model_validate({"sha1": SHA1})  # the API's lookup body takes the type too
    assert body.hashes() == {"sha1": SHA1}
    with pytest.raises(ValueError):
        HashLookup.model_validate({"sha1": SHA1[:-1]})

    banks.create_bank("lists", BankKind.INTERNAL_BLOCKED)
    report = banks.import_records("lists", records + tcap)
    assert report.added == 2
    found = banks.lookup(HashQuery.of({"sha1": SHA1}))
    assert [(m.bank.name, m.via, m.distance) for m in found.matches] == [("lists", "sha1", 0)]
    assert banks.lookup(HashQuery.of({"sha1": "0" * 40})).matches == []
    # The same value under another type is not this type's entry.
    assert banks.lookup(HashQuery.of({"md5": SHA1[:32]})).matches == []

    body, _ = write_list(ListFormat.THREATEXCHANGE_CSV, banks.export("lists"))
    assert f"sha1,{SHA1},c-1,active,," in body.decode()
    body, _ = write_list(ListFormat.TCAP_CSV, banks.export("lists"))
    assert f"SHA-1,{SHA1},c-1,active,," in body.decode()
    # Formats with no spelling for the type refuse it rather than drop it.
    with pytest.raises(ImportFormatError, match="no sha1 fingerprint"):
        write_list(ListFormat.NCMEC_XML, banks.export("lists"))
    with pytest.raises(ImportFormatError, match="no sha1 signal type"):
        write_list(ListFormat.STOPNCII_JSON, banks.export("lists"))


def test_banking_it_retro_scans_seen_content(sha1: SignalType, banks: BankService) -> None:
    banks.record_seen(source="upload", ref="copy", sha256="1" * 64, md5="2" * 32, sha1=SHA1)
    banks.record_seen(source="upload", ref="other", sha256="3" * 64, md5="4" * 32, sha1=OTHER)
    banks.create_bank("lists", BankKind.INTERNAL_BLOCKED)
    _, report = banks.add_entry("lists", sha1, SHA1)
    assert [(h.ref, h.signal_type, h.distance) for h in report.retro] == [("copy", "sha1", 0)]
    page = banks.seen_page(after=0, limit=10)
    assert [s.exact for s in page] == [{"md5": "2" * 32, "sha256": "1" * 64, "sha1": SHA1},
                                      {"md5": "4" * 32, "sha256": "3" * 64, "sha1": OTHER}]
    with pytest.raises(ValueError, match="keeps no tmk"):
        banks.record_seen(source="upload", ref="x", sha256="5" * 64, tmk="6" * 40)


def test_notice_intake_case_content_and_takedown(sha1: SignalType, service: CaseService, banks: BankService) -> None:
    with pytest.raises(NoticeInvalid) as refused:
        validate_notice(_notice(sha1="zz" * 20))
    assert refused.value.problems == ["items[0].sha1 must be 40 hex characters"]
    with pytest.raises(ValueError):
        _notice(sha1="a" * 41)  # longer than the type's values: refused when read
    banks.create_bank("lists", BankKind.INTIMATE_IMAGE)
    banks.add_entry("lists", sha1, SHA1)
    banks.record_seen(source="upload", ref="copy-1", sha256="7" * 64, md5="8" * 32, sha1=SHA1)

    case_id = service.submit_notice(_notice(sha1=SHA1), actor="t")["cases"][0]["case_id"]
    case = service.get(case_id)
    content = case["content"].to_json()
    assert content == {"platform_id": "post-1", "url": None, "sha256": None, "md5": None, "sha1": SHA1, "pdq": None}
    assert case["signals"]["bank_matches"] == ["lists"]  # matched at intake through the new type

    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="not consensual")
    service.work()
    case = service.get(case_id)
    assert [(c["ref"], c["signal_type"]) for c in case["copies"]] == [("copy-1", "sha1")]
    banked = [m.bank.name for m in banks.lookup(HashQuery.of({"sha1": SHA1})).matches]
    assert sorted(banked) == sorted(["lists", REUPLOAD_BANK])


def _pixels_sha1(path: Path) -> str:
    return hashlib.sha1(decode_image(path.read_bytes()).rgb.tobytes()).hexdigest()


def _service(guard: Guard) -> BankService:
    assert guard.banks.service is not None
    return guard.banks.service


def test_screening_computes_it_and_matches_a_bank_entry(sha1: SignalType, guard: Guard) -> None:
    """A licensed benign scene image banked by its SHA-1 alone is caught when uploaded."""
    cat = CAT.read_bytes()
    expected = _pixels_sha1(CAT)
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", sha1, expected, external_id="case-1")

    other = guard.screen(kind="upload", output=CUP.read_bytes(), id="up-0")
    assert other.decision is Decision.ALLOW and other.signals.images[0].bank_matches == []
    verdict = guard.screen(kind="upload", output=cat, id="up-1")
    assert verdict.decision is Decision.BLOCK and "KNOWN_ABUSE_HASH" in verdict.reasons
    assert [(m.bank, m.signal_type, m.distance, m.action) for m in verdict.signals.images[0].bank_matches] == [
        ("ncii", "sha1", 0, "block")]
    signal = verdict.signals.images[0].hashes
    assert signal is not None and signal.exact == {"sha1": expected}
    assert signal.exact_values() == {"md5": signal.md5, "sha256": signal.sha256, "sha1": expected}
    assert verdict.public()["signals"]["images"][0]["hashes"]["exact"] == {"sha1": expected}

    # Seen content holds it, so a later entry of the type retro-scans the upload.
    seen = {s.ref: s.exact for s in banks.seen_page(after=0, limit=10)}
    assert seen["up-1"]["sha1"] == expected and seen["up-0"]["sha1"] == _pixels_sha1(CUP)
    banks.create_bank("later", BankKind.INTERNAL_BLOCKED)
    _, report = banks.add_entry("later", sha1, _pixels_sha1(CUP))
    assert [(h.ref, h.signal_type) for h in report.retro] == [("up-0", "sha1")]

    # Hashing an image outside screening (the lookup API, the CLI, scan's match mode) has it too.
    hashes = image_hashes(decode_image(cat))
    assert hashes.exact == (("sha1", expected),) and hashes.public()["exact"] == {"sha1": expected}
    assert [m.via for m in banks.lookup(hashes.query()).matches] == ["sha1"]


def test_a_blocked_output_is_banked_under_it_too(sha1: SignalType, guard: Guard) -> None:
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", sha1, _pixels_sha1(CAT))
    assert guard.screen(kind="output", output=CAT.read_bytes(), id="gen-1").decision is Decision.BLOCK
    internal = {e.signal_type: e.value for e in banks.entries(INTERNAL_BANK)}
    assert set(internal) == {"pdq", "md5", "sha256", "sha1"} and internal["sha1"] == _pixels_sha1(CAT)


def test_unregistered_it_is_not_computed(guard: Guard) -> None:
    cat = CAT.read_bytes()
    register(Sha1Kind())
    try:
        assert guard.screen(kind="upload", output=cat).signals.images[0].hashes.exact == {  # type: ignore[union-attr]
            "sha1": _pixels_sha1(CAT)}
    finally:
        unregister("sha1")
    verdict = guard.screen(kind="upload", output=cat, id="up-2")
    signal = verdict.signals.images[0].hashes
    assert signal is not None and signal.exact == {}
    assert "exact" not in verdict.public()["signals"]["images"][0]["hashes"]  # the JSON reads as before
    assert image_hashes(decode_image(cat)).exact == ()
    seen = [s.exact for s in _service(guard).seen_page(after=0, limit=10)]
    assert set(seen[-1]) == {"md5", "sha256"}


class _Broken(Sha1Kind):
    def compute(self, image: DecodedImage) -> str:
        return "not hex"


def test_a_kind_that_computes_a_malformed_value_fails_closed(guard: Guard) -> None:
    register(_Broken())
    try:
        verdict = guard.screen(kind="upload", output=CUP.read_bytes())
    finally:
        unregister("sha1")
    assert verdict.decision is Decision.REVIEW and "DETECTOR_UNAVAILABLE" in verdict.reasons
    assert [(f.detector, f.error) for f in verdict.signals.failures] == [
        ("hashes", "ImportFormatError: sha1 of the image: sha1 value must be 40 hex characters")]
