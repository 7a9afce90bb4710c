"""Roles an API key can carry: :class:`genguard.vocabulary.Role`, named here too.

The enum moved to :mod:`genguard.vocabulary` (the store needs it, and ``store`` must not import
``auth``). This name stays only while the phase-1 branches that still import it are merged;
new code imports ``genguard.vocabulary``. Remove it in phase 2 (docs/architecture.md).
"""

from __future__ import annotations

from genguard.vocabulary import Role

__all__ = ["Role"]
