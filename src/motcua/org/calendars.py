"""The working-day calendar an agency's deadlines are counted in."""

from __future__ import annotations

from motcua.core import calendars, workdays
from motcua.org.models import Agency


def calendar_for(agency: Agency) -> workdays.Calendar:
    return calendars.load_calendar(agency.calendar_id)


def rules_for(agency: Agency) -> calendars.CalendarRules:
    return calendars.load_rules(agency.calendar_id)
