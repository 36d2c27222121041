"""``motcua holidays list 2026`` and ``motcua holidays import FILE --agency SNV``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core import calendars, services
from motcua.core.errors import DomainError
from motcua.core.models import WorkCalendar
from motcua.org.management.commands._agency import find_agency


class Command(BaseCommand):
    help = "Ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù. Holidays and make-up working days."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        lst = sub.add_parser("list", help="các ngày nghỉ có tên trong năm (ISO date và tên, mỗi dòng một ngày)")
        lst.add_argument("year", type=int)
        lst.add_argument("--agency", help="mã định danh hoặc tên viết tắt; mặc định: lịch quốc gia")
        lst.add_argument("--with-working", action="store_true", help="kèm các ngày làm bù")
        imp = sub.add_parser("import", help="nạp tệp CSV: date,kind,name,source")
        imp.add_argument("file", type=Path)
        target = imp.add_mutually_exclusive_group(required=True)
        target.add_argument("--agency")
        target.add_argument("--calendar", help="tên lịch (tạo mới nếu chưa có)")

    def handle(self, *args, action: str, **opts) -> None:
        if action == "list":
            self._list(opts["year"], opts.get("agency"), opts["with_working"])
        else:
            self._import(opts["file"], opts.get("agency"), opts.get("calendar"))

    def _list(self, year: int, agency_key: str | None, with_working: bool) -> None:
        if not 1900 <= year <= 2100:
            raise CommandError("Năm phải trong khoảng 1900–2100.")
        agency = find_agency(agency_key)
        cal = calendars.load_calendar(agency.calendar_id if agency else None)
        for entry in calendars.year_entries(cal, year):
            if entry.working and not with_working:
                continue
            suffix = " (ngày làm việc)" if entry.working else ""
            self.stdout.write(f"{entry.date.isoformat()} {entry.name}{suffix}")

    def _import(self, file: Path, agency_key: str | None, calendar_name: str | None) -> None:
        if not file.is_file():
            raise CommandError(f"Không đọc được tệp {file}.")
        if agency_key:
            agency = find_agency(agency_key)
            assert agency is not None
            if agency.calendar is None:
                raise CommandError(f"Cơ quan {agency} chưa có lịch làm việc riêng; dùng --calendar TÊN để tạo.")
            calendar = agency.calendar
        else:
            calendar, _ = WorkCalendar.objects.get_or_create(name=calendar_name)
        try:
            result = services.import_calendar_overrides(actor=None, calendar=calendar, data=file.read_bytes())
        except DomainError as exc:
            for problem in exc.details.get("problems", [exc.message]):
                self.stderr.write(problem)
            raise CommandError("Tệp có lỗi, chưa ghi gì.") from exc
        self.stdout.write(f"{calendar}: thêm {result.created}, sửa {result.updated}, giữ nguyên {result.unchanged}.")
