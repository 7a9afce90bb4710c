"""Sign an output, read it back with the C2PA library's own validation, and refuse bad input."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from genguard.config import MediaLimits
from genguard.detectors.hashes import pdq
from genguard.errors import MediaError
from genguard.media.decode import decode_image
from genguard.provenance import (
    ManifestSigner,
    OutputClaim,
    ParentImage,
    ProvenanceError,
    ProvenanceState,
    c2pa_api,
    read_provenance,
    sign_output,
)
from genguard.provenance.devcert import make_dev_chain
from genguard.provenance.model import COMPOSITE_WITH_TRAINED, TRAINED_ALGORITHMIC_MEDIA
from genguard.provenance.read import MAX_MANIFEST_CHARS
from genguard.verdict import Decision, Verdict
from tests.images import ADULT_PORTRAIT, SHARED_IMAGES

CAT = SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png"
CUP = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"
ROCKET = SHARED_IMAGES / "scenes" / "falcon9_dscovr_launch_skimage.jpg"
CLAIM = OutputClaim(verdict_id="req-42", policy="uk-osa@2026.12.1", generator="tiny-sd", generator_version="1.0")


def test_generated_output_reads_back_trusted_with_every_claim(signer, dev_chain):
    signed = sign_output(CAT.read_bytes(), "image/png", CLAIM, signer)
    report = read_provenance(signed, "image/png", trust_anchors=dev_chain.root_pem)
    assert report.state is ProvenanceState.TRUSTED, report.failures
    assert report.ai_generated and report.actions == ["c2pa.created"]
    assert report.source_types == [TRAINED_ALGORITHMIC_MEDIA]
    assert (report.generator, report.verdict_id, report.policy) == ("tiny-sd 1.0", "req-42", "uk-osa@2026.12.1")
    # The soft binding is the PDQ the hash detector computes on the image as screened.
    assert report.soft_binding == pdq(decode_image(CAT.read_bytes()).rgb)[0]
    assert report.development and "DEVELOPMENT" in report.signer
    assert any("DEVELOPMENT" in w for w in report.warnings)
    # The pixels are untouched: signing only adds the manifest.
    assert decode_image(signed).rgb.tobytes() == decode_image(CAT.read_bytes()).rgb.tobytes()


def test_edit_records_its_parents_as_ingredients_with_their_pdq(signer, dev_chain):
    claim = CLAIM.model_copy(update={"parents": [ParentImage(data=ADULT_PORTRAIT.read_bytes(), mime="image/jpeg", title="photo"),
                                                 ParentImage(data=CUP.read_bytes(), mime="image/png", title="cup")]})
    signed = sign_output(ROCKET.read_bytes(), "image/jpeg", claim, signer)
    report = read_provenance(signed, trust_anchors=dev_chain.root_pem)
    assert report.state is ProvenanceState.TRUSTED, report.failures
    assert report.actions == ["c2pa.opened", "c2pa.placed", "c2pa.edited"]
    assert report.source_types == [COMPOSITE_WITH_TRAINED] and report.ai_generated
    assert [(p.title, p.relationship) for p in report.parents] == [("photo", "parentOf"), ("cup", "componentOf")]
    assert report.parents[0].pdq == pdq(decode_image(ADULT_PORTRAIT.read_bytes()).rgb)[0]
    assert report.parents[1].sha256 == decode_image(CUP.read_bytes()).sha256


def test_signer_outside_the_trust_anchors_is_untrusted_not_valid(signer):
    signed = sign_output(CAT.read_bytes(), "image/png", CLAIM, signer)
    other_root = make_dev_chain().root_pem
    for anchors in (None, other_root):
        report = read_provenance(signed, trust_anchors=anchors)
        assert report.state is ProvenanceState.UNTRUSTED
        assert any("trust anchors" in w for w in report.warnings)
        assert report.verdict_id == "req-42"  # the claims are still read, as hints


def test_flipped_byte_is_invalid(signer, dev_chain):
    signed = bytearray(sign_output(ROCKET.read_bytes(), "image/jpeg", CLAIM, signer))
    at = len(signed) - 4000
    signed[at] ^= 0x01
    report = read_provenance(bytes(signed), trust_anchors=dev_chain.root_pem)
    assert report.state is ProvenanceState.INVALID
    assert "assertion.dataHash.mismatch" in report.failures


def test_stripped_copy_has_no_manifest_but_keeps_the_soft_binding_pdq_close(signer):
    signed = sign_output(ROCKET.read_bytes(), "image/jpeg", CLAIM, signer)
    stripped = io.BytesIO()
    Image.open(io.BytesIO(signed)).save(stripped, "JPEG", quality=80)  # a platform's re-encode
    assert read_provenance(stripped.getvalue()).state is ProvenanceState.ABSENT
    from genguard.detectors.hashes import hamming
    assert hamming(read_provenance(signed).soft_binding, pdq(decode_image(stripped.getvalue()).rgb)[0]) <= 31


def test_absent_manifest():
    report = read_provenance(CAT.read_bytes())
    assert report.state is ProvenanceState.ABSENT and not report.ai_generated and report.parents == []


# --- bad input: a clear error, nothing signed or believed --------------------------------------

def test_truncated_jpeg_is_refused_by_sign_and_read(signer):
    data = ROCKET.read_bytes()[:-5000]
    with pytest.raises(MediaError) as signing:
        sign_output(data, "image/jpeg", CLAIM, signer)
    with pytest.raises(MediaError) as reading:
        read_provenance(data)
    assert signing.value.code == reading.value.code == "media_truncated"


def test_truncated_signed_png_is_refused(signer):
    signed = sign_output(CAT.read_bytes(), "image/png", CLAIM, signer)
    with pytest.raises(MediaError) as caught:
        read_provenance(signed[: len(signed) // 2])
    assert caught.value.code == "media_truncated"


def test_non_image_is_refused():
    for data in (b"%PDF-1.7 not an image" * 20, b"just text" * 50):
        with pytest.raises(MediaError) as caught:
            read_provenance(data)
        assert caught.value.code == "media_unsupported_type"


def test_declared_type_that_lies_is_refused(signer):
    with pytest.raises(MediaError) as caught:
        sign_output(CAT.read_bytes(), "image/jpeg", CLAIM, signer)
    assert caught.value.code == "media_type_mismatch"


def test_over_the_byte_limit_is_refused_before_parsing():
    with pytest.raises(MediaError) as caught:
        read_provenance(CAT.read_bytes(), limits=MediaLimits(max_bytes=1000))
    assert caught.value.code == "media_too_large"


def test_huge_manifest_is_refused(signer):
    big = {"claim_generator_info": [{"name": "x"}], "title": "big",
           "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA}]}},
                          {"label": "org.example.padding", "data": {"pad": "x" * (MAX_MANIFEST_CHARS + 10)}}]}
    signed = c2pa_api.sign_asset(big, ROCKET.read_bytes(), "image/jpeg", signer, [])
    with pytest.raises(ProvenanceError) as caught:
        read_provenance(signed)
    assert caught.value.code == "provenance_manifest_too_large"


def test_corrupted_manifest_store_is_invalid_not_trusted(signer, dev_chain):
    signed = bytearray(sign_output(ROCKET.read_bytes(), "image/jpeg", CLAIM, signer))
    at = bytes(signed).find(b"jumb") + 40  # inside the manifest store (JUMBF in APP11)
    signed[at : at + 16] = b"\x00" * 16
    report = read_provenance(bytes(signed), trust_anchors=dev_chain.root_pem)
    assert report.state is ProvenanceState.INVALID and report.failures


def test_gif_outputs_are_not_signed(signer):
    gif = io.BytesIO()
    Image.open(CAT).convert("P").save(gif, "GIF")
    with pytest.raises(ProvenanceError) as caught:
        sign_output(gif.getvalue(), "image/gif", CLAIM, signer)
    assert caught.value.code == "provenance_unsupported_type"


def test_signer_checks_its_key_and_chain(dev_chain):
    other = make_dev_chain()
    with pytest.raises(ProvenanceError, match="does not belong"):
        ManifestSigner(dev_chain.chain_pem, other.key_pem)
    with pytest.raises(ProvenanceError, match="issuer"):
        ManifestSigner(dev_chain.chain_pem.split(b"-----END CERTIFICATE-----")[0] + b"-----END CERTIFICATE-----\n",
                       dev_chain.key_pem)
    with pytest.raises(ProvenanceError, match="unreadable"):
        ManifestSigner(b"not a pem", dev_chain.key_pem)


def test_only_an_allowed_verdict_makes_a_claim():
    for decision in (Decision.BLOCK, Decision.REVIEW):
        verdict = Verdict(id="r1", kind="output", decision=decision, reasons=["X"], rule="r", policy="uk-osa@1")
        with pytest.raises(ProvenanceError) as caught:
            OutputClaim.from_verdict(verdict, generator="g")
        assert caught.value.code == "provenance_not_allowed"


def test_claim_with_the_screens_pdq_still_refuses_a_truncated_image(signer):
    claim = CLAIM.model_copy(update={"output_pdq": "0" * 64})
    with pytest.raises(MediaError) as caught:
        sign_output(ROCKET.read_bytes()[:-3000], "image/jpeg", claim, signer)
    assert caught.value.code == "media_truncated"
    signed = sign_output(ROCKET.read_bytes(), "image/jpeg", claim, signer)
    assert read_provenance(signed).soft_binding == "0" * 64


def test_concurrent_signing_and_reading_share_the_library_safely(signer, dev_chain):
    """A gateway signs from many threads at once; every result must still validate."""
    from concurrent.futures import ThreadPoolExecutor

    data = ROCKET.read_bytes()

    def round_trip(i: int) -> tuple[str, str | None]:
        claim = CLAIM.model_copy(update={"verdict_id": f"req-{i}"})
        report = read_provenance(sign_output(data, "image/jpeg", claim, signer), trust_anchors=dev_chain.root_pem)
        return report.state.value, report.verdict_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(round_trip, range(24)))
    assert results == [("trusted", f"req-{i}") for i in range(24)]


def test_ed25519_chain_signs_and_validates():
    chain = make_dev_chain(algorithm="ed25519")
    signer = ManifestSigner(chain.chain_pem, chain.key_pem)
    assert signer.alg == "ed25519" and signer.development
    report = read_provenance(sign_output(CAT.read_bytes(), "image/png", CLAIM, signer), trust_anchors=chain.root_pem)
    assert report.state is ProvenanceState.TRUSTED, report.failures


def test_signer_from_settings(tmp_path):
    from genguard.config import Settings
    from genguard.provenance.devcert import write_dev_chain

    chain, key, _ = write_dev_chain(tmp_path)
    unset = Settings(home=tmp_path, c2pa_cert=None, c2pa_key=None)
    assert ManifestSigner.from_settings(unset) is None  # nothing configured: no signing
    signer = ManifestSigner.from_settings(Settings(home=tmp_path, c2pa_cert=chain, c2pa_key=key))
    assert signer is not None and signer.development
    with pytest.raises(ProvenanceError, match="both"):
        ManifestSigner.from_settings(Settings(home=tmp_path, c2pa_cert=chain, c2pa_key=None))
    with pytest.raises(ProvenanceError) as caught:
        ManifestSigner.from_settings(Settings(home=tmp_path, c2pa_cert=chain, c2pa_key=tmp_path / "missing.pem"))
    assert caught.value.code == "provenance_signer_invalid"
