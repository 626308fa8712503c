"""``jeugdhulp serve``: gunicorn serves the pages and the static files itself."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_with_the_login_page_and_static_files(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "JEUGDHULP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    command = [sys.executable, "-m", "jeugdhulp"]
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--no-worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                page = urllib.request.urlopen(base + "/accounts/login/", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        html = page.read().decode()
        assert page.status == 200 and "Aanmelden" in html
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(base + "/static/jeugdhulp/base.css", timeout=5)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        leaflet = urllib.request.urlopen(base + "/static/vendor/leaflet/leaflet.js", timeout=5)
        assert leaflet.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
