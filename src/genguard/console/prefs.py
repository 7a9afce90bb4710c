"""Known debt: ``console.review`` (rewritten with the case pages) still imports the console
settings from here; they live in :mod:`genguard.auth.prefs`. Delete this module once review
imports ``Prefs`` from there and reaches the store through ``genguard.api.services.prefs``."""

from genguard.auth.prefs import Prefs, PrefStore

__all__ = ["PrefStore", "Prefs"]
