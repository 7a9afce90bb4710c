"""The whole schema: every domain's tables, imported in one place for Alembic and tests.

A domain owns its tables (``<domain>/tables.py``) and only its own code imports them; this module
is the one place that sees them all, because a migration (``store/migrations/env.py``), the
revision tool and the schema test compare the *complete* metadata with the database. Code that
works with rows never needs it: a table that references another domain's table imports that module
(see ``escalations/tables.py``), so a session always knows every foreign key it flushes.

A new domain's ``tables`` module is added to the imports and to ``DOMAINS`` below (a test checks).
"""

from __future__ import annotations

from genguard.audit import tables as audit
from genguard.auth import tables as auth
from genguard.banks import tables as banks
from genguard.cases import tables as cases
from genguard.escalations import tables as escalations
from genguard.likeness import tables as likeness
from genguard.screening import tables as screening
from genguard.store.base import Base

#: Every domain's ``tables`` module, in the order of the imports above.
DOMAINS = (audit, auth, banks, cases, escalations, likeness, screening)

#: The complete schema as the table classes describe it.
metadata = Base.metadata
