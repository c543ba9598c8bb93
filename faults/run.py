#!/usr/bin/env python3
"""The fault suite: the service on a PostgreSQL of its own, broken on purpose.

Starts a private PostgreSQL (initdb in a temporary folder, its own port, run as the
`postgres` user) and the service built by cargo (`target/debug/planaction`), then:
  1. freezes PostgreSQL (SIGSTOP on every one of its processes): 503 within the
     configured timeouts, and recovery by itself after SIGCONT;
  2. stops PostgreSQL, then starts it again: 503, then recovery without restarting us;
  3. SIGKILLs the service during a 5,000-action import: no half plan after restart;
  4. SIGKILLs it during a burst of status updates: no action without its history row,
     no history row without its audit row, no audit row ahead of its change;
  5. SIGTERM: a request in flight finishes, new connections are refused, exit code 0;
  6. two instances on one database: sign-in limits hold across them, and of two
     changes made with the same ETag on each, one lands and the other gets 412;
  7. slow clients: 12 bodies sent a byte a second and 60 readers of a 5,000-action
     tree that read nothing; ordinary requests meanwhile answer in under 1 s, the readers
     are cut off after WRITE_TIMEOUT, and the large plan is deleted through the API.
Prints the times it measured; exits 1 if any check fails. Python standard library only.
Usage: faults/run.py [--binary target/debug/planaction]
"""

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

JWT_SECRET = "fault-suite-secret-of-at-least-32-bytes-0123456789"
TIMEOUTS = {"DATABASE_CONNECT_TIMEOUT": "2", "DATABASE_WAIT_TIMEOUT": "2", "REQUEST_TIMEOUT": "5"}
ADMIN = ("coordination@rqds.example", "demo-coordination")
failures = []
figures = []


def check(condition, what):
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)


def figure(name, seconds):
    figures.append((name, seconds))
    print(f"  time  {name}: {seconds:.2f} s", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, token=None, headers=None, timeout=30, raw=None, content_type=None):
    """(status, headers, parsed body); status 0 when the connection failed."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type or "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
            status, answer_headers = response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        payload = error.read()
        status, answer_headers = error.code, {k.lower(): v for k, v in error.headers.items()}
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout, OSError):
        return 0, {}, None
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = payload
    return status, answer_headers, parsed


def timed(fn):
    started = time.monotonic()
    result = fn()
    return result, time.monotonic() - started


class Postgres:
    """A private cluster: initdb refuses root, so every command runs as `postgres`."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            sys.exit("faults: no PostgreSQL binaries under /usr/lib/postgresql (scripts/ensure-postgres installs them)")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="planaction-faults-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.user = [] if os.getuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(self.user + [f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                    "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/planaction"

    def start(self):
        subprocess.run(self.user + [f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                                    "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start"],
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        subprocess.run(self.user + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                       check=False, stdout=subprocess.DEVNULL)

    def processes(self):
        with open(os.path.join(self.data, "postmaster.pid")) as pid_file:
            postmaster = int(pid_file.readline())
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster] + [int(c) for c in children]

    def signal_all(self, sig):
        for pid in self.processes():
            os.kill(pid, sig)

    def sql(self, query):
        out = subprocess.run(self.user + [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                          "-d", "planaction", "-tAc", query], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Service:
    def __init__(self, binary, database_url, log, settings=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JWT_SECRET=JWT_SECRET, RUST_LOG="warn", **TIMEOUTS)
        env.update(settings or {})
        self.process = subprocess.Popen([binary, "serve", "--demo", "--database-url", database_url, "--bind",
                                         f"127.0.0.1:{self.port}"], env=env, stdout=log, stderr=log)
        for _ in range(300):
            if call(self.base, "GET", "/readyz", timeout=2)[0] == 200:
                return
            time.sleep(0.1)
        raise SystemExit(f"faults: the service did not become ready on {self.base}")

    def token(self, account=ADMIN):
        status, _, body = call(self.base, "POST", "/api/v1/auth/login", {"email": account[0], "password": account[1]})
        if status != 200:
            raise SystemExit(f"faults: sign-in refused ({status}): {body}")
        return body["access_token"]

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def kill(self, sig=signal.SIGKILL):
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def plan_document(actions):
    """A plan of another year, `actions` actions in 5 orientations, in the RQDS table form."""
    lines = ["PLAN D'ACTION 2015-2016 (juillet à juin)", "", "Mise à jour : 2015-09-01", ""]
    per_orientation = actions // 5
    for orientation in range(1, 6):
        lines += [f"ORIENTATION {orientation} : ORIENTATION DE CHARGE {orientation}", "",
                  "OBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT"]
        for i in range(per_orientation):
            lines.append(f"Objectif {orientation}.{i}\t- Action {orientation}.{i}\tAutomne 2015\tEn cours")
        lines.append("")
    return ("\n".join(lines) + "\n").encode()


def wait_until(predicate, limit):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def frozen_database(pg, service):
    print("1. PostgreSQL frozen (SIGSTOP), then thawed (SIGCONT)")
    token = service.token()
    pg.signal_all(signal.SIGSTOP)
    try:
        for name, method, path, body, auth in [
            ("/readyz", "GET", "/readyz", None, None),
            ("the API", "GET", "/api/v1/plans", None, token),
            ("sign-in", "POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}, None),
        ]:
            (status, headers, answer), seconds = timed(lambda: call(service.base, method, path, body, auth, timeout=30))
            check(status == 503, f"{name} answers 503 while the database is frozen (got {status})")
            check("retry-after" in headers, f"{name}: Retry-After")
            check(seconds <= 2 + 2 + 1, f"{name}: within the connection timeouts ({seconds:.2f} s)")
            figure(f"frozen database, {name} to 503", seconds)
            if name == "/readyz":
                print(f"        readyz says: {answer.get('detail') if isinstance(answer, dict) else answer}")
    finally:
        pg.signal_all(signal.SIGCONT)
    recovered = wait_until(lambda: call(service.base, "GET", "/readyz", timeout=5)[0] == 200, 30)
    check(recovered is not None, "ready again after SIGCONT, by itself")
    if recovered is not None:
        figure("frozen database, recovery after SIGCONT", recovered)
    check(call(service.base, "GET", "/api/v1/plans", token=token)[0] == 200, "the API answers again")


def stopped_database(pg, service):
    print("2. PostgreSQL stopped (with a change in flight), then started")
    token = service.token()
    # A change waiting on a row that another session holds is in flight when the server stops.
    action = pg.sql("SELECT min(id) FROM actions")
    _, headers, _ = call(service.base, "GET", f"/api/v1/actions/{action}", token=token)
    holder = subprocess.Popen(pg.user + [f"{pg.bin}/psql", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
                                         "-d", "planaction", "-c",
                                         f"BEGIN; SELECT id FROM actions WHERE id = {action} FOR UPDATE; "
                                         "SELECT pg_sleep(30);"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    in_flight = {}

    def change():
        in_flight["status"] = call(service.base, "PATCH", f"/api/v1/actions/{action}", {"progress_note": "en vol"},
                                   token, {"If-Match": headers["etag"]}, timeout=30)[0]

    sender = threading.Thread(target=change)
    sender.start()
    time.sleep(0.5)
    pg.stop()
    sender.join()
    holder.wait(timeout=30)
    check(in_flight.get("status") == 503, f"the change in flight gets 503, not 500 (got {in_flight.get('status')})")
    (status, _, _), seconds = timed(lambda: call(service.base, "GET", "/api/v1/plans", token=token))
    check(status == 503, f"503 while the database is stopped (got {status})")
    figure("stopped database, API to 503", seconds)
    pg.start()
    recovered = wait_until(lambda: call(service.base, "GET", "/api/v1/plans", token=token, timeout=5)[0] == 200, 30)
    check(recovered is not None, "the API answers again without a restart")
    if recovered is not None:
        figure("stopped database, recovery after start", recovered)


def killed_during_import(pg, binary, log):
    print("3. SIGKILL during a 5,000-action import")
    service = Service(binary, pg.url, log)
    token = service.token()
    plans_before = int(pg.sql("SELECT count(*) FROM plans"))
    document = plan_document(5000)
    outcome = {}

    def send():
        outcome["status"] = call(service.base, "POST", "/api/v1/plans/import", token=token, raw=document,
                                 content_type="text/plain", timeout=120)[0]

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.4)
    service.kill()
    sender.join()
    print(f"        the import answered {outcome.get('status')} (0: cut by the kill)")
    service = Service(binary, pg.url, log)
    plans = int(pg.sql("SELECT count(*) FROM plans"))
    actions_of_new = pg.sql("SELECT count(*) FROM actions a JOIN objectives o ON o.id = a.objective_id "
                            "JOIN orientations r ON r.id = o.orientation_id JOIN plans p ON p.id = r.plan_id "
                            "WHERE p.title LIKE '%2015-2016%'")
    check((plans, actions_of_new) in [(plans_before, "0"), (plans_before + 1, "5000")],
          f"all or nothing: {plans - plans_before} new plan(s) with {actions_of_new} actions")
    service.kill()


def killed_during_updates(pg, binary, log):
    print("4. SIGKILL during a burst of status updates")
    service = Service(binary, pg.url, log)
    token = service.token()
    ids = [int(i) for i in pg.sql("SELECT id FROM actions ORDER BY id LIMIT 16").split()]
    sent = {"count": 0}
    stop = threading.Event()

    def writer(action):
        statuses = ["in_progress", "completed", "in_preparation", "ongoing"]
        i = 0
        while not stop.is_set():
            status, headers, _ = call(service.base, "GET", f"/api/v1/actions/{action}", token=token, timeout=10)
            if status != 200:
                return
            status, _, _ = call(service.base, "POST", f"/api/v1/actions/{action}/status-updates",
                                {"status": statuses[i % 4], "note": f"rafale {i}"}, token,
                                {"If-Match": headers["etag"]}, timeout=10)
            if status == 0:
                return
            sent["count"] += 1
            i += 1

    threads = [threading.Thread(target=writer, args=(a,)) for a in ids]
    for t in threads:
        t.start()
    time.sleep(1.5)
    service.kill()
    stop.set()
    for t in threads:
        t.join()
    print(f"        {sent['count']} status updates answered before the kill")
    check(sent["count"] > 0, "the burst was under way")
    service = Service(binary, pg.url, log)
    missing_history = pg.sql("SELECT count(*) FROM actions a WHERE EXISTS (SELECT 1 FROM status_updates s WHERE "
                             "s.action_id = a.id) AND a.status IS DISTINCT FROM (SELECT s.new_status FROM "
                             "status_updates s WHERE s.action_id = a.id ORDER BY s.id DESC LIMIT 1)")
    unaudited = pg.sql("SELECT count(*) FROM status_updates s WHERE s.author_id IS NOT NULL AND NOT EXISTS "
                       "(SELECT 1 FROM audit_log l WHERE l.entity = 'status_update' AND l.entity_id = s.id)")
    ahead = pg.sql("SELECT count(*) FROM audit_log l JOIN actions a ON a.id = l.entity_id WHERE l.entity = 'action' "
                   "AND (l.after->>'version')::int > a.version")
    check(missing_history == "0", f"every action's status is its last history row ({missing_history} not)")
    check(unaudited == "0", f"every history row has its audit row ({unaudited} without)")
    check(ahead == "0", f"no audit row ahead of its change ({ahead})")
    service.kill()


def terminated(pg, binary, log):
    print("5. SIGTERM with a request in flight")
    service = Service(binary, pg.url, log)
    token = service.token()
    outcome = {}

    def send():
        outcome["status"] = call(service.base, "POST", "/api/v1/plans/import", token=token,
                                 raw=plan_document(2000).replace(b"2015-2016", b"2016-2017"),
                                 content_type="text/plain", timeout=120)[0]

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)
    service.process.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    refused = call(service.base, "GET", "/healthz", timeout=5)[0]
    sender.join()
    code = service.process.wait(timeout=60)
    check(outcome.get("status") == 201, f"the import in flight finished (got {outcome.get('status')})")
    check(refused == 0, f"a new connection is refused once SIGTERM arrived (got {refused})")
    check(code == 0, f"the process exits with 0 (got {code})")


def two_instances(pg, binary, log):
    print("6. Two instances on one database")
    first, second = Service(binary, pg.url, log), Service(binary, pg.url, log)
    try:
        account = "estrie@rqds.example"
        statuses = [call(s.base, "POST", "/api/v1/auth/login", {"email": account, "password": "devinette"})[0]
                    for s in [first, second, first, second, first]]
        check(statuses == [401] * 5, f"5 failures across both: {statuses}")
        blocked = [call(s.base, "POST", "/api/v1/auth/login", {"email": account, "password": "demo-delegation"})[0]
                   for s in [second, first]]
        check(blocked == [429, 429], f"then 429 on both, the right password too: {blocked}")
        token = first.token()
        action = pg.sql("SELECT min(id) FROM actions")
        _, headers, _ = call(first.base, "GET", f"/api/v1/actions/{action}", token=token)
        results = {}

        def change(service, note):
            results[note] = call(service.base, "PATCH", f"/api/v1/actions/{action}", {"progress_note": note}, token,
                                 {"If-Match": headers["etag"]})[0]

        threads = [threading.Thread(target=change, args=(s, n)) for s, n in [(first, "première"), (second, "seconde")]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(sorted(results.values()) == [200, 412], f"one change lands, the other gets 412: {results}")
    finally:
        first.kill()
        second.kill()


def established(port):
    """Connections the process listening on `port` still holds open (its side of them)."""
    count = 0
    for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    count += 1
    return count


def slow_socket(service, head, receive_buffer=None):
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", service.port))
    sock.sendall(head.encode())
    return sock


def slow_clients(pg, binary, log):
    print("7. Slow clients: 12 slow bodies and 60 readers that read nothing")
    write_timeout = 3
    # FAULTS_WRITE_TIMEOUT=600 shows the check failing without the write timeout.
    service = Service(binary, pg.url, log, {"WRITE_TIMEOUT": os.environ.get("FAULTS_WRITE_TIMEOUT", str(write_timeout)),
                                            "REQUEST_TIMEOUT": "30"})
    sockets = []
    try:
        token = service.token()
        observer = service.token(("mess@rqds.example", "demo-observateur"))
        status, _, imported = call(service.base, "POST", "/api/v1/plans/import", token=token,
                                   raw=plan_document(5000), content_type="text/plain", timeout=120)
        check(status == 201, f"a 5,000-action plan to read (got {status})")
        plan = imported["plan"]["id"]
        action = pg.sql("SELECT min(id) FROM actions")
        rest = service.rss_mb()
        stop = threading.Event()

        def slow_body():
            head = (f"POST /api/v1/actions/{action}/comments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {observer}\r\n"
                    "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            try:
                sock = slow_socket(service, head)
                sockets.append(sock)
                while not stop.wait(1):
                    sock.sendall(b" ")
            except OSError:
                pass

        bodies = [threading.Thread(target=slow_body, daemon=True) for _ in range(12)]
        for thread in bodies:
            thread.start()
        readers = [slow_socket(service, f"GET /api/v1/plans/{plan}/tree HTTP/1.1\r\nHost: x\r\n"
                                        f"Authorization: Bearer {token}\r\n\r\n", receive_buffer=4096)
                   for _ in range(60)]
        sockets.extend(readers)
        time.sleep(1.5)
        times, statuses = [], []
        for path in ["/api/v1/plans", f"/api/v1/plans/{plan}", "/api/v1/me", f"/api/v1/actions/{action}"] * 3:
            (status, _, _), seconds = timed(lambda: call(service.base, "GET", path, token=observer, timeout=10))
            statuses.append(status)
            times.append(seconds)
        check(set(statuses) == {200}, f"ordinary requests answer while they run: {sorted(set(statuses))}")
        check(max(times) < 1.0, f"each in under 1 s (slowest {max(times):.2f} s)")
        figure("slow clients, slowest ordinary request", max(times))
        peak = service.rss_mb()
        print(f"        RSS {rest:.0f} MB before, {peak:.0f} MB with 72 slow clients")
        # The service closes every reader's connection: on its side none stays established
        # (an answer the kernel took whole ends with the keep-alive).
        stop.set()
        for sock in sockets:
            if sock not in readers:
                sock.close()
        # Answers are built a few at a time: the last stalls some seconds after the first.
        gone = wait_until(lambda: established(service.port) == 0, 40)
        check(gone is not None, f"the readers that read nothing were cut off "
                                f"({established(service.port)} of {len(readers)} connections held)")
        if gone is not None:
            figure("slow readers, all cut off after", gone)
        print(f"        RSS {service.rss_mb():.0f} MB once they are cut off")
        (status, _, _), seconds = timed(lambda: call(service.base, "DELETE", f"/api/v1/plans/{plan}", token=token,
                                                     headers={"If-Match": "*"}, timeout=30))
        check(status == 204, f"the 5,000-action plan is deleted through the API (got {status})")
        figure("deleting a 5,000-action plan", seconds)
    finally:
        for sock in sockets:
            sock.close()
        service.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/debug/planaction")
    binary = parser.parse_args().binary
    started = time.monotonic()
    pg = Postgres()
    log_path = os.path.join(pg.dir, "service.log")
    try:
        pg.start()
        with open(log_path, "ab") as log:
            service = Service(binary, pg.url, log)
            try:
                frozen_database(pg, service)
                stopped_database(pg, service)
            finally:
                service.kill()
            killed_during_import(pg, binary, log)
            killed_during_updates(pg, binary, log)
            terminated(pg, binary, log)
            two_instances(pg, binary, log)
            slow_clients(pg, binary, log)
    finally:
        if failures:
            print(f"faults: the service's log is kept in {log_path}")
            shutil.copy(log_path, "target/faults-service.log")
        pg.remove()
    print(f"faults: {len(failures)} failed check(s) in {time.monotonic() - started:.0f} s")
    for name, seconds in figures:
        print(f"faults: {name}: {seconds:.2f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
