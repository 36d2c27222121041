"""``motcua serve``: the production HTTP server (gunicorn, static files from WhiteNoise); with ``--with-worker``
also the background worker that sends notifications (``motcua db_worker``), for a one-command demo."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ HTTP dùng cho vận hành (gunicorn). Run the production HTTP server (gunicorn)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None,
                            help="worker processes (default: 2 × cores + 1)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--with-worker", action="store_true",
                            help="also run the background task worker (notifications) until the server stops")

    def handle(self, *args, host: str, port: int, workers: int | None, threads: int, with_worker: bool,
               **options) -> None:
        from gunicorn.app.base import BaseApplication

        from motcua.wsgi import application

        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        config = {
            "bind": bind,
            "workers": workers or (2 * (os.cpu_count() or 1) + 1),
            "worker_class": "gthread",
            "threads": threads,
            "keepalive": 5,
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": os.environ.get("ACCESS_LOG") or None,
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }

        class App(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"motcua: http://{bind}/  (Ctrl+C để dừng)")
        worker = (subprocess.Popen([sys.executable, "-m", "motcua.cli", "db_worker"])
                  if with_worker else None)
        try:
            App().run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)
