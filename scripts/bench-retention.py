#!/usr/bin/env python3
"""Helpers of scripts/bench-retention (standard library only); not meant to be run by hand.

  payload SIZE                     random bytes: prints "HEX SHA256HEX CRC32"
  load LABEL OUT.json              read load (GET /v1/people?limit=50 and /v1/me, alternating) on
                                   --connections keep-alive connections until --duration seconds
                                   pass or --stop-file exists; prints the figures, writes OUT.json
  start-run OUT.json               POST /v1/admin/retention/runs {"mode":"execute"}, approves it
                                   when it awaits approval; prints plan time and counts
  wait-run RUN.json OUT.json       polls the run every --interval s until done (or --timeout)
  report ...                       purge rate, latency ratio and the summary paragraph

The API address comes from BENCH_API (http://127.0.0.1:8080), the admin token from
BENCH_TOKEN (never on a command line), the approving token from BENCH_APPROVE_TOKEN (default:
the admin token).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse
import zlib
import hashlib
from datetime import datetime, timedelta, timezone

PATHS = ("/v1/people?limit=50", "/v1/me")


def api_address():
    url = urllib.parse.urlsplit(os.environ.get("BENCH_API", "http://127.0.0.1:8080"))
    return url.hostname or "127.0.0.1", url.port or 80


def token(name="BENCH_TOKEN"):
    value = os.environ.get(name, "").strip()
    if not value and name != "BENCH_TOKEN":
        value = os.environ.get("BENCH_TOKEN", "").strip()
    if not value:
        sys.exit(f"error: {name} is not set")
    return value


def line(label, value, unit=""):
    print(f"{label}: {value}{(' ' + unit) if unit else ''}", flush=True)


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100)
    return sorted_values[int(rank) - 1]


def ms(value):
    return "n/a" if value is None else f"{value * 1000:.1f}"


# --- payload -------------------------------------------------------------------------------------


def cmd_payload(args):
    data = secrets.token_bytes(args.size)
    print(data.hex(), hashlib.sha256(data).hexdigest(), zlib.crc32(data) & 0xFFFFFFFF)


# --- load generator ------------------------------------------------------------------------------


class Worker(threading.Thread):
    def __init__(self, index, stop, auth):
        super().__init__(daemon=True)
        self.index = index
        self.stop = stop
        self.headers = {"Authorization": f"Bearer {auth}", "Accept": "application/json"}
        self.latencies = []  # seconds, successful (2xx) requests only
        self.errors = 0
        self.statuses = {}
        self.reconnects = 0

    def connect(self):
        host, port = api_address()
        return http.client.HTTPConnection(host, port, timeout=30)

    def run(self):
        conn = self.connect()
        i = self.index  # stagger the paths across connections
        while not self.stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=self.headers)
                response = conn.getresponse()
                response.read()  # drain, so the connection can be reused
                elapsed = time.perf_counter() - started
                self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
                if 200 <= response.status < 300:
                    self.latencies.append(elapsed)
                else:
                    self.errors += 1
                if response.will_close:
                    conn.close()
                    conn = self.connect()
                    self.reconnects += 1
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                if self.stop.wait(0.1):
                    break
                conn = self.connect()
                self.reconnects += 1
        conn.close()


def cmd_load(args):
    auth = token()
    stop = threading.Event()
    workers = [Worker(i, stop, auth) for i in range(args.connections)]
    started = time.perf_counter()
    deadline = started + args.duration
    for worker in workers:
        worker.start()
    try:
        while time.perf_counter() < deadline:
            if args.stop_file and os.path.exists(args.stop_file):
                break
            time.sleep(0.05)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=35)
    elapsed = time.perf_counter() - started

    latencies = sorted(x for worker in workers for x in worker.latencies)
    errors = sum(worker.errors for worker in workers)
    statuses = {}
    for worker in workers:
        for status, count in worker.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    summary = {
        "label": args.label,
        "connections": args.connections,
        "seconds": elapsed,
        "requests": len(latencies),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else None,
    }
    with open(args.out, "w") as f:
        json.dump(summary, f)

    label = args.label
    line(f"{label} load duration", f"{elapsed:.1f}", "s")
    line(f"{label} load connections", args.connections)
    line(f"{label} requests ok", len(latencies))
    line(f"{label} requests failed", errors)
    if any(not (200 <= s < 300) for s in statuses):
        line(f"{label} status codes", " ".join(f"{k}x{v}" for k, v in sorted(statuses.items())))
    line(f"{label} throughput", f"{summary['rps']:.1f}", "req/s")
    line(f"{label} latency p50", ms(summary["p50"]), "ms")
    line(f"{label} latency p95", ms(summary["p95"]), "ms")
    line(f"{label} latency p99", ms(summary["p99"]), "ms")
    line(f"{label} latency max", ms(summary["max"]), "ms")


# --- retention run -------------------------------------------------------------------------------


def call(conn, method, path, auth, body=None):
    """One JSON request; returns (status, parsed body or raw text, seconds)."""
    headers = {"Authorization": f"Bearer {auth}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    elapsed = time.perf_counter() - started
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return response.status, parsed, elapsed


def unwrap(run):
    """The run object, also when the API wraps it ({"run": {...}})."""
    if isinstance(run, dict) and "id" not in run and isinstance(run.get("run"), dict):
        return run["run"]
    return run


def fail(what, status, body):
    sys.exit(f"error: {what} answered HTTP {status}: {json.dumps(body) if not isinstance(body, str) else body}")


def print_counts(prefix, counts):
    if not isinstance(counts, dict) or not counts:
        line(prefix, "(none)")
        return
    for key in sorted(counts):
        line(f"{prefix} {key}", counts[key])


def cmd_start_run(args):
    host, port = api_address()
    conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
    requested_wall = time.time()
    status, body, plan_seconds = call(conn, "POST", "/v1/admin/retention/runs", token(), {"mode": "execute"})
    if not 200 <= status < 300:
        fail("POST /v1/admin/retention/runs", status, body)
    run = unwrap(body)
    if not isinstance(run, dict) or "id" not in run:
        fail("POST /v1/admin/retention/runs (no id in the answer)", status, body)
    line("run id", run["id"])
    line("plan time", f"{plan_seconds:.2f}", "s")
    line("plan status", run.get("status"))
    print_counts("plan count", run.get("counts"))

    approve_seconds = None
    approved_wall = time.time()
    if run.get("status") == "awaiting_approval":
        conn2 = http.client.HTTPConnection(host, port, timeout=args.timeout)
        status, body, approve_seconds = call(
            conn2, "POST", f"/v1/admin/retention/runs/{run['id']}/approve", token("BENCH_APPROVE_TOKEN")
        )  # no request body (Content-Length: 0)
        if not 200 <= status < 300:
            fail(f"POST /v1/admin/retention/runs/{run['id']}/approve", status, body)
        approved_wall = time.time()
        approved = unwrap(body)
        if isinstance(approved, dict) and approved.get("status"):
            run = {**run, **approved}
        line("approve time", f"{approve_seconds:.2f}", "s")
        line("status after approval", run.get("status"))
    elif run.get("status") in ("approved", "running", "done"):
        line("approval", "not needed (auto-approved)")
    else:
        sys.exit(f"error: the run is {run.get('status')!r}, not executable")
    with open(args.out, "w") as f:
        json.dump({"run": run, "plan_seconds": plan_seconds, "approve_seconds": approve_seconds,
                   "approved_wall": approved_wall, "requested_wall": requested_wall}, f)


def cmd_wait_run(args):
    with open(args.started) as f:
        started = json.load(f)
    run_id = started["run"]["id"]
    host, port = api_address()
    auth = token()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    begin = time.time()
    last_status = None
    last_counts_print = begin
    warned = False
    run = started["run"]
    while True:
        try:
            status, body, _ = call(conn, "GET", f"/v1/admin/retention/runs/{run_id}", auth)
        except (OSError, http.client.HTTPException) as error:
            print(f"poll failed ({error}); retrying", file=sys.stderr, flush=True)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            status, body = None, None
        now = time.time()
        if status is not None and 200 <= status < 300:
            run = unwrap(body)
            if run.get("status") != last_status:
                last_status = run.get("status")
                line("run status", f"{last_status} at +{now - begin:.1f} s")
            elif now - last_counts_print >= args.progress:
                last_counts_print = now
                counts = run.get("counts") or {}
                done = ", ".join(f"{k} {counts[k]}" for k in ("hidden", "purged", "changed", "failed") if k in counts)
                line("run progress", f"{done or 'no outcome counts yet'} at +{now - begin:.1f} s")
            if last_status in ("done", "aborted"):
                break
            if last_status == "approved" and not warned and now - begin > 60:
                warned = True
                print("warning: still approved after 60 s; is `dossier worker` running?", file=sys.stderr, flush=True)
        elif status is not None:
            print(f"poll answered HTTP {status}: {body}", file=sys.stderr, flush=True)
        if now - begin > args.timeout:
            line("run status", f"{last_status} after the {args.timeout:.0f} s timeout")
            break
        time.sleep(args.interval)
    result = {"run": run, "observed_done_wall": time.time(), "timed_out": last_status not in ("done", "aborted")}
    with open(args.out, "w") as f:
        json.dump(result, f)
    if last_status == "aborted":
        sys.exit(3)
    if result["timed_out"]:
        sys.exit(2)


# --- report --------------------------------------------------------------------------------------

RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$"
)


def parse_time(value):
    if not isinstance(value, str):
        return None
    match = RFC3339.match(value.strip())
    if not match:
        return None
    y, mo, d, h, mi, s, frac, zone = match.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    if zone in ("Z", "z"):
        tz = timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, tzinfo=tz)


def load_json(path):
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def cmd_report(args):
    started = load_json(args.started)
    finished = load_json(args.finished)
    before = load_json(args.before)
    during = load_json(args.during)
    run = (finished or {}).get("run") or (started or {}).get("run") or {}
    counts = run.get("counts") or {}
    plan_counts = (started or {}).get("run", {}).get("counts") or {}

    purged = counts.get("purged")
    purged_source = "run counts"
    if not isinstance(purged, int) and args.db_purged is not None:
        purged, purged_source = args.db_purged, "database (disposed_by_run)"
    t0, t1 = parse_time(run.get("started_at")), parse_time(run.get("finished_at"))
    partial = False
    if t0 and not t1 and finished:
        # Not finished (timeout): the rate so far, up to the last poll (same clock on one machine).
        t1, partial = datetime.fromtimestamp(finished["observed_done_wall"], timezone.utc), True
    execute_seconds = (t1 - t0).total_seconds() if t0 and t1 else None
    rate = purged / execute_seconds if isinstance(purged, int) and execute_seconds else None
    end = "last poll" if partial else "done"

    print_counts("run count", counts)
    line("run status", run.get("status", "unknown"))
    line("purged (from " + purged_source + ")", purged if purged is not None else "n/a")
    line("run started_at", run.get("started_at") or "n/a")
    line("run finished_at", run.get("finished_at") or "n/a")
    if execute_seconds is None:
        line("execute time", "n/a")
        line("purge rate", "n/a")
    else:
        span = "last poll - started_at, run not finished" if partial else "finished_at - started_at"
        line(f"execute time ({span})", f"{execute_seconds:.1f}", "s")
        line("purge rate" + (" so far" if partial else ""), f"{rate:.1f}" if rate is not None else "n/a",
             "portfolios/s")
    wall = approve_wall = None
    if started and finished:
        approve_wall = finished["observed_done_wall"] - started["approved_wall"]
        wall = finished["observed_done_wall"] - started["requested_wall"]
        line(f"wall time, approval to {end} (observed)", f"{approve_wall:.1f}", "s")
        line(f"wall time, plan request to {end} (observed)", f"{wall:.1f}", "s")
    if args.db_purged is not None:
        line("portfolios disposed by this run (database)", args.db_purged)

    ratio = None
    if before and during and before.get("p99") and during.get("p99") is not None:
        ratio = during["p99"] / before["p99"]
        line("p99 before", ms(before["p99"]), "ms")
        line("p99 during", ms(during["p99"]), "ms")
        line("p99 ratio during/before", f"{ratio:.2f}")
        line("p99 target (at most 2x)", "met" if ratio <= 2.0 else "NOT met")

    # The summary paragraph.
    def fig(value, fmt, unit=""):
        return "n/a" if value is None else (fmt.format(value) + unit)

    parts = []
    if args.seed_seconds is not None:
        parts.append(
            f"Seeded {args.seeded} completed trainees (5 entries, 5 comments and one 4 KiB attachment each) "
            f"and {args.active} active ones in {args.seed_seconds:.1f} s."
        )
    plan_keys = [k for k in ("hide", "purge", "held") if k in plan_counts] or sorted(plan_counts)
    plan_text = ", ".join(f"{k} {plan_counts[k]}" for k in plan_keys) or "no counts"
    parts.append(
        f"The execute run was planned in {fig((started or {}).get('plan_seconds'), '{:.2f}', ' s')} ({plan_text})"
        f" and the worker purged {fig(purged, '{}')} portfolios in {fig(execute_seconds, '{:.1f}', ' s')}"
        f" ({fig(rate, '{:.1f}', ' portfolios/s')}; {fig(wall, '{:.1f}', ' s')} wall from plan request to {end})"
        + (f", still {run.get('status', 'unknown')} when the bench stopped waiting." if partial
           else f", ending {run.get('status', 'unknown')}.")
    )
    if before and during:
        parts.append(
            f"Under read load on {before.get('connections')} connections (GET /v1/people?limit=50 and /v1/me)"
            f" the API served {before['rps']:.0f} req/s with p50/p95/p99 {ms(before['p50'])}/{ms(before['p95'])}/"
            f"{ms(before['p99'])} ms before the run and {during['rps']:.0f} req/s with {ms(during['p50'])}/"
            f"{ms(during['p95'])}/{ms(during['p99'])} ms during it"
            f" (p99 ratio {fig(ratio, '{:.2f}')}, target at most 2x: "
            f"{'n/a' if ratio is None else ('met' if ratio <= 2.0 else 'NOT met')};"
            f" failed requests {before['errors']} before, {during['errors']} during)."
        )
    if args.active_before is not None:
        parts.append(
            f"The active trainees' entries went from {args.active_before} to {args.active_after}"
            f" ({'unchanged' if args.active_before == args.active_after else 'CHANGED'})"
            + (
                f", and {args.disposed} of {args.tracked} seeded completed portfolios have disposed_at set."
                if args.tracked is not None
                else "."
            )
        )
    print()
    print(" ".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("payload")
    p.add_argument("size", type=int)
    p.set_defaults(func=cmd_payload)

    p = sub.add_parser("load")
    p.add_argument("label")
    p.add_argument("out")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--duration", type=float, default=15.0)
    p.add_argument("--stop-file")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("start-run")
    p.add_argument("out")
    p.add_argument("--timeout", type=float, default=600.0, help="HTTP timeout of the plan request")
    p.set_defaults(func=cmd_start_run)

    p = sub.add_parser("wait-run")
    p.add_argument("started")
    p.add_argument("out")
    p.add_argument("--interval", type=float, default=0.5)
    p.add_argument("--timeout", type=float, default=900.0)
    p.add_argument("--progress", type=float, default=10.0, help="seconds between progress lines")
    p.set_defaults(func=cmd_wait_run)

    p = sub.add_parser("report")
    p.add_argument("--started")
    p.add_argument("--finished")
    p.add_argument("--before")
    p.add_argument("--during")
    p.add_argument("--db-purged", type=int)
    p.add_argument("--seed-seconds", type=float)
    p.add_argument("--seeded", type=int)
    p.add_argument("--active", type=int)
    p.add_argument("--active-before", type=int)
    p.add_argument("--active-after", type=int)
    p.add_argument("--tracked", type=int)
    p.add_argument("--disposed", type=int)
    p.set_defaults(func=cmd_report)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
