"""A real server for security tests: `assess serve` (gunicorn, one worker process) in a
subprocess on 127.0.0.1."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, instance: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, ASSESS_INSTANCE_PATH=str(instance))
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "assess"),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                "1",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read()) from None  # type: ignore[union-attr]
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def rss_kb(self) -> int:
        """Resident memory of the server's processes (the master and its worker), in kB."""
        total = 0
        for pid in [self.proc.pid, *self._children(self.proc.pid)]:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return total

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Browser:
    """A cookie-keeping HTTP client that reads CSRF tokens like a browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._jar), NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, (BrokenPipeError, ConnectionResetError)) or not data:
                raise
            # The server answered before reading the whole body (a refused size) and closed
            # the connection: read that answer as a browser would.
            return self._early_answer(path, data, headers or {})

    def _early_answer(self, path: str, data: bytes, headers: dict) -> tuple[int, str]:
        host, port = urllib.parse.urlsplit(self.base).netloc.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        cookies = "; ".join(f"{c.name}={c.value}" for c in self._jar)
        try:
            conn.request(
                "POST",
                path,
                body=data,
                headers={**headers, "Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
            )
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")

    def token(self, path: str) -> str:
        _, html = self.request(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]

    def post(self, path: str, fields: dict, *, token_from: str | None = None) -> tuple[int, str]:
        fields = {"csrf_token": self.token(token_from or path), **fields}
        return self.request(path, urllib.parse.urlencode(fields).encode())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def seeded_instance(tmp_path: Path) -> Path:
    """An instance folder with a migrated database holding the usual accounts."""
    from assess.storage.db import open_db
    from tests.conftest import make_app, seed_accounts

    instance = tmp_path / "instance"
    app = make_app(tmp_path, DATABASE=str(instance / "assess.db"))
    db = open_db(app.config["DATABASE"])
    seed_accounts(db)
    db.conn.close()
    return instance
