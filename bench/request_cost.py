"""What one workshop request costs the server, in CPU time: join, answer, poll (full and 304),
the projector's state and the facilitator's move.

Run from the project root (with the project's virtual environment):

    .venv/bin/python bench/request_cost.py                 # 200 phones, 8 statements each
    .venv/bin/python bench/request_cost.py --profile answer   # cProfile of the answers

Unlike bench/workshop_bench.py this is not a load test: it drives the app in this one process
(as `assess serve` configures it: pooled connections, the room gate in front) through its
WSGI entry point, one request at a time, and counts the process's CPU time (time.process_time)
spent inside the app for each request type, so the figures hardly move when other work shares
the machine. The HTTP parsing of the server itself is not included (the same for every request).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
import http.client
import json
import os
import pstats
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess import create_app, workshop  # noqa: E402
from assess.storage import accounts, rounds  # noqa: E402
from assess.storage.db import open_db  # noqa: E402

LEAD = ("vetaja", "bench-salasana-123")
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_NONCE = re.compile(r'name="nonce"[^>]*value="([^"]+)"')


class Meter:
    """WSGI middleware: CPU seconds spent per request kind (set by the caller before each call)."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.kind = "other"
        self.costs: dict[str, list[float]] = defaultdict(list)
        self.reference: dict[str, list[float]] = defaultdict(list)
        self.calls: dict[str, list[int]] = defaultdict(list)
        self.count_calls = False
        self.profile: cProfile.Profile | None = None
        self.profile_kind = ""

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.count_calls:
            # Function calls made by the request: exactly repeatable, unlike CPU time on a
            # shared machine, and close to proportional to it for the same kind of code.
            counter = cProfile.Profile()
            counter.enable()
            try:
                body = b"".join(self.app(environ, start_response))
            finally:
                counter.disable()
                self.calls[self.kind].append(pstats.Stats(counter).total_calls)  # type: ignore[attr-defined]
            return [body]
        profiling = self.profile is not None and self.kind == self.profile_kind
        started = time.process_time()
        if profiling:
            self.profile.enable()  # type: ignore[union-attr]
        try:
            body = b"".join(self.app(environ, start_response))
        finally:
            if profiling:
                self.profile.disable()  # type: ignore[union-attr]
            self.costs[self.kind].append(time.process_time() - started)
            self.reference[self.kind].append(reference_cost())
        return [body]


def reference_cost() -> float:
    """The CPU time of a fixed piece of work, measured next to every request: on a machine
    shared with other work the same request takes more CPU time (caches, shared cores), and
    the ratio of the two stays put (see report())."""
    started = time.process_time()
    data = {"items": [{"id": f"k{i}", "value": i % 5} for i in range(20)]}
    for _ in range(10):
        text = json.dumps(data)
        hmac.new(b"k" * 32, text.encode(), hashlib.sha256).hexdigest()
        json.loads(text)
    return time.process_time() - started


class InProcess:
    """A browser driving the app in this process (Flask's test client)."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        response = self.client.open(path, method=method, data=body, headers=headers or {})
        return response.status_code, dict(response.headers), response.get_data(as_text=True)


class OverHttp:
    """A browser talking to a served app over one keep-alive connection, with its cookies."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.auto_open = 1
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body or None, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected):
                # The server closed the idle keep-alive connection: open a new one, once.
                self.conn.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")


def form(data: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return urlencode(data).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


def scenario(
    new_client: Callable[[], InProcess | OverHttp],
    measure: Callable,
    rid: int,
    code: str,
    slides: list,
    phones_n: int,
    statements: int,
) -> None:
    """The room: the lead starts the workshop, phones join, poll (full, then unchanged), the
    facilitator moves once, everyone answers, the projector polls between statements."""
    lead = new_client()
    _s, _h, page = lead.request("GET", "/login")
    body, headers = form(
        {"username": LEAD[0], "password": LEAD[1], "csrf_token": _CSRF_INPUT.search(page).group(1)}
    )
    lead.request("POST", "/login", body, headers)
    _s, _h, page = lead.request("GET", f"/assessments/{rid}/round")
    body, headers = form({"csrf_token": _CSRF_INPUT.search(page).group(1)})
    status, _h, _b = lead.request("POST", f"/assessments/{rid}/workshop/start", body, headers)
    assert status == 302, status
    _s, _h, page = lead.request("GET", f"/assessments/{rid}/workshop")
    projector_csrf = _CSRF_INPUT.search(page).group(1)

    phones = []
    pages = []
    for _n in range(phones_n):
        phone = new_client()
        _s, _h, html = phone.request("GET", f"/r/{code}")
        pages.append((phone, html))
    with measure("join", phones_n):
        joined = []
        for n, (phone, html) in enumerate(pages):
            body, headers = form(
                {
                    "nonce": _NONCE.search(html).group(1),
                    "name": f"Osallistuja {n}",
                    "csrf_token": _CSRF_INPUT.search(html).group(1),
                }
            )
            status, headers, _b = phone.request("POST", f"/r/{code}", body, headers)
            assert status == 302, status
            joined.append((phone, urlsplit(headers["Location"]).path))
    for phone, link in joined:
        _s, _h, live = phone.request("GET", f"{link}/live")
        phones.append((phone, link, _CSRF_META.search(live).group(1)))

    json_accept = {"Accept": "application/json"}
    for position, slide in enumerate(slides[:2]):
        if position:
            body, headers = form({"to": str(position), "csrf_token": projector_csrf})
            with measure("move", 1):
                status, _h, _b = lead.request(
                    "POST", f"/assessments/{rid}/workshop/move", body, {**headers, **json_accept}
                )
            assert status == 200, status
        etags = []
        with measure("poll", phones_n):
            for phone, link, _token in phones:
                status, headers, _b = phone.request("GET", f"{link}/live/state?have=", headers=json_accept)
                assert status == 200, status
                etags.append(headers["ETag"])
        with measure("poll304", phones_n * 3):
            for _round in range(3):
                for (phone, link, _token), etag in zip(phones, etags, strict=True):
                    status, _h, _b = phone.request(
                        "GET",
                        f"{link}/live/state?have={slide.id}",
                        headers={**json_accept, "If-None-Match": etag},
                    )
                    assert status == 304, status
    items = [item for slide in slides for item in slide.items][:statements]
    for item in items:
        with measure("answer", phones_n):
            for phone, link, token in phones:
                status, _h, data = phone.request(
                    "POST",
                    f"{link}/live/answer",
                    json.dumps({"item": item, "value": 3}).encode(),
                    {"Content-Type": "application/json", "X-CSRFToken": token, **json_accept},
                )
                assert status == 200, data
        with measure("projector", 5):
            for _ in range(5):
                status, _h, _b = lead.request(
                    "GET", f"/assessments/{rid}/workshop/state", headers=json_accept
                )
                assert status == 200, status


def report(
    costs: dict[str, list[float]], title: str, reference: dict[str, list[float]] | None = None
) -> None:
    """Mean CPU per request kind; with ``reference`` also in units of the reference work
    measured next to each request (steady under other load: compare those between runs)."""
    print(title)
    for kind in ("join", "answer", "poll", "poll304", "projector", "move"):
        values = costs.get(kind, [])
        if not values:
            continue
        line = f"  {kind:<10} n={len(values):>5}  {statistics.fmean(values) * 1000:7.3f} ms"
        if reference and reference.get(kind):
            line += f"  {sum(values) / sum(reference[kind]):6.2f} units"
        print(line)


def cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system, all threads) used so far by these processes."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument(
        "--statements", type=int, default=8, help="statements each phone answers (from the first slides)"
    )
    parser.add_argument(
        "--served", action="store_true", help="measure `assess serve --workers 1` over HTTP (server included)"
    )
    parser.add_argument(
        "--calls", action="store_true", help="count Python function calls per request (repeatable) instead"
    )
    parser.add_argument(
        "--profile",
        choices=["join", "answer", "poll", "poll304", "projector"],
        help="print a cProfile of this request kind (in-process only)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="request-cost-") as folder:
        instance = Path(folder)
        settings = {"INSTANCE_PATH": str(instance), "DATABASE": str(instance / "assess.db"), "DB_POOL": True}
        app = create_app(settings)
        db = open_db(app.config["DATABASE"])
        org = accounts.create_org(db, "Hyvinkää")
        lead_user = accounts.create_user(db, LEAD[0], LEAD[1], display_name="Vetäjä")
        accounts.grant(db, lead_user["id"], org["id"], "lead")
        content = app.extensions["content"]
        row = rounds.open_round(
            db,
            org_id=org["id"],
            year=2026,
            questionnaire="quick",
            content_version=content.version,
            created_by=lead_user["id"],
            anonymous=False,
        )
        db.conn.close()
        slides = workshop.build_slides(content, content.questionnaire("quick"))
        (instance / "config.py").write_text(
            "JOIN_BURST_PER_CLIENT = 100000\nJOIN_PER_MINUTE_PER_CLIENT = 100000\n", encoding="utf-8"
        )
        if args.served:
            served(args, instance, row, slides)
            return
        app = create_app(settings)
        meter = Meter(app.wsgi_app)
        app.wsgi_app = meter  # type: ignore[method-assign]
        if args.profile:
            meter.profile, meter.profile_kind = cProfile.Profile(), args.profile
        meter.count_calls = args.calls

        @contextmanager
        def measure(kind: str, _count: int):
            meter.kind = kind
            try:
                yield
            finally:
                meter.kind = "other"

        scenario(
            lambda: InProcess(app), measure, row["id"], row["join_code"], slides, args.phones, args.statements
        )
        if args.calls:
            print(f"Python function calls per request, {args.phones} phones, in the app (mean):")
            for kind in ("join", "answer", "poll", "poll304", "projector", "move"):
                if meter.calls.get(kind):
                    print(
                        f"  {kind:<10} n={len(meter.calls[kind]):>5}  "
                        f"{statistics.fmean(meter.calls[kind]):8.0f} calls"
                    )
            return
        report(
            meter.costs,
            f"CPU per request, {args.phones} phones, in the app (in-process WSGI, process_time, mean):",
            meter.reference,
        )
        if meter.profile is not None:
            pstats.Stats(meter.profile).sort_stats("cumulative").print_stats(45)


def served(args: argparse.Namespace, instance: Path, row: dict, slides: list) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assess = Path(sys.executable).with_name("assess")
    server = subprocess.Popen(
        [str(assess), "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
        env={**os.environ, "ASSESS_INSTANCE_PATH": str(instance)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        until = time.monotonic() + 60
        while True:
            try:
                OverHttp(port).request("GET", "/login")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < until
                time.sleep(0.3)
        workers = children_of(server.pid)
        costs: dict[str, list[float]] = defaultdict(list)

        @contextmanager
        def measure(kind: str, count: int):
            before = cpu_of(workers)
            yield
            costs[kind].extend([(cpu_of(workers) - before) / count] * count)

        scenario(
            lambda: OverHttp(port), measure, row["id"], row["join_code"], slides, args.phones, args.statements
        )
        report(
            costs,
            f"CPU per request, {args.phones} phones, `assess serve --workers 1` "
            "(worker process CPU over each batch / requests, 10 ms ticks):",
        )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
