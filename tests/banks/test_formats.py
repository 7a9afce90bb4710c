"""Every list format round-trips, and hostile input is refused with a clear, coded error."""

from __future__ import annotations

import pytest

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats import (
    TCAP,
    THREATEXCHANGE,
    EntryStatus,
    HashRecord,
    SignalType,
    read_csv,
    read_json,
    read_xml,
    write_csv,
    write_json,
    write_xml,
)

RECORDS = [
    HashRecord(SignalType.PDQ, "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", "c-1", tags=("nci", "sev1"), note="from, takedown"),
    HashRecord(SignalType.MD5, "d41d8cd98f00b204e9800998ecf8427e", "c-2", EntryStatus.WITHDRAWN),
    HashRecord(SignalType.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "c-3"),
]


def _plain(records: list[HashRecord]) -> list[tuple]:
    return [(r.signal_type, r.value, r.external_id, r.status) for r in records]


@pytest.mark.parametrize("layout", [THREATEXCHANGE, TCAP])
def test_csv_round_trips(layout) -> None:
    assert read_csv(write_csv(RECORDS, layout), layout) == RECORDS


def test_stopncii_json_round_trips_with_withdrawn_status() -> None:
    text = write_json([*RECORDS[:2]])
    assert '"Withdrawn"' in text
    assert _plain(read_json(text)) == _plain(RECORDS[:2])
    assert read_json(text)[1].status is EntryStatus.WITHDRAWN


def test_ncmec_xml_round_trips() -> None:
    assert _plain(read_xml(write_xml(RECORDS))) == _plain(RECORDS)


def test_formats_accept_what_other_tools_write() -> None:
    tcap = "hash_type,hash,tcap_id\nSHA-256,%s,t9\n" % RECORDS[2].value.upper()
    assert read_csv(tcap, TCAP)[0].value == RECORDS[2].value


@pytest.mark.parametrize(
    ("load", "message"),
    [
        (lambda: read_csv("signal_type,signal_value\npdq,zz\n", THREATEXCHANGE), "line 2: pdq value must be 64"),
        (lambda: read_csv("signal_type,signal_value\nmd5,%s\n" % ("0" * 31), THREATEXCHANGE), "32 hex"),
        (lambda: read_csv("signal_type,signal_value\nphotodna,00\n", THREATEXCHANGE), "unknown hash type"),
        (lambda: read_csv("a,b\n1,2\n", THREATEXCHANGE), "lacks column"),
        (lambda: read_json("[1]"), '"hashes" list'),
        (lambda: read_json("{"), "not valid JSON"),
        (lambda: read_json('{"hashes":[{"hashType":"MD5","hashValue":"xyz"}]}'), "hashes\\[0\\]"),
        (lambda: read_json('{"hashes":[{"hashType":"MD5","hashValue":"%s","status":"gone"}]}' % ("0" * 32)), "unknown status"),
        (lambda: read_xml(b"<hashList><hash type='MD5'>00</hash></hashList>"), "32 hex"),
        (lambda: read_xml(b"<hashList><hash"), "not well-formed"),
        (lambda: read_xml(b"<other/>"), "root must be"),
    ],
)
def test_bad_input_is_refused(load, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message) as info:
        load()
    assert info.value.code == "import_invalid"


def test_xml_entity_bomb_and_external_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "&lol%d;&lol%d;">' % (i, i - 1, i - 1) for i in range(1, 10))
        + b"]><hashList>&lol9;</hashList>"
    )
    external = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><hashList>&e;</hashList>'
    with pytest.raises(ImportFormatError, match="not well-formed"):  # XML spells it DOCTYPE only
        read_xml(b"<!doctype hashList><hashList/>")
    for doc in (bomb, external):
        with pytest.raises(ImportFormatError, match="DOCTYPE or ENTITY"):
            read_xml(doc)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_dtd_in_any_encoding_is_refused(encoding: str) -> None:
    # Without a byte-order mark (-le, -be) or in UTF-32 expat cannot read the text at all: refused
    # as unreadable, never expanded.
    match = "DOCTYPE or ENTITY" if encoding == "utf-16" else "not well-formed|unreadable XML encoding"
    """The byte-level DOCTYPE check missed UTF-16 text; the hardened parser sees every encoding."""
    bomb = ('<?xml version="1.0" encoding="%s"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<hashList><hash type="md5" value="&lol1;"/></hashList>' % encoding.upper())
    external = ('<?xml version="1.0" encoding="%s"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                "<hashList>&e;</hashList>" % encoding.upper())
    for doc in (bomb, external):
        with pytest.raises(ImportFormatError, match=match):
            read_xml(doc.encode(encoding))


def test_xml_in_utf16_without_a_dtd_still_reads() -> None:
    text = write_xml(RECORDS)
    text = text.decode() if isinstance(text, bytes) else text
    utf16 = text.replace("encoding='utf-8'", "encoding='utf-16'").encode("utf-16")
    assert _plain(read_xml(utf16)) == _plain(RECORDS)
