"""``motcua workdays due --start "2026-04-24 09:00" --days 3``: the due instant, in ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from motcua.core import calendars, workdays
from motcua.core.errors import DomainError
from motcua.org.management.commands._agency import find_agency


class Command(BaseCommand):
    help = "Tính thời điểm đến hạn theo ngày/giờ làm việc. Working-day arithmetic."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="thời điểm đến hạn / the due instant")
        due.add_argument("--start", required=True, help='ví dụ "2026-04-24 09:00" (giờ Việt Nam nếu không ghi múi giờ)')
        due.add_argument("--days", type=int, default=0)
        due.add_argument("--hours", type=int, default=0)
        due.add_argument("--agency", help="mã định danh hoặc tên viết tắt; mặc định: lịch quốc gia")
        between = sub.add_parser("between", help="thời gian làm việc giữa hai thời điểm")
        between.add_argument("--start", required=True)
        between.add_argument("--end", required=True)
        between.add_argument("--agency")

    def handle(self, *args, action: str, **opts) -> None:
        agency = find_agency(opts.get("agency"))
        cal = calendars.load_calendar(agency.calendar_id if agency else None)
        start = self._instant(opts["start"], cal)
        if action == "due":
            if opts["days"] < 0 or opts["hours"] < 0:
                raise CommandError("--days và --hours không được âm.")
            amount = workdays.WorkingTime.days(opts["days"]) + workdays.WorkingTime.hours(opts["hours"])
            try:
                self.stdout.write(calendars.due_at(start, amount, cal).isoformat())
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        else:
            end = self._instant(opts["end"], cal)
            try:
                self.stdout.write(str(workdays.working_time_between(start, end, cal)))
            except ValueError:
                raise CommandError("Thời điểm nằm ngoài phạm vi lịch (năm 1900–2100).") from None

    @staticmethod
    def _instant(text: str, cal: workdays.Calendar) -> dt.datetime:
        try:
            value = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(f"Thời điểm {text!r} không đúng dạng, ví dụ 2026-04-24 09:00.") from None
        return value if value.tzinfo else value.replace(tzinfo=cal.zone)
