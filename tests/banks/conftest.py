"""Bank fixtures: a service on the per-test store (SQLite and PostgreSQL), and benign images."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from genguard.banks.service import BankService
from genguard.store.db import Store
from genguard.store.base import utcnow

SCENES = Path(__file__).resolve().parents[3] / "shared" / "data" / "images" / "scenes"
CAT = SCENES / "chelsea_cat_skimage.png"
CUP = SCENES / "coffee_cup_skimage.png"


class Clock:
    """A settable clock, so windows and disable-until periods are tested without sleeping."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def banks(store: Store, clock: Clock) -> BankService:
    return BankService(store, poll_s=0.0, clock=clock)
