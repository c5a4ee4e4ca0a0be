"""Load test: therapists of the biggest benchmark clinic browse and log sessions over HTTP.

Run it against gunicorn on this machine (loopback only), on the benchmark dataset:

    DATABASE_URL=postgres://... python bench/loadtest.py --scenario browse --duration 60

It signs each worker in as a different therapist, then loops until the time or the request
budget runs out. `--scenario detail` opens patient pages only (the throughput target), of the
first `--patients N` patients only when given (their cached fragments are reused);
`--scenario redirect` requests `/` (the redirect to the start page: session and user only, the
reference the patient page is compared with);
`--scenario browse` mixes the list, search, patient and session pages, the worklist and, one
request in ten, a new signed session. `--restart-postgres-at N` restarts PostgreSQL N seconds
in: requests fail while it is down, and the script reports when they succeed again. Every
session the server confirmed (302 to the new session) is looked up afterwards: none may be
missing. Standard library only; the script reads patient ids and counts with Django's ORM.
"""

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SESSION_URL = re.compile(r"/sessions/(\d+)/$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    latencies: dict = field(default_factory=dict)  # page -> [ms]
    errors: Counter = field(default_factory=Counter)  # page -> count
    error_times: list = field(default_factory=list)
    created_sessions: list = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.requests += 1
            if ok:
                self.latencies.setdefault(page, []).append(ms)
            else:
                self.errors[page] += 1
                self.error_times.append(time.monotonic() - self.started)


class Browser:
    """One signed-in therapist: cookies, CSRF token and a keep-alive connection."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection = None
        return response.status, response.getheader("Location", ""), content

    def login(self, username: str, password: str) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        token = CSRF_INPUT.search(page.decode()).group(1)
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if status != 302:
            raise SystemExit(f"Sign-in of {username} failed (HTTP {status}).")


def timed(
    stats: Stats, browser: Browser, page: str, method: str, path: str, body=None, expected=None
):
    start = time.perf_counter()
    try:
        status, location, _ = browser.request(method, path, body)
    except (OSError, http.client.HTTPException):
        status, location = 0, ""
    expected = expected or (302 if method == "POST" else 200)
    stats.record(page, (time.perf_counter() - start) * 1000, status == expected)
    return status, location


def worker(args, stats, browser, targets, deadline, budget, seed):
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        with stats.lock:
            if stats.requests >= budget:
                return
        patient = rng.choice(targets["patients"][: args.patients])
        if args.scenario == "redirect":
            timed(stats, browser, "redirect of /", "GET", "/", expected=302)
            continue
        if args.scenario == "detail":
            timed(stats, browser, "patient detail", "GET", f"/patients/{patient}/")
            continue
        step = rng.randrange(10)
        if step == 0:
            who = rng.choice(targets["screened"])
            body = session_form(targets["muscle"], browser.cookies.get("csrftoken", ""))
            status, location = timed(
                stats, browser, "new session (POST)", "POST", f"/sessions/patients/{who}/new/", body
            )
            match = SESSION_URL.search(location) if status == 302 else None
            if match:
                with stats.lock:
                    stats.created_sessions.append(int(match.group(1)))
        elif step in (1, 2):
            timed(stats, browser, "patient list", "GET", f"/patients/?page={rng.randrange(1, 6)}")
        elif step == 3:
            timed(
                stats, browser, "patient search", "GET", f"/patients/?q={rng.choice('abcdeghl')}a"
            )
        elif step in (4, 5, 6):
            timed(stats, browser, "patient detail", "GET", f"/patients/{patient}/")
        elif step in (7, 8):
            session = rng.choice(targets["sessions"])
            timed(stats, browser, "session detail", "GET", f"/sessions/{session}/")
        else:
            timed(stats, browser, "worklist", "GET", "/sessions/worklist/")


def session_form(muscle: int, csrf: str) -> dict:
    from bench.formdata import session_form_data

    return {"csrfmiddlewaretoken": csrf, **session_form_data([{"muscle": muscle}])}


def load_targets() -> dict:
    """Therapists, patients and sessions of the biggest benchmark clinic, from the database."""
    from django.utils import timezone

    from bench.dataset import bench_clinics
    from clinic.accounts.models import Role, User
    from patients.models import Patient, ScreeningOutcome
    from sessions.models import Muscle, NeedlingSession

    clinic = bench_clinics()[0]
    now = timezone.now()
    patients = Patient.objects.for_clinic(clinic).active()
    screened = patients.filter(
        screenings__taken_at__lte=now - timedelta(minutes=5),
        screenings__valid_until__gt=now + timedelta(hours=2),
        screenings__outcome=ScreeningOutcome.CLEARED,
        screenings__avoid_regions__isnull=True,
        episodes__closed_on__isnull=True,
    ).exclude(screenings__taken_at__gt=now - timedelta(minutes=5))
    therapists = User.objects.for_clinic(clinic).filter(role=Role.THERAPIST, is_active=True)
    return {
        "therapists": list(therapists.order_by("username").values_list("username", flat=True)),
        "patients": list(patients.order_by("?").values_list("pk", flat=True)[:2000]),
        "screened": list(screened.distinct().values_list("pk", flat=True)[:200]),
        "sessions": list(
            NeedlingSession.objects.for_clinic(clinic)
            .order_by("?")
            .values_list("pk", flat=True)[:2000]
        ),
        "muscle": Muscle.objects.get(name="Gluteus medius").pk,
        "count": lambda: NeedlingSession.objects.count(),
        "missing": lambda ids: len(ids) - NeedlingSession.objects.filter(pk__in=ids).count(),
    }


def restart_postgres(at: float, stats: Stats, log: list) -> None:
    time.sleep(at)
    log.append(f"PostgreSQL restart at {time.monotonic() - stats.started:.1f} s")
    result = subprocess.run(PG_RESTART, capture_output=True, text=True, check=False)
    log.append(
        f"restart done at {time.monotonic() - stats.started:.1f} s (exit {result.returncode})"
    )


def report(stats: Stats, elapsed: float, args, events: list) -> None:
    done = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    everything = sorted(ms for values in stats.latencies.values() for ms in values)
    print(
        f"scenario {args.scenario}: {args.workers} workers, {elapsed:.1f} s, "
        f"{done} ok, {errors} errors"
    )
    print(f"throughput {done / elapsed:.1f} req/s")
    if everything:
        print(
            f"latency p50 {percentile(everything, 50):.1f} ms, "
            f"p99 {percentile(everything, 99):.1f} ms"
        )
    print(f"{'page':<22} {'ok':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for page in sorted(set(stats.latencies) | set(stats.errors)):
        values = sorted(stats.latencies.get(page, []))
        p50 = f"{percentile(values, 50):8.1f}" if values else f"{'-':>8}"
        p99 = f"{percentile(values, 99):8.1f}" if values else f"{'-':>8}"
        print(f"{page:<22} {len(values):>7} {stats.errors[page]:>7} {p50} {p99}")
    for line in events:
        print(line)
    if stats.error_times:
        print(
            f"errors between {min(stats.error_times):.1f} s and {max(stats.error_times):.1f} s "
            "after the start"
        )


def percentile(ordered: list[float], p: float) -> float:
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[min(98, int(p) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--scenario", choices=["browse", "detail", "redirect"], default="browse")
    parser.add_argument("--patients", type=int, default=None, help="Open only the first N.")
    parser.add_argument("--workers", type=int, default=8, help="Concurrent therapists.")
    parser.add_argument("--duration", type=float, default=60, help="Seconds, at most.")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--password", default="needletrack-bench")
    parser.add_argument("--restart-postgres-at", type=float, default=None, metavar="SECONDS")
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.hostname not in LOOPBACK or url.scheme != "http":
        raise SystemExit("The load test only targets this machine (http://127.0.0.1:PORT).")

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    targets = load_targets()
    browsers = []
    for index in range(args.workers):
        browser = Browser(url.hostname, url.port or 80)
        browser.login(targets["therapists"][index % len(targets["therapists"])], args.password)
        browsers.append(browser)
    before = targets["count"]()
    stats = Stats()
    deadline = stats.started + args.duration
    events: list[str] = []
    threads = [
        threading.Thread(
            target=worker,
            args=(args, stats, browser, targets, deadline, args.max_requests, seed),
        )
        for seed, browser in enumerate(browsers)
    ]
    if args.restart_postgres_at is not None:
        threads.append(
            threading.Thread(
                target=restart_postgres, args=(args.restart_postgres_at, stats, events)
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - stats.started
    report(stats, elapsed, args, events)
    from django.db import connection

    connection.close()  # opened before a PostgreSQL restart: count on a new one
    after = targets["count"]()
    created = stats.created_sessions
    print(
        f"sessions: {before} before, {after} after; {len(created)} confirmed by the server, "
        f"{targets['missing'](created)} of them missing"
    )


if __name__ == "__main__":
    main()
