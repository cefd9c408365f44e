"""The one way the kiosk writes a wall-clock time (UTC, ISO 8601: sorts as text), and the
computer's own time zone for what it shows in local time."""

from __future__ import annotations

import datetime as _dt
import time as _time



def utc_now(timespec: str = "microseconds") -> str:
    """Microseconds by default: audit rows written in the same second must still sort in order."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec=timespec)


class SystemZone(_dt.tzinfo):
    """The computer's time zone with its daylight-saving rules, asked of the C library
    (``time.mktime``/``localtime``, as the tzinfo example in Python's documentation), on
    Windows as on Linux, with no tz database to ship.

    ``datetime.now().astimezone()`` carries only today's fixed offset: a report day before a
    daylight-saving change then starts an hour off. Times in the repeated hour of an autumn
    change are read as the first of the two (as ``time.mktime`` does).
    """

    def utcoffset(self, moment: _dt.datetime | None) -> _dt.timedelta:
        return self._offset(self._is_dst(moment))

    def dst(self, moment: _dt.datetime | None) -> _dt.timedelta:
        return _dt.timedelta(seconds=_time.timezone - _time.altzone) if self._is_dst(moment) else _dt.timedelta(0)

    def tzname(self, moment: _dt.datetime | None) -> str:
        return _time.tzname[self._is_dst(moment)]

    def fromutc(self, moment: _dt.datetime) -> _dt.datetime:
        stamp = (moment.replace(tzinfo=None) - _dt.datetime(1970, 1, 1)).total_seconds()
        return (moment + self._offset(_time.localtime(stamp).tm_isdst > 0)).replace(tzinfo=self)

    @staticmethod
    def _offset(is_dst: bool) -> _dt.timedelta:
        return _dt.timedelta(seconds=-(_time.altzone if is_dst else _time.timezone))

    @staticmethod
    def _is_dst(moment: _dt.datetime | None) -> bool:
        if moment is None or not _time.daylight:
            return False
        fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.weekday(), 0, -1)
        return _time.localtime(_time.mktime(fields)).tm_isdst > 0

    def __repr__(self) -> str:
        return "SystemZone()"


def local_now() -> _dt.datetime:
    """Now in the computer's time zone, its daylight-saving rules attached."""
    return _dt.datetime.now(_dt.UTC).astimezone(SystemZone())
