"""Every list format round-trips, and hostile input is refused with a clear, coded error."""

from __future__ import annotations

import json

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


def _ncmec(entries: str) -> bytes:
    return f'<queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2"><images>{entries}</images></queryResult>'.encode()


def _plain(records: list[HashRecord]) -> list[tuple]:
    return [(r.signal_type, r.value, r.external_id, r.status) for r in records]


@pytest.mark.parametrize("layout", [THREATEXCHANGE, TCAP])
def test_csv_round_trips(layout) -> None:
    assert read_csv(write_csv(RECORDS, layout), layout) == RECORDS


def test_stopncii_json_round_trips_with_withdrawn_status() -> None:
    text = write_json([*RECORDS[:2]])
    page = json.loads(text)  # StopNCII's FetchHashes page, field for field
    assert set(page) == {"count", "nextPageToken", "nextSetTimestamp", "hasMoreRecords", "hashRecords"}
    assert page["hashRecords"][1] == {"lastModtimestamp": 0, "signalType": "VideoMD5", "hashValue": RECORDS[1].value,
                                      "hashStatus": "Withdrawn", "caseNumbers": {"c-2": "Withdrawn"}, "CSPFeedbacks": []}
    assert _plain(read_json(text)) == _plain(RECORDS[:2])
    assert read_json(text)[1].status is EntryStatus.WITHDRAWN
    with pytest.raises(ImportFormatError, match="no sha256"):
        write_json(RECORDS)


def test_stopncii_reads_a_real_page() -> None:
    """Every status and type StopNCII sends; types genguard cannot match are skipped."""
    page = {"count": 4, "nextPageToken": "abc", "nextSetTimestamp": 1700000000, "hasMoreRecords": True,
            "hashRecords": [
                {"lastModtimestamp": 1700000000, "signalType": "ImagePDQ", "hashValue": RECORDS[0].value.upper(),
                 "hashStatus": "Received", "caseNumbers": {"n-2": "Received", "n-1": "Active"},
                 "CSPFeedbacks": [{"feedbackValue": "Blocked", "tags": [], "source": "x"}]},
                {"lastModtimestamp": 1, "signalType": "VideoMD5", "hashValue": RECORDS[1].value, "hashStatus": "Deleted",
                 "caseNumbers": {"n-3": "Deleted"}},
                {"lastModtimestamp": 1, "signalType": "VideoTMK", "hashValue": "00", "hashStatus": "Active",
                 "caseNumbers": {}},
            ]}
    first, second = read_json(json.dumps(page))
    assert (first.external_id, first.status, first.metadata["case_numbers"]) == ("n-1", EntryStatus.ACTIVE, "n-1,n-2")
    assert (second.signal_type, second.status) == (SignalType.MD5, EntryStatus.WITHDRAWN)


def test_ncmec_xml_round_trips() -> None:
    pdq_and_md5 = RECORDS[:2]
    assert _plain(read_xml(write_xml(pdq_and_md5))) == _plain(pdq_and_md5)
    with pytest.raises(ImportFormatError, match="no sha256"):
        write_xml(RECORDS)


NCMEC_PAGE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2">
    <images count="2" maxTimestamp="2017-10-24T15:10:00Z">
        <image>
            <member id="42">Example Member</member>
            <timestamp>2017-10-24T15:00:00Z</timestamp>
            <id>image1</id>
            <classification>A1</classification>
            <fingerprints>
                <md5>a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1</md5>
                <sha1>a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1</sha1>
                <pdna>a1a1a1a1</pdna>
            </fingerprints>
            <feedback />
        </image>
        <deletedImage>
            <member id="43">Example Member2</member>
            <id>image4</id>
            <timestamp>2017-10-24T15:10:00Z</timestamp>
        </deletedImage>
    </images>
    <videos count="1" maxTimestamp="2017-10-24T15:20:00Z">
        <video>
            <member id="42">Example Member</member>
            <id>video1</id>
            <fingerprints><md5>b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1</md5></fingerprints>
        </video>
    </videos>
    <paging><next>/v2/entries?start=2001&amp;size=1000&amp;max=3000</next></paging>
</queryResult>"""


def test_ncmec_reads_ncmecs_own_example() -> None:
    """The entries answer from NCMEC's documentation (as python-threatexchange's tests carry it)."""
    image, video = read_xml(NCMEC_PAGE)
    assert (image.signal_type, image.external_id, image.tags) == (SignalType.MD5, "image1", ("A1",))
    assert image.metadata == {"entry_type": "image", "member_id": "42", "member": "Example Member",
                              "timestamp": "2017-10-24T15:00:00Z", "unmatched_fingerprints": "pdna,sha1"}
    assert (video.external_id, video.metadata["entry_type"]) == ("video1", "video")
    # Written back, the video stays a video and the classification stays with its entry.
    again = read_xml(write_xml([image, video]))
    assert _plain(again) == _plain([image, video]) and again[1].metadata["entry_type"] == "video"


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
        (lambda: read_json("[1]"), '"hashRecords" list'),
        (lambda: read_json("{"), "not valid JSON"),
        (lambda: read_json('{"hashRecords":[{"signalType":"VideoMD5","hashValue":"xyz"}]}'), "hashRecords\\[0\\]"),
        (lambda: read_json('{"hashRecords":[{"signalType":"VideoMD5","hashValue":"%s","hashStatus":"gone"}]}'
                           % ("0" * 32)), "unknown hashStatus"),
        (lambda: read_json('{"hashRecords":[{"signalType":"PhotoDNA","hashValue":"00"}]}'), "unknown signalType"),
        (lambda: read_xml(_ncmec("<image><id>x</id><fingerprints><md5>00</md5></fingerprints></image>")), "32 hex"),
        (lambda: read_xml(_ncmec("<image><fingerprints/></image>")), "needs an <id>"),
        (lambda: read_xml(_ncmec("<picture/>")), "unknown element"),
        (lambda: read_xml(b"<queryResult><images"), "not well-formed"),
        (lambda: read_xml(b"<hashList/>"), "root must be"),
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
    text = write_xml(RECORDS[:2]).decode()
    utf16 = text.replace("encoding='utf-8'", "encoding='utf-16'").encode("utf-16")
    assert _plain(read_xml(utf16)) == _plain(RECORDS[:2])
