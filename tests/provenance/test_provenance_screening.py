"""Provenance read on upload feeds the policy: real faces, identity, ages and PDQ; nudity injected.

The nudity detector is the only thing mocked (``InjectedNudity``), so a test can say "this image
shows exposed skin" of a licensed benign image without any such image existing.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from genguard.detectors.hashes import pdq
from genguard.guard import Guard
from genguard.media.decode import decode_image
from genguard.policy.pack import load_pack
from genguard.provenance import OutputClaim, ParentImage, read_provenance, sign_output
from genguard.provenance.softbinding import find_record
from genguard.screening.facts import provenance_facts
from genguard.signals import DetectorFailure, SignalSet
from genguard.verdict import Decision
from tests.images import ADULT_PORTRAIT, SHARED_IMAGES
from tests.screening.injected import DRESS, InjectedNudity, region, sha, with_hat

pytestmark = pytest.mark.slow
ROCKET = SHARED_IMAGES / "scenes" / "falcon9_dscovr_launch_skimage.jpg"
CONSENT = {"label": "person A", "registered_by": "self", "consent_name": "Person A",
           "consent_statement": "I ask genguard to block sexual or revealing edits of my likeness."}
EXPOSED = [region("FEMALE_BREAST_EXPOSED", 0.9)]


@pytest.fixture
def adult_guard(detectors, store, dev_chain):
    """adult-platform (uploads of adult nudity allowed) with the dev root as a trust anchor."""
    nudity = InjectedNudity()
    with Guard(detectors={**detectors, "nudity": nudity}, store=store, policy=load_pack("adult-platform")) as guard:
        guard.trust_anchors = dev_chain.root_pem
        guard.nudity_regions = nudity.by_sha256  # type: ignore[attr-defined]
        yield guard


def _strip(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _flip(data: bytes) -> bytes:
    flipped = bytearray(data)
    flipped[-4000] ^= 0x01  # in the entropy-coded pixels: still decodes, no longer matches the hash
    return bytes(flipped)


def test_upload_claiming_an_edit_of_a_registered_likeness_is_caught_though_its_face_changed(adult_guard, signer):
    portrait = ADULT_PORTRAIT.read_bytes()
    registry = adult_guard.memory.likeness
    registry.register(**CONSENT, embeddings=registry.embeddings_of([portrait], adult_guard.detectors["faces"]),
                      actor="test")
    # A benign edit of the registered person is allowed, and its source remembered in lineage.
    hat = with_hat(portrait)
    adult_guard.nudity_regions.update({sha(portrait): DRESS, sha(hat): DRESS})
    first = adult_guard.screen(kind="output", prompt="put a hat on her", sources=[portrait], output=hat)
    assert first.decision is Decision.ALLOW, first.reasons
    # An image whose pixels no longer show that face (here: a rocket launch) but whose manifest
    # records the portrait as its parent, with exposed skin (injected).
    claimed = sign_output(ROCKET.read_bytes(), "image/jpeg", OutputClaim(
        verdict_id="x", policy="other", generator="elsewhere",
        parents=[ParentImage(data=portrait, mime="image/jpeg", title="photo")]), signer)
    stripped, tampered = _strip(claimed), _flip(claimed)
    for data in (claimed, stripped, tampered):
        adult_guard.nudity_regions[sha(data)] = EXPOSED

    without = adult_guard.screen(kind="upload", output=stripped)
    assert without.decision is Decision.ALLOW, without.reasons  # adult nudity, nobody recognised
    assert without.facts["provenance.present"] is False

    caught = adult_guard.screen(kind="upload", output=claimed)
    assert caught.decision is Decision.BLOCK and caught.rule == "provenance.parent_likeness"
    assert caught.reasons == ["PROTECTED_LIKENESS"]
    assert caught.facts["provenance.trusted"] is True and caught.facts["provenance.parent_registered_likeness"] is True
    assert caught.facts["likeness.match"] is False  # the face itself no longer matches
    assert caught.signals.provenance.parents[0].lineage_node is not None

    # A tampered manifest is invalid, and its claim still counts: it never lowers risk.
    invalid = adult_guard.screen(kind="upload", output=tampered)
    assert invalid.facts["provenance.invalid"] is True
    assert invalid.decision is Decision.BLOCK and invalid.rule == "provenance.parent_likeness"


def test_stripped_copy_is_found_again_through_the_soft_binding(injected_guard, signer, store):
    portrait = ADULT_PORTRAIT.read_bytes()
    hat = with_hat(portrait)
    injected_guard.nudity_regions.update({sha(portrait): DRESS, sha(hat): DRESS})
    verdict = injected_guard.screen(kind="output", prompt="put a hat on her", sources=[portrait], output=hat)
    assert verdict.decision is Decision.ALLOW, verdict.reasons
    # Signed as a gateway does: the claim from the verdict, with the PDQs the screen computed.
    claim = OutputClaim.from_verdict(verdict, generator="tiny-sd", sources=[(portrait, "image/jpeg")])
    assert claim.output_pdq == pdq(decode_image(hat).rgb)[0] and claim.parents[0].pdq is not None
    signed = sign_output(hat, "image/jpeg", claim, signer)
    report = read_provenance(signed)
    assert report.soft_binding == claim.output_pdq and report.policy == verdict.policy
    assert report.verdict_id == f"audit:{verdict.audit_seq}"
    record = find_record(injected_guard.memory.lineage, report.soft_binding)
    assert record is not None and record.audit_seq == verdict.audit_seq and record.depth == 1

    stripped = _strip(signed)
    injected_guard.nudity_regions[sha(stripped)] = DRESS
    upload = injected_guard.screen(kind="upload", output=stripped)
    assert upload.signals.provenance.state == "absent"
    assert upload.facts["provenance.known_output"] is True
    assert upload.signals.provenance.record_node == record.node_id
    assert upload.signals.provenance.record_audit_seq == verdict.audit_seq


def test_a_manifest_that_cannot_be_read_fails_closed(injected_guard, signer):
    from genguard.provenance import c2pa_api
    from genguard.provenance.model import TRAINED_ALGORITHMIC_MEDIA
    from genguard.provenance.read import MAX_MANIFEST_CHARS

    big = {"claim_generator_info": [{"name": "x"}], "title": "big", "assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA}]}},
        {"label": "org.example.padding", "data": {"pad": "x" * (MAX_MANIFEST_CHARS + 10)}}]}
    data = c2pa_api.sign_asset(big, ROCKET.read_bytes(), "image/jpeg", signer, [])
    verdict = injected_guard.screen(kind="upload", output=data)
    assert verdict.decision is Decision.REVIEW and verdict.reasons == ["DETECTOR_UNAVAILABLE"]
    failure = next(f for f in verdict.signals.failures if f.detector == "provenance")
    assert failure.target == "upload[0]" and "provenance_manifest_too_large" in failure.error
    assert verdict.facts["provenance.parent_registered_likeness"] is None


def test_provenance_facts_without_an_image_are_known_false_and_unknown_after_a_failure():
    assert set(provenance_facts(SignalSet()).values()) == {False}
    failed = SignalSet(failures=[DetectorFailure(detector="provenance", error="x", target="upload[0]")])
    assert set(provenance_facts(failed).values()) == {None}
