"""``motcua deadline_reminders``: the morning sweep that reminds staff of work due within one working day or
overdue — dossier steps (``dossiers.reminders``) and the handling of official documents
(``documents.reminders``). For cron each working morning, e.g. ``30 7 * * 1-6``; it does nothing on an agency's
days off (``--any-day`` to run anyway) and nothing new when run twice the same day. Lives at the composition
root because it joins the dossiers, documents and notify apps."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from motcua.documents import reminders as document_reminders
from motcua.dossiers import reminders


class Command(BaseCommand):
    help = ("Nhắc cán bộ các hồ sơ và văn bản sắp đến hạn (trong 1 ngày làm việc) hoặc quá hạn ở bước đang "
            "xử lý.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--any-day", action="store_true", help="chạy cả vào ngày nghỉ của cơ quan")

    def handle(self, *args, any_day: bool, **options) -> None:
        sweep = reminders.send_reminders(working_days_only=not any_day)
        self.stdout.write(f"Nhắc sắp đến hạn: {sweep.due_soon}; nhắc quá hạn: {sweep.overdue}; "
                          f"đã nhắc hôm nay từ trước: {sweep.already}.")
        documents = document_reminders.send_reminders(working_days_only=not any_day)
        self.stdout.write(f"Văn bản — nhắc sắp đến hạn: {documents.due_soon}; nhắc quá hạn: {documents.overdue}; "
                          f"đã nhắc hôm nay từ trước: {documents.already}.")
        if sweep.agencies_skipped:
            self.stdout.write("Hôm nay là ngày nghỉ của: " + ", ".join(sweep.agencies_skipped) + ".")
