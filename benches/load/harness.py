#!/usr/bin/env python3
"""The load benchmark: the service under wrk against PostgreSQL's own ceiling (pgbench on
the minimal SQL of the same work), in one run on one machine.

Makes the fixture on a fresh database, starts the service, runs each scenario at each
connection count, then pgbench on the scenario's minimal SQL at the same concurrency, and
prints req/s, p50, p99, errors, 412s, the service's peak RSS and CPU per request, and the
ratio to PostgreSQL; the same as JSON. `--smoke` is the short version `.ci/run` runs: a
small fixture, 3 seconds per scenario, and a failure only when a scenario could not run or
answered errors (never on a time).

Started by `scripts/load-bench` (which builds the binary and installs wrk); standard
library only.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PASSWORD = "charge-de-travail-2014"
REPORT_QUERY = "?since=2014-03-01&until=2014-03-31"


def log(message):
    print(f"load-bench: {message}", file=sys.stderr, flush=True)


def psql(url, sql):
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        check=True, capture_output=True, text=True,
    )
    return out.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


class Service:
    """The service, started on a free port; its peak RSS and CPU time read from /proc."""

    def __init__(self, binary, database_url, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=database_url, JWT_SECRET=secrets.token_urlsafe(48),
                   RUST_LOG=os.environ.get("RUST_LOG", "info"))
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--bind", f"127.0.0.1:{self.port}", "--trusted-proxies", "127.0.0.1"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the service stopped at start; see {log_path}")
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit("the service did not answer /healthz within 60 s")

    def reset_peak(self):
        # Writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS.
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def peak_rss_mb(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def rss_mb(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_until_idle(self, limit=60):
        """Waits until the service has finished what earlier runs left queued (wrk stops
        sending, but 64 queued reports still get built): under 5 % of a core for 0.5 s."""
        deadline = time.time() + limit
        while time.time() < deadline:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before < 0.025:
                return

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def run_wrk(service, script, connections, seconds, env):
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "60s", "-s", str(HERE / script), service.base]
    service.wait_until_idle()
    service.reset_peak()
    cpu_before = service.cpu_seconds()
    out = subprocess.run(command, cwd=ROOT, env=dict(os.environ, BENCH_THREADS=str(threads), **env),
                         capture_output=True, text=True)
    cpu = service.cpu_seconds() - cpu_before
    match = re.search(r"^WRK_JSON (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not match:
        raise SystemExit(f"wrk failed ({script}):\n{out.stdout}\n{out.stderr}")
    result = json.loads(match.group(1))
    seconds_run = result["duration_us"] / 1e6
    # status_errors counts every answer of 400 and above, 412s included.
    errors = result["socket_errors"] + result["timeouts"] + result["status_errors"] - result["status_412"]
    return {
        "requests": result["requests"],
        "rps": result["requests"] / seconds_run,
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "max_ms": result["max_us"] / 1000,
        "errors": errors,
        "status_412": result["status_412"],
        "mb_per_response": result["bytes"] / max(result["requests"], 1) / 1e6,
        "peak_rss_mb": service.peak_rss_mb(),
        "service_cpu_us_per_request": cpu * 1e6 / max(result["requests"], 1),
    }


def run_pgbench(database_url, script, connections, seconds, variables, workdir):
    prefix = workdir / f"pgbench-{script.stem}-{connections}"
    command = ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", str(min(2, connections)),
               "-T", str(seconds), "-f", str(script), "--log", f"--log-prefix={prefix}"]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    out = subprocess.run(command + [database_url], capture_output=True, text=True)
    tps = re.search(r"^tps = ([\d.]+)", out.stdout, re.M)
    if out.returncode != 0 or not tps:
        raise SystemExit(f"pgbench failed ({script.name}):\n{out.stdout}\n{out.stderr}")
    latencies = []
    for log_file in workdir.glob(f"{prefix.name}.*"):
        for line in log_file.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3:
                latencies.append(int(fields[2]))
        log_file.unlink()
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "tps": float(tps.group(1)),
        "p50_ms": quantiles[49] / 1000,
        "p99_ms": quantiles[98] / 1000,
        "failed": int(failed.group(1)) if failed else 0,
    }


def prepare(binary, database_url, actions, history, accounts):
    log(f"fixture: {actions} actions, {history} history rows")
    env = dict(os.environ, DATABASE_URL=database_url)
    subprocess.run([binary, "fixture", "--actions", str(actions), "--history", str(history)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "add", "--email", "charge-admin@bench.example", "--role", "admin",
                    "--name", "Charge"], env=env, check=True, input=PASSWORD + "\n", text=True,
                   stdout=subprocess.DEVNULL)
    # The sign-in accounts share the admin's hash: one argon2 hash made, the same work to check.
    psql(database_url, f"""
        INSERT INTO users (email, display_name, role, password_hash)
        SELECT 'charge-' || n || '@bench.example', 'Charge ' || n, 'observer', password_hash
        FROM users, generate_series(1, {accounts}) AS n WHERE email = 'charge-admin@bench.example'""")
    # As autovacuum would have left a database in use: statistics, visibility map.
    psql(database_url, "VACUUM ANALYZE")
    return int(psql(database_url, "SELECT max(id) FROM plans"))


def scenarios(plan, paths):
    return [
        ("page", "GET /actions?objective_id=…&limit=50 (page of an objective's actions)", "get.lua",
         {"BENCH_PATHS": paths["objectives"]}, "page.sql"),
        ("status", "POST /actions/{id}/status-updates with If-Match", "status.lua",
         {"BENCH_ACTIONS": paths["actions"]}, "status.sql"),
        ("tree", f"GET /plans/{plan}/tree", "get.lua", {"BENCH_PATHS": paths["tree"]}, "tree.sql"),
        ("tree_gzip", f"GET /plans/{plan}/tree, Accept-Encoding: gzip", "get.lua",
         {"BENCH_PATHS": paths["tree"], "BENCH_HEADER": "Accept-Encoding: gzip"}, None),
        ("report_xlsx", f"GET /plans/{plan}/reports/progress.xlsx{REPORT_QUERY}", "get.lua",
         {"BENCH_PATHS": paths["xlsx"]}, None),
        ("report_pdf", f"GET /plans/{plan}/reports/progress.pdf{REPORT_QUERY}", "get.lua",
         {"BENCH_PATHS": paths["pdf"]}, None),
        ("sign_in", "POST /auth/login (argon2id)", "sign_in.lua",
         {"BENCH_ACCOUNTS": paths["accounts"], "BENCH_PASSWORD": PASSWORD}, None),
    ]


def current_versions(database_url, plan):
    return psql(database_url, f"""SELECT a.id || ' ' || a.version FROM actions a
        JOIN objectives o ON o.id = a.objective_id JOIN orientations r ON r.id = o.orientation_id
        WHERE r.plan_id = {plan} ORDER BY a.id""").splitlines()


def write_lists(workdir, database_url, plan, accounts):
    def write(name, lines):
        path = workdir / name
        path.write_text("\n".join(lines) + "\n")
        return str(path)

    objectives = psql(database_url, f"""SELECT o.id FROM objectives o JOIN orientations r ON r.id = o.orientation_id
        WHERE r.plan_id = {plan} ORDER BY o.id""").split()
    actions = current_versions(database_url, plan)
    paths = {
        "objectives": write("objectives.txt", [f"/api/v1/actions?objective_id={o}&limit=50" for o in objectives]),
        "actions": write("actions.txt", actions),
        "tree": write("tree.txt", [f"/api/v1/plans/{plan}/tree"]),
        "xlsx": write("xlsx.txt", [f"/api/v1/plans/{plan}/reports/progress.xlsx{REPORT_QUERY}"]),
        "pdf": write("pdf.txt", [f"/api/v1/plans/{plan}/reports/progress.pdf{REPORT_QUERY}"]),
        "accounts": write("accounts.txt", [f"charge-{n}@bench.example" for n in range(1, accounts + 1)]),
    }
    ranges = {
        "first_objective": objectives[0], "last_objective": objectives[-1],
        "first_action": actions[0].split()[0], "last_action": actions[-1].split()[0],
    }
    return paths, ranges


def table(results):
    rows = [("scenario", "conns", "req/s", "p50 ms", "p99 ms", "errors", "412", "peak RSS MB",
             "CPU µs/req", "PG TPS", "PG p99 ms", "ratio")]
    for r in results:
        pg = r.get("postgres") or {}
        rows.append((
            r["scenario"], str(r["connections"]), f"{r['rps']:,.0f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
            str(r["errors"]), str(r["status_412"]), f"{r['peak_rss_mb']:.0f}",
            f"{r['service_cpu_us_per_request']:,.0f}",
            f"{pg['tps']:,.0f}" if pg else "—", f"{pg['p99_ms']:.1f}" if pg else "—",
            f"{r['ratio']:.2f}" if r.get("ratio") is not None else "—",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in
                               enumerate(zip(row, widths))) for row in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "target/release/planaction"))
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--latency-connections", type=int, default=1,
                        help="one more run of the heavy scenarios at this concurrency (their latency)")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument("--json", default=str(ROOT / "target/load-bench/results.json"))
    parser.add_argument("--smoke", action="store_true", help="small and short: checks that every scenario runs")
    args = parser.parse_args()
    if args.smoke:
        args.actions, args.history, args.seconds, args.connections = 300, 1_000, 3, "4"
    connections = [int(c) for c in args.connections.split(",")]
    accounts = 4 if args.smoke else 64
    for tool in ("wrk", "pgbench", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (scripts/load-bench installs it)")

    name = f"planaction_load_{os.getpid()}"
    database_url = f"{args.server}/{name}"
    psql(f"{args.server}/postgres", f"CREATE DATABASE {name}")
    workdir = Path(tempfile.mkdtemp(prefix="planaction-load-"))
    service = None
    try:
        plan = prepare(args.binary, database_url, args.actions, args.history, accounts)
        paths, ranges = write_lists(workdir, database_url, plan, accounts)
        user_id = psql(database_url, "SELECT id FROM users WHERE email = 'charge-admin@bench.example'")
        variables = dict(ranges, plan_id=plan, user_id=user_id)
        service = Service(args.binary, database_url, workdir / "service.log")
        at_rest = service.rss_mb()
        results = []
        only = set(args.only.split(",")) if args.only else None
        for key, what, script, env, sql in scenarios(plan, paths):
            if only and key not in only:
                continue
            counts = connections if key in ("page", "status") else [args.latency_connections, *connections]
            for c in dict.fromkeys(counts):
                token = http("POST", f"{service.base}/api/v1/auth/login",
                             {"email": "charge-admin@bench.example", "password": PASSWORD})["access_token"]
                log(f"{key} at {c} connections, {args.seconds} s")
                if key == "status":
                    # Every run starts from the current ETags (earlier runs moved them).
                    Path(paths["actions"]).write_text("\n".join(current_versions(database_url, plan)) + "\n")
                result = run_wrk(service, script, c, args.seconds, dict(env, BENCH_TOKEN=token))
                result.update(scenario=key, what=what, connections=c)
                if sql:
                    pg = run_pgbench(database_url, HERE / "pgbench" / sql, c, args.seconds, variables, workdir)
                    result["postgres"] = pg
                    result["ratio"] = result["rps"] / pg["tps"] if pg["tps"] else None
                results.append(result)
                print(f"  {key:12} c={c:<3} {result['rps']:>9,.0f} req/s  p99 {result['p99_ms']:.1f} ms"
                      + (f"  PG {result['postgres']['tps']:,.0f} TPS  ratio {result['ratio']:.2f}" if sql else ""),
                      file=sys.stderr, flush=True)
        summary = {
            "fixture": {"actions": args.actions, "history": args.history},
            "seconds": args.seconds,
            "cores": os.cpu_count(),
            "rss_at_rest_mb": at_rest,
            "results": results,
        }
        print(table(results))
        print(f"service RSS at rest: {at_rest:.0f} MB; peak under load: "
              f"{max(r['peak_rss_mb'] for r in results):.0f} MB")
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
        print(f"JSON: {args.json}")
        if args.smoke:
            broken = [f"{r['scenario']} (c={r['connections']}): {r['requests']} answers, {r['errors']} errors"
                      for r in results if r["requests"] == 0 or r["errors"] > 0
                      or (r.get("postgres") or {}).get("failed")]
            if broken:
                print(f"service log: {(workdir / 'service.log').read_text()[-4000:]}", file=sys.stderr)
                raise SystemExit("load-bench --smoke: " + "; ".join(broken))
    finally:
        if service:
            service.stop()
        psql(f"{args.server}/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
