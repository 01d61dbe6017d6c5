"""Working days in Việt Nam for the deadlines of each step.

Public holidays come from the `holidays` package (country VN, which includes the Lunar New Year
and Hùng Kings days). Configuration adds extra days off and make-up working days, which the
government announces each year when it moves a holiday next to a weekend. Dates are taken in
Việt Nam's time zone, so an event at 23:30 UTC counts for the next day.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

VIETNAM_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


@functools.cache
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar: weekends and public holidays off, with configured exceptions."""

    days_off: frozenset = field(default_factory=frozenset)
    make_up_days: frozenset = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, days_off=(), make_up_days=()) -> "Calendar":
        return cls(frozenset(_as_date(day) for day in days_off),
                   frozenset(_as_date(day) for day in make_up_days))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.make_up_days:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year)

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """Return the date `count` working days after `start` (the deadline of a step)."""
        day = start
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Count working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def local_date(moment: datetime.datetime) -> datetime.date:
    """Return the calendar date in Việt Nam of an aware timestamp."""
    return moment.astimezone(VIETNAM_TIME).date()


def parse_timestamp(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
