"""genguard's HMA-compatible API driven by a client written to HMA's (OpenMediaMatch) documented
routes and shapes, on a real uvicorn server; every answer is parsed with models transcribed from
HMA's ``OpenMediaMatch/schemas`` (extra fields forbidden), so a shape drift fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from genguard.vocabulary import Role
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from tests.banks.conftest import CAT
from tests.banks.hashes import at_distance, random_pdq


# --- HMA's documented shapes (OpenMediaMatch/schemas/curation.py, matching.py, shared.py) ------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BankConfig(_Strict):
    name: str
    matching_enabled_ratio: float


class MatchWithDistance(_Strict):
    bank_content_id: int
    distance: str


class RawLookupResponse(_Strict):
    matches: list[int | MatchWithDistance]


class BankContentResponse(_Strict):
    id: int
    disable_until_ts: int
    original_media_uri: str | None = None
    bank: BankConfig
    signals: dict[str, str] | None = None
    metadata: dict[str, Any] | None = None
    note: str | None = None


class AddSignalsResponse(_Strict):
    id: int
    signals: dict[str, str]


class ErrorResponse(BaseModel):  # HMA: {"message": ...}; genguard adds its error object
    message: str


class HmaClient:
    """What an HMA integration does, pointed at genguard's ``/hma`` prefix."""

    def __init__(self, base_url: str, key: str | None) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.http = httpx.Client(base_url=f"{base_url}/hma", headers=headers, timeout=60)

    def banks(self) -> list[BankConfig]:
        return [BankConfig.model_validate(b) for b in self._ok(self.http.get("/c/banks"))]

    def create_bank(self, name: str) -> BankConfig:
        return BankConfig.model_validate(self._ok(self.http.post("/c/banks", json={"name": name}), 201))

    def add_signal(self, bank: str, signal_type: str, signal: str) -> AddSignalsResponse:
        return AddSignalsResponse.model_validate(self._ok(self.http.post(f"/c/bank/{bank}/signal",
                                                                         json={signal_type: signal})))

    def raw_lookup(self, signal_type: str, signal: str, **params: Any) -> RawLookupResponse:
        r = self.http.get("/m/raw_lookup", params={"signal_type": signal_type, "signal": signal, **params})
        return RawLookupResponse.model_validate(self._ok(r))

    def lookup(self, signal_type: str, signal: str, **params: Any) -> dict[str, list[MatchWithDistance]]:
        r = self.http.get("/m/lookup", params={"signal_type": signal_type, "signal": signal, **params})
        return {bank: [MatchWithDistance.model_validate(m) for m in ms] for bank, ms in self._ok(r).items()}

    def lookup_file(self, path: Path) -> dict[str, dict[str, list[MatchWithDistance]]]:
        r = self.http.post("/m/lookup", files={"photo": (path.name, path.read_bytes(), "image/png")})
        return {st: {b: [MatchWithDistance.model_validate(m) for m in ms] for b, ms in by_bank.items()}
                for st, by_bank in self._ok(r).items()}

    def hash_file(self, path: Path) -> dict[str, str]:
        return self._ok(self.http.post("/h/hash", files={"photo": (path.name, path.read_bytes(), "image/png")}))

    def compare(self, signal_type: str, a: str, b: str) -> list[Any]:
        return self._ok(self.http.post("/m/compare", json={signal_type: [a, b]}))[signal_type]

    def content(self, bank: str, content_id: int) -> BankContentResponse:
        r = self.http.get(f"/c/bank/{bank}/content/{content_id}", params={"include_signals": "true"})
        return BankContentResponse.model_validate(self._ok(r))

    def delete_content(self, bank: str, content_id: int) -> dict[str, int]:
        return self._ok(self.http.delete(f"/c/bank/{bank}/content/{content_id}"))

    @staticmethod
    def _ok(response: httpx.Response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return ErrorResponse.model_validate(response.json()).message


@pytest.fixture
def hma(light_server: tuple[str, dict[Role, str]]) -> tuple[str, dict[Role, str]]:
    return light_server


RNG = np.random.default_rng(17)
PDQ = random_pdq(RNG)


def test_an_hma_client_banks_and_matches(hma, store: Store) -> None:  # noqa: ANN001
    url, keys = hma
    admin, matcher = HmaClient(url, keys[Role.ADMIN]), HmaClient(url, keys[Role.SERVICE])
    assert admin.create_bank("NCII_LIST") == BankConfig(name="NCII_LIST", matching_enabled_ratio=1.0)
    assert "already exists" in _error(admin.http.post("/c/banks", json={"name": "NCII_LIST"}), 403)
    added = admin.add_signal("NCII_LIST", "pdq", PDQ)
    assert added.signals == {"pdq": PDQ}
    assert BankConfig(name="NCII_LIST", matching_enabled_ratio=1.0) in HmaClient(url, keys[Role.AUDITOR]).banks()

    assert matcher.raw_lookup("pdq", PDQ).matches == [added.id]
    near = at_distance(PDQ, 6, RNG)
    assert matcher.raw_lookup("pdq", near, include_distance="true").matches == [
        MatchWithDistance(bank_content_id=added.id, distance="6")]
    assert matcher.raw_lookup("pdq", at_distance(PDQ, 120, RNG)).matches == []
    assert matcher.lookup("pdq", near) == {"NCII_LIST": [MatchWithDistance(bank_content_id=added.id, distance="6")]}
    assert matcher.lookup("pdq", near, banks="OTHER") == {}
    assert matcher.compare("pdq", PDQ, near) == [True, {"distance": 6}]

    content = admin.content("NCII_LIST", added.id)
    assert content.signals == {"pdq": PDQ} and content.disable_until_ts == 0 and content.bank.name == "NCII_LIST"
    # The change went through the bank service: it is in the audit trail with the key that made it.
    with store.transaction() as session:
        kinds = set(session.scalars(select(AuditRecordRow.kind)))
    assert {"bank.created", "bank.entry_added"} <= kinds
    assert admin.delete_content("NCII_LIST", added.id) == {"deleted": 1}
    assert matcher.raw_lookup("pdq", PDQ).matches == []
    assert "not found" in _error(admin.http.get(f"/c/bank/NCII_LIST/content/{added.id}"), 404)


def test_file_hashing_and_lookup(hma) -> None:  # noqa: ANN001
    url, keys = hma
    admin, matcher = HmaClient(url, keys[Role.ADMIN]), HmaClient(url, keys[Role.SERVICE])
    admin.create_bank("FILES")
    hashes = matcher.hash_file(CAT)
    assert set(hashes) == {"pdq", "md5", "sha256"} and len(hashes["pdq"]) == 64
    entry = admin.add_signal("FILES", "md5", hashes["md5"])
    found = matcher.lookup_file(CAT)
    assert found["md5"] == {"FILES": [MatchWithDistance(bank_content_id=entry.id, distance="0")]}
    assert found["pdq"] == {} and found["sha256"] == {}


def test_url_fetching_is_refused_with_the_reason(hma) -> None:  # noqa: ANN001
    url, keys = hma
    matcher = HmaClient(url, keys[Role.SERVICE])
    for path in ("/m/lookup", "/h/hash"):
        message = _error(matcher.http.get(path, params={"url": "http://127.0.0.1:1/x.jpg"}), 403)
        assert "server-side request forgery" in message


def test_roles_and_bad_input_get_hma_errors(hma) -> None:  # noqa: ANN001
    url, keys = hma
    admin = HmaClient(url, keys[Role.ADMIN])
    admin.create_bank("B")
    assert _error(HmaClient(url, None).http.get("/c/banks"), 401)
    assert _error(HmaClient(url, keys[Role.SERVICE]).http.post("/c/banks", json={"name": "C"}), 403)
    assert _error(HmaClient(url, keys[Role.AUDITOR]).http.get("/m/raw_lookup",
                                                              params={"signal_type": "pdq", "signal": PDQ}), 403)
    matcher = HmaClient(url, keys[Role.SERVICE])
    assert "invalid signal" in _error(matcher.http.get("/m/raw_lookup", params={"signal_type": "pdq",
                                                                                "signal": "zz"}), 400)
    assert "No such SignalType" in _error(matcher.http.get("/m/raw_lookup", params={"signal_type": "tmk",
                                                                                    "signal": PDQ}), 400)
    assert _error(matcher.http.get("/m/raw_lookup", params={"signal_type": "pdq"}), 400)  # missing signal
    assert "not found" in _error(admin.http.post("/c/bank/NOPE/signal", json={"pdq": PDQ}), 404)
    assert "one signal" in _error(admin.http.post("/c/bank/B/signal", json={"pdq": PDQ, "md5": "a" * 32}), 400)
    assert "enabled_ratio" in _error(admin.http.post("/c/banks", json={"name": "D", "enabled_ratio": 0.5}), 400)
    assert "exactly 2" in _error(matcher.http.post("/m/compare", json={"pdq": [PDQ]}), 400)
