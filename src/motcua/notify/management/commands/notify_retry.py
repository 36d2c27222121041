"""``motcua notify_retry``: send the deliveries that are due (first tries the task queue did not run, retries
whose back-off has ended). For cron every few minutes, so that notifications go out even when the task
worker is down; safe beside the worker (a delivery is taken by one sender at a time)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from motcua.notify import delivery


class Command(BaseCommand):
    help = "Gửi các thông báo đến lượt gửi (lần đầu hoặc gửi lại sau lỗi)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="số lượt gửi tối đa mỗi lần chạy (mặc định 500)")

    def handle(self, *args, limit: int, **options) -> None:
        outcome = delivery.retry_due(limit=limit)
        self.stdout.write(f"Đã gửi {outcome.sent}, chờ gửi lại {outcome.retrying}, lỗi hẳn {outcome.failed}.")
