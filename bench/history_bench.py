"""Benchmark: the history page and the programme follow-up page for a large organisation.

Builds, in a temporary directory, a database with one organisation that has 10 years of
closed team rounds of 200 respondents each on the `full` questionnaire (with agreed stages,
targets, plan entries and programme metric values), starts the app with `assess serve` (the
production server, with its worker processes) on a free loopback port, signs in, warms up, then makes
N sequential GETs of each page and prints p50/p95/p99 in milliseconds with the machine.

Target (issue 6): p95 under 150 ms per page on a 2-core machine. Closed rounds' results are
cached in result_cache on first view (the warm-up), so later views never rescore them.

    .venv/bin/python bench/history_bench.py            # N = 200
    .venv/bin/python bench/history_bench.py -n 50 --keep
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = 10
RESPONDENTS = 200
QUESTIONNAIRE = "full"
USERNAME, PASSWORD = "bench-admin", "bench-salasana-123"


# --- building the database ----------------------------------------------------------------


def build(instance: Path) -> int:
    """Create the database in ``instance``; return the organisation's id."""
    from assess import create_app
    from assess.demo import answer_value
    from assess.metrics import VALUE_KINDS
    from assess.storage import accounts
    from assess.storage.db import open_db, write

    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    content = app.extensions["content"]
    questionnaire = content.questionnaire(QUESTIONNAIRE)
    items = list(questionnaire.items)
    item_year = {i: content.items[i].year for i in items}
    item_area = {i: content.items[i].area for i in items}
    areas = [a.id for a in content.areas]
    first_year = date.today().year - YEARS + 1
    rng = random.Random(6)

    db = open_db(app.config["DATABASE"])
    accounts.create_user(db, USERNAME, PASSWORD, is_admin=True)
    org = accounts.create_org(db, "Vertailukaupunki", start_year=first_year)
    started = time.perf_counter()
    with write(db):
        for n in range(YEARS):
            year = first_year + n
            closed = datetime(year, 3, 20, 12, tzinfo=UTC).isoformat(timespec="seconds")
            cur = db.execute(
                "INSERT INTO assessments (org_id, year, questionnaire, content_version, kind, "
                "status, counts, join_code, created_at, finalised_at) "
                "VALUES (?, ?, ?, ?, 'round', 'final', 1, ?, ?, ?)",
                (org["id"], year, QUESTIONNAIRE, content.version, f"B{n:05d}", closed, closed),
            )
            assessment_id = cur.lastrowid
            db.conn.executemany(
                "INSERT INTO respondents (assessment_id, token_hash, shared, created_at, updated_at) "
                "VALUES (?, ?, 0, ?, ?)",
                [
                    (assessment_id, hashlib.sha256(secrets.token_bytes(16)).hexdigest(), closed, closed)
                    for _ in range(RESPONDENTS)
                ],
            )
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM respondents WHERE assessment_id = ? ORDER BY id", (assessment_id,)
                )
            ]
            levels = {a: min(5.0, 0.5 + 0.45 * n + rng.random()) for a in areas}
            answers = []
            for rid in ids:
                own = {a: level + rng.gauss(0, 0.4) for a, level in levels.items()}
                answers.extend(
                    (rid, item, answer_value(own[item_area[item]], item_year[item], rng), closed)
                    for item in items
                )
            db.conn.executemany(
                "INSERT INTO answers (respondent_id, item, value, updated_at) VALUES (?, ?, ?, ?)",
                answers,
            )
            db.conn.executemany(
                "INSERT INTO agreements (assessment_id, area, agreed_stage, reason, updated_at) "
                "VALUES (?, ?, ?, '', ?)",
                [(assessment_id, a, min(5, int(levels[a])), closed) for a in areas],
            )
            db.conn.executemany(
                "INSERT INTO targets (org_id, year, area, stage) VALUES (?, ?, ?, ?)",
                [(org["id"], year, a, min(5, n + 1)) for a in areas],
            )
            values = []
            for metric_id, (_goal, _action, metric) in content.metrics.items():
                kind = metric.kind if metric.kind in VALUE_KINDS else "count"
                number = None if kind == "text" else float(rng.randint(0, 100))
                text = f"Tilanne {year}" if kind == "text" else None
                values.append((org["id"], year, metric_id, kind, number, text, closed))
            db.conn.executemany(
                "INSERT INTO metric_values (org_id, year, metric, kind, value_num, value_text, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            entries = []
            for k, area in enumerate(areas):
                step = f"{area}-{min(5, n // 2 + 1)}"
                goal = content.goals_for_step(step)[0].goal if content.goals_for_step(step) else None
                status = ("done", "in_progress", "planned", "dropped")[(k + n) % 4]
                done_at = datetime(year, 9, 1, tzinfo=UTC).isoformat() if status == "done" else None
                entries.append(
                    (
                        org["id"],
                        step,
                        goal,
                        f"Toimenpide {year}/{k + 1}",
                        "Hankinnat",
                        year,
                        1 + k % 4,
                        status,
                        closed,
                        closed,
                        done_at,
                    )
                )
            db.conn.executemany(
                "INSERT INTO plan_entries (org_id, step, goal, text, responsible, schedule_year, "
                "schedule_quarter, status, created_at, updated_at, done_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries,
            )
    count = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    print(
        f"Built {YEARS} closed rounds x {RESPONDENTS} respondents x {len(items)} items "
        f"= {count} answers in {time.perf_counter() - started:.1f} s"
    )
    db.conn.close()
    return org["id"]


# --- the server ---------------------------------------------------------------------------


def serve(instance: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    """`assess serve` (the production server, gunicorn) on the instance, in a subprocess."""
    script = Path(sys.executable).with_name("assess")
    return subprocess.Popen(
        [
            str(script),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env={**os.environ, "ASSESS_INSTANCE_PATH": str(instance)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, server: subprocess.Popen) -> None:
    until = time.monotonic() + 60
    while time.monotonic() < until:
        if server.poll() is not None:
            raise SystemExit(f"`assess serve` exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start in time")


class Client:
    """A keep-alive HTTP client that carries the session cookie, like a browser."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Encoding": "gzip",
        }  # as a browser: compressing is part of the cost
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        text = data.decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self) -> None:
        _status, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST", "/login", {"csrf_token": token, "username": USERNAME, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"sign-in failed with status {status}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(client: Client, path: str, n: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        status, _ = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} gave {status}")
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _ = client.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} gave {status}")
    return times


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"nproc {os.cpu_count()}, CPU {model}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="assess serve --workers (default: one per core)",
    )
    parser.add_argument("--threads", type=int, default=8, help="assess serve --threads")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hankintapolku-bench-"))
    instance = tmp / "instance"
    org_id = build(instance)
    port = free_port()
    server = serve(instance, port, args.workers, args.threads)
    try:
        wait_ready(port, server)
        client = Client(port)
        client.sign_in()
        pages = {"history": f"/orgs/{org_id}/history", "programme follow-up": f"/orgs/{org_id}/programme"}
        started = time.perf_counter()
        client.request("GET", pages["history"])
        print(
            f"First history view (scores and caches {YEARS} rounds): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )
        print(f"Machine: {machine()}")
        print(
            f"Server: `assess serve --workers {args.workers} --threads {args.threads}` "
            f"(gunicorn), loopback, gzip; {args.n} sequential GETs per page after "
            f"{args.warmup} warm-up GETs (times are full round trips)"
        )
        failed = False
        for name, path in pages.items():
            times = measure(client, path, args.n, args.warmup)
            p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
            verdict = "OK" if p95 < 150 else "OVER TARGET"
            failed |= p95 >= 150
            print(
                f"{name:20s} {path:28s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"p99 {p99:6.1f} ms  mean {statistics.fmean(times):6.1f} ms  "
                f"[target p95 < 150 ms: {verdict}]"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        if args.keep:
            print(f"Kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
