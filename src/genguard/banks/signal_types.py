"""Hash types as a small open registry: each knows its name, its value's shape, how to compute it
from an image, how to compare two values and how the banks index it.

Modelled on python-threatexchange's ``SignalType``: the bank code asks the registry
(:func:`kind_of`, :func:`kinds`) instead of naming PDQ, MD5 or SHA-256, so adding a type is one
enum member and one :class:`HashKind` subclass here, plus its tests. What still names the three
types (the seen-content columns, :class:`~genguard.banks.matching.HashQuery`'s fields, the list
formats' column labels) is listed in docs/architecture.md as phase-2 work.

The enum values are what the database stores in ``bank_entries.signal_type`` and what list
files carry: they never change spelling.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from enum import StrEnum
from typing import ClassVar, Literal

from genguard.banks.errors import ImportFormatError
from genguard.detectors.hashes import hamming, pdq
from genguard.media.image import DecodedImage


class SignalType(StrEnum):
    """The stored name of each registered hash type."""

    PDQ = "pdq"
    MD5 = "md5"
    SHA256 = "sha256"


_HEX = re.compile(r"[0-9a-f]*")


class HashKind(ABC):
    """How one hash type behaves. Subclasses are registered with :func:`register`."""

    signal_type: SignalType
    #: Length of a value in hex characters.
    hex_length: int
    #: How the banks find entries of this type: ``exact`` by value (the database's index on
    #: ``(signal_type, value)``), ``nearest`` by distance through the live in-memory index.
    index: ClassVar[Literal["exact", "nearest"]]

    def normalise(self, raw: str, where: str) -> str:
        """Lowercase hex of the right length, or :class:`ImportFormatError` naming ``where``."""
        value = raw.strip().lower()
        if len(value) != self.hex_length or not _HEX.fullmatch(value):
            raise ImportFormatError(
                f"{where}: {self.signal_type.value} value must be {self.hex_length} hex characters"
            )
        return value

    @abstractmethod
    def compute(self, image: DecodedImage) -> str:
        """This type's value for a decoded image (its first frame, or its raw bytes)."""

    def distance(self, a: str, b: str) -> int:
        """How far apart two normalised values are: 0 is the same item. Exact types are 0 or
        their full bit length; a ``nearest`` type overrides this with its own metric."""
        return 0 if a == b else self.hex_length * 4


class PdqKind(HashKind):
    """Meta's PDQ perceptual hash: 256 bits, matched within a bank's Hamming threshold."""

    signal_type = SignalType.PDQ
    hex_length = 64
    index = "nearest"

    def compute(self, image: DecodedImage) -> str:
        return pdq(image.rgb)[0]

    def distance(self, a: str, b: str) -> int:
        return hamming(a, b)


class DigestKind(HashKind):
    """A cryptographic digest of the bytes as received (what NCMEC and most industry lists carry):
    the same item or not, nothing in between. The decoder computes both digests while reading."""

    index = "exact"

    def __init__(self, signal_type: SignalType, hex_length: int) -> None:
        self.signal_type = signal_type
        self.hex_length = hex_length

    def compute(self, image: DecodedImage) -> str:
        digest: str = getattr(image, self.signal_type.value)  # DecodedImage.md5 / .sha256
        return digest


_REGISTRY: dict[SignalType, HashKind] = {}


def register(kind: HashKind) -> HashKind:
    """Add ``kind`` to the registry (one per signal type)."""
    if kind.signal_type in _REGISTRY:
        raise ValueError(f"signal type {kind.signal_type.value!r} is already registered")
    _REGISTRY[kind.signal_type] = kind
    return kind


for _kind in (PdqKind(), DigestKind(SignalType.MD5, 32), DigestKind(SignalType.SHA256, 64)):
    register(_kind)


def kind_of(signal_type: SignalType | str) -> HashKind:
    """The registered behaviour of ``signal_type`` (a stored name is accepted as it is)."""
    return _REGISTRY[SignalType(signal_type)]


def kinds(index: Literal["exact", "nearest"] | None = None) -> list[HashKind]:
    """Every registered kind, or those indexed the way ``index`` says, in registration order."""
    return [k for k in _REGISTRY.values() if index is None or k.index == index]
