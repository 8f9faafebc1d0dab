"""Benchmark: the benchmark page with 400 organisations x 10 years.

Builds, in a temporary directory, a database of 400 consenting organisations (profiles
spread over every type, size band and region) with a final, counted single assessment for
each of 10 years (a quarter on the `full` questionnaire, the rest on `quick`), starts the
app under waitress (the production server) in a subprocess on a free loopback port, signs
in, warms up (the first view scores the year's 400 assessments once and keeps the stages
in benchmark_scores), then makes N sequential GETs of the page and prints
p50/p95/p99 in milliseconds with the machine.

Target (issue 16): p95 under 150 ms. Runs in well under a minute.

    .venv/bin/python bench/benchmark_bench.py            # N = 100
    .venv/bin/python bench/benchmark_bench.py -n 50 --keep
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from history_bench import PASSWORD, USERNAME, Client, machine, measure, percentile  # noqa: E402

ORGS = 400
YEARS = 10


def build(instance: Path) -> int:
    """Create the database in ``instance``; return the id of the organisation that looks."""
    from assess import create_app
    from assess.demo import answer_value
    from assess.storage import accounts
    from assess.storage.db import open_db, write

    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    content = app.extensions["content"]
    classes = app.extensions["profile_classes"]
    first_year = date.today().year - YEARS + 1
    rng = random.Random(16)
    questionnaires = {q: list(content.questionnaire(q).items) for q in ("quick", "full")}
    db = open_db(app.config["DATABASE"])
    accounts.create_user(db, USERNAME, PASSWORD, is_admin=True)
    started = time.perf_counter()
    answers_written = 0
    with write(db):
        for n in range(ORGS):
            org = accounts.create_org(db, f"Vertailuorganisaatio {n + 1}", start_year=first_year)
            org_type = classes.types[n % len(classes.types)] if n % 3 else classes.types[0]
            sizes = classes.sizes_for(org_type.id)
            db.execute(
                "INSERT INTO org_profiles (org_id, org_type, size_class, region, consent, "
                "updated_at) VALUES (?, ?, ?, ?, 1, ?)",
                (
                    org["id"],
                    org_type.id,
                    sizes[n % len(sizes)].id,
                    classes.regions[n % len(classes.regions)].id,
                    "2025-01-01T00:00:00+00:00",
                ),
            )
            questionnaire = "full" if n % 4 == 0 else "quick"
            items = questionnaires[questionnaire]
            base = rng.uniform(0.0, 1.5)
            for y in range(YEARS):
                closed = datetime(first_year + y, 3, 20, 12, tzinfo=UTC).isoformat()
                cur = db.execute(
                    "INSERT INTO assessments (org_id, year, questionnaire, content_version, kind, "
                    "status, counts, created_at, finalised_at, revision) "
                    "VALUES (?, ?, ?, ?, 'single', 'final', 1, ?, ?, 1)",
                    (org["id"], first_year + y, questionnaire, content.version, closed, closed),
                )
                rid = db.execute(
                    "INSERT INTO respondents (assessment_id, shared, created_at, "
                    "updated_at) VALUES (?, 1, ?, ?)",
                    (cur.lastrowid, closed, closed),
                ).lastrowid
                level = base + 0.35 * y
                rows = [(rid, i, answer_value(level, content.items[i].year, rng), closed) for i in items]
                db.conn.executemany(
                    "INSERT INTO answers (respondent_id, item, value, updated_at) VALUES (?, ?, ?, ?)", rows
                )
                answers_written += len(rows)
            if n == 0:
                looking = org["id"]
    print(
        f"Built {ORGS} organisations x {YEARS} years ({answers_written} answers) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    db.conn.close()
    return looking


def serve(instance: str) -> None:
    """Child process: serve the app with waitress on a free loopback port, print the port."""
    from waitress.server import create_server

    from assess import create_app

    app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="hankintapolku")
    print(f"PORT {server.effective_port}", flush=True)
    server.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100, help="measured requests")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--serve", metavar="INSTANCE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    tmp = Path(tempfile.mkdtemp(prefix="hankintapolku-benchmark-"))
    instance = tmp / "instance"
    org_id = build(instance)
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(instance)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=BENCH.parent,
    )
    failed = False
    try:
        line = server.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit(f"the server did not start: {line!r}")
        client = Client(int(line.split()[1]))
        client.sign_in()
        path = f"/orgs/{org_id}/benchmark"
        started = time.perf_counter()
        client.request("GET", path)
        print(
            f"First view (scores the latest year's {ORGS} assessments once): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )
        print(f"Machine: {machine()}")
        print(
            f"Server: waitress, 4 threads, loopback; {args.n} sequential GETs after "
            f"{args.warmup} warm-up GETs (times are full round trips)"
        )
        for name, url in (("benchmark", path), ("benchmark, full only", path + "?questionnaire=full")):
            times = measure(client, url, args.n, args.warmup)
            p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
            verdict = "OK" if p95 < 150 else "OVER TARGET"
            failed |= p95 >= 150
            print(
                f"{name:22s} median {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                f"mean {statistics.fmean(times):6.1f} ms  [target p95 < 150 ms: {verdict}]"
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
