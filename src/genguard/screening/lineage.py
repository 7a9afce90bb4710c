"""Lineage: edits chain, so an earlier output that comes back as a source is judged against the
photo the chain started from.

For every output that was allowed, genguard remembers its PDQ codes, faces (box, age, identity
embedding) and body regions, with the root source it descends from (the root is remembered the
same way the first time a chain starts). A later request whose source matches a remembered image
gets that image's *root* added to its sources, so the undress delta and Challenge 25 compare
against the original person and the original clothing, not only against the last small step;
the garment-reduction turns of the chain carry over to the new conversation.

Matching: PDQ moves by 34-102 bits under a 3-5 % crop (measured on the shared portraits, see
``docs/screening.md``), far beyond PDQ's usual 31-bit match radius. So each remembered image is
indexed under its own code *and* the codes of centre crops at 2.5, 5, 7.5 and 10 % per side; a
re-encoded, resized or centre-cropped copy (up to 10 %) then lands within 31 bits of one of
them. A crop from one side only is not covered (measured 46-78 bits at 5 %).

The index is the banks' exact multi-index hash table (:class:`MultiIndexHashIndex`, with the
brute-force oracle beside it); every worker tails ``lineage_nodes`` by id before a lookup, so an
output remembered by one worker is found by all.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from sqlalchemy import select

from genguard.banks.index.base import PDQIndex
from genguard.banks.index.codes import pdq_code, pdq_codes
from genguard.banks.index.mih import MultiIndexHashIndex
from genguard.detectors.hashes import pdq
from genguard.detectors.nudity import EXPOSED, MINIMAL_CLOTHING, SKIN
from genguard.media.image import DecodedImage
from genguard.signals import (
    Face,
    FacesSignal,
    ImageSignals,
    LineageLink,
    LineageSignal,
    NuditySignal,
    Region,
    ImageRole,
)
from genguard.store.db import Store
from genguard.screening.tables import LineageNodeRow

#: Fractions cut from every side for the extra indexed codes (0 = the image itself).
CROPS: Final = (0.0, 0.025, 0.05, 0.075, 0.10)
#: PDQ's customary match radius (ThreatExchange, HMA).
MATCH_RADIUS: Final = 31
#: Rows re-read behind the highest id seen, for ids committed out of order by other workers.
_RESYNC_WINDOW: Final = 256


def centre_crop(rgb: np.ndarray, fraction: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    dy, dx = int(h * fraction), int(w * fraction)
    return np.ascontiguousarray(rgb[dy : h - dy, dx : w - dx])


def crop_codes(rgb: np.ndarray, whole: str | None = None, crops: list[str] | None = None) -> list[str]:
    """PDQ (hex) of the image and of its centre crops (:data:`CROPS`).

    ``whole`` is the image's own PDQ when the hash detector already computed it (same array,
    same function), and ``crops`` the :func:`centre_crop_codes` computed beside the detectors;
    each saves hashing passes.
    """
    return [whole or pdq(rgb)[0], *(crops if crops is not None else centre_crop_codes(rgb))]


def centre_crop_codes(rgb: np.ndarray) -> list[str]:
    """PDQ (hex) of the centre crops of ``rgb`` (:data:`CROPS` after the first, the whole image)."""
    return [pdq(centre_crop(rgb, fraction))[0] for fraction in CROPS[1:]]


@dataclass(frozen=True)
class Node:
    """A remembered image, as screening needs it."""

    id: int
    root_id: int
    depth: int
    width: int
    height: int
    faces: list[Face]
    regions: list[Region]
    reduction_turns: int
    #: The image's SHA-256 and the audit record of the verdict that kept it (a soft binding
    #: leads back to these; see ``provenance/softbinding.py``).
    sha256: str
    audit_seq: int | None

    @classmethod
    def from_row(cls, row: LineageNodeRow) -> Node:
        return cls(
            id=row.id, root_id=row.root_id or row.id, depth=row.depth, width=row.width,
            height=row.height, faces=[Face.model_validate(f) for f in row.faces],
            regions=[Region.model_validate(r) for r in row.regions], reduction_turns=row.reduction_turns,
            sha256=row.sha256, audit_seq=row.audit_seq,
        )

    def as_source(self, index: int) -> ImageSignals:
        """This image as an extra source of a request (its stored faces and regions)."""

        def top(labels: frozenset[str]) -> float:
            return max((r.score for r in self.regions if r.label in labels), default=0.0)

        return ImageSignals(
            role=ImageRole.SOURCE, index=index, width=self.width, height=self.height, format="lineage_root",
            faces=FacesSignal(faces=self.faces, model="lineage"),
            nudity=NuditySignal(regions=self.regions, exposed=top(EXPOSED), minimal_clothing=top(MINIMAL_CLOTHING),
                                skin=top(SKIN), model="lineage"),
        )


class Lineage:
    """Remembered images of a store, searchable by PDQ."""

    def __init__(self, store: Store, index: PDQIndex | None = None) -> None:
        self.store = store
        self.index: PDQIndex = index if index is not None else MultiIndexHashIndex()
        self._lock = threading.Lock()
        self._last_id = 0
        self._recent: set[int] = set()

    def sync(self) -> None:
        """Index the rows other workers (or this one) added since the last call.

        Ids are assigned before commit, so a row can become visible after a higher id: the last
        :data:`_RESYNC_WINDOW` ids are re-listed (ids only) and any not yet indexed are added.
        """
        with self._lock, self.store.transaction() as session:
            floor = self._last_id - _RESYNC_WINDOW if self._last_id else -1
            ids = session.execute(
                select(LineageNodeRow.id).where(LineageNodeRow.id > floor)
            ).scalars().all()
            fresh = [i for i in ids if i not in self._recent]
            if fresh:
                query = select(LineageNodeRow.id, LineageNodeRow.pdq)
                if self._last_id:
                    query = query.where(LineageNodeRow.id.in_(fresh))
                rows = session.execute(query.where(LineageNodeRow.id > floor)).all()
                counts = [len(codes) for _, codes in rows]
                self.index.add(pdq_codes([c for _, codes in rows for c in codes]),
                               np.repeat([i for i, _ in rows], counts).astype(np.int64))
                if isinstance(self.index, MultiIndexHashIndex) and self.index.needs_compaction:
                    # A start-up's every row, or a long run of outputs: into the tables, off
                    # the request path (the delta is scanned in full until then).
                    self.index.compact_in_background()
                self._last_id = max(self._last_id, *fresh)
            self._recent = {i for i in ids if i > self._last_id - _RESYNC_WINDOW}

    def find(self, pdq_hex: str) -> tuple[int, int] | None:
        """The nearest remembered image within :data:`MATCH_RADIUS` bits: (node id, distance)."""
        self.sync()
        hits = self.index.search(pdq_code(pdq_hex), MATCH_RADIUS)
        if len(hits.ids) == 0:
            return None
        best = int(np.argmin(hits.distances))
        return int(hits.ids[best]), int(hits.distances[best])

    def node(self, node_id: int) -> Node:
        with self.store.transaction() as session:
            return Node.from_row(session.get_one(LineageNodeRow, node_id))

    def annotate(self, sources: Sequence[ImageSignals]) -> tuple[LineageSignal, list[ImageSignals]]:
        """Links for sources that are remembered images, and their roots as extra sources."""
        links: list[LineageLink] = []
        roots: list[ImageSignals] = []
        seen_roots: set[int] = set()
        for image in sources:
            found = self.find(image.hashes.pdq) if image.hashes else None
            if found is None:
                continue
            node = self.node(found[0])
            links.append(LineageLink(source_index=image.index, node_id=node.id, root_id=node.root_id,
                                     depth=node.depth, pdq_distance=found[1], reduction_turns=node.reduction_turns))
            if node.depth > 0 and node.root_id not in seen_roots:
                seen_roots.add(node.root_id)
                roots.append(self.node(node.root_id).as_source(len(sources) + len(roots)))
        return LineageSignal(links=links), roots

    def remember(
        self,
        output: tuple[DecodedImage, ImageSignals],
        source: tuple[DecodedImage, ImageSignals] | None,
        link: LineageLink | None,
        *,
        reduction_turns: int,
        audit_seq: int | None,
        crops: Mapping[str, list[str]] | None = None,
    ) -> int:
        """Remember an allowed output under its source's chain (starting one if need be).

        ``crops`` maps an image's SHA-256 to its :func:`centre_crop_codes`, when already known.
        """
        crops = crops or {}
        with self.store.transaction() as session:
            parent: LineageNodeRow | None = session.get(LineageNodeRow, link.node_id) if link else None
            if parent is None and source is not None:
                parent = _row(*source, parent=None, reduction_turns=0, audit_seq=audit_seq, crops=crops)
                session.add(parent)
                session.flush()
                parent.root_id = parent.id
            row = _row(*output, parent=parent, reduction_turns=reduction_turns, audit_seq=audit_seq, crops=crops)
            session.add(row)
            session.flush()
            if parent is None:
                row.root_id = row.id
            return row.id


def _row(
    image: DecodedImage, signals: ImageSignals, *, parent: LineageNodeRow | None, reduction_turns: int,
    audit_seq: int | None, crops: Mapping[str, list[str]],
) -> LineageNodeRow:
    return LineageNodeRow(
        root_id=parent.root_id if parent else None,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        sha256=image.sha256,
        pdq=crop_codes(image.rgb, signals.hashes.pdq if signals.hashes else None, crops.get(image.sha256)),
        width=image.width,
        height=image.height,
        faces=[f.model_dump(mode="json") for f in (signals.faces.faces if signals.faces else [])],
        regions=[r.model_dump(mode="json") for r in (signals.nudity.regions if signals.nudity else [])],
        reduction_turns=reduction_turns,
        audit_seq=audit_seq,
    )
