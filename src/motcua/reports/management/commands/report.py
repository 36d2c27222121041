"""``motcua report resolution --from 2026-05-01 --to 2026-10-31 [--agency ID|all] [--group-by …]
[--side resolving|receiving|either] [--format json|xlsx|pdf|csv] [--output FILE]``, or ``--period quarter
--year 2026 --number 1`` instead of the dates.

An operator at the server's console may read any agency's figures: the default is every agency. JSON and
CSV go to standard output when there is no ``--output``; Excel and PDF need a file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.org.models import Agency
from motcua.reports import exports, periods, selectors
from motcua.reports.access import ALL

BINARY = ("xlsx", "pdf")


class Command(BaseCommand):
    help = "Báo cáo, thống kê: báo cáo tình hình, kết quả giải quyết thủ tục hành chính (JSON, Excel, PDF, CSV)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        res = sub.add_parser("resolution", help="báo cáo tình hình, kết quả giải quyết TTHC của một kỳ")
        res.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="từ ngày")
        res.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="đến ngày")
        res.add_argument("--period", metavar="KỲ", help="kỳ chuẩn thay cho --from/--to: month, quarter, half, year")
        res.add_argument("--year", type=_whole, metavar="NĂM", help="năm của kỳ chuẩn")
        res.add_argument("--number", type=_whole, metavar="SỐ",
                         help="số thứ tự kỳ trong năm (tháng 1–12, quý 1–4, 6 tháng 1–2)")
        res.add_argument("--agency", default=ALL, metavar="MÃ", help="mã định danh hoặc tên viết tắt của cơ quan; "
                         "all: tất cả (mặc định)")
        res.add_argument("--group-by", dest="group_by", default="procedure", metavar="NHÓM",
                         help="procedure (mặc định), field, division, agency (= resolving_agency), "
                         "receiving_agency hoặc commune")
        res.add_argument("--side", metavar="PHÍA", help="với một cơ quan: resolving (hồ sơ cơ quan giải quyết, mặc "
                         "định), receiving (hồ sơ cơ quan tiếp nhận; mặc định của trung tâm, chi nhánh) hoặc "
                         "either (cả hai)")
        res.add_argument("--field", type=_whole, metavar="ID", help="chỉ các thủ tục của lĩnh vực này")
        res.add_argument("--division", type=_whole, metavar="ID", help="chỉ các thủ tục do phòng này giải quyết")
        res.add_argument("--procedure", type=_whole, metavar="ID", help="chỉ thủ tục này")
        res.add_argument("--format", default="json", metavar="ĐỊNH_DẠNG", help="json (mặc định), xlsx, pdf hoặc csv")
        res.add_argument("--output", type=Path, metavar="TỆP", help="tệp ghi ra (bắt buộc với xlsx, pdf)")

    def handle(self, *args: Any, report: str, **opts: Any) -> None:
        fmt, output = opts["format"], opts.get("output")
        if fmt not in ("json", *exports.FORMATS):
            raise CommandError(_("Định dạng “%(format)s” không có: chọn json, xlsx, pdf hoặc csv.")
                               % {"format": fmt})
        if opts["group_by"] not in selectors.GROUPS:
            raise CommandError(_("Cách tổng hợp “%(group)s” không có: chọn %(allowed)s.")
                               % {"group": opts["group_by"], "allowed": ", ".join(selectors.GROUPS)})
        if opts.get("side") and opts["side"] not in selectors.SIDES:
            raise CommandError(_("Phía “%(side)s” không có: chọn %(allowed)s.")
                               % {"side": opts["side"], "allowed": ", ".join(selectors.SIDES)})
        if fmt in BINARY and output is None:
            raise CommandError(_("Tệp %(format)s cần --output TỆP.%(format)s (không ghi tệp nhị phân ra màn hình).")
                               % {"format": fmt})
        try:
            period = exports.requested_period(date_from=opts.get("date_from"), date_to=opts.get("date_to"),
                                              kind=opts.get("period"), year=opts.get("year"),
                                              number=opts.get("number"), cutoff_day=settings.REPORT_CUTOFF_DAY)
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from None
        result = selectors.resolution(period=period, agency=_agency(opts["agency"]), group_by=opts["group_by"],
                                      field_id=opts.get("field"), division_id=opts.get("division"),
                                      procedure_id=opts.get("procedure"), side=opts.get("side"))
        if fmt == "json":
            content = (json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n").encode()
        else:
            content = exports.render(result, fmt).content
        if output is None:
            self.stdout.write(content.decode("utf-8-sig" if fmt == "csv" else "utf-8"), ending="")
            return
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("Không ghi được tệp %(file)s: %(reason)s.")
                               % {"file": output, "reason": exc.strerror or exc}) from None
        self.stdout.write(_("Đã ghi báo cáo từ %(start)s đến %(end)s (%(rows)d dòng) vào %(file)s.") % {
            "start": f"{period.date_from:%d/%m/%Y}", "end": f"{period.date_to:%d/%m/%Y}", "rows": len(result.rows),
            "file": output})


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(text)s” không phải số nguyên.") % {"text": text}) from None


def _agency(key: str) -> Agency | None:
    if not key or key == ALL:
        return None
    agency = Agency.objects.filter(identifier=key).first() or Agency.objects.filter(short_name=key).first()
    if agency is None:
        raise CommandError(_("Không tìm thấy cơ quan “%(key)s” (nhập mã định danh, tên viết tắt hoặc all).")
                           % {"key": key})
    return agency
