"""The likeness registry: a person registers reference photos, genguard keeps only face embeddings.

Registration decodes each photo under the media limits, finds exactly one face in it, keeps that
face's 128-d identity embedding and drops the photo: pixels are never written anywhere (the
API answer says so). Each person carries a consent record (who consented, as ``self`` or
``guardian``, the statement they agreed to, when). Erasure deletes the person and every embedding
at once; the audit trail keeps only that a registration or erasure happened, never embeddings.

Matching is brute force over an in-memory matrix (numpy, one row per embedding): a registry of
this kind holds thousands, not millions, and the matrix is rebuilt whenever the table changed
(checked by count and highest id per lookup, so every worker sees a registration or erasure at
its next request).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
import builtins
from typing import Final, Literal

import numpy as np
from sqlalchemy import func, select

from genguard.audit.chain import AuditLog
from genguard.config import Settings
from genguard.detectors.base import FaceDetector
from genguard.errors import GenguardError, NotFound
from genguard.media.decode import decode_image
from genguard.signals import Face, LikenessMatch, ImageRole
from genguard.store.db import Store
from genguard.likeness.tables import LikenessEmbeddingRow, LikenessPersonRow
from genguard.store.base import utcnow

RegisteredBy = Literal["self", "guardian"]
#: Reference photos per registration: enough angles, bounded work per request.
MAX_PHOTOS: Final = 10


class LikenessError(GenguardError):
    code = "likeness_invalid"
    status = 422


@dataclass(frozen=True, slots=True)
class Person:
    """A registered person as the API shows them: the consent record, never the embeddings."""

    id: int
    label: str
    registered_by: str
    consent_name: str
    consent_statement: str
    consented_at: datetime
    created_at: datetime
    embeddings: int

    def public(self) -> dict[str, object]:
        return {
            "id": self.id, "label": self.label, "embeddings": self.embeddings,
            "consent": {"registered_by": self.registered_by, "name": self.consent_name,
                        "statement": self.consent_statement, "consented_at": self.consented_at.isoformat()},
            "created_at": self.created_at.isoformat(),
        }


class LikenessRegistry:
    """Register, look up, erase and match protected likenesses in one store."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.audit = AuditLog(store)
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        #: (embeddings, owner person ids, owner registered by a guardian), swapped as one tuple.
        self._state = (np.empty((0, 128), dtype=np.float32), np.empty(0, dtype=np.int64), np.empty(0, dtype=bool))

    # -- registration and erasure -------------------------------------------------------------

    def embeddings_of(self, photos: Sequence[bytes], faces: FaceDetector) -> list[list[float]]:
        """One embedding per photo; a photo with no face or several faces is refused by index."""
        if not photos:
            raise LikenessError("at least one reference photo is required", code="likeness_photo_required")
        if len(photos) > MAX_PHOTOS:
            raise LikenessError(f"at most {MAX_PHOTOS} reference photos", code="likeness_too_many_photos")
        out: list[list[float]] = []
        for i, data in enumerate(photos):
            found = faces.detect(decode_image(data, limits=self.settings.media)).faces
            if len(found) != 1 or found[0].embedding is None:
                raise LikenessError(
                    f"reference photo #{i} shows {len(found)} faces; it must show exactly one",
                    code="likeness_no_face" if not found else "likeness_many_faces",
                )
            out.append(found[0].embedding)
        return out

    def register(
        self,
        *,
        label: str,
        registered_by: RegisteredBy,
        consent_name: str,
        consent_statement: str,
        embeddings: Sequence[Sequence[float]],
        actor: str,
    ) -> Person:
        """Store the consent record and the embeddings (the photos were never kept)."""
        for name, value, limit in (("label", label, 200), ("consent_name", consent_name, 200),
                                   ("consent_statement", consent_statement, 4000)):
            if not value.strip() or len(value) > limit:
                raise LikenessError(f"{name} must be 1-{limit} characters", code="likeness_consent_invalid")
        if registered_by not in ("self", "guardian"):
            raise LikenessError("registered_by must be 'self' or 'guardian'", code="likeness_consent_invalid")
        if not embeddings or any(len(e) != 128 for e in embeddings):
            raise LikenessError("each embedding must have 128 values", code="likeness_embedding_invalid")
        with self.store.transaction(write_lock=True) as session:
            row = LikenessPersonRow(label=label, registered_by=registered_by, consent_name=consent_name,
                                    consent_statement=consent_statement, consented_at=utcnow(), actor=actor)
            session.add(row)
            session.flush()
            session.add_all(LikenessEmbeddingRow(person_id=row.id, embedding=[float(v) for v in e])
                            for e in embeddings)
            person_id = row.id
            self.audit.append("likeness.registered", {"person_id": person_id, "registered_by": registered_by,
                                                      "embeddings": len(embeddings), "photos_kept": 0},
                              actor=actor, subject=f"likeness:{person_id}", session=session)
        return self.get(person_id)

    def get(self, person_id: int) -> Person:
        with self.store.transaction() as session:
            row = session.get(LikenessPersonRow, person_id)
            if row is None:
                raise NotFound(f"no registered person {person_id}", code="likeness_not_found")
            count = session.execute(select(func.count()).where(LikenessEmbeddingRow.person_id == person_id)).scalar_one()
            return _person(row, count)

    def list(self) -> list[Person]:
        with self.store.transaction() as session:
            counts = dict(session.execute(
                select(LikenessEmbeddingRow.person_id, func.count()).group_by(LikenessEmbeddingRow.person_id)
            ).all())
            rows = session.execute(select(LikenessPersonRow).order_by(LikenessPersonRow.id)).scalars().all()
            return [_person(r, counts.get(r.id, 0)) for r in rows]

    def erase(self, person_id: int, *, actor: str) -> int:
        """Delete the person and all their embeddings; returns how many embeddings went."""
        with self.store.transaction(write_lock=True) as session:
            row = session.get(LikenessPersonRow, person_id)
            if row is None:
                raise NotFound(f"no registered person {person_id}", code="likeness_not_found")
            embeddings = session.execute(
                select(LikenessEmbeddingRow).where(LikenessEmbeddingRow.person_id == person_id)
            ).scalars().all()
            for embedding in embeddings:
                session.delete(embedding)
            session.delete(row)
            self.audit.append("likeness.erased", {"person_id": person_id, "embeddings_deleted": len(embeddings)},
                              actor=actor, subject=f"likeness:{person_id}", session=session)
        return len(embeddings)

    # -- matching ------------------------------------------------------------------------------

    def _refresh(self) -> int:
        """Reload the matrix if the table changed since the last call; returns people registered."""
        with self.store.transaction() as session:
            count, top = session.execute(
                select(func.count(), func.coalesce(func.max(LikenessEmbeddingRow.id), 0))
            ).one()
            if (count, top) != self._version:
                rows = session.execute(
                    select(LikenessEmbeddingRow.person_id, LikenessEmbeddingRow.embedding,
                           LikenessPersonRow.registered_by)
                    .join(LikenessPersonRow, LikenessPersonRow.id == LikenessEmbeddingRow.person_id)
                ).all()
                with self._lock:
                    self._state = (
                        np.asarray([e for _, e, _ in rows], dtype=np.float32).reshape(-1, 128),
                        np.asarray([p for p, _, _ in rows], dtype=np.int64),
                        np.asarray([by == "guardian" for _, _, by in rows], dtype=bool),
                    )
                    self._version = (count, top)
        return len(np.unique(self._state[1]))

    def match(self, faces: Sequence[tuple[ImageRole, int, int, Face]], threshold: float,
              ) -> tuple[builtins.list[LikenessMatch], int]:  # builtins: this class has a list()
        """Registry matches of ``(role, image index, face index, face)``: one per face, nearest person."""
        registered = self._refresh()
        matrix, owners, guardian = self._state
        matches: list[LikenessMatch] = []
        if not len(owners):
            return matches, registered
        for role, index, k, face in faces:
            if face.embedding is None:
                continue
            distances = np.linalg.norm(matrix - np.asarray(face.embedding, dtype=np.float32), axis=1)
            best = int(np.argmin(distances))
            if distances[best] <= threshold:
                matches.append(LikenessMatch(person_id=int(owners[best]), role=role, index=index, face=k,
                                             distance=round(float(distances[best]), 4),
                                             guardian=bool(guardian[best])))
        return matches, registered


def _person(row: LikenessPersonRow, embeddings: int) -> Person:
    return Person(id=row.id, label=row.label, registered_by=row.registered_by, consent_name=row.consent_name,
                  consent_statement=row.consent_statement, consented_at=row.consented_at,
                  created_at=row.created_at, embeddings=embeddings)
