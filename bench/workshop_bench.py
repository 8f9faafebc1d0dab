"""Workshop load benchmark: 200 phones answering the `quick` questionnaire live, in bursts.

Run from the project root (with the project's virtual environment):

    .venv/bin/python bench/workshop_bench.py            # 200 phones, the documented defaults
    .venv/bin/python bench/workshop_bench.py --phones 50 --threads 16   # a quicker, other run

What it does: creates a fresh instance in a temporary folder (ASSESS_INSTANCE_PATH), sets up an
administrator, an organisation, a lead and a `quick` round with the storage functions, and
starts the app with `assess serve` (waitress, the documented production server) on a free
port of 127.0.0.1. The lead signs in and starts the workshop over HTTP; a projector polls the
workshop state every second; N phones join the round by its code (each with its own cookies,
session and CSRF token, over its own keep-alive connection), poll their live state every
1.25 s, and answer every statement of the slide the facilitator shows, all phones answering the
same statement within a few seconds. The facilitator reveals and moves on once every phone has
answered the slide (or after a time limit), slide by slide to the end.

It prints: answers sent, answers stored (counted in the database afterwards), errors, the
answer posts' latency p50/p95/p99 (round trip measured by the client on loopback, so it
includes the client's own scheduling on the same machine), the projector freshness (time
from an answer's 200 response to the projector's first state showing it) p50/p95, and the
machine. Only the standard library and the app itself are used. Everything is bounded: it
stops by itself (--deadline) and only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LEAD = ("vetaja", "bench-salasana-123")

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_NONCE = re.compile(r'name="nonce"[^>]*value="([^"]+)"')


# --- a tiny HTTP client: one keep-alive connection and its cookies --------------------------

class Client:
    """One browser: a keep-alive connection to the app and its cookie jar."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send one request; a connection the server closed while idle is reopened once."""
        all_headers = {"Host": f"{HOST}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        for attempt in (1, 2):
            conn = self._connect()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if (response.headers.get("Connection") or "").lower() == "close":
            self.close()
        return response.status, dict(response.headers.items()), data

    def get(self, path: str, accept: str = "text/html") -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers={"Accept": accept})

    def post_form(self, path: str, data: dict[str, str], accept: str = "text/html"):
        return self.request("POST", path, urlencode(data).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    def post_json(self, path: str, data: dict, csrf: str):
        return self.request("POST", path, json.dumps(data).encode(), {
            "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf})


def location_path(headers: dict[str, str]) -> str:
    location = headers.get("Location", "")
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def must(pattern: re.Pattern, body: bytes, what: str) -> str:
    match = pattern.search(body.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError(f"no {what} on the page")
    return match.group(1)


# --- shared results ---------------------------------------------------------------------------

@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers_sent: int = 0
    answers_ok: int = 0
    errors: list[str] = field(default_factory=list)
    answer_latency: list[float] = field(default_factory=list)
    poll_latency: list[float] = field(default_factory=list)
    answer_ok_at: dict[str, list[float]] = field(default_factory=dict)  # item -> 200 times
    done_per_item: dict[str, int] = field(default_factory=dict)
    projector: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    joined: int = 0
    saw_end: int = 0
    reconnects: int = 0
    slide_seen_delay: list[float] = field(default_factory=list)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


# --- the actors -------------------------------------------------------------------------------

@dataclass
class Plan:
    port: int
    code: str
    round_id: int
    phones: int
    poll_s: float
    window_s: float
    gap_s: float
    deadline: float
    moved_at: dict[str, float] = field(default_factory=dict)  # slide id -> time shown
    finished: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)


def phone(n: int, plan: Plan, results: Results, rng: random.Random) -> None:
    client = Client(plan.port)
    try:
        time.sleep(rng.uniform(0, 5))  # people join over a few seconds
        status, headers, _ = client.get(f"/join?{urlencode({'code': plan.code.lower()})}")
        if status != 302:
            raise RuntimeError(f"join by code gave {status}")
        join_path = location_path(headers)
        status, _, body = client.get(join_path)
        form = {"csrf_token": must(_CSRF_INPUT, body, "CSRF token"),
                "nonce": must(_NONCE, body, "nonce"), "name": f"Osallistuja {n}"}
        status, headers, _ = client.post_form(join_path, form)
        if status != 302:
            raise RuntimeError(f"join post gave {status}")
        link = location_path(headers)
        client.get(link)  # the personal page, as a browser would show it
        status, _, body = client.get(f"{link}/live")
        if status != 200:
            raise RuntimeError(f"live page gave {status}")
        csrf = must(_CSRF_META, body, "csrf-token meta")
        with results.lock:
            results.joined += 1
    except Exception as exc:  # noqa: BLE001 - every failure is a reported error
        results.error(f"phone {n} could not join: {exc!r}")
        client.close()
        return

    slide_id = ""
    answered: set[str] = set()
    queue: list[tuple[float, str, int | None]] = []
    next_poll = time.perf_counter() + rng.uniform(0, plan.poll_s)
    try:
        while not plan.stop.is_set() and time.perf_counter() < plan.deadline:
            now = time.perf_counter()
            if queue and queue[0][0] <= now:
                _due, item, value = queue.pop(0)
                sent = time.perf_counter()
                with results.lock:
                    results.answers_sent += 1
                try:
                    status, _, body = client.post_json(f"{link}/live/answer",
                                                       {"item": item, "value": value}, csrf)
                except Exception as exc:  # noqa: BLE001
                    results.error(f"answer {item} of phone {n}: {exc!r}")
                    continue
                done = time.perf_counter()
                if status != 200:
                    results.error(f"answer {item} of phone {n}: HTTP {status} {body[:120]!r}")
                    continue
                answered.add(item)
                with results.lock:
                    results.answers_ok += 1
                    results.answer_latency.append(done - sent)
                    results.answer_ok_at.setdefault(item, []).append(done)
                    results.done_per_item[item] = results.done_per_item.get(item, 0) + 1
                continue
            if now >= next_poll:
                next_poll = now + plan.poll_s
                sent = time.perf_counter()
                try:
                    status, _, body = client.get(
                        f"{link}/live/state?{urlencode({'have': slide_id})}", "application/json")
                except Exception as exc:  # noqa: BLE001
                    results.error(f"state poll of phone {n}: {exc!r}")
                    continue
                with results.lock:
                    results.poll_latency.append(time.perf_counter() - sent)
                if status != 200:
                    results.error(f"state poll of phone {n}: HTTP {status}")
                    continue
                state = json.loads(body)
                if state["status"] == "ended":
                    with results.lock:
                        results.saw_end += 1
                    break
                if state["status"] == "voting" and state["slide"]["id"] != slide_id:
                    slide_id = state["slide"]["id"]
                    seen = time.perf_counter()
                    moved = plan.moved_at.get(slide_id)
                    if moved is not None:
                        with results.lock:
                            results.slide_seen_delay.append(seen - moved)
                    # Read, think, vote: statement k of the slide is answered by everyone in
                    # a window of a few seconds, one statement after another.
                    for k, item in enumerate(state["slide"]["items"]):
                        if item in answered or item in state["answers"]:
                            continue
                        due = seen + k * plan.gap_s + rng.uniform(0, plan.window_s)
                        value = None if rng.random() < 0.08 else rng.randint(0, 4)
                        queue.append((due, item, value))
                    queue.sort()
                continue
            wake = min(next_poll, queue[0][0]) if queue else next_poll
            time.sleep(max(0.0, min(wake - now, 0.25)))
    finally:
        with results.lock:
            results.reconnects += client.reconnects
        client.close()


def login(client: Client) -> None:
    _, _, body = client.get("/login")
    status, _, _ = client.post_form("/login", {
        "csrf_token": must(_CSRF_INPUT, body, "CSRF token"),
        "username": LEAD[0], "password": LEAD[1]})
    if status != 302:
        raise RuntimeError(f"sign-in gave {status}")


def projector(plan: Plan, results: Results, client: Client) -> None:
    """Polls the workshop state every second, as the projector page does."""
    path = f"/assessments/{plan.round_id}/workshop/state"
    while not plan.finished.is_set() and time.perf_counter() < plan.deadline:
        started = time.perf_counter()
        try:
            status, _, body = client.get(path, "application/json")
        except Exception as exc:  # noqa: BLE001
            results.error(f"projector poll: {exc!r}")
            time.sleep(1)
            continue
        received = time.perf_counter()
        if status != 200:
            results.error(f"projector poll: HTTP {status}")
        else:
            state = json.loads(body)
            with results.lock:
                results.projector.append((received, {i["id"]: i["answered"] for i in state["items"]}))
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))


def facilitator(plan: Plan, results: Results, client: Client, slides: list[tuple[str, list[str]]],
                slide_timeout: float) -> None:
    """Walks the slides: waits for the room's answers, reveals, moves on; ends the workshop."""
    base = f"/assessments/{plan.round_id}/workshop"
    _, _, body = client.get(base)
    csrf = must(_CSRF_META, body, "csrf-token meta")

    def post(action: str, data: dict[str, str]) -> None:
        status, _, reply = client.request("POST", f"{base}/{action}", urlencode(data).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
            "X-CSRFToken": csrf})
        if status != 200:
            results.error(f"facilitator {action}: HTTP {status} {reply[:120]!r}")

    # Wait for the room to join (bounded), as a facilitator waits before the first slide.
    until = time.perf_counter() + 30
    while results.joined < plan.phones and time.perf_counter() < until and \
            len(results.errors) == 0:
        time.sleep(0.2)
    for position, (slide_id, items) in enumerate(slides):
        if position > 0:
            plan.moved_at[slide_id] = time.perf_counter()
            post("move", {"to": str(position)})
        else:
            plan.moved_at[slide_id] = time.perf_counter()
        until = time.perf_counter() + slide_timeout
        while time.perf_counter() < until and time.perf_counter() < plan.deadline:
            with results.lock:
                complete = all(results.done_per_item.get(i, 0) >= results.joined for i in items)
            if complete:
                break
            time.sleep(0.1)
        time.sleep(1.5)  # the room looks at the counts reaching everyone, then the reveal
        post("reveal", {"value": "1"})
        time.sleep(1.0)
    post("move", {"to": str(len(slides))})
    # Give the phones their poll to see the end.
    until = time.perf_counter() + 10
    while results.saw_end < results.joined and time.perf_counter() < until:
        time.sleep(0.2)
    plan.finished.set()


# --- setting up and running --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def setup(instance: Path, questionnaire: str) -> tuple[dict, list[tuple[str, list[str]]]]:
    """A fresh database: the lead's account, an organisation and a round (via storage)."""
    sys.path.insert(0, str(ROOT))
    os.environ["ASSESS_INSTANCE_PATH"] = str(instance)
    from assess import create_app, workshop
    from assess.storage import accounts, rounds
    from assess.storage.db import open_db

    app = create_app()
    content = app.extensions["content"]
    db = open_db(app.config["DATABASE"])
    try:
        admin = accounts.create_user(db, "admin", "bench-admin-123", is_admin=True)
        org = accounts.create_org(db, "Benchmarkin kunta")
        lead = accounts.create_user(db, LEAD[0], LEAD[1], display_name="Vetäjä")
        accounts.grant(db, lead["id"], org["id"], "lead")
        row = rounds.open_round(db, org_id=org["id"], year=2026, questionnaire=questionnaire,
                                content_version=content.version, created_by=admin["id"],
                                anonymous=False)
    finally:
        db.conn.close()
    walk = workshop.build_slides(content, content.questionnaire(questionnaire))
    return row, [(s.id, list(s.items)) for s in walk]


def serve_command(port: int, threads: int) -> list[str]:
    script = Path(sys.executable).with_name("assess")
    base = [str(script)] if script.exists() else (
        [shutil.which("assess")] if shutil.which("assess") else
        [sys.executable, "-c", "import sys; from assess.cli import main; sys.argv[0] = 'assess'; main()"])
    return [*base, "serve", "--host", HOST, "--port", str(port), "--threads", str(threads)]


def wait_ready(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        if server.poll() is not None:
            raise RuntimeError(f"`assess serve` exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start in time")


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (Linux only)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def freshness(results: Results) -> tuple[list[float], int]:
    """Per answer: time from its 200 response to the first projector state whose count for
    its statement includes it. Answers are ranked by response time: when the r-th response
    came back, at least r answers were stored, so a count >= r shows it."""
    delays: list[float] = []
    unseen = 0
    polls = sorted(results.projector)
    for item, times in results.answer_ok_at.items():
        for rank, ok_at in enumerate(sorted(times), start=1):
            seen = next((t for t, counts in polls if t >= ok_at and counts.get(item, 0) >= rank), None)
            if seen is None:
                unseen += 1
            else:
                delays.append(seen - ok_at)
    return delays, unseen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (assess serve)")
    parser.add_argument("--questionnaire", default="quick")
    parser.add_argument("--poll", type=float, default=1.25, help="phone poll interval, seconds")
    parser.add_argument("--window", type=float, default=3.0,
                        help="seconds in which all phones answer one statement")
    parser.add_argument("--gap", type=float, default=1.5,
                        help="seconds between the statements of a slide")
    parser.add_argument("--slide-timeout", type=float, default=40.0)
    parser.add_argument("--deadline", type=float, default=600.0, help="hard stop, seconds")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    instance = temp / "instance"
    row, slides = setup(instance, args.questionnaire)
    port = free_port()
    env = dict(os.environ, ASSESS_INSTANCE_PATH=str(instance))
    log = (temp / "server.log").open("wb")
    server = subprocess.Popen(serve_command(port, args.threads), cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    results = Results()
    began = time.perf_counter()
    try:
        wait_ready(port, server)
        plan = Plan(port=port, code=row["join_code"], round_id=row["id"], phones=args.phones,
                    poll_s=args.poll, window_s=args.window, gap_s=args.gap,
                    deadline=time.perf_counter() + args.deadline)
        lead = Client(port)
        login(lead)
        _, _, body = lead.get(f"/assessments/{row['id']}/round")
        status, _, _ = lead.post_form(f"/assessments/{row['id']}/workshop/start",
                                      {"csrf_token": must(_CSRF_INPUT, body, "CSRF token")})
        if status != 302:
            raise RuntimeError(f"starting the workshop gave {status}")
        screen = Client(port)
        screen.cookies = dict(lead.cookies)
        rng = random.Random(args.seed)
        threads = [threading.Thread(target=phone, args=(n, plan, results, random.Random(rng.random())),
                                    name=f"phone-{n}", daemon=True) for n in range(1, args.phones + 1)]
        threads.append(threading.Thread(target=projector, args=(plan, results, screen),
                                        name="projector", daemon=True))
        for thread in threads:
            thread.start()
        facilitator(plan, results, lead, slides, args.slide_timeout)
        plan.stop.set()
        for thread in threads:
            thread.join(timeout=max(0.1, plan.deadline - time.perf_counter() + 5))
    finally:
        elapsed = time.perf_counter() - began
        server_cpu = cpu_seconds(server.pid)
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()

    db = sqlite3.connect(instance / "assess.db")
    stored = db.execute(
        "SELECT COUNT(*) FROM answers x JOIN respondents r ON r.id = x.respondent_id "
        "WHERE r.assessment_id = ?", (row["id"],)).fetchone()[0]
    db.close()
    items = sum(len(i) for _s, i in slides)
    expected = args.phones * items
    delays, unseen = freshness(results)
    lat = [x * 1000 for x in results.answer_latency]
    polls = [x * 1000 for x in results.poll_latency]
    lost = results.answers_ok - stored
    print(f"Workshop benchmark: {args.phones} phones, questionnaire {args.questionnaire} "
          f"({len(slides)} slides, {items} statements), `assess serve --threads {args.threads}`")
    print(f"  machine:            {machine()}")
    print(f"  duration:           {elapsed:.1f} s (server CPU {server_cpu or 0:.1f} s; "
          f"load average at the end {load[0] if load else float('nan'):.2f})")
    print(f"  phones joined:      {results.joined}/{args.phones} (saw the end: {results.saw_end})")
    print(f"  answers sent:       {results.answers_sent} (expected {expected})")
    print(f"  answers stored:     {stored} (acknowledged {results.answers_ok}; lost {max(lost, 0)})")
    print(f"  errors:             {len(results.errors)}")
    for message in results.errors[:10]:
        print(f"    - {message}")
    print(f"  reconnects:         {results.reconnects}")
    print("  answer post latency (client round trip on loopback, includes the client's own "
          "scheduling):")
    print(f"    p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms, "
          f"p99 {percentile(lat, 99):.1f} ms, max {max(lat, default=float('nan')):.1f} ms")
    print(f"  phone state poll latency: p50 {percentile(polls, 50):.1f} ms, "
          f"p95 {percentile(polls, 95):.1f} ms ({len(polls)} polls)")
    print(f"  projector freshness (answer's 200 -> projector count): "
          f"p50 {percentile(delays, 50):.2f} s, p95 {percentile(delays, 95):.2f} s"
          f"{f', {unseen} never seen' if unseen else ''}")
    seen = results.slide_seen_delay
    print(f"  phones following the facilitator (move -> phone sees the slide): "
          f"p50 {percentile(seen, 50):.2f} s, p95 {percentile(seen, 95):.2f} s")
    ok = (not results.errors and stored == expected == results.answers_sent and lost == 0
          and percentile(lat, 95) < 100 and percentile(delays, 95) < 2 and not unseen)
    print("  targets (0 errors, 0 lost, p95 < 100 ms, freshness p95 < 2 s): "
          + ("met" if ok else "NOT met"))
    shutil.rmtree(temp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
