"""``motcua tally --verify`` compares the statistics ledger with what the hand-offs say; ``--rebuild``
replaces it (after a restore or an import); ``--agency``: only the rows of the dossiers that agency resolves.
Exit status 1 when ``--verify`` finds a difference."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import tallies
from motcua.org.models import Agency


class Command(BaseCommand):
    help = "Kiểm tra (--verify) hoặc dựng lại (--rebuild) sổ thống kê hồ sơ từ phiếu kiểm soát."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--verify", action="store_true", help="so sánh, không sửa")
        action.add_argument("--rebuild", action="store_true", help="xóa và dựng lại")
        parser.add_argument("--agency", help="mã định danh cơ quan giải quyết (mặc định: mọi cơ quan)")

    def handle(self, *args, verify: bool, rebuild: bool, agency: str | None, **options):  # type: ignore[no-untyped-def]
        agency_id = None
        if agency:
            agency_id = Agency.objects.filter(identifier=agency).values_list("pk", flat=True).first()
            if agency_id is None:
                raise CommandError(f"Không có cơ quan mã {agency}.")
        if rebuild:
            self.stdout.write(f"Đã dựng lại sổ thống kê: {tallies.rebuild(agency_id=agency_id)} dòng.")
            return
        differences = tallies.verify(agency_id=agency_id)
        for (a, r, p, grain, day), kept, truth in differences[:50]:
            self.stdout.write(f"cơ quan giải quyết {a}, nơi tiếp nhận {r}, thủ tục {p}, {grain} {day}: "
                              f"sổ {kept} ≠ tính lại {truth}")
        if differences:
            raise CommandError(f"Sổ thống kê lệch ở {len(differences)} dòng; chạy motcua tally --rebuild.")
        self.stdout.write("Sổ thống kê khớp với phiếu kiểm soát của mọi hồ sơ.")
