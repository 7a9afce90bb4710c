"""Notices: what a reporter sends, and the regime-specific checks that make one valid.

One schema covers a UK Online Safety Act complaint, a US TAKE IT DOWN Act removal request and an
EU DSA Art. 16 notice. Every field is optional at the schema level so that an incomplete notice
gets one error listing *everything* its regime still needs, not the first missing field.
Content is located by a platform id, a URL (recorded, never fetched) or a hash alone: a victim
need not send the image. An item takes a field for every registered hash type, named as the
type is stored (``sha256``, ``md5``, ``pdq``, and any type ``banks.signal_types`` registers),
validated by the type's own ``normalise``.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from genguard.audit.chain import canonical_json
from genguard.banks.errors import ImportFormatError
from genguard.banks.signal_types import HashKind, hash_field_schema, hash_fields, kinds
from genguard.errors import GenguardError
from genguard.vocabulary import Category, Regime


class ReporterType(StrEnum):
    USER = "user"
    VICTIM = "victim"
    AUTHORISED_REPRESENTATIVE = "authorised_representative"
    TRUSTED_FLAGGER = "trusted_flagger"
    HOTLINE = "hotline"


INTIMATE = frozenset({Category.INTIMATE_IMAGE_ABUSE, Category.AI_GENERATED_INTIMATE_IMAGE})
HOTLINES = ("IWF", "NCMEC", "INHOPE", "OTHER")
MAX_ITEMS = 100
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    postal_address: str | None = Field(default=None, max_length=500)


def hash_kinds() -> list[HashKind]:
    """The registered hash types in the order notices and case content list them: exact types,
    longest digest first (``sha256``, ``md5``), then nearest ones (``pdq``)."""
    return sorted(kinds(), key=lambda k: (k.index != "exact", -k.hex_length))


def _hash_properties(schema: dict[str, Any]) -> None:
    hash_field_schema(schema, order=hash_kinds())


class ContentRef(BaseModel):
    """Where the content is: any one of these is enough (a URL is never fetched). Besides the
    fields below, one optional field per registered hash type, named as the type is stored."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_hash_properties)

    platform_id: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)
    #: The uploader's account on the platform, when the reporter knows it.
    account: str | None = Field(None, max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _hash_fields(cls, data: Any) -> Any:
        """Only registered hash types may be added, as strings no longer than the type's values."""
        return hash_fields(data, cls.model_fields, order=hash_kinds())

    def hashes(self) -> dict[str, str]:
        """The given hashes by signal type (as sent: :func:`validate_notice` checks their shape)."""
        extra = self.model_extra or {}
        return {name: v for k in hash_kinds() if (v := extra.get(name := k.signal_type.value))}


class Notice(BaseModel):
    """A notice as submitted. ``validate_notice`` decides whether its regime's fields are there."""

    model_config = ConfigDict(extra="forbid")

    regime: Regime | None = None
    reporter_type: ReporterType | None = None
    #: The hotline that referred this (IWF, NCMEC...), for ``reporter_type = hotline``.
    hotline: str | None = Field(None, max_length=20)
    category: Category | None = None
    items: list[ContentRef] = Field(default_factory=list, max_length=MAX_ITEMS)
    reporter: Contact = Field(default_factory=Contact)
    #: For an authorised representative: the person they act for.
    on_behalf_of: str | None = Field(None, max_length=200)
    #: TAKE IT DOWN: the physical or electronic signature of the depicted person or their agent.
    signature: str | None = Field(None, max_length=200)
    #: TAKE IT DOWN: a good-faith belief that the depiction is not consensual.
    good_faith_statement: bool | None = None
    #: DSA Art. 16(2)(a): why the reporter considers the content illegal.
    explanation: str | None = Field(None, max_length=10_000)
    #: DSA Art. 16(2)(d): a bona fide belief that the notice is accurate and complete.
    accuracy_statement: bool | None = None
    #: UK complaint or free description.
    description: str | None = Field(None, max_length=10_000)

    def digest(self) -> str:
        """SHA-256 of the canonical notice: the receipt names exactly what was received."""
        return hashlib.sha256(canonical_json(self.model_dump(mode="json"))).hexdigest()


class NoticeInvalid(GenguardError):
    """A notice its regime cannot act on; ``missing`` lists every absent field, ``problems``
    every malformed one, so the reporter can fix all of them at once."""

    code = "notice_invalid"
    status = 422

    def __init__(self, missing: list[str], problems: list[str]) -> None:
        parts = []
        if missing:
            parts.append("missing: " + ", ".join(missing))
        if problems:
            parts.append("invalid: " + "; ".join(problems))
        super().__init__("the notice cannot be accepted (" + " | ".join(parts) + ")")
        self.missing = missing
        self.problems = problems

    def details(self) -> dict[str, Any]:
        return {"missing": self.missing, "problems": self.problems}


def validate_notice(notice: Notice) -> None:
    """Raise :class:`NoticeInvalid` unless ``notice`` carries what its regime requires."""
    missing: list[str] = []
    problems: list[str] = []
    for name in ("regime", "reporter_type", "category"):
        if getattr(notice, name) is None:
            missing.append(name)
    if not notice.items:
        missing.append("items (at least one: platform_id, url or a hash)")
    for i, item in enumerate(notice.items):
        _check_item(i, item, notice.regime, missing, problems)
    contact = notice.reporter
    if contact.email is not None and not _EMAIL.fullmatch(contact.email):
        problems.append("reporter.email is not an e-mail address")
    if notice.reporter_type is ReporterType.HOTLINE and (notice.hotline or "").upper() not in HOTLINES:
        missing.append(f"hotline (one of {', '.join(HOTLINES)})")
    if notice.reporter_type is ReporterType.AUTHORISED_REPRESENTATIVE and not notice.on_behalf_of:
        missing.append("on_behalf_of")
    if notice.regime is Regime.TAKE_IT_DOWN:
        _take_it_down(notice, missing, problems)
    elif notice.regime is Regime.DSA:
        _dsa(notice, missing, problems)
    if missing or problems:
        raise NoticeInvalid(missing, problems)


def _check_item(i: int, item: ContentRef, regime: Regime | None, missing: list[str], problems: list[str]) -> None:
    if not (item.platform_id or item.url or item.hashes()):
        *names, last = ["platform_id", "url", *(k.signal_type.value for k in hash_kinds())]
        missing.append(f"items[{i}]: {', '.join(names)} or {last}")
    extra = item.model_extra or {}
    for kind in hash_kinds():
        value = extra.get(name := kind.signal_type.value)
        if value is None:
            continue
        try:
            kind.normalise(value, f"items[{i}].{name}")
        except ImportFormatError:
            problems.append(f"items[{i}].{name} must be {kind.hex_length} hex characters")
    if item.url is not None and not item.url.lower().startswith(("http://", "https://")):
        problems.append(f"items[{i}].url must be an http(s) URL")
    if regime is Regime.DSA and not (item.platform_id or item.url):
        # Art. 16(2)(b): the exact electronic location; a hash alone does not locate it.
        missing.append(f"items[{i}]: url or platform_id (DSA Art. 16(2)(b) exact location)")


def _take_it_down(notice: Notice, missing: list[str], problems: list[str]) -> None:
    if notice.reporter_type not in (ReporterType.VICTIM, ReporterType.AUTHORISED_REPRESENTATIVE, None):
        problems.append("a TAKE IT DOWN request comes from the depicted person or someone authorised to act for them")
    if notice.category is not None and notice.category not in INTIMATE:
        problems.append("a TAKE IT DOWN request concerns an intimate visual depiction")
    if not (notice.signature or "").strip():
        missing.append("signature")
    if notice.good_faith_statement is not True:
        missing.append("good_faith_statement (must be true)")
    c = notice.reporter
    if not (c.email or c.phone or c.postal_address):
        missing.append("reporter contact (email, phone or postal_address)")


def _dsa(notice: Notice, missing: list[str], problems: list[str]) -> None:
    if not (notice.explanation or "").strip():
        missing.append("explanation (DSA Art. 16(2)(a))")
    if notice.accuracy_statement is not True:
        missing.append("accuracy_statement (DSA Art. 16(2)(d), must be true)")
    # Art. 16(2)(c): name and e-mail, except for child sexual abuse offences.
    if notice.category is not Category.CHILD_SEXUAL_ABUSE:
        if not notice.reporter.name:
            missing.append("reporter.name (DSA Art. 16(2)(c))")
        if not notice.reporter.email:
            missing.append("reporter.email (DSA Art. 16(2)(c))")
