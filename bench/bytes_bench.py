"""Bytes on the wire: what a cold browser load of the app's pages transfers, against targets.

    .venv/bin/python bench/bytes_bench.py

Builds a fresh instance in a temporary folder (an administrator and the demo organisation of
`assess demo`, plus a workshop with one participant), serves it with `assess serve` on a free
port of 127.0.0.1, and loads each page in a new Chromium context (Playwright driving
/usr/bin/chromium, or ASSESS_CHROMIUM), so nothing is cached: the signed-in pages get the
session cookie of a sign-in made over HTTP, not by loading the sign-in page first. It adds up
what the browser received for the page and everything it loaded (encoded sizes with headers,
from the DevTools protocol) until the network is idle, and prints each page against its target:

- a results page and the history page (plotly.js charts): at most 1.6 MB;
- pages without charts: at most 100 kB;
- a phone's answering page in a workshop (its first state poll included): at most 30 kB.

It also prints what a next visit to the same page transfers (after going to another page):
the versioned static files then come from the browser's cache without a request. It exits
non-zero when a page misses its target. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN = ("admin", "bytes-admin-123")
CHROMIUM = os.environ.get("ASSESS_CHROMIUM", "/usr/bin/chromium")
CHART_LIMIT, PLAIN_LIMIT, PHONE_LIMIT = 1_600_000, 100_000, 30_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def assess_command() -> list[str]:
    script = Path(sys.executable).with_name("assess")
    return [str(script)] if script.exists() else [shutil.which("assess") or "assess"]


def build(instance: Path) -> dict:
    """The demo organisation, an open round with a running workshop and one participant."""
    sys.path.insert(0, str(ROOT))
    env = {**os.environ, "ASSESS_INSTANCE_PATH": str(instance)}
    from assess import create_app
    from assess.storage import accounts, rounds, workshops
    from assess.storage.db import open_db

    app = create_app({"INSTANCE_PATH": str(instance)})
    db = open_db(app.config["DATABASE"])
    try:
        admin = accounts.create_user(db, ADMIN[0], ADMIN[1], is_admin=True)
    finally:
        db.conn.close()
    subprocess.run([*assess_command(), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    db = open_db(app.config["DATABASE"])
    try:
        org = db.execute("SELECT id FROM organisations ORDER BY id DESC LIMIT 1").fetchone()[0]
        results = db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND status = 'final' "
            "ORDER BY year DESC, id DESC LIMIT 1",
            (org,),
        ).fetchone()[0]
        content = app.extensions["content"]
        row = rounds.open_round(
            db,
            org_id=org,
            year=2030,
            questionnaire="quick",
            content_version=content.version,
            created_by=admin["id"],
            anonymous=False,
        )
        workshops.start(db, row["id"])
        token = secrets.token_urlsafe(24)
        rounds.join(db, row["id"], token, "Osallistuja")
    finally:
        db.conn.close()
    return {
        "org": org,
        "results": results,
        "round": row["id"],
        "phone": f"/r/{row['join_code']}/{token}/live",
    }


def sign_in(port: int) -> str:
    """The session cookie of the administrator, signed in over HTTP."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    conn.request(
        "POST",
        "/login",
        urlencode({"csrf_token": token, "username": ADMIN[0], "password": ADMIN[1]}),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"sign-in gave {response.status}")
    # The sign-in sets two cookies (the session and the known-device one): take the session's.
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        if name == "session":
            return value
    raise SystemExit("the sign-in set no session cookie")


def transferred(browser, base: str, path: str, session: str | None) -> tuple[int, int, int, int]:
    """(bytes received, requests, largest single response) for a cold load of ``path``, and
    the bytes of a second visit in the same browser (what its cache leaves to fetch)."""
    context = browser.new_context(base_url=base, locale="fi-FI")
    if session:
        context.add_cookies([{"name": "session", "value": session, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    response = page.goto(path, wait_until="networkidle")
    if response is None or response.status != 200:
        raise SystemExit(f"{path} gave {response.status if response else 'nothing'}")
    if page.url != base + path:  # a page that sends to the sign-in would be measured instead
        raise SystemExit(f"{path} led to {page.url}")
    page.wait_for_timeout(300)
    cold = (sum(sizes.values()), len(sizes), max(sizes.values(), default=0))
    sizes.clear()
    page.goto("/login" if path != "/login" else "/", wait_until="load")
    sizes.clear()
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(300)
    again = sum(sizes.values())
    context.close()
    return (*cold, again)


def main() -> int:
    from playwright.sync_api import sync_playwright

    temp = Path(tempfile.mkdtemp(prefix="bytes-bench-"))
    instance = temp / "instance"
    ids = build(instance)
    port = free_port()
    server = subprocess.Popen(
        [*assess_command(), "serve", "--host", HOST, "--port", str(port), "--workers", "1", "--threads", "4"],
        env={**os.environ, "ASSESS_INSTANCE_PATH": str(instance)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    failed = False
    try:
        until = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/login")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > until:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        session = sign_in(port)
        pages = [
            ("results page (charts)", f"/assessments/{ids['results']}/results", session, CHART_LIMIT),
            ("history page (charts)", f"/orgs/{ids['org']}/history", session, CHART_LIMIT),
            ("front page", "/", session, PLAIN_LIMIT),
            ("roadmap", "/roadmap", session, PLAIN_LIMIT),
            ("programme", "/programme", session, PLAIN_LIMIT),
            ("round page", f"/assessments/{ids['round']}/round", session, PLAIN_LIMIT),
            ("sign-in page", "/login", None, PLAIN_LIMIT),
            ("phone's answering page", ids["phone"], None, PHONE_LIMIT),
        ]
        print(
            f"Cold loads in Chromium ({CHROMIUM}) from `assess serve` on loopback; bytes as "
            "received (compressed, headers included)"
        )
        print(
            f"{'page':26s} {'transferred':>12s} {'requests':>9s} {'largest':>10s} "
            f"{'next visit':>11s}  target (first visit)"
        )
        with sync_playwright() as manager:
            browser = manager.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                ],
            )
            for name, path, cookie, limit in pages:
                total, count, largest, again = transferred(browser, base, path, cookie)
                ok = total <= limit
                failed |= not ok
                print(
                    f"{name:26s} {total / 1000:>9.1f} kB {count:>9d} {largest / 1000:>7.1f} kB "
                    f"{again / 1000:>8.1f} kB  <= {limit / 1000:.0f} kB: {'OK' if ok else 'OVER'}"
                )
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(temp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
