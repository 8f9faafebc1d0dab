"""`assess serve` for real: gunicorn with two worker processes on one SQLite file. Phones
join and answer at once over HTTP and every answer is stored; an unchanged room answers 304
from whichever process gets the poll; a change made by another process reaches the phones."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from assess import create_app
from assess.storage import accounts, rounds, workshops
from assess.storage.db import open_db
from tests.test_workshop import walk

HOST = "127.0.0.1"


class Browser:
    """One phone: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers.items()), data

    def join(self, code: str, name: str) -> tuple[str, str]:
        """Join the round by its code; returns (personal link, CSRF token of the live page)."""
        _, _, page = self.request("GET", f"/r/{code}")
        text = page.decode()
        form = {
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1),
            "nonce": re.search(r'name="nonce"[^>]*value="([^"]+)"', text).group(1),
            "name": name,
        }
        status, headers, _ = self.request(
            "POST",
            f"/r/{code}",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302, status
        link = urlsplit(headers["Location"]).path
        _, _, live = self.request("GET", f"{link}/live")
        return link, re.search(r'<meta name="csrf-token" content="([^"]+)"', live.decode()).group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """A round with a started workshop, served by `assess serve --workers 2 --threads 4`."""
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    content = app.extensions["content"]
    db = open_db(app.config["DATABASE"])
    try:
        admin = accounts.create_user(db, "admin", "serve-admin-123", is_admin=True)
        org = accounts.create_org(db, "Kunta")
        row = rounds.open_round(
            db,
            org_id=org["id"],
            year=2026,
            questionnaire="quick",
            content_version=content.version,
            created_by=admin["id"],
            anonymous=False,
        )
        workshops.start(db, row["id"])
    finally:
        db.conn.close()
    port = free_port()
    assess = Path(sys.executable).with_name("assess")
    server = subprocess.Popen(
        [str(assess), "serve", "--host", HOST, "--port", str(port), "--workers", "2", "--threads", "4"],
        env={**os.environ, "ASSESS_INSTANCE_PATH": str(instance)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        until = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                conn.request("GET", "/login")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < until, server.stdout.read()
            time.sleep(0.3)
        # The first worker may answer before gunicorn has forked the second one.
        while len(workers_of(server.pid)) < 2 and time.monotonic() < until:
            time.sleep(0.1)
        yield {"port": port, "round": row, "db": app.config["DATABASE"], "app": app, "pid": server.pid}
    finally:
        server.terminate()
        server.wait(30)


def workers_of(pid: int) -> list[int]:
    """The processes whose parent is the server (its workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_two_worker_processes_store_every_answer_and_share_the_room_version(served):
    assert len(workers_of(served["pid"])) == 2
    code, port = served["round"]["join_code"], served["port"]
    slides = walk(served["app"])
    content = served["app"].extensions["content"]
    items = [i for s in slides[:3] for i in s.items]
    phones = [Browser(port) for _ in range(6)]
    links = [phone.join(code, f"Osallistuja {n}") for n, phone in enumerate(phones)]
    failures: list[str] = []

    shed = []

    def answer_all(phone: Browser, link: str, token: str) -> None:
        for k, item in enumerate(items):
            for _attempt in range(20):  # as live.js: a busy server is asked again
                status, _, body = phone.request(
                    "POST",
                    f"{link}/live/answer",
                    json.dumps({"item": item, "value": k % 5}).encode(),
                    {"Content-Type": "application/json", "X-CSRFToken": token},
                )
                if status != 503:
                    break
                shed.append(item)
                time.sleep(json.loads(body)["retry_ms"] / 1000)
            if status != 200:
                failures.append(f"{status} {body[:80]!r}")

    threads = [threading.Thread(target=answer_all, args=(p, *links[n])) for n, p in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    db = open_db(served["db"])
    try:
        stored = db.execute(
            "SELECT COUNT(*) FROM answers x JOIN respondents r ON r.id = x.respondent_id "
            "WHERE r.assessment_id = ?",
            (served["round"]["id"],),
        ).fetchone()[0]
        assert stored == len(phones) * len(items)
        assert all(content.items[i] for i in items)
        # Each phone's connection is served by one worker; fresh connections spread over both.
        link = links[0][0]
        status, headers, _ = Browser(port).request("GET", f"{link}/live/state")
        etag = headers["ETag"]
        for _ in range(8):
            status, _, body = Browser(port).request(
                "GET", f"{link}/live/state", headers={"If-None-Match": etag}
            )
            assert status == 304 and body == b""
        workshops.move(db, served["round"]["id"], 1, len(slides))  # from yet another process
        status, _, body = Browser(port).request("GET", f"{link}/live/state", headers={"If-None-Match": etag})
        assert status == 200 and json.loads(body)["slide"]["id"] == slides[1].id
    finally:
        db.conn.close()


def test_serve_on_a_port_in_use_says_so_without_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(Path(sys.executable).with_name("assess")), "serve", "--host", HOST, "--port", str(port)],
            env={**os.environ, "ASSESS_INSTANCE_PATH": str(tmp_path / "instance")},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on {HOST}:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
