"""The hash-type registry: each type validates, computes, compares and says how it is indexed."""

from __future__ import annotations

import hashlib

import pytest

from genguard.banks.errors import ImportFormatError
from genguard.banks.signal_types import HashKind, SignalType, kind_of, kinds, register
from genguard.config import MediaLimits
from genguard.detectors.hashes import PdqHashDetector
from genguard.media.decode import decode_image
from tests.banks.conftest import CAT


def test_every_stored_name_has_one_kind_and_keeps_its_spelling() -> None:
    # These strings are in bank_entries.signal_type and in list files: they never change.
    assert [k.signal_type.value for k in kinds()] == ["pdq", "md5", "sha256"]
    assert {k.signal_type for k in kinds()} == set(SignalType)
    assert kind_of("pdq") is kind_of(SignalType.PDQ)
    assert [k.signal_type for k in kinds("nearest")] == [SignalType.PDQ]
    assert [k.signal_type for k in kinds("exact")] == [SignalType.MD5, SignalType.SHA256]


@pytest.mark.parametrize(("name", "length"), [("pdq", 64), ("md5", 32), ("sha256", 64)])
def test_values_are_normalised_to_lowercase_hex(name: str, length: int) -> None:
    assert kind_of(name).normalise(" " + "AB" * (length // 2) + "\n", "row 1") == "ab" * (length // 2)


@pytest.mark.parametrize("raw", ["ab" * 15, "ab" * 17, "zz" * 16, "ab" * 15 + "a-"])
def test_a_value_of_the_wrong_shape_is_refused_with_where(raw: str) -> None:
    with pytest.raises(ImportFormatError, match="row 7: md5 value must be 32 hex characters"):
        kind_of("md5").normalise(raw, "row 7")


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError):
        kind_of("sha1")


def test_computed_values_are_the_hash_detectors() -> None:
    data = CAT.read_bytes()
    image = decode_image(data, limits=MediaLimits())
    signal = PdqHashDetector().detect(image)
    assert kind_of("pdq").compute(image) == signal.pdq
    assert kind_of("md5").compute(image) == hashlib.md5(data).hexdigest() == signal.md5
    assert kind_of("sha256").compute(image) == hashlib.sha256(data).hexdigest() == signal.sha256


def test_distances() -> None:
    pdq = kind_of("pdq")
    a = "f" * 64
    assert pdq.distance(a, a) == 0
    assert pdq.distance(a, "0" + "f" * 63) == 4
    md5 = kind_of("md5")
    assert md5.distance("a" * 32, "a" * 32) == 0
    assert md5.distance("a" * 32, "b" * 32) == 128


def test_a_type_registers_once() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(kind_of("md5"))
    assert isinstance(kind_of("md5"), HashKind)
