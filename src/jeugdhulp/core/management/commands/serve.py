"""``jeugdhulp serve``: the web app under gunicorn, static files served by the app (WhiteNoise),
and, for the embedded default (SQLite queue), a background worker beside it."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Not at the top: importing the WSGI module builds the application (Django set-up,
        # middleware), which gunicorn does in each worker after forking, not in the command.
        from jeugdhulp.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve the web application (gunicorn) and, with the embedded queue, its worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per web worker")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-job worker"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if settings.QUEUE == "sqlite" and not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "jeugdhulp", "worker"])
        host, port = options["host"], options["port"]
        self.stdout.write(f"jeugdhulp luistert op http://{host}:{port}/ (Ctrl+C om te stoppen)")
        try:
            _Gunicorn(
                {
                    "bind": f"{host}:{port}",
                    "workers": options["workers"],
                    "threads": options["threads"],
                    "accesslog": "-",
                    "forwarded_allow_ips": "127.0.0.1",
                    "timeout": 120,
                }
            ).run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
