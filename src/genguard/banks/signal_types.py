"""Hash types as a small open registry: each knows its name, its value's shape, how to compute it
from an image, how to compare two values, how the banks index it and how list formats spell it.

Modelled on python-threatexchange's ``SignalType``. Nothing outside this module names the set of
types; everything asks the registry (:func:`kind_of`, :func:`kinds`, :func:`by_label`):

* bank matching: :class:`~genguard.banks.matching.HashQuery` is one mapping signal type ->
  (variant, value) pairs, with a quality per nearest type (gated by :attr:`HashKind.min_quality`);
* exact lookups: ``bank_entries (signal_type, value)``; retro-scans: ``seen_hashes``, one row per
  exact value of a seen item, indexed on ``(signal_type, value)``;
* list formats: column labels from :attr:`HashKind.labels` (NCMEC XML and StopNCII JSON carry
  only the types labelled for them and refuse to export others);
* request bodies (a notice item, ``/v1/banks/lookup``): a field per registered type, read by
  :func:`hash_fields` and checked by :meth:`HashKind.normalise`;
* case content: ``cases.hashes``, a JSON object by type.

Adding an **exact** type (a digest of the bytes, a video hash matched by equality) is therefore
one :class:`HashKind` registered with :func:`register` (here, or in a module of its own that
registers itself on import) plus its tests; ``tests/cases/test_fourth_signal_type.py`` does it
from a fixture. A **nearest** type also needs an index and seen-content storage, which today are
PDQ's own (``banks.live`` / ``banks.index``, ``seen_content.pdq*``). Screening computes every
registered exact type from each image (``banks.hashing.with_exact``: :meth:`HashKind.compute`,
checked by :meth:`HashKind.normalise`, into ``signals.HashSignal.exact``), so a screened image
matches an entry of any exact type and its seen content keeps every exact value; a video carries
MD5 and SHA-256 only.

Signal type names are what the database stores (``bank_entries.signal_type``,
``seen_hashes.signal_type``, the keys of ``cases.hashes``) and what list files carry: they never
change spelling once registered, and values are at most :data:`MAX_HEX_LENGTH` hex characters
(the width of the value columns).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from genguard.banks.errors import ImportFormatError
from genguard.banks.model import MIN_PDQ_QUALITY
from genguard.detectors.hashes import hamming, pdq
from genguard.media.image import DecodedImage

_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")


class _Registered(type):
    """Iterating :class:`SignalType` lists the registered names, in registration order."""

    def __iter__(cls) -> Iterator[SignalType]:
        return iter([k.signal_type for k in _REGISTRY.values()])

    def __len__(cls) -> int:
        return len(_REGISTRY)


class SignalType(str, metaclass=_Registered):
    """The stored name of a registered hash type: a ``str`` whose only instances are the names
    in the registry, so ``SignalType("pdq") is SignalType.PDQ`` and an unknown name is a
    ``ValueError`` (as an enum's was). ``value`` is the name, for code written against the enum."""

    __slots__ = ()

    PDQ: ClassVar[SignalType]
    MD5: ClassVar[SignalType]
    SHA256: ClassVar[SignalType]

    def __new__(cls, name: object) -> SignalType:
        kind = _REGISTRY.get(str(name)) if isinstance(name, str) else None
        if kind is None:
            raise ValueError(f"{name!r} is not a registered signal type")
        return kind.signal_type

    @classmethod
    def define(cls, name: str) -> SignalType:
        """A new name for :class:`HashKind.signal_type` (registering the kind makes it valid)."""
        if not _NAME.fullmatch(name):
            raise ValueError(f"signal type name {name!r} must be lowercase letters, digits, _ (at most 16)")
        return str.__new__(cls, name)

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"SignalType({self.value!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (SignalType, (self.value,))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Pydantic reads a registered name (the JSON schema lists them) and writes it back."""
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(
            _pydantic_check, core_schema.str_schema(), serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return {"type": "string", "enum": [t.value for t in SignalType]}


def _pydantic_check(name: str) -> SignalType:
    try:
        return SignalType(name)
    except ValueError:
        raise ValueError(f"Input should be one of {', '.join(repr(t.value) for t in SignalType)}") from None


_HEX = re.compile(r"[0-9a-f]*")


class HashKind(ABC):
    """How one hash type behaves. Instances are registered with :func:`register`."""

    signal_type: SignalType
    #: Length of a value in hex characters.
    hex_length: int
    #: How the banks find entries of this type: ``exact`` by value (the database's index on
    #: ``(signal_type, value)``), ``nearest`` by distance through the live in-memory index.
    index: ClassVar[Literal["exact", "nearest"]]
    #: A ``nearest`` type's values under this quality (0-100) are too featureless to match on;
    #: None: values carry no quality.
    min_quality: ClassVar[int | None] = None
    #: How a list format or API spells this type where it is not the stored name, by format
    #: (``tcap-csv``, ``stopncii-json``, ``ncmec-xml``, ``hma``). NCMEC and StopNCII carry only
    #: the types they have a spelling for; the CSV formats and the HMA API fall back to the name
    #: (TCAP in capitals).
    labels: Mapping[str, str] = MappingProxyType({})

    def normalise(self, raw: str, where: str) -> str:
        """Lowercase hex of the right length, or :class:`ImportFormatError` naming ``where``."""
        value = raw.strip().lower()
        if len(value) != self.hex_length or not _HEX.fullmatch(value):
            raise ImportFormatError(f"{where}: {self.signal_type.value} value must be {self.hex_length} hex characters")
        return value

    def label(self, fmt: str) -> str | None:
        """This type's spelling in list format ``fmt``, or None where the format has none."""
        return self.labels.get(fmt)

    @abstractmethod
    def compute(self, image: DecodedImage) -> str:
        """This type's value for a decoded image (its first frame, or its raw bytes)."""

    def distance(self, a: str, b: str) -> int:
        """How far apart two normalised values are: 0 is the same item. Exact types are 0 or
        their full bit length; a ``nearest`` type overrides this with its own metric."""
        return 0 if a == b else self.hex_length * 4

    def gated(self, quality: int | None) -> bool:
        """True when a value of this ``quality`` is under the bar and must not be matched."""
        return self.min_quality is not None and quality is not None and quality < self.min_quality


class PdqKind(HashKind):
    """Meta's PDQ perceptual hash: 256 bits, matched within a bank's Hamming threshold."""

    index = "nearest"
    min_quality = MIN_PDQ_QUALITY
    hex_length = 64

    def __init__(self) -> None:
        self.signal_type = SignalType.define("pdq")
        self.labels = MappingProxyType({"tcap-csv": "PDQ", "stopncii-json": "ImagePDQ", "ncmec-xml": "pdq"})

    def compute(self, image: DecodedImage) -> str:
        return pdq(image.rgb)[0]

    def distance(self, a: str, b: str) -> int:
        return hamming(a, b)


class DigestKind(HashKind):
    """A cryptographic digest of the bytes as received (what NCMEC and most industry lists carry):
    the same item or not, nothing in between. The decoder computes MD5 and SHA-256 while
    reading; another digest is computed by ``hashlib`` from ``compute``'s override."""

    index = "exact"

    def __init__(self, name: str, hex_length: int, labels: Mapping[str, str] | None = None) -> None:
        self.signal_type = SignalType.define(name)
        self.hex_length = hex_length
        self.labels = MappingProxyType(dict(labels or {}))

    def compute(self, image: DecodedImage) -> str:
        digest: str = getattr(image, self.signal_type.value)  # DecodedImage.md5 / .sha256
        return digest


_REGISTRY: dict[str, HashKind] = {}
#: The widest value the tables hold.
MAX_HEX_LENGTH = 64


def register(kind: HashKind) -> HashKind:
    """Add ``kind`` to the registry (one per signal type). Values are stored in 64-character
    columns (``bank_entries.value``, ``seen_hashes.value``): a longer type is refused."""
    if not 0 < kind.hex_length <= MAX_HEX_LENGTH:
        raise ValueError(f"signal type {kind.signal_type.value!r}: values of 1 to {MAX_HEX_LENGTH} hex characters")
    if kind.signal_type.value in _REGISTRY:
        raise ValueError(f"signal type {kind.signal_type.value!r} is already registered")
    _REGISTRY[kind.signal_type.value] = kind
    return kind


def unregister(signal_type: SignalType | str) -> None:
    """Remove a registered type (tests of a further type; the built-in ones stay)."""
    if str(signal_type) in _BUILT_IN:
        raise ValueError(f"signal type {str(signal_type)!r} is built in")
    del _REGISTRY[str(signal_type)]


for _kind in (PdqKind(),
              DigestKind("md5", 32, {"tcap-csv": "MD5", "stopncii-json": "VideoMD5", "ncmec-xml": "md5",
                                     "hma": "video_md5"}),
              DigestKind("sha256", 64, {"tcap-csv": "SHA-256"})):
    register(_kind)
    setattr(SignalType, _kind.signal_type.value.upper(), _kind.signal_type)
_BUILT_IN = frozenset(_REGISTRY)


def kind_of(signal_type: SignalType | str) -> HashKind:
    """The registered behaviour of ``signal_type`` (a stored name is accepted as it is)."""
    return _REGISTRY[SignalType(signal_type)]


def kinds(index: Literal["exact", "nearest"] | None = None) -> list[HashKind]:
    """Every registered kind, or those indexed the way ``index`` says, in registration order."""
    return [k for k in _REGISTRY.values() if index is None or k.index == index]


def hash_fields(data: Any, declared: Iterable[str], *, exact_length: bool = False,
                order: Iterable[HashKind] | None = None) -> Any:
    """A pydantic ``mode="before"`` model check for request bodies that take a field per
    registered type (a notice item, a lookup): keys outside ``declared`` must be registered
    types' names, their values strings no longer than (``exact_length``: as long as) the type's
    values; every registered type's key is filled in (None), as a declared field would be."""
    if not isinstance(data, dict):
        return data
    from pydantic_core import PydanticCustomError

    known = {k.signal_type.value: k for k in (kinds() if order is None else order)}
    fixed = set(declared)
    for key, value in data.items():
        if key in fixed:
            continue
        kind = known.get(key)
        if kind is None:
            raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted: {field}", {"field": key})
        if value is not None and not isinstance(value, str):
            raise PydanticCustomError("string_type", "{field}: input should be a valid string", {"field": key})
        if value is not None and len(value) > kind.hex_length:
            raise PydanticCustomError("string_too_long", "{field}: string should have at most {max_length} characters",
                                      {"field": key, "max_length": kind.hex_length})
        if exact_length and value is not None and len(value) < kind.hex_length:
            raise PydanticCustomError("string_too_short", "{field}: string should have at least {min_length} "
                                      "characters", {"field": key, "min_length": kind.hex_length})
    return {**dict.fromkeys(known), **data}


def hash_field_schema(schema: dict[str, Any], *, exact_length: bool = False,
                      order: Iterable[HashKind] | None = None) -> None:
    """The JSON schema of such a body: a property per registered type, nothing else added."""
    props = schema.setdefault("properties", {})
    for kind in kinds() if order is None else order:
        text: dict[str, Any] = {"type": "string", "maxLength": kind.hex_length}
        if exact_length:
            text["minLength"] = kind.hex_length
        props[kind.signal_type.value] = {"anyOf": [text, {"type": "null"}], "default": None,
                                         "title": kind.signal_type.value.title()}
    schema["additionalProperties"] = False


def by_label(fmt: str, raw: str) -> HashKind | None:
    """The kind ``raw`` names in format ``fmt``: its label there, or (case and hyphens aside)
    its stored name. None when no registered kind answers to it."""
    for kind in _REGISTRY.values():
        if kind.label(fmt) == raw:
            return kind
    return _REGISTRY.get(raw.strip().lower().replace("-", ""))
