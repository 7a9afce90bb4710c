"""The fast index must agree exactly with the brute-force oracle, on random and hostile data."""

from __future__ import annotations

import numpy as np
import pytest

from genguard.banks.errors import HashFormatError, IndexFileError
from genguard.banks.index.brute import BruteForceIndex
from genguard.banks.index.codes import hamming, pdq_code, pdq_codes, pdq_hex
from genguard.banks.index.mih import MultiIndexHashIndex
from genguard.banks.index.tables import KEY_BITS, SUBSTRINGS, filter_slice
from genguard.banks.index.snapshot import load_index, save_index


def _flip(code: np.ndarray, bits: list[int]) -> np.ndarray:
    out = code.copy()
    for b in bits:
        out[b // 8] ^= np.uint8(1 << (b % 8))
    return out


def _spread_bits(distance: int, rng: np.random.Generator) -> list[int]:
    """``distance`` bits spread as evenly as possible over the substrings (worst case for MIH),
    spending the 4 unindexed bits first."""
    unindexed = list(range(SUBSTRINGS * KEY_BITS, 256))
    bits = unindexed[:distance]
    per_substring = [list(rng.permutation(range(j * KEY_BITS, (j + 1) * KEY_BITS))) for j in range(SUBSTRINGS)]
    j = int(rng.integers(SUBSTRINGS))
    while len(bits) < distance:
        bits.append(int(per_substring[j].pop()))
        j = (j + 1) % SUBSTRINGS
    return bits


def _adversarial(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Base codes, plus neighbours planted at every distance 0..40, three ways each."""
    centres = rng.integers(0, 256, (30, 32), dtype=np.uint8)
    centres[0] = 0
    centres[1] = 255
    planted = []
    for c in centres:
        for d in range(41):
            planted.append(_flip(c, _spread_bits(d, rng)))
            planted.append(_flip(c, [int(b) for b in rng.choice(256, d, replace=False)]))
        for j in range(SUBSTRINGS):  # every bit of one substring differs: distance 21
            planted.append(_flip(c, list(range(j * KEY_BITS, (j + 1) * KEY_BITS))))
    data = np.concatenate([centres, np.array(planted), rng.integers(0, 256, (3000, 32), dtype=np.uint8)])
    return data, centres


def _both(codes: np.ndarray, *, spill_at: int = 10**9) -> tuple[MultiIndexHashIndex, BruteForceIndex]:
    ids = np.arange(len(codes), dtype=np.int64) * 7 + 3  # ids are not positions
    fast = MultiIndexHashIndex.from_arrays(codes, ids, spill_at=spill_at)
    oracle = BruteForceIndex()
    oracle.add(codes, ids)
    return fast, oracle


def _assert_agree(fast, oracle, queries: np.ndarray, radius: int) -> int:
    found = 0
    for q, hits in zip(queries, fast.search_batch(queries, radius), strict=True):
        expected = oracle.search(q, radius)
        assert hits.as_pairs() == expected.as_pairs()
        assert fast.search(q, radius).as_pairs() == expected.as_pairs()
        found += len(expected.ids)
    return found


#: Where the full codes and ids live: RAM, or the on-disk file large segments use.
STORES = {"memory": 10**9, "file": 0}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("radius", [0, 15, 31, 47])
def test_agrees_with_oracle_on_adversarial_data(radius: int, store: str) -> None:
    rng = np.random.default_rng(radius)
    data, centres = _adversarial(rng)
    fast, oracle = _both(data, spill_at=STORES[store])
    found = _assert_agree(fast, oracle, centres, radius)
    assert found >= len(centres) * (2 * (radius + 1) if radius <= 40 else 82)


@pytest.mark.parametrize("store", STORES)
def test_agrees_with_oracle_on_random_data_and_queries_near_it(store: str) -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(0, 256, (20000, 32), dtype=np.uint8)
    fast, oracle = _both(data, spill_at=STORES[store])
    queries = np.array([_flip(data[i], _spread_bits(int(rng.integers(0, 40)), rng)) for i in range(300)])
    queries = np.concatenate([queries, rng.integers(0, 256, (100, 32), dtype=np.uint8)])
    assert _assert_agree(fast, oracle, queries, 31) >= 200


def _clustered(rng: np.random.Generator, size: int, queries: int) -> tuple[np.ndarray, np.ndarray]:
    """PDQ-like data: variants 10-90 bits from a few centres, queries 5-40 bits from one."""
    centres = rng.integers(0, 256, (8, 32), dtype=np.uint8)

    def around(n: int, low: int, high: int) -> np.ndarray:
        share = rng.uniform(low / 256, high / 256, (n, 1))
        return centres[rng.integers(0, len(centres), n)] ^ np.packbits(rng.random((n, 256)) < share, axis=1, bitorder="little")

    return around(size, 10, 90), around(queries, 5, 40)


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("radius", [8, 24, 31, 40])
def test_agrees_with_oracle_on_clustered_data(radius: int, store: str) -> None:
    """Where the distance bound does its work: hundreds of variants per query pass the slice."""
    rng = np.random.default_rng(100 + radius)
    data, queries = _clustered(rng, 20000, 150)
    fast, oracle = _both(data, spill_at=STORES[store])
    assert _assert_agree(fast, oracle, queries, radius) >= 5  # 8 true matches at radius 8


def test_the_distance_bound_spares_reads_of_clustered_codes_out_of_range(monkeypatch) -> None:
    """Full codes are read for (nearly) only the true matches, not every variant the slice passes."""
    rng = np.random.default_rng(11)
    data, queries = _clustered(rng, 20000, 150)
    fast, oracle = _both(data, spill_at=0)
    records = fast._state.base.records
    read: list[int] = []
    real_rows = records.rows
    monkeypatch.setattr(records, "rows", lambda positions: read.append(len(positions)) or real_rows(positions))
    found = _assert_agree(fast, oracle, queries, 31)
    r64, r32 = filter_slice(data)
    q64, q32 = filter_slice(queries)
    slice_passes = sum(
        int(((np.bitwise_count(r64 ^ a) + np.bitwise_count(r32 ^ b)) <= 31).sum()) for a, b in zip(q64, q32, strict=True)
    )
    per_pass = sum(read) / 2  # every query is searched twice, batched and alone
    assert found <= per_pass <= found + 0.1 * slice_passes, (found, per_pass, slice_passes)


def test_planted_distance_boundary_is_exact() -> None:
    rng = np.random.default_rng(3)
    centre = rng.integers(0, 256, 32, dtype=np.uint8)
    neighbours = np.array([_flip(centre, _spread_bits(d, rng)) for d in range(29, 35)])
    fast, _ = _both(neighbours)
    hits = fast.search(centre, 31)
    assert sorted(hits.distances.tolist()) == [29, 30, 31]


@pytest.mark.parametrize("store", STORES)
def test_add_is_searchable_at_once_and_remove_stops_matching_at_once(store: str) -> None:
    rng = np.random.default_rng(11)
    data = rng.integers(0, 256, (5000, 32), dtype=np.uint8)
    fast, oracle = _both(data, spill_at=STORES[store])
    new = rng.integers(0, 256, (3, 32), dtype=np.uint8)
    fast.add(new, np.array([-1, -2, -3]))
    oracle.add(new, np.array([-1, -2, -3]))
    near = _flip(new[0], _spread_bits(30, rng))
    assert fast.search(near, 31).as_pairs() == [(-1, 30)]
    assert fast.remove(np.array([-1, int(fast.search(data[5], 0).ids[0])])) == 2
    oracle.remove(np.array([-1, 5 * 7 + 3]))
    assert len(fast.search(near, 31).ids) == 0
    assert len(fast.search(data[5], 0).ids) == 0
    fast.compact()
    assert fast.delta_size == 0
    assert len(fast) == len(oracle) == 5000 + 3 - 2
    _assert_agree(fast, oracle, np.concatenate([new, data[:50]]), 31)


def test_id_with_several_codes_reports_its_closest_once() -> None:
    base = np.zeros((2, 32), dtype=np.uint8)
    base[1, 0] = 0b111
    fast = MultiIndexHashIndex.from_arrays(base, np.array([9, 9]))
    assert fast.search(np.zeros(32, dtype=np.uint8), 31).as_pairs() == [(9, 0)]


def test_snapshot_round_trip_keeps_codes_ids_removals_and_seq(tmp_path) -> None:
    rng = np.random.default_rng(5)
    data = rng.integers(0, 256, (2000, 32), dtype=np.uint8)
    fast, _ = _both(data)
    fast.add(data[:1] ^ np.uint8(1), np.array([-5]))
    fast.remove(np.array([3]))
    path = tmp_path / "bank.idx"
    save_index(fast, path, seq=42)
    loaded = load_index(path)
    assert loaded.seq == 42
    assert len(loaded.index) == len(fast)
    for q in data[:20]:
        assert loaded.index.search(q, 31).as_pairs() == fast.search(q, 31).as_pairs()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:10], "truncated"),
        (lambda b: b"XXXXXXXX" + b[8:], "bad magic"),
        (lambda b: b[:8] + (2).to_bytes(4, "little") + b[12:], "version"),
        (lambda b: b[:-1], "length"),
        (lambda b: b[:-40] + bytes([b[-40] ^ 1]) + b[-39:], "checksum"),
    ],
)
def test_corrupt_snapshot_is_refused(tmp_path, damage, message: str) -> None:
    fast, _ = _both(np.random.default_rng(1).integers(0, 256, (100, 32), dtype=np.uint8))
    path = tmp_path / "bank.idx"
    save_index(fast, path, seq=1)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(IndexFileError, match=message) as info:
        load_index(path)
    assert info.value.code == "index_file_invalid"


def test_hex_parsing_round_trips_and_rejects_bad_input() -> None:
    value = "f" * 32 + "0123456789abcdef" * 2
    assert pdq_hex(pdq_code(value)) == value
    assert int(hamming(pdq_code("0" * 64)[None], pdq_code("f" * 64))[0]) == 256
    for bad in ["0" * 63, "0" * 65, "g" * 64, ""]:
        with pytest.raises(HashFormatError) as info:
            pdq_codes(["0" * 64, bad])
        assert info.value.code == "hash_invalid" and "#1" in info.value.message


def test_radius_out_of_range_is_refused() -> None:
    fast = MultiIndexHashIndex()
    with pytest.raises(ValueError):
        fast.search(np.zeros(32, dtype=np.uint8), 64)
    assert len(fast.search(np.zeros(32, dtype=np.uint8), 31).ids) == 0


def test_filter_slice_distance_never_exceeds_the_full_distance() -> None:
    """The 96-bit slice may only drop codes that are truly out of range (a lower bound)."""
    rng = np.random.default_rng(3)
    query = rng.integers(0, 256, (1, 32), dtype=np.uint8)
    rows = []
    for distance in range(257):
        bits = np.zeros(256, dtype=np.uint8)
        bits[rng.choice(256, distance, replace=False)] = 1
        rows.append(query[0] ^ np.packbits(bits, bitorder="little"))
    rows_arr = np.array(rows, dtype=np.uint8)
    r64, r32 = filter_slice(rows_arr)
    q64, q32 = filter_slice(query)
    sliced = np.bitwise_count(r64 ^ q64).astype(np.int64) + np.bitwise_count(r32 ^ q32)
    exact = hamming(rows_arr, query[0])
    assert (sliced <= exact).all() and sliced.max() == 96


@pytest.mark.parametrize("store", ["memory", "file"])
def test_large_segment_positions_use_their_high_bits(store: str) -> None:
    """Past 65,536 codes a position needs its third byte; check codes beyond that are found."""
    rng = np.random.default_rng(17)
    data = rng.integers(0, 256, (70_000, 32), dtype=np.uint8)
    fast, oracle = _both(data, spill_at=0 if store == "file" else 10**9)
    queries = np.array([_flip(data[i], _spread_bits(int(rng.integers(0, 32)), rng)) for i in range(66_000, 70_000, 40)])
    assert _assert_agree(fast, oracle, queries, 31) >= len(queries)


def _duplicate_heavy() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(23)
    few = rng.integers(0, 256, (3, 32), dtype=np.uint8)
    return few, np.concatenate([np.repeat(few, 700, axis=0), rng.integers(0, 256, (2000, 32), dtype=np.uint8)])


def test_duplicate_heavy_data_keeps_one_byte_bounds_with_exact_exceptions() -> None:
    """Thousands of copies of a few codes overflow one-byte bucket offsets in a few blocks: those
    keys' offsets go to the side table, the array stays one byte a key, and search stays exact."""
    few, data = _duplicate_heavy()
    fast, oracle = _both(data)
    bounds = fast._state.base.bounds
    assert bounds.fine.dtype == np.uint8 and 0 < len(bounds.exception_keys) < 2_000
    assert _assert_agree(fast, oracle, few, 31) == 3 * 700
    queries = np.concatenate([few, data[2100:2200]])
    _assert_agree(fast, oracle, queries, 31)


def test_too_many_exceptions_widen_the_bounds_and_stay_exact(monkeypatch) -> None:
    from genguard.banks.index import tables

    monkeypatch.setattr(tables, "EXCEPTION_SHARE", 0.0)
    few, data = _duplicate_heavy()
    fast, oracle = _both(data)
    assert fast._state.base.bounds.fine.dtype == np.uint16 and len(fast._state.base.bounds.exception_keys) == 0
    assert _assert_agree(fast, oracle, few, 31) == 3 * 700


@pytest.mark.parametrize("store", STORES)
def test_positions_of_finds_exactly_the_wanted_ids(store: str, tmp_path) -> None:
    """The low-bits prefilter must not confuse ids that share their low 22 bits, or negatives."""
    from genguard.banks.index.records import FileRecords, MemoryRecords, positions_of

    rng = np.random.default_rng(29)
    ids = np.concatenate([rng.integers(-(2**40), 2**40, 5000), [5, 5 + 2**22, -5, 7 * 2**22, 5]])
    codes = rng.integers(0, 256, (len(ids), 32), dtype=np.uint8)
    records = MemoryRecords(codes, ids) if store == "memory" else FileRecords(codes, ids, directory=tmp_path)
    wanted = np.array([5, -5, 7 * 2**22 + 1, 123_456_789_012, int(ids[17]), int(ids[4999])])
    assert positions_of(records, wanted).tolist() == np.flatnonzero(np.isin(ids, wanted)).tolist()
    assert len(positions_of(records, np.empty(0, dtype=np.int64))) == 0


def test_background_compaction_folds_the_delta_and_a_failed_one_changes_nothing(monkeypatch, caplog) -> None:
    rng = np.random.default_rng(37)
    data = rng.integers(0, 256, (300, 32), dtype=np.uint8)
    fast, oracle = _both(data[:100])
    fast.add(data[100:], np.arange(100, 300) * 7 + 3)
    oracle.add(data[100:], np.arange(100, 300) * 7 + 3)
    done: list[bool] = []
    monkeypatch.setattr(MultiIndexHashIndex, "compact", lambda self: (_ for _ in ()).throw(OSError("disk full")))
    fast.compact_in_background(then=lambda: done.append(True)).join()
    assert "compaction failed" in caplog.text and not done and fast.delta_size == 200
    _assert_agree(fast, oracle, data[::10], 31)
    monkeypatch.undo()
    first = fast.compact_in_background(then=lambda: done.append(True))
    assert fast.compact_in_background() is None  # one at a time
    first.join()
    assert done == [True] and fast.delta_size == 0
    _assert_agree(fast, oracle, data[::10], 31)


def test_a_failing_disk_read_raises_rather_than_reading_as_no_match() -> None:
    """Screening turns a lookup error into a failed (closed) bank check; a silent empty
    result would read as "no match", so the on-disk store must raise."""
    rng = np.random.default_rng(41)
    data = rng.integers(0, 256, (2000, 32), dtype=np.uint8)
    fast, _ = _both(data, spill_at=0)
    fast._state.base.records._file.close()  # the disk goes away under the index
    with pytest.raises(OSError):
        fast.search(data[3], 31)


def test_a_batch_of_several_steps_returns_its_scratch_memory_and_a_single_query_does_not(monkeypatch) -> None:
    """malloc_trim after a multi-step batch (10M codes: the heap kept ~25 MB of candidate arrays);
    never after a single query, where it cost ~0.3 ms (docs/benchmarks.md)."""
    from genguard.banks.index import mih

    trims: list[int] = []
    monkeypatch.setattr(mih, "return_freed_memory", lambda: trims.append(1))
    monkeypatch.setattr(mih, "_CANDIDATES_PER_STEP", 4_000)  # a few queries a step at this size
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, size=(5_000, 32), dtype=np.uint8)
    fast, oracle = _both(codes)
    fast.search(codes[0], 31)
    assert trims == []
    found = _assert_agree(fast, oracle, codes[:50], 31)  # one batch (and 50 single queries)
    assert trims == [1] and found >= 50
