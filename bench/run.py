"""``make bench``: reproducible benchmarks, written to ``bench/results.json``.

Shared build machines are noisy, so every figure is paired with a baseline measured in the same run
and reported as a ratio as well as a raw value; compare ratios between runs, not raw values.

- ``workdays.add_working_days`` and ``workdays.working_time_between`` on the national calendar under
  the Government's 2026 schedule, against a naive day-by-day weekday loop (same inputs, same run).
  Rounds are interleaved (baseline, subject, baseline, subject, …) and the median is reported.
- ``GET /healthz`` on the production server (``motcua serve``: gunicorn) under ``wrk`` at 64
  connections: requests per second and latency percentiles. It is the baseline that later endpoints
  are compared with, so its own ratio is 1.0.
- The catalogue: ``motcua catalog import`` of 2,000 generated procedures (a province's whole catalogue,
  after ``motcua demo`` has created the agencies they name), timed against the same command importing an
  empty document (the command's fixed cost); then ``GET /api/v1/procedures?q=…`` rotating over 20
  realistic queries (with and without diacritics) against ``GET /healthz``, both measured the same way:
  wrk with a Lua script that rotates the paths and prints the exact p50/p95 from wrk's histogram, in
  interleaved rounds (healthz, search, search, healthz, …); medians of the rounds, and the median
  per-round ratio. At 1 connection (``-t1 -c1``: each request waits for the previous answer) for the
  latency a request takes, which the targets are about — p95 under 20 ms, ratio within 3× —; and at 8
  connections (``-t2 -c8``) for requests per second and the p95 under moderate load (with queueing once
  the cores are busy).
- The one-stop dossiers (``bench/dossiers.py``): the province completed around the demo's to 130 agencies (15
  departments, the service centre and its 2 branches, 111 communes, the UBND tỉnh), then ``--dossiers`` generated
  dossiers (1,000,000 by default: 5 years, ~95 % closed; each resolved by a department or a commune, ~15 % received at
  another agency's desk — the centre, a branch, a commune), bulk-loaded straight into the dossier table — ``COPY`` on
  PostgreSQL, multi-row ``INSERT`` batches on SQLite — with the agencies taking part in each and the statistics
  ledger, with the generator's time and rows/s. Then, each against ``/healthz`` measured the same way in interleaved
  rounds (medians; the median per-round ratio): ``POST /api/v1/dossiers`` by 16 desk clients (wrk ``-t2 -c16``,
  ``--dossier-connections``), intakes/s and p50/p95/p99, target ≥ 200/s, with every acknowledged code found in the
  database afterwards and all codes unique and gap-free per agency and day; ``GET /api/v1/dossiers/{code}`` over the
  demo's dossiers (with their steps and timeline) at 1 and 8 connections, p50/p95; the division leader's work queue
  ``GET /api/v1/dossiers?queue=division&overdue=true`` and the default queue, by 16 users, p50/p95, target p50 under
  25 ms; the one-agency resolution report ``GET /api/v1/reports/resolution`` (the demo department's six months, one row
  per procedure) by its director at 1 and 4 connections, p50/p95.
- The public portal (``bench/portal.py``): the dossier look-up ``GET /api/v1/public/dossiers/{code}?check=NNNN``
  with the right factor, rotating over 400 of the demo's dossiers, each request from the next of 4,096 client
  addresses (X-Forwarded-For behind one proxy), at ``--connections`` (64): requests/s as a ratio to ``/healthz``
  measured the same way in interleaved rounds, and p50/p99; targets ≥ 0.5× and p99 < 50 ms. The look-up's limits
  are checked on every request (failures only are counted); the bench server alone runs with them out of reach
  (``portal.SERVER_ENV``).

- The resolution report (``bench/reports.py``; alone: ``make bench-reports``), in a database of its own:
  ``--report-dossiers`` generated dossiers (1,000,000 by default, to keep ``make bench`` within minutes;
  10,000,000 with ``make bench-reports``; the same province, 5 years) and their statistics ledger, bulk-loaded; then
  the six-month report up to last month's data cut-off for all agencies and for the demo agency through the
  ledger (``reports.selectors.resolution``) against the naive GROUP BY over the dossier table
  (``reports.naive``), checked equal on every flow and the open total, ``--report-runs`` interleaved runs of each
  after a warm-up: median and p95; targets one agency < 100 ms, all agencies < 500 ms, ≥ 20× faster than naive.

The server runs against a fresh temporary DATA_DIR and a throw-away database: SQLite by default, or,
when DATABASE_URL points at PostgreSQL, a database ``motcua_bench_<pid>`` created on that server (the
database named in DATABASE_URL is used only to create and drop it). Only loopback addresses are used.

- The document search (``bench/documents.py``; alone: ``make bench-documents``), in a database of its own:
  ``--search-documents`` generated official documents (200,000 by default; 1,000,000 with ``make
  bench-documents``), bulk-loaded and indexed with ``motcua reindex_documents``'s rebuild, then ``GET
  /api/v1/documents?q=…`` rotating over 20 queries against ``/healthz`` measured the same way at 1 and
  ``--search-connections`` connections; target p95 under 50 ms. Written under ``"documents_search"``.

Usage: ``.venv/bin/python bench/run.py [--duration 10] [--connections 64] [--search-connections 8]
[--procedures 2000] [--dossiers 1000000] [--dossier-connections 16] [--skip-http] [--skip-search] [--skip-portal]
[--report-dossiers 1000000] [--report-runs 20] [--skip-reports] [--search-documents 200000] [--skip-documents]
[--output FILE]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BIN = Path(sys.prefix) / "bin"
LOOPBACK = "127.0.0.1"
SEED = 20260101

# Workday loops: each timed run stops at whichever comes first, so the whole part stays bounded.
ROUNDS = 7
ROUND_SECONDS = 0.3
ROUND_MAX_OPS = 200_000
INPUTS = 5_000


# ---------------------------------------------------------------------------------------------------------
# Results


def result(name: str, value: float, unit: str, baseline: float, notes: str, *, lower_is_better: bool = False) -> dict:
    ratio = value / baseline if baseline else None
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": round(baseline, 3),
        "ratio": round(ratio, 3) if ratio is not None else None,
        "notes": notes + (" Ratio = value / baseline; lower is better." if lower_is_better else
                          " Ratio = value / baseline; higher is better."),
    }


def print_table(machine: dict, results: Sequence[dict]) -> None:
    print()
    print(f"motcua bench — {machine['cores']} cores, Python {machine['python']}, {machine['database']}, "
          f"{machine['date']}")
    header = f"{'figure':<44} {'value':>14} {'unit':<10} {'baseline':>14} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['name']:<44} {r['value']:>14,.1f} {r['unit']:<10} {r['baseline']:>14,.1f} {ratio:>8}")
    print()


# ---------------------------------------------------------------------------------------------------------
# Working-day arithmetic


def calendar_2026() -> Any:
    """The national calendar under the Government's 2026 schedule, as the demo agency has it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.core.national_holidays import national_calendar
    from motcua.demo import OVERRIDES_2026  # the one copy of the 2026 schedule in the code base

    days_off = {dt.date.fromisoformat(d): name for d, kind, name, _ in OVERRIDES_2026 if kind == "holiday"}
    days_worked = {dt.date.fromisoformat(d): name for d, kind, name, _ in OVERRIDES_2026 if kind == "working_day"}
    return national_calendar(days_off=days_off, days_worked=days_worked)


def random_instants(rng: random.Random, zone: Any, n: int) -> list[dt.datetime]:
    """Instants from 2024-01-01 to 2027-12-31 at any minute of the day (inside office hours or not)."""
    first, last = dt.date(2024, 1, 1).toordinal(), dt.date(2027, 12, 31).toordinal()
    return [
        dt.datetime.combine(dt.date.fromordinal(rng.randint(first, last)), dt.time(), tzinfo=zone)
        + dt.timedelta(minutes=rng.randrange(24 * 60))
        for _ in range(n)
    ]


ONE_DAY = dt.timedelta(days=1)


def naive_add_weekdays(start: dt.datetime, n: int) -> dt.datetime:
    """The baseline: step one calendar day at a time, counting Monday–Friday only (no holidays)."""
    d = start
    while n:
        d += ONE_DAY
        if d.weekday() < 5:
            n -= 1
    return d


def naive_weekdays_between(start: dt.datetime, end: dt.datetime) -> int:
    """The baseline: count Monday–Friday days from ``start`` to ``end`` one calendar day at a time."""
    d, count = start, 0
    while d < end:
        d += ONE_DAY
        if d.weekday() < 5:
            count += 1
    return count


def ops_per_second(fn: Callable[..., object], inputs: Sequence[tuple], seconds: float, max_ops: int) -> float:
    """Calls of ``fn`` per second over ``inputs`` (cycled), stopping after ``seconds`` or ``max_ops``."""
    done = 0
    clock = time.perf_counter
    started = clock()
    deadline = started + seconds
    while done < max_ops:
        chunk = inputs[: max_ops - done]
        for args in chunk:
            fn(*args)
        done += len(chunk)
        if clock() >= deadline:
            break
    return done / (clock() - started)


def paired(subject: Callable[..., object], baseline: Callable[..., object], inputs: Sequence[tuple],
           base_inputs: Sequence[tuple]) -> tuple[float, float, float]:
    """Median subject rate, median baseline rate and median per-round ratio over interleaved rounds."""
    subject_rates, baseline_rates, ratios = [], [], []
    for i in range(ROUNDS):
        order = [(baseline, base_inputs, baseline_rates), (subject, inputs, subject_rates)]
        if i % 2:  # alternate which one goes first, so neither always gets the warmer CPU
            order.reverse()
        for fn, args, rates in order:
            rates.append(ops_per_second(fn, args, ROUND_SECONDS, ROUND_MAX_OPS))
        ratios.append(subject_rates[-1] / baseline_rates[-1])
    return statistics.median(subject_rates), statistics.median(baseline_rates), statistics.median(ratios)


def bench_workdays() -> list[dict]:
    from motcua.core import workdays

    cal = calendar_2026()
    rng = random.Random(SEED)
    starts = random_instants(rng, cal.zone, INPUTS)
    amounts = [rng.randint(1, 60) for _ in range(INPUTS)]
    add_inputs = [(s, n, cal) for s, n in zip(starts, amounts, strict=True)]
    add_base_inputs = [(s, n) for s, n in zip(starts, amounts, strict=True)]
    ends = [s + dt.timedelta(minutes=rng.randrange(1, 120 * 24 * 60)) for s in random_instants(rng, cal.zone, INPUTS)]
    between_inputs = [(s, e, cal) for s, e in zip(starts, ends, strict=True)]
    between_base_inputs = [(s, e) for s, e in zip(starts, ends, strict=True)]

    # Warm-up: compute every year's holiday table once (2024–2028 after the longest addition), so that
    # the steady state is measured, as in a server process that has answered a few requests.
    for args in add_inputs:
        workdays.add_working_days(*args)
    for args in between_inputs:
        workdays.working_time_between(*args)

    common = (f"{INPUTS} fixed random inputs (seed {SEED}), starts 2024–2027 at any minute, Asia/Ho_Chi_Minh; "
              f"national calendar + 2026 official schedule overrides; calendar tables warm; median of "
              f"{ROUNDS} interleaved rounds of ≤{ROUND_SECONDS}s/≤{ROUND_MAX_OPS} calls; ratio is the median "
              "per-round ratio.")
    add_rate, add_base, add_ratio = paired(workdays.add_working_days, naive_add_weekdays, add_inputs,
                                           add_base_inputs)
    between_rate, between_base, between_ratio = paired(workdays.working_time_between, naive_weekdays_between,
                                                       between_inputs, between_base_inputs)
    out = [
        result("workdays.add_working_days", add_rate, "ops/s", add_base,
               f"Amounts 1–60 working days. Baseline: naive loop adding the same number of weekdays with "
               f"datetime + timedelta(days=1), one day at a time, no holidays. {common}"),
        result("workdays.working_time_between", between_rate, "ops/s", between_base,
               f"Spans of 1 minute to 120 calendar days. Baseline: naive loop counting weekdays between the "
               f"same instants one calendar day at a time, no holidays or office hours. {common}"),
    ]
    # The ratio of medians and the median of ratios agree on a quiet machine; keep the paired one.
    out[0]["ratio"], out[1]["ratio"] = round(add_ratio, 3), round(between_ratio, 3)
    return out


# ---------------------------------------------------------------------------------------------------------
# HTTP under load


class BenchError(RuntimeError):
    pass


def run(cmd: Sequence[str], env: dict[str, str], timeout: float) -> None:
    print("  $", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode:
        raise BenchError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def project_shell(env: dict[str, str], module: str, code: str, marker: str, timeout: float) -> Any:
    """Run ``code`` in ``motcua shell`` with the bench module ``module`` importable (the half of a bench that
    works inside the project); the JSON it printed after ``marker``."""
    script = f"import sys\nsys.path.insert(0, {str(BENCH_DIR)!r})\nimport {module}\n{code}\n"
    print(f"  $ motcua shell -c '{code.split('(')[0]}(…)'", flush=True)
    proc = subprocess.run([str(BIN / "motcua"), "shell", "-c", script], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)
    if proc.returncode:
        raise BenchError(f"motcua shell ({code}) failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
                         f"{proc.stderr[-6000:]}")
    for line in proc.stdout.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1:])
    raise BenchError(f"motcua shell ({code}) printed no {marker}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_database(data_dir: Path) -> Iterator[tuple[str, str, str]]:
    """(DATABASE_URL for the server, "sqlite"|"postgresql", server version) of a fresh database."""
    given = os.environ.get("DATABASE_URL", "")
    scheme = urllib.parse.urlsplit(given).scheme if given else "sqlite"
    if scheme.startswith("sqlite"):
        # Never the database a DATABASE_URL names: always a new file in the temporary DATA_DIR.
        import sqlite3

        yield f"sqlite:///{data_dir / 'bench.sqlite3'}", "sqlite", sqlite3.sqlite_version
        return
    if scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        raise BenchError(f"DATABASE_URL scheme {scheme!r} is not supported by the bench (sqlite or postgres)")
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(given)
    if parts.hostname not in {None, "", "localhost", "127.0.0.1", "::1"} and not parts.hostname.startswith("/"):
        raise BenchError(f"the bench only uses loopback addresses; DATABASE_URL points at {parts.hostname}")
    name = f"motcua_bench_{os.getpid()}"
    admin_url = urllib.parse.urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        print(f"  creating database {name}", flush=True)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlunsplit(parts._replace(path="/" + name)), "postgresql", version
    finally:
        print(f"  dropping database {name}", flush=True)
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def wait_until_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BenchError(f"the server did not answer {url} within {timeout:.0f}s:\n{log.read_text()[-4000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Gracefully stop the server's whole process group (gunicorn master and workers), then force."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 25), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise BenchError(f"cannot read the latency {text!r} in wrk's output")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/sec, latency percentiles (ms), request count and error counts from ``wrk --latency``."""
    figures: dict[str, float] = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["rps"] = float(m[1])
    if m := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(m[1])
    for pct in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{pct}(?:\.0+)?%\s+(\S+)", output, re.MULTILINE):
            figures[f"p{pct}"] = _ms(m[1])
    figures["non_2xx"] = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        figures["socket_errors"] = sum(int(x) for x in m.groups())
    else:
        figures["socket_errors"] = 0
    missing = {"rps", "requests", "p50", "p99"} - figures.keys()
    if missing:
        raise BenchError(f"wrk's output lacks {sorted(missing)}:\n{output}")
    return figures


def wrk(wrk_bin: str, url: str, connections: int, seconds: int, *, script: Path | None = None,
        request_timeout: int = 5) -> tuple[dict[str, float], str]:
    """One wrk run (with a Lua ``script`` when given): its figures, and its output for what the script
    printed."""
    cmd = [wrk_bin, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout",
           f"{request_timeout}s", "--latency", *(["-s", str(script)] if script else []), url]
    print("  $", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30 + 3 * request_timeout,
                          check=False)
    if proc.returncode:
        raise BenchError(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return parse_wrk(proc.stdout), proc.stdout


def script_percentiles(output: str) -> tuple[float, float]:
    """The exact p50 and p95 (ms) our Lua scripts print from wrk's histogram (its --latency table has no p95)."""
    m = re.search(r"bench-latency-us p50=(\d+) p95=(\d+)", output)
    if not m:
        raise BenchError(f"the Lua script printed no percentiles:\n{output}")
    return int(m[1]) / 1e3, int(m[2]) / 1e3


def _dossiers() -> Any:
    """``bench/dossiers.py``, which takes its helpers from this module under the name ``run`` (also when this
    file runs as ``__main__``, so that its ``BenchError`` is this one)."""
    sys.modules.setdefault("run", sys.modules[__name__])
    import dossiers

    return dossiers


def _portal() -> Any:
    """``bench/portal.py``, which takes its helpers from this module under the name ``run``, as ``dossiers``."""
    sys.modules.setdefault("run", sys.modules[__name__])
    import portal

    return portal


def _reports() -> Any:
    """``bench/reports.py``, which takes its helpers from this module under the name ``run``, as ``dossiers``."""
    sys.modules.setdefault("run", sys.modules[__name__])
    import reports

    return reports


def _documents() -> Any:
    """``bench/documents.py``, which takes its helpers from this module under the name ``run``, as ``dossiers``."""
    sys.modules.setdefault("run", sys.modules[__name__])
    import documents

    return documents


def bench_http(duration: int, connections: int, machine: dict, search_connections: int = 8,
               procedures: int = 2000, dossier_count: int = 1_000_000, dossier_connections: int = 16,
               skip: frozenset[str] = frozenset()) -> list[dict]:
    """/healthz, then (unless in ``skip``) the catalogue search, the one-stop dossiers and the public look-up, on
    one server over one database."""
    dossiers = _dossiers()
    portal = _portal()
    wrk_bin = shutil.which("wrk")
    if not wrk_bin:
        raise BenchError("wrk is not installed: run `make sysdeps-bench` (or apt-get install wrk)")
    motcua = BIN / "motcua"
    if not motcua.exists():
        raise BenchError(f"{motcua} is missing: run `make install`")
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        data_dir = Path(tmp)
        with throwaway_database(data_dir) as (database_url, kind, version):
            machine["database"], machine["database_version"] = kind, version
            env = os.environ | {
                "MOTCUA_ENV": "local",
                "DATA_DIR": str(data_dir),
                "DATABASE_URL": database_url,
                "DEBUG": "false",
                "LOG_LEVEL": "WARNING",
                "ACCESS_LOG": "",
                **portal.SERVER_ENV,  # the look-up's limits out of reach of wrk, for this server only
            }
            env.pop("DJANGO_SETTINGS_MODULE", None)
            run([str(motcua), "migrate", "--noinput", "-v", "0"], env, timeout=300)
            imported = load_catalog(data_dir, env, procedures)
            print(f"  imported {procedures} procedures in {imported['seconds']:.1f} s", flush=True)
            print(f"dossiers: {dossier_count:,} generated dossiers over the province and their ledger", flush=True)
            generated = dossiers.generate_dossiers(env, dossier_count)
            port = free_port()
            log = data_dir / "server.log"
            cmd = [str(motcua), "serve", "--host", LOOPBACK, "--port", str(port)]
            print("  $", " ".join(cmd), flush=True)
            with log.open("wb") as log_file:
                server = subprocess.Popen(cmd, env=env, cwd=data_dir, stdin=subprocess.DEVNULL, stdout=log_file,
                                          stderr=subprocess.STDOUT, start_new_session=True)
            try:
                url = f"http://{LOOPBACK}:{port}/healthz"
                wait_until_ready(url, server, log)
                wrk(wrk_bin, url, connections, 2)  # warm-up: every worker connected and imported
                # Counted after the warm-up: right after the first answer, some workers may still be booting.
                workers = len(subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True, text=True,
                                             check=False).stdout.split()) - 1  # minus the master
                figures, output = wrk(wrk_bin, url, connections, duration)
                if figures["non_2xx"] or figures["socket_errors"]:
                    raise BenchError(f"/healthz failed under load:\n{output}\n{log.read_text()[-4000:]}")
                search = looked_up = None
                if "search" not in skip:
                    print(f"catalogue: search over {procedures} procedures against /healthz, same method", flush=True)
                    try:
                        search = bench_search(wrk_bin, f"http://{LOOPBACK}:{port}", data_dir,
                                              sorted({1, search_connections}), duration)
                    except BenchError as error:
                        raise BenchError(f"{error}\n{log.read_text()[-4000:]}") from None
                print("dossiers: intake, the dossier page and the work queue against /healthz, same method",
                      flush=True)
                try:
                    measured = dossiers.bench_dossiers(wrk_bin, f"http://{LOOPBACK}:{port}", data_dir, env, duration,
                                                       dossier_connections, sorted({1, search_connections}),
                                                       log=lambda: log.read_text()[-4000:])
                except BenchError as error:
                    raise BenchError(f"{error}\n{log.read_text()[-4000:]}") from None
                if "portal" not in skip:
                    print("portal: the public dossier look-up against /healthz, same method", flush=True)
                    try:
                        looked_up = portal.bench_portal(wrk_bin, f"http://{LOOPBACK}:{port}", data_dir, env,
                                                        duration, connections)
                    except BenchError as error:
                        raise BenchError(f"{error}\n{log.read_text()[-4000:]}") from None
            finally:
                stop(server)

    setup = (f"GET /healthz (one SELECT 1) on `motcua serve` (gunicorn gthread, {workers} workers × 4 threads) on "
             f"{LOOPBACK}, {kind} {version}; wrk -t2 -c{connections} -d{duration}s after a 2 s warm-up, on the same "
             f"{machine['cores']}-core machine as the server; {figures['requests']:.0f} requests, 0 errors. "
             "Baseline for later endpoints: this is the baseline itself.")
    server_setup = (f"`motcua serve` (gunicorn gthread, {workers} workers × 4 threads) on {LOOPBACK}, {kind} "
                    f"{version}, wrk on the same {machine['cores']}-core machine")
    return [
        result("healthz requests/s", figures["rps"], "req/s", figures["rps"], setup),
        result("healthz p50 latency", figures["p50"], "ms", figures["p50"], setup, lower_is_better=True),
        result("healthz p99 latency", figures["p99"], "ms", figures["p99"], setup, lower_is_better=True),
        *(catalog_results(imported, search, procedures, search_connections, server_setup) if search else []),
        *dossiers.dossier_results(measured, generated, server_setup, dossier_connections),
        *(portal.portal_results(looked_up, server_setup, connections) if looked_up else []),
    ]


# ---------------------------------------------------------------------------------------------------------
# The catalogue: import of a province's whole catalogue, and search under load

SNV, UBND = "000.00.12.H22", "000.00.00.H22"  # the agencies `motcua demo` creates
DEMO_CATALOG = ROOT / "src" / "motcua" / "catalog" / "data" / "demo_catalog.json"
SEARCH_ROUNDS = 3
SEARCH_TARGET_P95_MS = 20.0
SEARCH_TARGET_RATIO = 3.0

# The queries a citizen types, with and without diacritics, one word to a phrase.
SEARCH_QUERIES = (
    "bo nhiem", "hội", "thanh lap hoi", "giấy phép", "ton giao", "cấp lại", "khen thuong", "thẩm định đề án",
    "quy tu thien", "giai the", "chức việc", "đổi tên", "Bằng khen", "lưu trữ", "xep hang don vi su nghiep",
    "tuyển dụng viên chức", "đơn vị hành chính cấp xã", "vi tri viec lam", "CHUYEN NGACH", "điều lệ quỹ",
)

# Field code, name, the division (or unit) of the Sở Nội vụ that handles it, name parts, legal bases.
# The names combine a verb phrase, an object and a qualifier the way the national catalogue's do; the
# numbers of the legal documents are the real ones, the procedures themselves are illustrative.
CATALOG_FIELDS: tuple[tuple, ...] = (
    ("NV.HOI", "Tổ chức hội", "XDCQ",
     ("Thành lập", "Công nhận ban vận động thành lập", "Phê duyệt điều lệ", "Chia, tách", "Sáp nhập", "Hợp nhất",
      "Đổi tên", "Tự giải thể", "Cho phép đặt văn phòng đại diện của", "Báo cáo tổ chức đại hội nhiệm kỳ của",
      "Phê duyệt điều lệ sửa đổi, bổ sung của"),
     ("hội", "hội nghề nghiệp", "hội từ thiện", "hội khuyến học", "hội doanh nghiệp", "hội văn học nghệ thuật",
      "hội cựu giáo chức", "hội người cao tuổi"),
     ("có phạm vi hoạt động trong tỉnh", "có phạm vi hoạt động trong huyện", "có phạm vi hoạt động trong xã", ""),
     (("126/2024/NĐ-CP", "2024-10-08", "Chính phủ", "Quy định về tổ chức, hoạt động và quản lý hội"),)),
    ("NV.QUY", "Quỹ xã hội, quỹ từ thiện", "XDCQ",
     ("Cấp giấy phép thành lập và công nhận điều lệ",
      "Công nhận quỹ đủ điều kiện hoạt động và thành viên hội đồng quản lý",
      "Công nhận thay đổi, bổ sung thành viên hội đồng quản lý", "Thay đổi giấy phép thành lập và công nhận điều lệ",
      "Cấp lại giấy phép thành lập và công nhận điều lệ", "Hợp nhất, sáp nhập, chia, tách", "Đổi tên", "Tự giải thể",
      "Đình chỉ hoạt động", "Cho phép hoạt động trở lại"),
     ("quỹ xã hội", "quỹ từ thiện", "quỹ khuyến học", "quỹ bảo trợ trẻ em", "quỹ hỗ trợ người nghèo",
      "quỹ phòng, chống thiên tai", "quỹ phát triển tài năng", "quỹ hỗ trợ nông dân"),
     ("cấp tỉnh", "cấp huyện", "cấp xã", "do cá nhân, tổ chức nước ngoài góp tài sản"),
     (("93/2019/NĐ-CP", "2019-11-25", "Chính phủ", "Về tổ chức, hoạt động của quỹ xã hội, quỹ từ thiện"),)),
    ("NV.TG", "Tín ngưỡng, tôn giáo", "BTG",
     ("Đăng ký", "Thông báo", "Chấp thuận", "Đề nghị", "Đăng ký thay đổi", "Thông báo hủy kết quả", "Gia hạn",
      "Chấp thuận thay đổi địa điểm"),
     ("người được bổ nhiệm, bầu cử, suy cử làm chức việc", "sinh hoạt tôn giáo tập trung",
      "hoạt động tôn giáo ngoài cơ sở tôn giáo", "tổ chức cuộc lễ ngoài cơ sở tôn giáo",
      "thuyên chuyển chức sắc, chức việc, nhà tu hành", "mở lớp bồi dưỡng về tôn giáo",
      "hội nghị thường niên của tổ chức tôn giáo", "sửa đổi hiến chương của tổ chức tôn giáo",
      "cải tạo, nâng cấp công trình tín ngưỡng"),
     ("trong phạm vi một huyện", "ở nhiều huyện thuộc một tỉnh", "ở nhiều tỉnh", "của người nước ngoài"),
     (("02/2016/QH14", "2016-11-18", "Quốc hội", "Luật Tín ngưỡng, tôn giáo"),
      ("95/2023/NĐ-CP", "2023-12-29", "Chính phủ",
       "Quy định chi tiết và biện pháp thi hành Luật Tín ngưỡng, tôn giáo"))),
    ("NV.TDKT", "Thi đua, khen thưởng", "BTDKT",
     ("Tặng", "Xét tặng", "Truy tặng", "Đề nghị tặng", "Hủy quyết định tặng", "Cấp đổi", "Cấp lại hiện vật"),
     ("Bằng khen của Chủ tịch UBND tỉnh", "danh hiệu Chiến sĩ thi đua cấp tỉnh", "Cờ thi đua của UBND tỉnh",
      "danh hiệu Tập thể lao động xuất sắc", "Giấy khen của Chủ tịch UBND huyện", "danh hiệu Lao động tiên tiến",
      "Huân chương Lao động", "danh hiệu Chiến sĩ thi đua cơ sở"),
     ("theo công trạng và thành tích đạt được", "theo đợt hoặc chuyên đề", "cho gia đình",
      "về thành tích đối ngoại", "về thành tích đột xuất"),
     (("06/2022/QH15", "2022-06-15", "Quốc hội", "Luật Thi đua, khen thưởng"),
      ("98/2023/NĐ-CP", "2023-12-31", "Chính phủ",
       "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"))),
    ("NV.VTLT", "Văn thư, lưu trữ", "CCVTLT",
     ("Cấp", "Cấp lại", "Thu hồi", "Cấp bản sao", "Chứng thực", "Phục vụ sử dụng", "Xác nhận", "Gia hạn", "Đăng ký"),
     ("chứng chỉ hành nghề lưu trữ", "tài liệu lưu trữ", "giấy phép mang tài liệu lưu trữ ra nước ngoài",
      "bản sao, chứng thực lưu trữ", "hồ sơ lưu trữ lịch sử", "tài liệu lưu trữ quý, hiếm", "tài liệu lưu trữ tư",
      "giấy chứng nhận đăng ký tài liệu lưu trữ tư"),
     ("tại Lưu trữ lịch sử tỉnh", "cho cá nhân", "cho tổ chức", "bằng hình thức trực tuyến"),
     (("33/2024/QH15", "2024-06-21", "Quốc hội", "Luật Lưu trữ"),)),
    ("NV.CQDP", "Chính quyền địa phương", "XDCQ",
     ("Thành lập", "Giải thể", "Nhập", "Chia", "Điều chỉnh địa giới", "Đổi tên", "Công nhận", "Phân loại",
      "Thẩm định đề án thành lập"),
     ("thôn", "tổ dân phố", "đơn vị hành chính cấp xã", "đơn vị hành chính cấp huyện", "thị trấn", "phường",
      "khu phố", "bản"),
     ("", "thuộc huyện miền núi", "ở khu vực biên giới", "có đông đồng bào dân tộc thiểu số"),
     (("77/2015/QH13", "2015-06-19", "Quốc hội", "Luật Tổ chức chính quyền địa phương"),)),
    ("NV.TCBM", "Tổ chức bộ máy", "TCBC",
     ("Thẩm định đề án thành lập", "Thẩm định đề án tổ chức lại", "Thẩm định đề án giải thể",
      "Phê duyệt vị trí việc làm của", "Điều chỉnh vị trí việc làm của", "Giao số lượng người làm việc cho",
      "Quy định chức năng, nhiệm vụ của", "Xếp hạng", "Phê duyệt phương án tự chủ tài chính của"),
     ("đơn vị sự nghiệp công lập", "cơ quan chuyên môn thuộc UBND tỉnh", "chi cục thuộc sở",
      "phòng chuyên môn thuộc UBND huyện", "trường trung học phổ thông", "bệnh viện đa khoa", "trung tâm y tế huyện",
      "ban quản lý dự án"),
     ("", "thuộc UBND tỉnh", "thuộc sở, ban, ngành", "thuộc UBND huyện"),
     (("120/2020/NĐ-CP", "2020-10-07", "Chính phủ",
       "Quy định về thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập"),
      ("106/2020/NĐ-CP", "2020-09-10", "Chính phủ",
       "Về vị trí việc làm và số lượng người làm việc trong đơn vị sự nghiệp công lập"))),
    ("NV.CCVC", "Công chức, viên chức", "CCVC",
     ("Tuyển dụng", "Thi nâng ngạch", "Xét nâng ngạch", "Xét chuyển ngạch", "Bổ nhiệm vào ngạch", "Bổ nhiệm lại",
      "Tiếp nhận vào làm", "Điều động", "Thuyên chuyển", "Xếp lương", "Nâng bậc lương trước thời hạn cho",
      "Giải quyết thôi việc đối với"),
     ("công chức", "viên chức", "công chức cấp xã", "viên chức quản lý", "chuyên viên chính", "chuyên viên cao cấp",
      "cán bộ, công chức cấp xã"),
     ("", "ngoài tỉnh", "trong tỉnh", "là người dân tộc thiểu số"),
     (("138/2020/NĐ-CP", "2020-11-27", "Chính phủ", "Về tuyển dụng, sử dụng và quản lý công chức"),
      ("115/2020/NĐ-CP", "2020-09-25", "Chính phủ", "Quy định về tuyển dụng, sử dụng và quản lý viên chức"))),
)

CATALOG_DOCUMENTS = (
    "Đơn đề nghị (theo mẫu)", "Tờ trình của cơ quan, tổ chức đề nghị", "Dự thảo điều lệ", "Đề án",
    "Danh sách thành viên ban vận động", "Sơ yếu lý lịch của người đứng đầu", "Phiếu lý lịch tư pháp số 1",
    "Văn bản xác nhận nơi dự kiến đặt trụ sở", "Biên bản họp", "Bản sao quyết định tuyển dụng",
    "Bản sao văn bằng, chứng chỉ theo yêu cầu của vị trí việc làm", "Báo cáo thành tích", "Giấy chứng nhận sức khỏe",
    "Bản cam kết", "Quyết định công nhận", "Báo cáo tổng kết hoạt động", "Văn bản ý kiến của cơ quan quản lý ngành",
    "Bản kê khai tài sản đóng góp", "Danh sách trích ngang", "Bản đồ địa giới hành chính",
)
STEP_NAMES = ("Phân công xử lý", "Thẩm định hồ sơ", "Lấy ý kiến các cơ quan liên quan", "Dự thảo văn bản",
              "Xem xét, cho ý kiến", "Kiểm tra thể thức văn bản")
TIME_LIMITS = ((1, "days"), (3, "days"), (5, "days"), (7, "days"), (10, "days"), (10, "days"), (12, "days"),
               (15, "days"), (15, "days"), (20, "days"), (25, "days"), (30, "days"), (45, "days"), (4, "hours"),
               (8, "hours"), (16, "hours"))


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` positive integers adding up to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def generated_catalog(count: int, taken: set[str]) -> dict:
    """A canonical document of ``count`` procedures spread over the 8 fields, checked by the importer's own
    ``motcua.catalog.format.check``; codes are ``9.NNNNNN`` (none of ``taken``, the demo's)."""
    from motcua.catalog import format as fmt

    rng = random.Random(SEED)
    per_field = -(-count // len(CATALOG_FIELDS))
    names: list[tuple[str, tuple]] = []
    seen: set[str] = set()
    for spec in CATALOG_FIELDS:
        _code, _name, _division, verbs, objects, qualifiers, _laws = spec
        combos = list(dict.fromkeys(" ".join(x for x in (v, o, q) if x) for v in verbs for o in objects
                                    for q in qualifiers))
        fresh = [name for name in rng.sample(combos, len(combos)) if name not in seen][:per_field]
        if len(fresh) < per_field:
            raise BenchError(f"field {spec[0]} yields {len(fresh)} names, fewer than {per_field}")
        seen.update(fresh)
        names += [(name, spec) for name in fresh]
    rng.shuffle(names)
    dossiers = _dossiers()
    kinds = {spec[0]: spec[2] for spec in CATALOG_FIELDS}
    also = random.Random(SEED + 1)  # the other resolving departments: their own stream, the rest unchanged
    procedures = []
    for i, (name, spec) in enumerate(names[:count], 1):
        field_code, _field_name, division, _v, _o, _q, laws = spec
        code = f"9.{i:06d}"
        if code in taken:
            raise BenchError(f"generated code {code} is already in the demo catalogue")
        by_province = rng.random() < 0.15  # decided by the UBND tỉnh, resolved (prepared) by the Sở
        limit, unit = rng.choice(TIME_LIMITS)
        total = fmt.time_limit_hours(limit, unit)
        n_steps = min(rng.randint(3, 6), total)
        here = None if by_province else division
        roles = (["desk_officer"] + [rng.choice(("specialist", "division_leader")) for _ in range(n_steps - 2)]
                 + ["agency_leader"])[:n_steps]
        # Receiving and signing take a few hours; the work in between takes the rest of the time limit.
        desk = max(1, min(4, total // n_steps))
        sign = max(1, min(8, total // n_steps))
        shares = [desk, *_split(rng, total - desk - sign, n_steps - 2), sign]
        steps = []
        for k, (role, hours) in enumerate(zip(roles, shares, strict=True)):
            if k == 0:  # a desk officer's step is at the receiving point's one-stop desk, whatever its name
                step = {"name": "Tiếp nhận, kiểm tra hồ sơ", "division": None}
            elif k == n_steps - 1:
                step = {"name": "Ký, ban hành kết quả", "division": None}
            else:
                step = {"name": STEP_NAMES[(k - 1) % len(STEP_NAMES)], "division": here}
            other = UBND if (not by_province and k == n_steps - 1 and rng.random() < 0.2) else None
            if other:
                step["name"] = "UBND tỉnh xem xét, quyết định"
            steps.append(step | {"role": role, "other_agency": other, "hours": hours})
        documents = []
        for name_ in rng.sample(CATALOG_DOCUMENTS, rng.randint(3, 6)):
            mandatory = rng.random() < 0.85
            documents.append({"name": name_, "copy_type": rng.choice(("original", "copy", "certified_copy")),
                              "count": rng.choice((1, 1, 1, 2)), "mandatory": mandatory,
                              "condition": "" if mandatory else "Trường hợp có thay đổi so với hồ sơ đã nộp"})
        online = rng.choice(("full", "partial", "none"))
        fee = rng.choice((0, 0, 0, 50_000, 100_000, 200_000))
        versions = [{
            "number": 1, "effective_from": "2024-01-01", "time_limit": limit, "time_unit": unit,
            "from_complete_dossier": True, "change_note": "",
            "compliance": {"hours_learning": rng.choice((1, 2, 4)), "hours_preparing": rng.choice((2, 4, 8, 16)),
                           "visits": rng.randint(1, 3), "hours_per_visit": rng.choice((1, 2, 3)),
                           "other_costs": rng.choice((0, 20_000, 50_000)),
                           "applicants_per_year": rng.randint(0, 2000)},
            "documents": documents,
            "fees": [{"name": "Lệ phí", "amount": fee, "legal_basis": ""}] if fee else [],
            "legal_bases": [{"number": n, "date": d, "issuer": who, "title": t} for n, d, who, t in laws],
            "steps": steps,
        }]
        procedures.append({
            "code": code, "name": name, "field": field_code, "resolving_agency": UBND if by_province else SNV,
            # The Sở Nội vụ resolves every one (so its desk and its report are the same as before the province);
            # about half of the others also one or two of the bench's departments with a division of the kind.
            "resolved_by": [SNV, *([] if by_province else dossiers.generated_resolvers(also, kinds[field_code]))],
            "applicant_types": rng.choice((["individual"], ["organisation"], ["individual", "organisation"])),
            "result_type": rng.choice(("Quyết định", "Giấy phép", "Văn bản chấp thuận", "Giấy chứng nhận")),
            "channels": ["desk", "post", "online"] if online != "none" else ["desk", "post"],
            "online_level": online,
            "status": rng.choices(("active", "suspended", "abolished"), (95, 3, 2))[0],
            "versions": versions,
        })
    doc = {"format": fmt.FORMAT, "fields": [{"code": c, "name": n} for c, n, *_ in CATALOG_FIELDS],
           "procedures": procedures}
    _, problems = fmt.check(doc)
    if problems:
        raise BenchError("the generated catalogue is not valid: " + "; ".join(map(str, problems[:10])))
    return doc


def timed(cmd: Sequence[str], env: dict[str, str], timeout: float) -> float:
    started = time.perf_counter()
    run(cmd, env, timeout)
    return time.perf_counter() - started


def load_catalog(data_dir: Path, env: dict[str, str], count: int) -> dict:
    """The demo's agencies (and its catalogue), the rest of the province (``dossiers.create_agencies``), then
    ``count`` generated procedures through the command line importer, timed against the same command importing an
    empty document."""
    motcua = str(BIN / "motcua")
    taken: set[str] = set()
    if DEMO_CATALOG.is_file():
        run([motcua, "demo"], env, timeout=1800)
        taken = {p["code"] for p in json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["procedures"]}
    else:
        # `motcua demo` imports catalog/data/demo_catalog.json, which this tree lacks: create the same
        # agencies, divisions and units with the demo's own parts, without its catalogue.
        print(f"  {DEMO_CATALOG.relative_to(ROOT)} is missing: demo agencies without the demo catalogue", flush=True)
        script = ("from motcua import demo\nfrom motcua.org import services\nservices.sync_role_groups()\n"
                  "c = demo._calendar(); p = demo._positions(); demo._department(c, p, demo._province(c, p))\n")
        run([motcua, "shell", "-c", script], env, timeout=300)
    # The province's other agencies before the catalogue, which names the departments that resolve procedures.
    project_shell(env, "dossiers", "dossiers.create_agencies(); print('bench-agencies 1')", "bench-agencies",
                  timeout=1200)
    demo = len(taken)
    empty = data_dir / "empty_catalog.json"
    empty.write_text(json.dumps({"format": "motcua.catalog/1", "fields": [], "procedures": []}), encoding="utf-8")
    file = data_dir / "province_catalog.json"
    file.write_text(json.dumps(generated_catalog(count, taken), ensure_ascii=False), encoding="utf-8")
    fixed = timed([motcua, "catalog", "import", str(empty)], env, timeout=120)
    seconds = timed([motcua, "catalog", "import", str(file)], env, timeout=1800)
    return {"seconds": seconds, "fixed": fixed, "bytes": file.stat().st_size, "demo": demo}


WRK_LUA = """-- rotate over the paths; print wrk's own p50/p95 (microseconds) when done
local paths = {%s}
local headers = {%s}
local counter, i = 0, 0
function setup(thread) thread:set("first", counter * 7) counter = counter + 1 end
function init(args) i = first end
function request() i = i + 1 return wrk.format("GET", paths[(i %% #paths) + 1], headers) end
function done(summary, latency, requests)
  io.write(string.format("bench-latency-us p50=%%d p95=%%d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_paths(wrk_bin: str, base: str, paths: Sequence[str], script: Path, connections: int,
              seconds: int, headers: dict[str, str] | None = None) -> tuple[dict[str, float], str]:
    """wrk over ``paths`` in turn (with ``headers``, e.g. a bearer token), with its p50 and p95 exactly (the
    --latency table has no p95)."""
    script.write_text(WRK_LUA % (", ".join(json.dumps(p) for p in paths),
                                 ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items())),
                      encoding="utf-8")
    figures, output = wrk(wrk_bin, base, connections, seconds, script=script)
    figures["p50"], figures["p95"] = script_percentiles(output)
    if figures["non_2xx"] or figures["socket_errors"]:
        raise BenchError(f"{paths[0]}… failed under load:\n{output}")
    return figures, output


def search_paths(base: str) -> tuple[list[str], list[int]]:
    """The search paths, and how many procedures each finds (each must find some, or the bench measures
    empty answers)."""
    paths, counts = [], []
    for q in SEARCH_QUERIES:
        path = "/api/v1/procedures?" + urllib.parse.urlencode({"q": q})
        with urllib.request.urlopen(base + path, timeout=10) as response:
            body = json.load(response)
        if not body["count"]:
            raise BenchError(f"the search {q!r} finds nothing: the catalogue was not loaded?")
        paths.append(path)
        counts.append(body["count"])
    return paths, counts


def bench_search(wrk_bin: str, base: str, data_dir: Path, levels: Sequence[int], duration: int) -> dict:
    """At each number of connections, interleaved rounds of /healthz and the search, measured the same way."""
    paths, counts = search_paths(base)
    with urllib.request.urlopen(base + "/api/v1/procedures?limit=1", timeout=10) as response:
        listed = json.load(response)["count"]
    script = data_dir / "rotate.lua"
    # 3 rounds × 2 endpoints at each level: 3 s rounds at 1 connection (fewer requests a second, and the
    # figure the targets are about), 2 s at more: ~30 s at the default --duration 10.
    seconds = {1: max(3, duration * 3 // 10)}
    wrk_paths(wrk_bin, base, ["/healthz"], script, max(levels), 2)  # warm-up of both
    wrk_paths(wrk_bin, base, paths, script, max(levels), 2)
    out: dict[str, Any] = {"counts": counts, "listed": listed, "levels": {}}
    for connections in levels:
        rounds: dict[str, list[dict[str, float]]] = {"healthz": [], "search": []}
        for i in range(SEARCH_ROUNDS):
            order = [("healthz", ["/healthz"]), ("search", paths)]
            if i % 2:  # alternate which one goes first
                order.reverse()
            for name, round_paths in order:
                rounds[name].append(wrk_paths(wrk_bin, base, round_paths, script, connections,
                                              seconds.get(connections, max(2, duration // 4)))[0])
        figures = {f"{key}" if name == "search" else f"base_{key}":
                   statistics.median(r[key] for r in rounds[name])
                   for name in rounds for key in ("p50", "p95", "rps")}
        figures["requests"] = sum(r["requests"] for r in rounds["search"])
        figures["base_requests"] = sum(r["requests"] for r in rounds["healthz"])
        figures["seconds"] = seconds.get(connections, max(2, duration // 4))
        figures["ratio"] = statistics.median(s["p95"] / h["p95"] for s, h in zip(rounds["search"], rounds["healthz"],
                                                                               strict=True))
        out["levels"][connections] = figures
    return out


def catalog_results(imported: dict, search: dict, count: int, connections: int, server: str) -> list[dict]:
    counts = sorted(search["counts"])
    one, many = search["levels"][1], search["levels"][connections]

    def setup(c: int, figures: dict) -> str:
        return (f"GET /api/v1/procedures?q=… (first page of 20 + count) rotating over {len(SEARCH_QUERIES)} queries "
                f"with and without diacritics ({', '.join(repr(q) for q in SEARCH_QUERIES[:5])}, …), each finding "
                f"{counts[0]}–{counts[-1]} procedures (median {statistics.median(counts):.0f}), among the "
                f"{search['listed']} listed (not abolished) of {count} generated + {imported['demo']} from the "
                f"demo; {server}; "
                f"wrk -t{min(2, c)} -c{c}, {SEARCH_ROUNDS} interleaved rounds of {figures['seconds']} s for /healthz "
                f"and for the search (after 2 s warm-ups), a Lua script rotating the paths and printing wrk's exact "
                f"p50/p95; medians of the rounds; {figures['requests']:.0f} search and "
                f"{figures['base_requests']:.0f} /healthz requests, 0 errors.")

    latency = ("One connection: each request waits for the previous answer, so this is the time a request takes, "
               "without queueing behind others. ")
    target = (f"Target: p95 under {SEARCH_TARGET_P95_MS:.0f} ms "
              f"({'met' if one['p95'] < SEARCH_TARGET_P95_MS else 'NOT met'}), ratio within "
              f"{SEARCH_TARGET_RATIO:.0f}× ({'met' if one['ratio'] <= SEARCH_TARGET_RATIO else 'NOT met'}).")
    out = [
        result("catalog.search p50 latency", one["p50"], "ms", one["base_p50"],
               f"{latency}{setup(1, one)} Baseline: /healthz p50 by the same method.", lower_is_better=True),
        result("catalog.search p95 latency", one["p95"], "ms", one["base_p95"],
               f"{latency}{setup(1, one)} Baseline: /healthz p95 by the same method; ratio is the median "
               f"per-round ratio. {target}", lower_is_better=True),
        result(f"catalog.search p95 at {connections} conns", many["p95"], "ms", many["base_p95"],
               f"{setup(connections, many)} Includes queueing when the server's cores are busy. Baseline: "
               "/healthz p95 by the same method; ratio is the median per-round ratio.", lower_is_better=True),
        result("catalog.search requests/s", many["rps"], "req/s", many["base_rps"],
               f"At {connections} connections. {setup(connections, many)} Baseline: /healthz requests/s by the "
               "same method."),
        result(f"catalog.import {count} procedures", imported["seconds"], "s", imported["fixed"],
               f"`motcua catalog import` of a generated {imported['bytes'] / 1e6:.1f} MB JSON document of {count} "
               f"procedures (8 fields, 3–6 documents and 3–6 steps each, 15% decided by the UBND tỉnh), all "
               f"new, wall time of the whole command; {imported['seconds'] / count * 1e3:.1f} ms a procedure. "
               f"Baseline: the same command importing an empty document (interpreter and Django start-up).",
               lower_is_better=True),
    ]
    out[1]["ratio"] = round(one["ratio"], 3)
    out[2]["ratio"] = round(many["ratio"], 3)
    out[1]["target"] = {"p95_ms_below": SEARCH_TARGET_P95_MS, "ratio_at_most": SEARCH_TARGET_RATIO,
                        "met": one["p95"] < SEARCH_TARGET_P95_MS and one["ratio"] <= SEARCH_TARGET_RATIO}
    return out


# ---------------------------------------------------------------------------------------------------------


def machine_info() -> dict:
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False, timeout=10).stdout.strip() or None
    except OSError:
        commit = None
    url = os.environ.get("DATABASE_URL", "")
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "commit": commit,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],  # how busy the machine was: read ratios
    }


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so that `finally` stops the server and drops the database


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk load (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--search-connections", type=int, default=8,
                        help="wrk connections for the catalogue search and its /healthz baseline (default 8)")
    parser.add_argument("--procedures", type=int, default=2000, help="generated procedures (default 2000)")
    parser.add_argument("--dossiers", type=int, default=1_000_000,
                        help="generated dossiers for the work-queue figures (default 1,000,000; e.g. 50000 for a "
                             "quick run)")
    parser.add_argument("--dossier-connections", type=int, default=16,
                        help="wrk connections (concurrent users) for the intake and work-queue figures and their "
                             "/healthz baselines (default 16)")
    parser.add_argument("--skip-http", action="store_true", help="only the in-process benchmarks")
    parser.add_argument("--skip-search", action="store_true",
                        help="without the catalogue search figures (the catalogue is still imported)")
    parser.add_argument("--skip-portal", action="store_true", help="without the public look-up figures")
    reports = _reports()
    parser.add_argument("--report-dossiers", type=int, default=reports.MAKE_BENCH_DOSSIERS,
                        help=f"generated dossiers for the report figures, in a database of their own (default "
                             f"{reports.MAKE_BENCH_DOSSIERS:,}; the issue's figure is {reports.DOSSIERS:,}, "
                             f"`make bench-reports`; e.g. 100000 for a quick run)")
    parser.add_argument("--report-runs", type=int, default=reports.RUNS,
                        help=f"timed runs of each report, through the ledger and the naive count (default "
                             f"{reports.RUNS})")
    parser.add_argument("--skip-reports", action="store_true", help="without the report figures")
    documents = _documents()
    parser.add_argument("--search-documents", type=int, default=documents.MAKE_BENCH_DOCUMENTS,
                        help=f"generated official documents for the document search figures, in a database of their "
                             f"own (default {documents.MAKE_BENCH_DOCUMENTS:,}; the issue's figure is "
                             f"{documents.DOCUMENTS:,}, `make bench-documents`; e.g. 20000 for a quick run)")
    parser.add_argument("--skip-documents", action="store_true", help="without the document search figures")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be 1–60 seconds")
    if not 1 <= args.search_connections <= 256:
        parser.error("--search-connections must be 1–256")
    if not 100 <= args.procedures <= 2000:
        parser.error("--procedures must be 100–2000")  # the generator's names run out a little above 2,000
    if not 10_000 <= args.dossiers <= 5_000_000:
        parser.error("--dossiers must be 10,000–5,000,000")  # codes: at most 9,999 an agency a day
    if not 1 <= args.dossier_connections <= 64:
        parser.error("--dossier-connections must be 1–64")
    if error := reports.check_args(args.report_dossiers, args.report_runs, args.report_runs):
        parser.error(error.replace("--dossiers", "--report-dossiers").replace("--runs", "--report-runs"))
    if error := documents.check_args(args.search_documents, args.duration, args.search_connections):
        parser.error(error.replace("--documents", "--search-documents"))
    signal.signal(signal.SIGTERM, _terminate)

    # The bench process's own Django set-up (for the calendar) must not touch a real data directory.
    with tempfile.TemporaryDirectory(prefix="motcua-bench-self-") as own_dir:
        os.environ["DATA_DIR"] = own_dir
        os.environ.setdefault("MOTCUA_ENV", "local")
        started = time.monotonic()
        machine = machine_info()
        results: list[dict] = []
        searched: dict[str, Any] = {}
        print("workdays: working-day arithmetic against a naive weekday loop", flush=True)
        results += bench_workdays()
        if not args.skip_http:
            print("http: /healthz on the production server under wrk", flush=True)
            try:
                skip = frozenset(name for name in ("search", "portal") if getattr(args, f"skip_{name}"))
                results += bench_http(args.duration, args.connections, machine, args.search_connections,
                                      args.procedures, args.dossiers, args.dossier_connections, skip)
            except BenchError as error:
                print(f"bench: {error}", file=sys.stderr)
                return 1
        if not args.skip_reports:
            print(f"reports: the resolution report over {args.report_dossiers:,} dossiers, ledger against naive",
                  flush=True)
            try:
                results += reports.bench_reports(args.report_dossiers, args.report_runs, args.report_runs,
                                                 args.procedures, machine)
            except BenchError as error:
                print(f"bench: {error}", file=sys.stderr)
                return 1
        if not args.skip_documents:
            print(f"documents: the document search over {args.search_documents:,} documents", flush=True)
            try:
                payload = documents.bench_documents(args.search_documents, args.duration, args.search_connections)
            except BenchError as error:
                print(f"bench: {error}", file=sys.stderr)
                return 1
            searched[machine["database"]] = payload
        machine["seconds"] = round(time.monotonic() - started, 1)

    written = {"machine": machine, "results": results}
    if searched:  # as ``bench/documents.py`` writes it alone: per database, beside the other figures
        written["documents_search"] = searched
    args.output.write_text(json.dumps(written, ensure_ascii=False, indent=2) + "\n")
    print_table(machine, results + [r for payload in searched.values() for r in payload["results"]])
    print(f"wrote {args.output} in {machine['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
