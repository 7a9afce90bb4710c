"""Hash banks inside Guard.screen(), on real models and the licensed benign scene images."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from genguard.banks.formats.records import SignalType
from genguard.banks.hashing import image_hashes
from genguard.banks.model import INTERNAL_BANK, BankKind
from genguard.banks.service import BankService, BankSettings
from genguard.guard import Guard
from genguard.media.decode import decode_image
from genguard.verdict import Decision
from tests.banks.conftest import CAT, CUP


def _service(guard: Guard) -> BankService:
    assert guard.banks.service is not None
    return guard.banks.service


def _pdq(data: bytes) -> str:
    return image_hashes(decode_image(data)).pdq


def _mirrored(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(out, "PNG")
    return out.getvalue()


def test_upload_of_a_banked_image_is_blocked(guard: Guard) -> None:
    cat = CAT.read_bytes()
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", SignalType.PDQ, _pdq(cat), external_id="case-1")
    assert guard.screen(kind="upload", output=CUP.read_bytes()).decision is Decision.ALLOW
    verdict = guard.screen(kind="upload", output=cat, id="up-1")
    assert verdict.decision is Decision.BLOCK and "KNOWN_ABUSE_HASH" in verdict.reasons
    match = verdict.signals.images[0].bank_matches[0]
    assert (match.bank, match.signal_type, match.distance, match.action) == ("ncii", "pdq", 0, "block")


def test_mirrored_copy_matches_through_the_dihedral_variants(guard: Guard) -> None:
    cat = CAT.read_bytes()
    mirrored = _mirrored(cat)
    assert image_hashes(decode_image(mirrored)).pdq != _pdq(cat)
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", SignalType.PDQ, _pdq(cat))
    found = banks.lookup(image_hashes(decode_image(mirrored)).query()).matches
    assert [m.via for m in found] == ["flip_y"] or [m.via for m in found] == ["flip_x"]
    assert found[0].distance <= 31
    verdict = guard.screen(kind="upload", output=mirrored)
    assert verdict.decision is Decision.BLOCK and "KNOWN_ABUSE_HASH" in verdict.reasons


def test_allow_bank_suppresses_the_block(guard: Guard) -> None:
    cat = CAT.read_bytes()
    banks = _service(guard)
    banks.create_bank("terror", BankKind.TERROR)
    banks.create_bank("benign", BankKind.ALLOW)
    banks.add_entry("terror", SignalType.PDQ, _pdq(cat))
    banks.add_entry("benign", SignalType.SHA256, image_hashes(decode_image(cat)).sha256)
    verdict = guard.screen(kind="upload", output=cat)
    assert "KNOWN_ABUSE_HASH" not in verdict.reasons
    assert {m.action for m in verdict.signals.images[0].bank_matches} == {"suppressed"}


def test_quarantined_entry_sends_to_review(guard: Guard) -> None:
    cat = CAT.read_bytes()
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE, BankSettings(flood_limit=1))
    banks.add_entry("ncii", SignalType.MD5, image_hashes(decode_image(cat)).md5)
    assert guard.screen(kind="upload", output=cat).decision is Decision.BLOCK
    verdict = guard.screen(kind="upload", output=cat)
    assert verdict.decision is Decision.REVIEW and verdict.reasons == ["BANK_MATCH_QUARANTINED"]


def test_blocked_output_is_banked_so_a_later_upload_is_caught(guard: Guard) -> None:
    cat = CAT.read_bytes()
    banks = _service(guard)
    banks.create_bank("terror", BankKind.TERROR)
    entry, _ = banks.add_entry("terror", SignalType.PDQ, _pdq(cat))
    output = guard.screen(kind="output", output=cat, id="gen-1")
    assert output.decision is Decision.BLOCK
    internal = banks.entries(INTERNAL_BANK)
    assert {e.signal_type for e in internal} == {"pdq", "md5", "sha256"}
    assert {e.external_id for e in internal} == {"gen-1"}
    banks.delete_entry(entry.id)  # the original list entry is gone; the internal bank remains
    verdict = guard.screen(kind="upload", output=cat)
    assert verdict.decision is Decision.BLOCK
    assert {m.bank for m in verdict.signals.images[0].bank_matches} == {INTERNAL_BANK}


def test_screened_images_are_seen_content_for_retro_scan(guard: Guard) -> None:
    cat = CAT.read_bytes()
    assert guard.screen(kind="upload", output=cat, id="post-9").decision is Decision.ALLOW
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    _, report = banks.add_entry("ncii", SignalType.PDQ, _pdq(cat))
    assert [(h.ref, h.source, h.distance) for h in report.retro] == [("post-9", "upload", 0)]


def test_a_failing_lookup_fails_closed(guard: Guard, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(_service(guard), "lookup", broken)
    verdict = guard.screen(kind="upload", output=CUP.read_bytes())
    assert verdict.decision is Decision.REVIEW and verdict.reasons == ["DETECTOR_UNAVAILABLE"]
    assert verdict.facts["any.bank_match"] is None
    assert [f.detector for f in verdict.signals.failures] == ["banks"]


def test_no_bank_service_fails_closed(detectors) -> None:  # noqa: ANN001
    with Guard(detectors=detectors, store=None, audit=False) as guard:
        verdict = guard.screen(kind="upload", output=CUP.read_bytes())
    assert verdict.decision is Decision.REVIEW and "DETECTOR_UNAVAILABLE" in verdict.reasons


def test_banked_image_hidden_as_a_later_animation_frame_is_caught(guard: Guard) -> None:
    cup = Image.open(CUP).convert("RGB")
    cat = Image.open(CAT).convert("RGB").resize(cup.size)
    out = io.BytesIO()
    cup.save(out, "PNG", save_all=True, append_images=[cat], duration=100)  # APNG: cup, then cat
    animation = out.getvalue()
    banks = _service(guard)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    banks.add_entry("ncii", SignalType.PDQ, _pdq(CAT.read_bytes()))
    found = banks.lookup(image_hashes(decode_image(animation)).query()).matches
    assert [m.via for m in found] == ["frame1"] and found[0].distance <= 31
    verdict = guard.screen(kind="upload", output=animation)
    assert verdict.decision is Decision.BLOCK and "KNOWN_ABUSE_HASH" in verdict.reasons


def test_lookup_reuses_the_hashes_screening_computed(guard: Guard, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dihedral variants come with the hash signal, computed beside the other detectors:
    the bank lookup after them must not hash the image a second time."""
    animation = io.BytesIO()
    cup = Image.open(CUP).convert("RGB")
    cup.save(animation, "PNG", save_all=True, append_images=[cup.rotate(90)], duration=100)
    expected = image_hashes(decode_image(animation.getvalue()))

    def rehash(image: object) -> None:
        raise AssertionError("the bank lookup hashed the image again")

    monkeypatch.setattr("genguard.screening.banks.image_hashes", rehash)
    verdict = guard.screen(kind="upload", output=animation.getvalue())
    signal = verdict.signals.images[0].hashes
    assert signal is not None
    assert tuple(signal.pdq_variants.items()) == expected.variants and len(expected.variants) == 8
    assert [("frame1", v, q) for v, q in signal.frame_pdq] == list(expected.frames)
    assert "DETECTOR_UNAVAILABLE" not in verdict.reasons
