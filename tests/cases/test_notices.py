"""Notice validation: every regime's required fields, listed together when missing."""

from __future__ import annotations

import pytest

from genguard.cases.notices import Notice, NoticeInvalid, validate_notice

SHA = "ab" * 32


def _errors(**fields: object) -> tuple[set[str], list[str]]:
    with pytest.raises(NoticeInvalid) as info:
        validate_notice(Notice.model_validate(fields))
    return set(info.value.missing), info.value.problems


def test_an_empty_notice_lists_everything_basic() -> None:
    missing, _ = _errors()
    assert missing == {"regime", "reporter_type", "category", "items (at least one: platform_id, url or a hash)"}


def test_take_it_down_needs_signature_good_faith_and_contact() -> None:
    missing, problems = _errors(regime="take_it_down", reporter_type="user", category="other",
                                items=[{"sha256": SHA}], good_faith_statement=False)
    assert missing == {"signature", "good_faith_statement (must be true)",
                       "reporter contact (email, phone or postal_address)"}
    assert len(problems) == 2  # not from the depicted person; not an intimate image


def test_take_it_down_by_hash_alone_is_valid() -> None:
    validate_notice(Notice.model_validate({
        "regime": "take_it_down", "reporter_type": "victim", "category": "ai_generated_intimate_image",
        "items": [{"sha256": SHA}], "signature": "A. Person", "good_faith_statement": True,
        "reporter": {"phone": "+44 20 0000 0000"}}))


def test_authorised_representative_names_the_person() -> None:
    missing, _ = _errors(regime="take_it_down", reporter_type="authorised_representative",
                         category="intimate_image_abuse", items=[{"sha256": SHA}], signature="Agent",
                         good_faith_statement=True, reporter={"email": "agent@example.org"})
    assert missing == {"on_behalf_of"}


def test_dsa_needs_location_explanation_identity_and_accuracy() -> None:
    missing, _ = _errors(regime="dsa", reporter_type="user", category="intimate_image_abuse", items=[{"md5": "a" * 32}])
    assert missing == {"items[0]: url or platform_id (DSA Art. 16(2)(b) exact location)",
                       "explanation (DSA Art. 16(2)(a))", "accuracy_statement (DSA Art. 16(2)(d), must be true)",
                       "reporter.name (DSA Art. 16(2)(c))", "reporter.email (DSA Art. 16(2)(c))"}


def test_dsa_child_abuse_notice_may_be_anonymous() -> None:
    validate_notice(Notice.model_validate({
        "regime": "dsa", "reporter_type": "user", "category": "child_sexual_abuse",
        "items": [{"url": "https://platform.example/p/1"}], "explanation": "depicts a child",
        "accuracy_statement": True}))


def test_hotline_must_be_named_and_hashes_well_formed() -> None:
    missing, problems = _errors(regime="uk_osa", reporter_type="hotline", category="child_sexual_abuse",
                                items=[{"sha256": "xyz", "url": "ftp://x"}, {}], reporter={"email": "nope"})
    assert "hotline (one of IWF, NCMEC, INHOPE, OTHER)" in missing
    assert "items[1]: platform_id, url, sha256, md5 or pdq" in missing
    assert problems == ["items[0].sha256 must be 64 hex characters", "items[0].url must be an http(s) URL",
                        "reporter.email is not an e-mail address"]


def test_uk_complaint_from_a_hotline_is_valid() -> None:
    validate_notice(Notice.model_validate({"regime": "uk_osa", "reporter_type": "hotline", "hotline": "IWF",
                                           "category": "child_sexual_abuse", "items": [{"sha256": SHA}]}))


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValueError):
        Notice.model_validate({"regime": "uk_osa", "colour": "red"})
