"""Shared vocabulary: the enums several domains store or check, in the lowest layer.

They live here, not in the package that first needed them, so that the store, the API, cases,
compliance and the console can all use them without importing each other (the store's tables
once imported ``Role`` from ``auth``, and ``auth`` imports the store: a cycle). Values are
written to the database and into reports, so their spelling never changes.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an API key may do."""

    #: Manages keys, policy and configuration.
    ADMIN = "admin"
    #: A generative or hosting service that submits screening requests.
    SERVICE = "service"
    #: A human moderator who works cases and review queues.
    REVIEWER = "reviewer"
    #: Reads the audit trail and transparency data, changes nothing.
    AUDITOR = "auditor"


class Regime(StrEnum):
    """The law a notice is filed under; it sets the case's clock."""

    #: US TAKE IT DOWN Act: removal within 48 hours of a valid request.
    TAKE_IT_DOWN = "take_it_down"
    #: UK Online Safety Act complaint (illegal content duties).
    UK_OSA = "uk_osa"
    #: EU Digital Services Act Art. 16 notice and action.
    DSA = "dsa"


class Category(StrEnum):
    """What a reported item is alleged to be; child sexual abuse always takes the strictest path."""

    CHILD_SEXUAL_ABUSE = "child_sexual_abuse"
    INTIMATE_IMAGE_ABUSE = "intimate_image_abuse"
    AI_GENERATED_INTIMATE_IMAGE = "ai_generated_intimate_image"
    OTHER = "other"
