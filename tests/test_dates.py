"""Dates are where the facility is, never the server's: a server in UTC must not read 31 December
when it is already 1 January in Jakarta or Makassar (ruff's DTZ rules keep naive dates out)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinerja.organizations.nip import nip_problems
from kinerja.review.gather import gather

# 31 December 2024, 17:30 UTC: already 1 January 2025 in WIB (UTC+7) and WITA (UTC+8).
NEW_YEAR_IN_INDONESIA = dt.datetime(2024, 12, 31, 17, 30, tzinfo=dt.UTC)


def test_a_unit_reads_today_in_its_own_time_zone(world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_INDONESIA)
    world.luwuk.time_zone = "Asia/Makassar"
    assert world.luwuk.local_today() == dt.date(2025, 1, 1)
    world.luwuk.time_zone = ""
    world.luwuk.parent.time_zone = ""
    assert world.luwuk.local_time_zone == "Asia/Jakarta"
    assert world.luwuk.local_today() == dt.date(2025, 1, 1)


def test_the_review_dates_its_checks_where_the_unit_is(world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_INDONESIA)
    assert gather(world.luwuk, 2024).today == dt.date(2025, 1, 1)


def test_a_nip_appointed_this_month_in_jakarta_is_not_in_the_future(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_INDONESIA)
    # appointed January 2025: already this month in Jakarta, though the server's UTC date is 2024
    assert nip_problems("198001012025011001") == []
