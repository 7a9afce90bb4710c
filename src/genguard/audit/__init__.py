"""The tamper-evident audit trail: a hash-chained log and its verification."""

from genguard.audit.chain import AuditLog, AuditPayloadError, AuditRecord, Head
from genguard.audit.verify import Finding, Tamper, VerifyReport, verify

__all__ = ["AuditLog", "AuditPayloadError", "AuditRecord", "Finding", "Head", "Tamper", "VerifyReport", "verify"]
