"""``motcua demo``: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua import demo, demo_portal


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (chạy lại không thay đổi gì) và in các tài khoản dùng thử."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Không nạp dữ liệu minh họa ở chế độ production: nó tạo tài khoản có mật khẩu công khai."
            )
        added = demo.load(stdout=self.stdout)
        self.stdout.write("Đã nạp dữ liệu minh họa." if added else "Dữ liệu minh họa đã có sẵn; không thay đổi gì.")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {demo.DEMO_PASSWORD}):")
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<16} {login.description}")
        self.stdout.write("Cán bộ đăng nhập tại /dang-nhap/. Người dân (cổng dịch vụ công, /cong-dan/dang-nhap/):")
        self.stdout.write(f"  {demo_portal.CITIZEN_LOGIN:<16} Công dân — hồ sơ nộp trực tuyến ở mọi bước")
