"""Roles an API key can carry. Every layer that checks permissions imports this one enum."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a key may do. Values are stored in the database, so they never change spelling."""

    #: Manages keys, policy and configuration.
    ADMIN = "admin"
    #: A generative or hosting service that submits screening requests.
    SERVICE = "service"
    #: A human moderator who works cases and review queues.
    REVIEWER = "reviewer"
    #: Reads the audit trail and transparency data, changes nothing.
    AUDITOR = "auditor"
