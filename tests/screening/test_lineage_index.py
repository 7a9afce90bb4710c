"""The lineage index folds what it syncs into its tables, so a lookup never scans every output."""

from __future__ import annotations

import time

import numpy as np

from genguard.banks.index.codes import pdq_hex
from genguard.banks.index.mih import MultiIndexHashIndex
from genguard.screening.lineage import Lineage
from genguard.screening.tables import LineageNodeRow


def test_rows_synced_past_the_delta_limit_are_compacted_and_still_found(store) -> None:
    rng = np.random.default_rng(31)
    codes = rng.integers(0, 256, (12, 2, 32), dtype=np.uint8)
    with store.transaction() as session:
        for node in codes:
            session.add(LineageNodeRow(depth=0, sha256="0" * 64, pdq=[pdq_hex(c) for c in node],
                                       width=64, height=64, faces=[], regions=[]))
    index = MultiIndexHashIndex(delta_limit=5)
    lineage = Lineage(store, index=index)
    lineage.sync()
    deadline = time.monotonic() + 30
    while index.delta_size and time.monotonic() < deadline:
        time.sleep(0.01)
    assert index.delta_size == 0 and len(index) == 24
    with store.transaction() as session:
        ids = [row.id for row in session.query(LineageNodeRow).order_by(LineageNodeRow.id)]
    near = codes[7, 1].copy()
    near[0] ^= 0b111
    assert lineage.find(pdq_hex(near)) == (ids[7], 3)
