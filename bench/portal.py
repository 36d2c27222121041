"""The public portal's figures of ``make bench``: the dossier look-up a citizen (or the receipt's QR code) makes,
``GET /api/v1/public/dossiers/{code}?check=NNNN``, under load, against ``/healthz`` measured the same way.

Two halves, run by two processes, as in ``bench/dossiers.py``:

- **Inside the project** (``motcua shell -c …``): ``lookups`` picks dossiers the services made (``motcua demo``:
  open and closed, at every stage), each with the second factor its applicant would type (the last 4 digits
  of the phone, else of the citizen ID, else of the tax code), checks that the look-up finds each one with that
  factor, and counts the queries one look-up makes through Django's test client — the rate-limit counters'
  queries apart from the look-up's own.
- **In the bench process**: wrk at ``--connections`` (64) rotating over those look-ups, in interleaved rounds
  with ``/healthz`` (same wrk threads and connections, same Lua method); medians of the rounds and the median
  per-round ratio. Every answer must be a 200: a 404 (wrong factor) or a 429 (a limit reached) stops the bench.

The look-up is limited per client and per code (``LOOKUP_RATE_PER_CLIENT``, ``LOOKUP_RATE_PER_CODE``): only failed
attempts are counted, but every look-up reads the counters (one query) to refuse a client or a code that has used
its failures up, so that cost is in the figure. The bench asks with the right factors; its server is started with
both limits raised out of reach anyway (``SERVER_ENV``), so that a slip cannot turn the run into 429s. The
defaults are not changed.

Run alone (``.venv/bin/python bench/portal.py [--duration 10] [--connections 64]``) it sets up its own server
(a fresh DATA_DIR, a throw-away database — SQLite, or PostgreSQL when DATABASE_URL says so — ``motcua demo``)
and prints the figures; ``make bench`` runs it inside the whole bench, against the same server as the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SEED = 20260101
ROUNDS = 3
SAMPLE = 400
TARGET_RATIO = 0.5       # at least half of /healthz's requests per second
TARGET_P99_MS = 50.0     # at 64 connections
# Both limits out of reach, windows as the defaults (20/10m, 10/h): for the bench server only. NUM_PROXIES=1: the
# server reads the client's address from X-Forwarded-For, as behind the reverse proxy of a deployment, so that
# wrk's 64 connections stand for 64 citizens (CLIENTS addresses in turn) rather than one.
SERVER_ENV = {"LOOKUP_RATE_PER_CLIENT": "1000000000/10m", "LOOKUP_RATE_PER_CODE": "1000000000/h",
              "NUM_PROXIES": "1"}
CLIENTS = 4096
LOOKUP_PATH = "/api/v1/public/dossiers/{code}?check={check}"

WRK_LUA = """-- rotate over the paths, each request from the next client address; print wrk's p50/p95 (us)
local paths = {%s}
local clients = %d
local counter, i = 0, 0
function setup(thread) thread:set("first", counter * 7919) counter = counter + 1 end
function init(args) i = first end
function request()
  i = i + 1
  local c = i %% clients
  local headers = {["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.floor(c / 65536) %% 256,
                                                            math.floor(c / 256) %% 256, c %% 256)}
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
function done(summary, latency, requests)
  io.write(string.format("bench-latency-us p50=%%d p95=%%d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


# ---------------------------------------------------------------------------------------------------------
# Inside the project (``motcua shell``)


def _factor(phone: str, id_number: str, tax_code: str) -> str | None:
    """What an applicant types: the last 4 digits of the phone, else of the ID, else of the tax code."""
    for value in (phone, id_number, tax_code.split("-")[0]):
        if len(value) >= 4 and value[-4:].isdigit():
            return value[-4:]
    return None


def lookups(sample: int = SAMPLE, seed: int = SEED) -> None:
    """Prints ``bench-lookups {json}``: ``sample`` (code, factor) pairs of dossiers the services made, each
    checked to be found; the states they are in; the queries one look-up makes (all, and those of the
    rate-limit counters); the dossier table's size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.models import Dossier, Handoff
    from motcua.portal import lookup

    made = (Dossier.objects.filter(pk__in=Handoff.objects.values("dossier_id"))
            .order_by("pk").values_list("code", "state", "applicant_phone", "applicant_id_number",
                                        "applicant_tax_code"))
    rows = [(code, state, _factor(phone, id_number, tax)) for code, state, phone, id_number, tax in made]
    rows = [row for row in rows if row[2]]
    random.Random(seed).shuffle(rows)
    rows = rows[:sample]
    missed = [code for code, _state, check in rows if lookup.find(code, check) is None]
    if missed:
        raise RuntimeError(f"the look-up does not find {len(missed)} dossiers with their factor, e.g. {missed[:3]}")
    states: dict[str, int] = {}
    for _code, state, _check in rows:
        states[state] = states.get(state, 0) + 1

    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
    queries = {}
    for i, (code, _state, check) in enumerate(rows[:2]):  # the first look-up of a code, then a repeated one
        for label in ("first", "again"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(LOOKUP_PATH.format(code=code, check=check))
            if response.status_code != 200:
                raise RuntimeError(f"look-up of {code}: {response.status_code} {response.content[:300]!r}")
            counters = [q["sql"] for q in captured if "portal_lookupcounter" in q["sql"]]
            queries[f"{label} {i}"] = {"all": len(captured), "rate_limit": len(counters),
                                       "rate_limit_writes": sum(1 for q in counters
                                                                if q.lstrip().upper().startswith(("INSERT", "UPDATE",
                                                                                                   "DELETE")))}
    print("bench-lookups " + json.dumps({
        "pairs": [(code, check) for code, _state, check in rows], "states": states, "queries": queries,
        "dossiers": Dossier.objects.count(), "vendor": connection.vendor,
    }, ensure_ascii=False))


# ---------------------------------------------------------------------------------------------------------
# In the bench process


def shell(env: dict[str, str], code: str, marker: str, timeout: float) -> Any:
    """Run ``code`` in ``motcua shell`` with this module importable; the JSON printed after ``marker``."""
    import run as bench

    return bench.project_shell(env, "portal", code, marker, timeout)


def wrk_clients(wrk_bin: str, base: str, paths: Sequence[str], script: Path, connections: int,
                seconds: int) -> dict[str, float]:
    """wrk over ``paths`` in turn, each request from the next of ``CLIENTS`` addresses; run.py's figures (with
    p99 from wrk's --latency table and the exact p50/p95 from the script). Non-2xx answers and socket errors are
    counted and reported with the figures (every look-up asks a right factor, so each one is a failure: a 429 is
    the limiter refusing, a 500 a crash)."""
    import run as bench

    script.write_text(WRK_LUA % (", ".join(json.dumps(p) for p in paths), CLIENTS), encoding="utf-8")
    figures, output = bench.wrk(wrk_bin, base, connections, seconds, script=script)
    figures["p50"], figures["p95"] = bench.script_percentiles(output)
    if figures["non_2xx"] or figures["socket_errors"]:
        print(f"  FAILED ANSWERS: {figures['non_2xx']:.0f} non-2xx, {figures['socket_errors']:.0f} socket errors",
              flush=True)
    return figures


def _interleaved(rounds: int, subjects: Sequence[tuple[str, Any]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {name: [] for name, _ in subjects}
    for i in range(rounds):
        for name, fn in [*subjects[i % len(subjects):], *subjects[:i % len(subjects)]]:
            out[name].append(fn())
    return out


def bench_portal(wrk_bin: str, base: str, data_dir: Path, env: dict[str, str], duration: int,
                 connections: int) -> dict[str, Any]:
    """The look-up at ``connections`` against /healthz, interleaved rounds; the server must run with
    ``SERVER_ENV``."""
    import run as bench

    missing = {k: v for k, v in SERVER_ENV.items() if env.get(k) != v}
    if missing:
        raise bench.BenchError(f"the bench server needs {missing} (the look-up limits would answer 429)")
    world = shell(env, f"portal.lookups({SAMPLE})", "bench-lookups", timeout=300)
    if not world["pairs"]:
        raise bench.BenchError("no dossier to look up: was `motcua demo` loaded?")
    print(f"  {len(world['pairs'])} dossiers to look up ({world['states']}); queries per look-up: "
          f"{world['queries']}", flush=True)
    paths = [LOOKUP_PATH.format(code=code, check=check) for code, check in world["pairs"]]
    script = data_dir / "portal.lua"
    healthz = ["/healthz"]
    seconds = max(3, duration * 4 // 10)
    wrk_clients(wrk_bin, base, healthz, script, connections, 2)  # warm-up of both
    wrk_clients(wrk_bin, base, paths, script, connections, 2)
    rounds = _interleaved(ROUNDS, [
        ("healthz", lambda: wrk_clients(wrk_bin, base, healthz, script, connections, seconds)),
        ("lookup", lambda: wrk_clients(wrk_bin, base, paths, script, connections, seconds))])
    return {"world": {k: v for k, v in world.items() if k != "pairs"}, "codes": len(paths), "rounds": rounds,
            "seconds": seconds}


def portal_results(measured: dict, server: str, connections: int) -> list[dict]:
    import run as bench

    rounds, base = measured["rounds"]["lookup"], measured["rounds"]["healthz"]
    world = measured["world"]
    med = {name: {key: statistics.median(r[key] for r in rs) for key in ("rps", "p50", "p95", "p99")}
           for name, rs in (("lookup", rounds), ("healthz", base))}
    ratio = statistics.median(a["rps"] / b["rps"] for a, b in zip(rounds, base, strict=True))
    failed = sum(r["non_2xx"] + r["socket_errors"] for r in rounds)
    failed_base = sum(r["non_2xx"] + r["socket_errors"] for r in base)
    queries = world["queries"]
    setup = (f"GET /api/v1/public/dossiers/{{code}}?check=NNNN with the right factor, no login, rotating over "
             f"{measured['codes']} dossiers the services made in `motcua demo` ({world['states']}) among "
             f"{world['dossiers']:,} in the table; both rate limits checked on every request in the "
             f"counters' table (limits raised out of reach for the bench server only: "
             f"{', '.join(f'{k}={v}' for k, v in SERVER_ENV.items())}); queries per look-up "
             f"{queries.get('again 0', {}).get('all')} of which {queries.get('again 0', {}).get('rate_limit')} for "
             f"the counters ({queries.get('again 0', {}).get('rate_limit_writes')} writes); {server}; "
             f"wrk -t2 -c{connections}, each request from the next of {CLIENTS} client addresses (X-Forwarded-For, "
             f"NUM_PROXIES=1), {ROUNDS} interleaved rounds of {measured['seconds']} s for /healthz and for "
             f"the look-up (same threads, connections and Lua method, after 2 s warm-ups); medians of the rounds; "
             f"{sum(r['requests'] for r in rounds):.0f} look-ups and {sum(r['requests'] for r in base):.0f} "
             f"/healthz requests; " + (f"FAILED: {failed} look-ups answered non-2xx or broke (all should be 200), "
                                      if failed else "every look-up answered 200, ")
             + (f"{failed_base} /healthz failures." if failed_base else "every /healthz 200."))
    met_rps = ratio >= TARGET_RATIO and not failed
    met_p99 = med["lookup"]["p99"] < TARGET_P99_MS and not failed
    out = []
    r = bench.result(f"portal.lookup requests/s at {connections} conns", med["lookup"]["rps"], "req/s",
                     med["healthz"]["rps"], f"{setup} Baseline: /healthz requests/s, same method; ratio is the median "
                     f"per-round ratio. Target: ≥ {TARGET_RATIO}× ({'met' if met_rps else 'NOT met'}).")
    r["ratio"], r["target"] = round(ratio, 3), {"ratio_at_least": TARGET_RATIO, "met": met_rps}
    r["failed"] = failed
    out.append(r)
    for pct in ("p50", "p99"):
        verdict = (f" Target: p99 under {TARGET_P99_MS:.0f} ms ({'met' if met_p99 else 'NOT met'})."
                   if pct == "p99" else "")
        r = bench.result(f"portal.lookup {pct} at {connections} conns", med["lookup"][pct], "ms",
                         med["healthz"][pct], f"{setup} Baseline: /healthz {pct}, same method; ratio is the median "
                         f"per-round ratio.{verdict}", lower_is_better=True)
        r["ratio"] = round(statistics.median(a[pct] / b[pct] for a, b in zip(rounds, base, strict=True)), 3)
        if pct == "p99":
            r["target"] = {"p99_ms_below": TARGET_P99_MS, "met": met_p99}
        out.append(r)
    return out


# ---------------------------------------------------------------------------------------------------------
# Alone: a server of its own with the demo data


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run as bench

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk load, as in run.py (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    wrk_bin = shutil.which("wrk")
    if not wrk_bin:
        print("bench: wrk is not installed: run `make sysdeps-bench`", file=sys.stderr)
        return 1
    started = time.monotonic()
    machine = bench.machine_info()
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-bench-portal-") as tmp:
            data_dir = Path(tmp)
            with bench.throwaway_database(data_dir) as (database_url, kind, version):
                machine["database"], machine["database_version"] = kind, version
                env = os.environ | {"MOTCUA_ENV": "local", "DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                                    "DEBUG": "false", "LOG_LEVEL": "WARNING", "ACCESS_LOG": "", **SERVER_ENV}
                env.pop("DJANGO_SETTINGS_MODULE", None)
                motcua = str(bench.BIN / "motcua")
                bench.run([motcua, "migrate", "--noinput", "-v", "0"], env, timeout=300)
                bench.run([motcua, "demo"], env, timeout=600)
                port = bench.free_port()
                log = data_dir / "server.log"
                with log.open("wb") as log_file:
                    server = subprocess.Popen([motcua, "serve", "--host", bench.LOOPBACK, "--port", str(port)],
                                              env=env, cwd=data_dir, stdin=subprocess.DEVNULL, stdout=log_file,
                                              stderr=subprocess.STDOUT, start_new_session=True)
                try:
                    base = f"http://{bench.LOOPBACK}:{port}"
                    bench.wait_until_ready(base + "/healthz", server, log)
                    try:
                        measured = bench_portal(wrk_bin, base, data_dir, env, args.duration, args.connections)
                    except bench.BenchError as error:
                        raise bench.BenchError(f"{error}\n{log.read_text()[-4000:]}") from None
                    # Counted once every worker has answered (right after the first answer some still boot).
                    workers = len(subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True, text=True,
                                                 check=False).stdout.split()) - 1  # minus the master
                finally:
                    bench.stop(server)
    except bench.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    server_setup = (f"`motcua serve` (gunicorn gthread, {workers} workers × 4 threads) on {bench.LOOPBACK}, {kind} "
                    f"{version}, wrk on the same {machine['cores']}-core machine")
    results = portal_results(measured, server_setup, args.connections)
    machine["seconds"] = round(time.monotonic() - started, 1)
    if args.output:
        args.output.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2)
                               + "\n")
    bench.print_table(machine, results)
    return 0


if __name__ == "__main__":
    sys.modules.setdefault("portal", sys.modules[__name__])
    sys.exit(main())
