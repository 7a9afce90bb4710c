"""One unit of scan work and the modes a scan runs in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    """What a scan does with each item.

    ``screen``: request lines go through ``Guard``; image files are screened as uploads.
    ``match``: images and videos are hashed (PDQ, MD5, SHA-256) and looked up in the banks.
    ``both``: each image file is screened as an upload and its hashes reported with its matches.
    """

    SCREEN = "screen"
    MATCH = "match"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class ScanItem:
    """An item as read from the source, before any work on it.

    ``seq`` is its position in the source (0-based): the output is written in ``seq`` order, so
    the records already committed are exactly the first ``n`` items and a resumed scan skips them.
    ``id`` is the item's own id (a request's ``id``, or a file's path relative to the scanned
    folder) and keys the record. Exactly one of ``request`` (a request line's fields), ``path``
    (a media file) or ``error`` (why the source entry could not be read: code, message) is set.
    """

    seq: int
    id: str | None
    request: dict[str, Any] | None = None
    path: str | None = None
    error: tuple[str, str] | None = None

    @property
    def light(self) -> bool:
        """A request line without images, or an unreadable entry: cheap, batched many to a call."""
        if self.error is not None:
            return True
        return self.request is not None and not self.request.get("sources") and not self.request.get("output")
