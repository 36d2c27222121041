"""``motcua audit verify``: walk every hash chain and name the first broken link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from motcua.core import audit


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán. Verify the audit log's hash chains."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify")
        verify.add_argument("--chain", type=int, action="append", help="chỉ kiểm tra chuỗi này (mã cơ quan)")

    def handle(self, *args, action: str, chain: list[int] | None = None, **opts) -> None:
        result = audit.verify(chains=chain)
        if result.ok:
            self.stdout.write(f"OK: {result.chains} chuỗi, {result.events} sự kiện, không có liên kết nào bị phá vỡ.")
            return
        for broken in result.breaks:
            self.stderr.write(f"HỎNG: {broken}")
        raise CommandError(f"Nhật ký không toàn vẹn ở {len(result.breaks)} chuỗi.")
