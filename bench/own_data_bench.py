"""Benchmark: importing a year of purchase invoices (200,000 rows) into a real SQLite file.

Generates the synthetic sample files (tests/data/make_samples.py) into bench/data when they
are missing, then for each encoding variant (UTF-8 with BOM, Windows-1252) times:
- detect: encoding, delimiter, decimal mark and header mapping;
- compute: reading, checking and computing the yearly figures (what `assess spend` does);
- import: compute + storing every row, the suppliers and the figures (`--save`, the web job);
each file in a fresh process, with that process's peak resident size (ru_maxrss), and
then, separately (it slows Python down many times), tracemalloc's peak of Python
allocations during a compute pass.

Targets (issue 17): under 10 s and under 200 MB for the 200,000-row file on this machine.

    .venv/bin/python bench/own_data_bench.py            # 200,000 rows
    .venv/bin/python bench/own_data_bench.py --rows 50000
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess import own_import  # noqa: E402
from assess.storage import accounts  # noqa: E402
from assess.storage.db import open_db  # noqa: E402
from assess.storage.schema import migrate  # noqa: E402
from tests.data import make_samples  # noqa: E402

DATA = ROOT / "bench" / "data"


def child(path: Path, suppliers: Path) -> None:
    """One measurement in a fresh process, so its peak resident size is its own."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        migrate(db)
        org = accounts.create_org(db, "Hyvinkää")
        start = time.perf_counter()
        detected = own_import.detect_invoices(path)
        detect_s = time.perf_counter() - start
        start = time.perf_counter()
        result = own_import.import_invoices(None, None, path, detected, suppliers, ["Hyvinkää"])
        compute_s = time.perf_counter() - start
        start = time.perf_counter()
        own_import.import_invoices(
            db, org["id"], path, detected, suppliers, ["Hyvinkää"], file_name=path.name
        )
        import_s = time.perf_counter() - start
        rows = db.execute("SELECT COUNT(*) FROM invoice_rows").fetchone()[0]
        db.conn.close()
    year = result.contract()["years"]["2025"]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {rows} rows stored "
        f"({detected.encoding_label}, '{detected.delimiter}', decimal '{detected.decimal}')"
    )
    print(
        f"  detect {detect_s * 1000:.0f} ms | compute only {compute_s:.2f} s | import "
        f"(compute + store, one pass) {import_s:.2f} s | process peak RSS {rss_mb:.0f} MB"
    )
    print(
        f"  2025: total {year['total_eur']:.2f} EUR, local share {year['local_share']}, "
        f"excluded {year['excluded_rows']} rows"
    )
    # Python's own allocations at their peak during a compute pass (tracemalloc slows the
    # pass many times over, so it is measured on its own, never inside the timings above).
    tracemalloc.start()
    own_import.import_invoices(None, None, path, detected, suppliers, ["Hyvinkää"])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  traced peak of Python allocations while computing: {peak / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    suppliers = DATA / "suppliers.csv"
    if args.child:
        child(args.child, suppliers)
        return
    marker = DATA / f".rows-{args.rows}"
    if not marker.exists():
        for old in DATA.glob(".rows-*"):
            old.unlink()
        make_samples.write(DATA, args.rows, 300)
        marker.touch()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" (shared with other work: figures vary)"
    )
    for name in ("invoices_utf8.csv", "invoices_cp1252.csv"):
        subprocess.run([sys.executable, __file__, "--child", str(DATA / name)], check=True)


if __name__ == "__main__":
    main()
