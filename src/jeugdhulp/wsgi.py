"""WSGI entry point: ``gunicorn jeugdhulp.wsgi`` (``jeugdhulp serve`` uses it too)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

from jeugdhulp.private_files import restrict_umask

# Files the web process creates (SQLite database and journal, uploads, exports, mail) are 0600.
restrict_umask()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdhulp.settings")
application = get_wsgi_application()
# The loaded app (several hundred thousand objects) lives as long as the process: moved out of the
# collector's reach, a full collection no longer walks it. Without this every few requests that
# allocate much (the dashboard reads ~20,000 rows) paid a ~120 ms pause that stops all threads.
gc.freeze()
