"""A controllable clock and notice builders shared by the case tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from genguard.cases.notices import Notice

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """``clock()`` returns the current fake time; ``advance`` moves it."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def take_it_down(platform_id: str = "post-1", **item: str) -> Notice:
    return Notice.model_validate({
        "regime": "take_it_down", "reporter_type": "victim", "category": "intimate_image_abuse",
        "items": [{"platform_id": platform_id, **item}], "reporter": {"email": "v@example.org"},
        "signature": "V", "good_faith_statement": True})


def uk(category: str, reporter_type: str = "user", platform_id: str = "post-1", **extra: object) -> Notice:
    return Notice.model_validate({"regime": "uk_osa", "reporter_type": reporter_type, "category": category,
                                  "items": [{"platform_id": platform_id, "account": "acct-1"}], **extra})
