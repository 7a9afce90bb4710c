"""Bounded integer parameters: ids and offsets the database can hold, or a 422.

An id or offset past the column's range used to reach the driver and come back as a 500
(2^63 on SQLite, 2^31 on PostgreSQL's INTEGER). The bound is the narrower backend's, so both
answer the same documented 422 ``request_invalid``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: The largest PostgreSQL INTEGER: every id column's range on both backends.
MAX_DB_INT = 2**31 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="a row id")]
Offset = Annotated[int, Query(ge=0, le=MAX_DB_INT, description="rows to skip")]
