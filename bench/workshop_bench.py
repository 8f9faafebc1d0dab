"""Workshop load benchmark: a room of phones (1,000 by default) following a `quick` workshop.

Run from the project root (with the project's virtual environment), on a quiet machine:

    .venv/bin/python bench/workshop_bench.py                     # 1,000 phones, 2 workers x 8 threads
    .venv/bin/python bench/workshop_bench.py --phones 400
    .venv/bin/python bench/workshop_bench.py --phones 100 --slides 2   # a check in under a minute

What it does: creates a fresh instance in a temporary folder (ASSESS_INSTANCE_PATH) with an
administrator, an organisation, a lead and a `quick` round, and starts `assess serve --workers W
--threads T` (the production server) on a free port of 127.0.0.1. An asyncio client then plays
the room, every phone with its own cookies, session, CSRF token and keep-alive connection:

- the lead signs in and starts the workshop; a projector polls the workshop state every second;
- N phones join by the code (join page, name, personal page, live page) over --join seconds;
- phones poll their state as live.js does (If-None-Match with the last ETag, ?have=, the
  interval the server sets in poll_ms), and a phone shed with 503 waits retry_ms and retries;
- on every slide all phones vote on each statement within --window seconds of each other
  (statement k at the move + --read + k x --gap seconds), each vote posted until stored;
- the facilitator moves on once every phone's votes on the slide are acknowledged (or after
  --slide-timeout), reveals, and after the last slide ends the workshop;
- a few other browsers fetch a static file (app.css, gzip) every second, to compare with.

It prints the table row of the README (phones, errors, answers lost, answer p95, state poll
p95, phones follow a move p95, projector shows a vote p95, answer p95 / static-file p95) and
the server's CPU use (its processes' CPU seconds per second: mean and peak over one-second
samples, of the machine's cores), then details. "Answer" is the round trip of one vote from its
first send to its acknowledgement, retries after a 503 included. Everything is bounded: it
stops by itself (--deadline) and only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import resource
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
REQUEST_TIMEOUT = 30.0

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_NONCE = re.compile(r'name="nonce"[^>]*value="([^"]+)"')
_APP_CSS = re.compile(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"')


class HttpError(Exception):
    pass


# --- one browser: a keep-alive connection and its cookies --------------------------------------


class Jar:
    """A browser's cookies, with the Cookie header built again only when one changes."""

    def __init__(self, cookies: dict[str, str] | None = None) -> None:
        self.cookies = dict(cookies or {})
        self._line = b""
        self.version = 0  # bumped when a cookie changes: prebuilt requests are built again

    def set(self, header: str) -> None:
        name, _, rest = header.strip().partition("=")
        value = rest.split(";", 1)[0]
        if self.cookies.get(name.strip()) != value:
            self.cookies[name.strip()] = value
            self._line = b""
            self.version += 1

    def line(self) -> bytes:
        if not self._line and self.cookies:
            self._line = (
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()) + "\r\n"
            ).encode("latin-1")
        return self._line


class Browser:
    """One browser's keep-alive connection and cookies. Kept cheap on purpose: the load client
    shares the machine's cores with the server, and every microsecond it spends per request
    delays other phones' round trips (its event loop is one thread). So a request is one
    write of prebuilt bytes, and a response is read with one call for its head, parsing only
    the few headers a phone uses."""

    exchanges = 0  # requests sent by all browsers (for the client's CPU per request)

    def __init__(self, port: int, jar: Jar | None = None) -> None:
        self.port = port
        self.jar = jar or Jar()  # a phone's two connections share one
        self.host_line = f"Host: {HOST}:{port}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reconnects = 0

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def _exchange(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        self.writer.write(request)
        await self.writer.drain()
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise ConnectionResetError("connection closed") from exc
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            key = name.lower()
            if key == "set-cookie":
                self.jar.set(value)
            else:
                headers[key] = value.strip()
        if "transfer-encoding" in headers:
            raise HttpError("chunked responses are not expected")
        length = int(headers.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data

    def build(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> bytes:
        """The request's bytes, to send once or (a phone's poll) again and again."""
        extra = "".join(f"{key}: {value}\r\n" for key, value in (headers or {}).items())
        if body or method == "POST":
            extra += f"Content-Length: {len(body)}\r\n"
        return (
            f"{method} {path} HTTP/1.1\r\n".encode("latin-1")
            + self.host_line
            + self.jar.line()
            + extra.encode("latin-1")
            + b"\r\n"
            + body
        )

    async def send(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        Browser.exchanges += 1
        for attempt in (1, 2):
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    return await self._exchange(request)
            except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
                # A keep-alive connection the server closed while idle: open a new one, once.
                await self.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        return await self.send(self.build(method, path, body, headers))

    async def get(self, path: str, accept: str = "text/html", **extra: str):
        return await self.request("GET", path, headers={"Accept": accept, **extra})

    async def post_form(self, path: str, data: dict[str, str], accept: str = "text/html"):
        return await self.request(
            "POST",
            path,
            urlencode(data).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )


def location(headers: dict[str, str]) -> str:
    parts = urlsplit(headers.get("location", ""))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def must(pattern: re.Pattern, body: bytes, what: str) -> str:
    match = pattern.search(body.decode("utf-8", "replace"))
    if not match:
        raise HttpError(f"no {what} on the page")
    return match.group(1)


# --- what is measured ---------------------------------------------------------------------------


@dataclass
class Results:
    errors: list[str] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    static_ms: list[float] = field(default_factory=list)
    facilitator_ms: list[float] = field(default_factory=list)
    follow_s: list[float] = field(default_factory=list)
    acknowledged: set[tuple[str, str]] = field(default_factory=set)  # (name, item)
    ack_at: dict[str, list[float]] = field(default_factory=dict)  # item -> times of 200s
    done_per_slide: dict[str, int] = field(default_factory=dict)
    projector: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    answers_sent: int = 0
    shed: dict[str, int] = field(default_factory=lambda: {"state": 0, "answer": 0})
    polls_304: int = 0
    joined: int = 0
    saw_end: int = 0
    reconnects: int = 0
    loop_lag_ms: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


@dataclass
class Plan:
    port: int
    code: str
    round_id: int
    phones: int
    slides: list[tuple[str, list[str]]]  # the slides walked
    all_slides: list[tuple[str, list[str]]]
    window: float
    read: float
    gap: float
    deadline: float
    moved_at: dict[str, float] = field(default_factory=dict)  # slide id -> move sent
    finished: asyncio.Event = field(default_factory=asyncio.Event)


# --- the actors ---------------------------------------------------------------------------------


async def phone(n: int, plan: Plan, results: Results, rng: random.Random, join_s: float) -> None:
    browser = Browser(plan.port)
    name = f"Osallistuja {n}"
    try:
        await asyncio.sleep(rng.uniform(0, join_s))  # people join over a while
        status, headers, _ = await browser.get(f"/join?{urlencode({'code': plan.code.lower()})}")
        if status != 302:
            raise HttpError(f"join by code gave {status}")
        join_path = location(headers)
        _, _, body = await browser.get(join_path)
        form = {
            "csrf_token": must(_CSRF_INPUT, body, "CSRF token"),
            "nonce": must(_NONCE, body, "nonce"),
            "name": name,
        }
        status, headers, _ = await browser.post_form(join_path, form)
        if status != 302:
            raise HttpError(f"join post gave {status}")
        link = location(headers)
        await browser.get(link)
        status, _, body = await browser.get(f"{link}/live")
        if status != 200:
            raise HttpError(f"live page gave {status}")
        csrf = must(_CSRF_META, body, "csrf-token meta")
        results.joined += 1
    except Exception as exc:  # noqa: BLE001 - every failure is a reported error
        results.errors.append(f"phone {n} could not join: {exc!r}")
        await browser.close()
        return

    slide_id, etag, interval = "", "", 1.2
    voting: asyncio.Task | None = None
    # A vote is sent while a poll may be waiting: like a browser, the phone then uses a
    # second connection (with the same cookies).
    poster = Browser(plan.port, browser.jar)
    answer_path = f"{link}/live/answer"
    answer_headers = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf}
    poll, poll_for = b"", ("", "", -1)  # the poll's bytes, built again when what it says changes

    async def vote(slide: str, items: list[str], answered: dict) -> None:
        while slide not in plan.moved_at:  # the first slide is shown before everyone joined
            await asyncio.sleep(0.2)
        moved = plan.moved_at[slide]
        for k, item in enumerate(items):
            if item in answered:
                continue
            due = moved + plan.read + k * plan.gap + rng.uniform(0, plan.window)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            value = None if rng.random() < 0.08 else rng.randint(0, 4)
            post = poster.build(
                "POST",
                answer_path,
                b'{"item": "%s", "value": %s}' % (item.encode(), b"null" if value is None else b"%d" % value),
                answer_headers,
            )
            started = time.perf_counter()
            results.answers_sent += 1
            attempt = 0
            while True:  # as live.js: sent until acknowledged, waiting longer after each 503
                try:
                    status, _, reply = await poster.send(post)
                except Exception as exc:  # noqa: BLE001
                    results.errors.append(f"answer {item} of phone {n}: {exc!r}")
                    return
                if status != 503 or time.perf_counter() > plan.deadline:
                    break
                results.shed["answer"] += 1
                wait = min(4.0, json.loads(reply)["retry_ms"] / 1000 * 2 ** min(attempt, 4))
                await asyncio.sleep(wait * (0.5 + rng.random()))
                attempt += 1
            done = time.perf_counter()
            if status != 200:
                results.errors.append(f"answer {item} of phone {n}: HTTP {status} {reply[:80]!r}")
                continue
            results.answer_ms.append((done - started) * 1000)
            results.acknowledged.add((name, item))
            results.ack_at.setdefault(item, []).append(done)
        results.done_per_slide[slide] = results.done_per_slide.get(slide, 0) + 1

    try:
        await asyncio.sleep(rng.uniform(0, interval))
        while time.perf_counter() < plan.deadline:
            if poll_for != (slide_id, etag, browser.jar.version):
                headers = {"Accept": "application/json"}
                if etag:
                    headers["If-None-Match"] = etag
                poll = browser.build(
                    "GET", f"{link}/live/state?{urlencode({'have': slide_id})}", headers=headers
                )
                poll_for = (slide_id, etag, browser.jar.version)
            started = time.perf_counter()
            try:
                status, reply_headers, body = await browser.send(poll)
            except Exception as exc:  # noqa: BLE001
                results.errors.append(f"state poll of phone {n}: {exc!r}")
                await asyncio.sleep(2.5)
                continue
            results.poll_ms.append((time.perf_counter() - started) * 1000)
            if status == 304:
                results.polls_304 += 1
            elif status == 503:
                results.shed["state"] += 1
                await asyncio.sleep(json.loads(body)["retry_ms"] / 1000 * (0.5 + rng.random()))
                continue
            elif status != 200:
                results.errors.append(f"state poll of phone {n}: HTTP {status}")
            else:
                state = json.loads(body)
                etag = reply_headers.get("etag", "")
                interval = state.get("poll_ms", 1200) / 1000
                if state["status"] == "ended":
                    results.saw_end += 1
                    break
                if state["status"] == "voting" and state["slide"]["id"] != slide_id:
                    if "texts" not in state["slide"]:
                        slide_id, etag = "", ""
                        continue
                    slide_id = state["slide"]["id"]
                    moved = plan.moved_at.get(slide_id)
                    if moved is not None:
                        results.follow_s.append(time.perf_counter() - moved)
                    voting = asyncio.create_task(vote(slide_id, state["slide"]["items"], state["answers"]))
            await asyncio.sleep(interval)
    finally:
        if voting is not None and not voting.done():
            voting.cancel()
        results.reconnects += browser.reconnects + poster.reconnects
        await browser.close()
        await poster.close()


async def sign_in(port: int) -> Browser:
    lead = Browser(port)
    _, _, body = await lead.get("/login")
    status, _, _ = await lead.post_form(
        "/login",
        {"csrf_token": must(_CSRF_INPUT, body, "CSRF token"), "username": LEAD[0], "password": LEAD[1]},
    )
    if status != 302:
        raise HttpError(f"sign-in gave {status}")
    return lead


async def projector(plan: Plan, results: Results, screen: Browser) -> None:
    path = f"/assessments/{plan.round_id}/workshop/state"
    while not plan.finished.is_set() and time.perf_counter() < plan.deadline:
        started = time.perf_counter()
        try:
            status, _, body = await screen.get(path, "application/json")
        except Exception as exc:  # noqa: BLE001
            results.errors.append(f"projector poll: {exc!r}")
            status, body = 0, b""
        if status == 200:
            state = json.loads(body)
            results.projector.append((time.perf_counter(), {i["id"]: i["answered"] for i in state["items"]}))
        elif status:
            results.errors.append(f"projector poll: HTTP {status}")
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))


async def loop_lag(plan: Plan, results: Results) -> None:
    """How late the client's own event loop wakes up (asked for every 20 ms): every round trip
    measured includes such a delay, which is the client's, not the server's."""
    while not plan.finished.is_set() and time.perf_counter() < plan.deadline:
        asked = time.perf_counter()
        await asyncio.sleep(0.02)
        results.loop_lag_ms.append((time.perf_counter() - asked - 0.02) * 1000)


async def static_reader(plan: Plan, results: Results, url: str, rng: random.Random) -> None:
    browser = Browser(plan.port)
    await asyncio.sleep(rng.uniform(0, 1))
    while not plan.finished.is_set() and time.perf_counter() < plan.deadline:
        started = time.perf_counter()
        try:
            status, _, _ = await browser.get(url, "text/css", **{"Accept-Encoding": "gzip"})
            if status == 200:
                results.static_ms.append((time.perf_counter() - started) * 1000)
            else:
                results.errors.append(f"static file: HTTP {status}")
        except Exception as exc:  # noqa: BLE001
            results.errors.append(f"static file: {exc!r}")
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
    await browser.close()


async def facilitator(
    plan: Plan, results: Results, lead: Browser, slide_timeout: float, join_s: float
) -> None:
    base = f"/assessments/{plan.round_id}/workshop"
    _, _, body = await lead.get(base)
    csrf = must(_CSRF_META, body, "csrf-token meta")

    async def post(action: str, data: dict[str, str]) -> None:
        started = time.perf_counter()
        status, _, reply = await lead.request(
            "POST",
            f"{base}/{action}",
            urlencode(data).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "X-CSRFToken": csrf,
            },
        )
        results.facilitator_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            results.errors.append(f"facilitator {action}: HTTP {status} {reply[:120]!r}")

    until = time.perf_counter() + join_s + 30
    while results.joined < plan.phones and time.perf_counter() < until:
        await asyncio.sleep(0.2)
    await asyncio.sleep(3)  # everyone's first poll
    for position, (slide_id, _items) in enumerate(plan.slides):
        plan.moved_at[slide_id] = time.perf_counter()
        await post("move", {"to": str(position)})
        until = time.perf_counter() + slide_timeout
        while time.perf_counter() < min(until, plan.deadline):
            if results.done_per_slide.get(slide_id, 0) >= results.joined:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # the room looks at the counts reaching everyone
        await post("reveal", {"value": "1"})
        await asyncio.sleep(1.0)
    await post("move", {"to": str(len(plan.all_slides))})  # the end
    until = time.perf_counter() + 10
    while results.saw_end < results.joined and time.perf_counter() < until:
        await asyncio.sleep(0.2)
    plan.finished.set()


# --- the server and its CPU ---------------------------------------------------------------------


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
        row = rounds.open_round(
            db,
            org_id=org["id"],
            year=2026,
            questionnaire=questionnaire,
            content_version=content.version,
            created_by=admin["id"],
            anonymous=False,
        )
    finally:
        db.conn.close()
    walk = workshop.build_slides(content, content.questionnaire(questionnaire))
    return row, [(s.id, list(s.items)) for s in walk]


def serve_command(port: int, workers: int, threads: int) -> list[str]:
    script = Path(sys.executable).with_name("assess")
    base = [str(script)] if script.exists() else [shutil.which("assess") or "assess"]
    return [
        *base,
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]


def wait_ready(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    import http.client

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
            time.sleep(0.3)
    raise RuntimeError("the server did not start in time")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class CpuMeter(threading.Thread):
    """Samples every second the CPU use of the server (its processes) and of this load client
    (this process, all threads): mean and peak, in cores. The client shares the machine's
    cores: when it nears one full core its event loop lags and every round trip it measures
    grows, so a room's figures are only the server's while the client stays well below it."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[float] = []
        self.client: list[float] = []
        self.client_total = 0.0  # this process's CPU seconds while sampling
        self.stop = threading.Event()

    def run(self) -> None:
        last, own, at = tree_cpu(self.pid), time.process_time(), time.perf_counter()
        while not self.stop.wait(1.0):
            cpu, mine, now = tree_cpu(self.pid), time.process_time(), time.perf_counter()
            self.samples.append((cpu - last) / (now - at))
            self.client.append((mine - own) / (now - at))
            self.client_total += mine - own
            last, own, at = cpu, mine, now


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def freshness(results: Results) -> tuple[list[float], int]:
    """Per vote: from its 200 to the first projector state whose count includes it (the r-th
    acknowledgement of a statement is shown once the count reaches r)."""
    delays: list[float] = []
    unseen = 0
    polls = sorted(results.projector)
    for item, times in results.ack_at.items():
        for rank, ok_at in enumerate(sorted(times), start=1):
            seen = next((t for t, counts in polls if t >= ok_at and counts.get(item, 0) >= rank), None)
            if seen is None:
                unseen += 1
            else:
                delays.append(seen - ok_at)
    return delays, unseen


async def run_room(args: argparse.Namespace, row: dict, slides: list, port: int, results: Results) -> None:
    plan = Plan(
        port=port,
        code=row["join_code"],
        round_id=row["id"],
        phones=args.phones,
        slides=slides[: args.slides] if args.slides else slides,
        all_slides=slides,
        window=args.window,
        read=args.read,
        gap=args.gap,
        deadline=time.perf_counter() + args.deadline,
    )
    lead = await sign_in(port)
    _, _, body = await lead.get(f"/assessments/{row['id']}/round")
    status, _, _ = await lead.post_form(
        f"/assessments/{row['id']}/workshop/start", {"csrf_token": must(_CSRF_INPUT, body, "CSRF token")}
    )
    if status != 302:
        raise HttpError(f"starting the workshop gave {status}")
    css = _APP_CSS.search(body.decode())  # the round page links the versioned stylesheet
    screen = Browser(port, Jar(lead.jar.cookies))
    rng = random.Random(args.seed)
    tasks = [
        asyncio.create_task(phone(n, plan, results, random.Random(rng.random()), args.join))
        for n in range(1, args.phones + 1)
    ]
    tasks.append(asyncio.create_task(projector(plan, results, screen)))
    tasks.append(asyncio.create_task(loop_lag(plan, results)))
    if css:
        tasks += [
            asyncio.create_task(static_reader(plan, results, css.group(1), random.Random(rng.random())))
            for _ in range(args.static_readers)
        ]
    try:
        await asyncio.wait_for(
            facilitator(plan, results, lead, args.slide_timeout, args.join),
            max(1.0, plan.deadline - time.perf_counter()),
        )
    except TimeoutError:
        results.errors.append("the workshop did not finish before --deadline")
    plan.finished.set()
    await asyncio.wait(tasks, timeout=15)
    for task in tasks:
        task.cancel()
    await lead.close()
    await screen.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="assess serve --workers (default: one per core)",
    )
    parser.add_argument("--threads", type=int, default=8, help="assess serve --threads")
    parser.add_argument("--questionnaire", default="quick")
    parser.add_argument("--slides", type=int, default=0, help="walk only this many slides (0: all)")
    parser.add_argument("--join", type=float, default=20.0, help="seconds over which phones join")
    parser.add_argument(
        "--read", type=float, default=2.5, help="seconds from a move to the first statement's votes"
    )
    parser.add_argument(
        "--window", type=float, default=1.0, help="seconds within which all phones vote on one statement"
    )
    parser.add_argument("--gap", type=float, default=1.5, help="seconds between statements")
    parser.add_argument("--slide-timeout", type=float, default=30.0)
    parser.add_argument("--static-readers", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=400.0, help="hard stop, seconds")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 3 * args.phones + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the server inherits it too
    if wanted < 2 * args.phones + 64:
        print(f"warning: only {wanted} open files allowed for {args.phones} phones", file=sys.stderr)

    temp = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
    instance = temp / "instance"
    row, slides = setup(instance, args.questionnaire)
    port = free_port()
    env = dict(os.environ, ASSESS_INSTANCE_PATH=str(instance))
    log = (temp / "server.log").open("wb")
    server = subprocess.Popen(
        serve_command(port, args.workers, args.threads),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results = Results()
    began = time.perf_counter()
    meter = CpuMeter(server.pid)
    try:
        wait_ready(port, server)
        meter.start()
        asyncio.run(run_room(args, row, slides, port, results))
    finally:
        elapsed = time.perf_counter() - began
        meter.stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()

    db = sqlite3.connect(instance / "assess.db")
    stored = set(
        db.execute(
            "SELECT r.name, x.item FROM answers x JOIN respondents r ON r.id = x.respondent_id "
            "WHERE r.assessment_id = ?",
            (row["id"],),
        ).fetchall()
    )
    db.close()
    walked = slides[: args.slides] if args.slides else slides
    expected = args.phones * sum(len(items) for _s, items in walked)
    lost = len(results.acknowledged - stored)
    delays, unseen = freshness(results)
    answer95 = percentile(results.answer_ms, 95)
    static95 = percentile(results.static_ms, 95)
    cores = os.cpu_count() or 1
    mean_cpu = sum(meter.samples) / len(meter.samples) if meter.samples else float("nan")
    peak_cpu = max(meter.samples, default=float("nan"))
    client_cpu = sum(meter.client) / len(meter.client) if meter.client else float("nan")

    print(
        f"Workshop benchmark: {args.phones} phones, `{args.questionnaire}` "
        f"({len(walked)} of {len(slides)} slides), `assess serve --workers {args.workers} "
        f"--threads {args.threads}`; {machine()}"
    )
    print()
    print(
        "| phones | errors | answers lost | answer p95 | state poll p95 | phones follow a move p95 "
        "| projector shows a vote p95 | answer p95 / static-file p95 | server CPU (of "
        f"{cores} cores) mean / peak |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.phones} | {len(results.errors)} | {lost} | {answer95:.0f} ms "
        f"| {percentile(results.poll_ms, 95):.0f} ms | {percentile(results.follow_s, 95):.2f} s "
        f"| {percentile(delays, 95):.2f} s | {answer95 / static95:.1f} "
        f"| {mean_cpu:.2f} / {peak_cpu:.2f} |"
    )
    print()
    print(
        f"  duration:            {elapsed:.0f} s; phones joined {results.joined}/{args.phones}, "
        f"saw the end {results.saw_end}"
    )
    print(
        f"  votes:               {len(results.acknowledged)} acknowledged of {expected} "
        f"planned ({results.answers_sent} sent); {len(stored)} stored; lost {lost}"
    )
    print(
        f"  answer round trip:   p50 {percentile(results.answer_ms, 50):.0f} ms, p95 "
        f"{answer95:.0f} ms, p99 {percentile(results.answer_ms, 99):.0f} ms, max "
        f"{max(results.answer_ms, default=float('nan')):.0f} ms"
    )
    print(
        f"  state polls:         {len(results.poll_ms)} ({results.polls_304} answered 304), p50 "
        f"{percentile(results.poll_ms, 50):.0f} ms, p95 {percentile(results.poll_ms, 95):.0f} ms"
    )
    print(
        f"  shed with 503:       {results.shed['state']} polls, {results.shed['answer']} answer "
        f"posts (each retried)"
    )
    print(
        f"  facilitator's moves: p50 {percentile(results.facilitator_ms, 50):.0f} ms, p95 "
        f"{percentile(results.facilitator_ms, 95):.0f} ms, max "
        f"{max(results.facilitator_ms, default=float('nan')):.0f} ms"
    )
    print(f"  static file (gzip):  p50 {percentile(results.static_ms, 50):.1f} ms, p95 {static95:.1f} ms")
    print(
        f"  projector shows a vote: p50 {percentile(delays, 50):.2f} s, p95 "
        f"{percentile(delays, 95):.2f} s{f', {unseen} never seen' if unseen else ''}"
    )
    print(
        f"  phones follow a move:   p50 {percentile(results.follow_s, 50):.2f} s, p95 "
        f"{percentile(results.follow_s, 95):.2f} s"
    )
    print(
        f"  load client:         CPU mean {client_cpu:.2f}, peak "
        f"{max(meter.client, default=float('nan')):.2f} (its CPU seconds per second); event "
        f"loop lag p50 {percentile(results.loop_lag_ms, 50):.1f} ms, p95 "
        f"{percentile(results.loop_lag_ms, 95):.1f} ms, max "
        f"{max(results.loop_lag_ms, default=float('nan')):.0f} ms; "
        f"{meter.client_total / max(1, Browser.exchanges) * 1e6:.0f} µs CPU per request "
        f"({Browser.exchanges} requests)"
    )
    print(
        f"  load average:        {' / '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(1 / 5 / 15 min, at the end)"
    )
    print(f"  reconnects:          {results.reconnects}")
    for message in results.errors[:10]:
        print(f"    error: {message}")
    shutil.rmtree(temp, ignore_errors=True)
    ok = not results.errors and lost == 0 and len(results.acknowledged) == expected and not unseen
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
