"""``motcua catalog import FILE`` and ``motcua catalog export --format json|xlsx [--output FILE]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog import services
from motcua.core.errors import DomainError
from motcua.core.progress import ProgressBar


class Command(BaseCommand):
    help = "Nhập, xuất danh mục thủ tục hành chính (JSON hoặc Excel)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập tệp .json hoặc .xlsx (kiểm tra toàn bộ rồi mới ghi)")
        imp.add_argument("file", type=Path)
        exp = sub.add_parser("export", help="xuất toàn bộ danh mục")
        exp.add_argument("--format", choices=["json", "xlsx"], default="json")
        exp.add_argument("--output", type=Path, help="tệp ghi ra (mặc định: stdout với json)")

    def handle(self, *args, action: str, **opts) -> None:
        if action == "import":
            self._import(opts["file"])
        else:
            self._export(opts["format"], opts.get("output"))

    def _import(self, file: Path) -> None:
        if not file.is_file():
            raise CommandError(f"Không đọc được tệp {file}.")
        try:
            result = services.import_catalog(actor=None, data=file.read_bytes(), filename=file.name,
                                             progress=ProgressBar("Ghi thủ tục"))
        except DomainError as exc:
            for problem in exc.details.get("problems", [exc.message]):
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Tệp có lỗi, chưa ghi gì ({len(exc.details.get('problems', []))} lỗi).") from exc
        self.stdout.write(f"Thêm {result.procedures_created} thủ tục, cập nhật {result.procedures_updated}, "
                          f"thêm {result.versions_created} phiên bản, giữ nguyên {result.unchanged}.")

    def _export(self, kind: str, output: Path | None) -> None:
        doc = services.export_document(progress=ProgressBar("Đọc thủ tục"))
        if kind == "json":
            text = json.dumps(doc, ensure_ascii=False, indent=1)
            if output is None:
                self.stdout.write(text)
            else:
                output.write_text(text, encoding="utf-8")
        else:
            from motcua.catalog import xlsx

            if output is None:
                if sys.stdout.isatty():
                    raise CommandError("Excel cần --output TỆP.xlsx.")
                sys.stdout.buffer.write(xlsx.to_workbook(doc))
                return
            output.write_bytes(xlsx.to_workbook(doc))
        if output is not None:
            self.stdout.write(f"Đã ghi {len(doc['procedures'])} thủ tục vào {output}.")
