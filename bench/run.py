"""``make bench``: reproducible benchmarks, written to ``bench/results.json``.

Shared build machines are noisy, so every figure is paired with a baseline measured in the same run
and reported as a ratio as well as a raw value; compare ratios between runs, not raw values.

- ``workdays.add_working_days`` and ``workdays.working_time_between`` on the national calendar under
  the Government's 2026 schedule, against a naive day-by-day weekday loop (same inputs, same run).
  Rounds are interleaved (baseline, subject, baseline, subject, …) and the median is reported.
- ``GET /healthz`` on the production server (``motcua serve``: gunicorn) under ``wrk`` at 64
  connections: requests per second and latency percentiles. It is the baseline that later endpoints
  are compared with, so its own ratio is 1.0.

The server runs against a fresh temporary DATA_DIR and a throw-away database: SQLite by default, or,
when DATABASE_URL points at PostgreSQL, a database ``motcua_bench_<pid>`` created on that server (the
database named in DATABASE_URL is used only to create and drop it). Only loopback addresses are used.

Usage: ``.venv/bin/python bench/run.py [--duration 10] [--connections 64] [--skip-http] [--output FILE]``
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


def wrk(wrk_bin: str, url: str, connections: int, seconds: int) -> tuple[dict[str, float], str]:
    cmd = [wrk_bin, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url]
    print("  $", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if proc.returncode:
        raise BenchError(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return parse_wrk(proc.stdout), proc.stdout


def bench_http(duration: int, connections: int, machine: dict) -> list[dict]:
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
            }
            env.pop("DJANGO_SETTINGS_MODULE", None)
            run([str(motcua), "migrate", "--noinput", "-v", "0"], env, timeout=300)
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
                workers = len(subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True, text=True,
                                             check=False).stdout.split()) - 1  # minus the master
                wrk(wrk_bin, url, connections, 2)  # warm-up: every worker connected and imported
                figures, output = wrk(wrk_bin, url, connections, duration)
            finally:
                stop(server)
            if figures["non_2xx"] or figures["socket_errors"]:
                raise BenchError(f"/healthz failed under load:\n{output}\n{log.read_text()[-4000:]}")

    setup = (f"GET /healthz (one SELECT 1) on `motcua serve` (gunicorn gthread, {workers} workers × 4 threads) on "
             f"{LOOPBACK}, {kind} {version}; wrk -t2 -c{connections} -d{duration}s after a 2 s warm-up, on the same "
             f"{machine['cores']}-core machine as the server; {figures['requests']:.0f} requests, 0 errors. "
             "Baseline for later endpoints: this is the baseline itself.")
    return [
        result("healthz requests/s", figures["rps"], "req/s", figures["rps"], setup),
        result("healthz p50 latency", figures["p50"], "ms", figures["p50"], setup, lower_is_better=True),
        result("healthz p99 latency", figures["p99"], "ms", figures["p99"], setup, lower_is_better=True),
    ]


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
    parser.add_argument("--skip-http", action="store_true", help="only the in-process benchmarks")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be 1–60 seconds")
    signal.signal(signal.SIGTERM, _terminate)

    # The bench process's own Django set-up (for the calendar) must not touch a real data directory.
    with tempfile.TemporaryDirectory(prefix="motcua-bench-self-") as own_dir:
        os.environ["DATA_DIR"] = own_dir
        os.environ.setdefault("MOTCUA_ENV", "local")
        started = time.monotonic()
        machine = machine_info()
        results: list[dict] = []
        print("workdays: working-day arithmetic against a naive weekday loop", flush=True)
        results += bench_workdays()
        if not args.skip_http:
            print("http: /healthz on the production server under wrk", flush=True)
            try:
                results += bench_http(args.duration, args.connections, machine)
            except BenchError as error:
                print(f"bench: {error}", file=sys.stderr)
                return 1
        machine["seconds"] = round(time.monotonic() - started, 1)

    args.output.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2) + "\n")
    print_table(machine, results)
    print(f"wrote {args.output} in {machine['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
