"""Time each page through Django's test client, and its floor through psycopg, in one process.

Timed requests run with no query capture; one more pass under `CaptureQueriesContext` counts
the queries, sums their time ("db ms") and keeps their SQL for the replay floors.
"""

import json
import os
import platform
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import django
import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from clinic.accounts.models import Clinic
from patients.models import Patient
from sessions.models import NeedlingSession, SorenessCheck, TriggerPointSite

from .pages import Page, Subjects, main_pages, redirect_page, report_pages

SERVER_SIDE_CURSOR = re.compile(r"^DECLARE \S+ .*?CURSOR .*?FOR (.*)$", re.DOTALL)
RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Paginated pages must not slow down by more than this from the 10% to the full dataset.
GROWTH_TARGET = 1.5
REPORT_TARGET_MS = 300.0


@dataclass
class PageResult:
    page: str
    url: str
    paginated: bool
    queries: int
    median_ms: float
    p95_ms: float
    db_ms: float
    floor_ms: float
    floor_kind: str  # "sql" (hand-written) or "replay" (the page's own SQL)
    # The page with its fragment cache emptied before each request (the first after a write).
    cold_queries: int = 0
    cold_ms: float = 0.0
    # The app process's CPU time per request (median), the page's and the redirect's.
    cpu_ms: float = 0.0
    redirect_cpu_ms: float = 0.0
    # The redirect of `/`, timed in the same rounds as the page (0 for the redirect itself).
    redirect_ms: float = 0.0

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_ms if self.floor_ms else float("inf")

    def ratios(self) -> dict[str, float | None]:
        """The page against the redirect of `/` timed alongside: warm, cold, CPU time."""
        if not self.redirect_ms:
            return {"page/redirect": None, "cold/redirect": None, "cpu/redirect": None}
        return {
            "page/redirect": round(self.median_ms / self.redirect_ms, 2),
            "cold/redirect": round(self.cold_ms / self.redirect_ms, 2),
            "cpu/redirect": round(self.cpu_ms / self.redirect_cpu_ms, 2)
            if self.redirect_cpu_ms
            else None,
        }


def _median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _clock(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _interleaved(
    send: Callable[[], object], reference: Callable[[], object] | None, repeat: int
) -> dict[str, list[float]]:
    """Each round times the page (fragments cached), the reference (the redirect of `/`) and
    the page again with the cache emptied, so a drift of the machine's speed hits all three."""
    samples: dict[str, list[float]] = {
        name: [] for name in ("warm", "warm_cpu", "ref", "ref_cpu", "cold")
    }
    for _ in range(repeat):
        wall, cpu = _clock(send)
        samples["warm"].append(wall)
        samples["warm_cpu"].append(cpu)
        if reference is not None:
            wall, cpu = _clock(reference)
            samples["ref"].append(wall)
            samples["ref_cpu"].append(cpu)
        cache.clear()
        samples["cold"].append(_clock(send)[0])
    return samples


def _replayable(sql: str) -> str:
    """The query itself, for a query Django ran through a server-side cursor (`.iterator()`)."""
    match = SERVER_SIDE_CURSOR.match(sql)
    return match.group(1) if match else sql


def _floor_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        options=db.get("OPTIONS", {}).get("options"),  # the app's session settings (no JIT)
        autocommit=True,
    )


def query_counts(pages: list[Page], *, cold: bool = False) -> dict[str, int]:
    """Each page's number of queries, counted on its second request (caches warm; `cold`:
    the cache emptied just before it, as on the first request after a write)."""
    clients: dict[int, Client] = {}
    counts = {}
    for page in pages:
        if page.user.pk not in clients:
            clients[page.user.pk] = Client(SERVER_NAME="localhost")
            clients[page.user.pk].force_login(page.user)
        send = _sender(clients[page.user.pk], page)
        send()
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            send()
        counts[page.name] = len(ctx.captured_queries)
    return counts


def _sender(client: Client, page: Page) -> Callable[[], object]:
    def send():
        if page.data is None:
            response, expected = client.get(page.url), 200
        else:
            response, expected = client.post(page.url, page.data), 302
        expected = page.status or expected
        if response.status_code != expected:
            raise RuntimeError(f"{page.name}: HTTP {response.status_code} from {page.url}")
        return response

    return send


class Bench:
    def __init__(
        self,
        *,
        repeat: int,
        warmup: int,
        log: Callable[[str], object] = print,
        only: Sequence[str] = (),
    ):
        if connection.vendor != "postgresql":
            raise RuntimeError("The benchmark measures PostgreSQL: set DATABASE_URL to it.")
        self.repeat, self.warmup, self.log = repeat, warmup, log
        # Page names to time (with the redirect of `/` always); empty: every page.
        self.only = set(only)
        self.clients: dict[int, Client] = {}

    def _client(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client(SERVER_NAME="localhost")
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def _request(self, page: Page) -> Callable[[], object]:
        return _sender(self._client(page.user), page)

    def measure(self, page: Page, floor_cursor, reference: Page | None = None) -> PageResult:
        send = self._request(page)
        _timed(send, self.warmup)
        rounds = _interleaved(send, self._request(reference) if reference else None, self.repeat)
        samples = rounds["warm"]
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            send()
        captures = []
        for _ in range(min(5, self.repeat)):
            with CaptureQueriesContext(connection) as ctx:
                send()
            captures.append(ctx.captured_queries)
        db_ms = statistics.median(sum(float(q["time"]) for q in c) * 1000 for c in captures)
        if page.floor is not None:
            floor, kind = page.floor, "sql"
        else:
            statements = [_replayable(q["sql"]) for q in captures[-1]]

            def floor(cursor):
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()

            kind = "replay"
        _timed(lambda: floor(floor_cursor), self.warmup)
        floor_ms, _ = _median_p95(_timed(lambda: floor(floor_cursor), self.repeat))
        median, p95 = _median_p95(samples)
        return PageResult(
            page=page.name,
            url=page.url,
            paginated=page.paginated,
            queries=len(captures[-1]),
            median_ms=round(median, 2),
            p95_ms=round(p95, 2),
            db_ms=round(db_ms, 2),
            floor_ms=round(floor_ms, 2),
            floor_kind=kind,
            cold_queries=len(cold.captured_queries),
            cold_ms=round(statistics.median(rounds["cold"]), 2),
            cpu_ms=round(statistics.median(rounds["warm_cpu"]), 2),
            redirect_cpu_ms=round(statistics.median(rounds["ref_cpu"] or [0]), 2),
            redirect_ms=round(statistics.median(rounds["ref"] or [0]), 2),
        )

    def run(self) -> dict:
        subjects = Subjects.find()
        reference = redirect_page(subjects)
        pages = [reference, *main_pages(subjects), *report_pages(subjects)]
        if self.only:
            unknown = self.only - {page.name for page in pages}
            if unknown:
                raise LookupError(f"No such page in the benchmark: {', '.join(sorted(unknown))}.")
            pages = [page for page in pages if page is reference or page.name in self.only]
        results = []
        # Production-like: no debug cursor, no template debug.
        with override_settings(DEBUG=False), _floor_connection() as floor_db:
            cursor = psycopg.ClientCursor(floor_db)
            for page in pages:
                self.log(f"  {page.name} ...")
                try:
                    other = None if page is reference else reference
                    results.append(_as_dict(self.measure(page, cursor, other)))
                except Exception as error:  # a broken page is reported, the others still run
                    results.append({"page": page.name, "url": page.url, "error": repr(error)})
        return {"meta": describe(subjects.clinic, self.repeat), "pages": results}


def _as_dict(result: PageResult) -> dict:
    return {**asdict(result), "ratio": round(result.ratio, 2), **result.ratios()}


def describe(clinic: Clinic, repeat: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "when": timezone.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"PostgreSQL {server}",
        "repeat": repeat,
        "dataset": {
            "patients": Patient.objects.count(),
            "sessions": NeedlingSession.objects.count(),
            "sites": TriggerPointSite.objects.count(),
            "soreness checks": SorenessCheck.objects.count(),
            "clinic": clinic.name,
            "clinic patients": Patient.objects.for_clinic(clinic).count(),
            "clinic sessions": NeedlingSession.objects.for_clinic(clinic).count(),
        },
    }


def _times(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.1f}"


def table(results: dict) -> str:
    header = (
        f"{'page':<30} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'db ms':>7} "
        f"{'floor ms':>8} {'page/floor':>10} {'cold q':>6} {'cold ms':>8} {'redir ms':>8} "
        f"{'page/redir':>10} {'cold/redir':>10} {'cpu/redir':>9}"
    )
    lines = [header, "-" * len(header)]
    for row in results["pages"]:
        if "error" in row:
            lines.append(f"{row['page']:<30} failed: {row['error']}")
            continue
        marker = "*" if row["floor_kind"] == "replay" else ""
        lines.append(
            f"{row['page']:<30} {row['queries']:>7} {row['median_ms']:>9.1f} "
            f"{row['p95_ms']:>8.1f} {row['db_ms']:>7.1f} {row['floor_ms']:>7.1f}{marker:1} "
            f"{row['ratio']:>10.1f} {row.get('cold_queries', 0):>6} "
            f"{row.get('cold_ms', 0):>8.1f} {row.get('redirect_ms', 0):>8.1f} "
            f"{_times(row.get('page/redirect')):>10} {_times(row.get('cold/redirect')):>10} "
            f"{_times(row.get('cpu/redirect')):>9}"
        )
    lines.append("* floor replays the page's own SQL (no hand-written floor for this page)")
    lines.append(
        "cold: the fragment cache emptied before each request; redir: the redirect of `/`, "
        "timed in the same rounds; cpu: the app process's CPU time per request"
    )
    return "\n".join(lines)


def compare(small: dict, large: dict) -> str:
    """Growth per page from one run to another (10% and full dataset), with the targets."""
    before = {row["page"]: row for row in small["pages"] if "error" not in row}
    header = f"{'page':<30} {'queries':>9} {'small ms':>9} {'large ms':>9} {'growth':>7}  verdict"
    lines = [header, "-" * len(header)]
    for row in large["pages"]:
        old = before.get(row["page"])
        if old is None or "error" in row:
            continue
        growth = row["median_ms"] / old["median_ms"] if old["median_ms"] else float("inf")
        problems = []
        if row["queries"] != old["queries"]:
            problems.append("query count grows")
        if row["paginated"] and growth > GROWTH_TARGET:
            problems.append(f"growth over {GROWTH_TARGET}")
        if row["page"].startswith("reports:") and row["median_ms"] > REPORT_TARGET_MS:
            problems.append(f"over {REPORT_TARGET_MS:.0f} ms")
        queries = f"{old['queries']}->{row['queries']}"
        lines.append(
            f"{row['page']:<30} {queries:>9} {old['median_ms']:>9.1f} {row['median_ms']:>9.1f} "
            f"{growth:>7.2f}  {', '.join(problems) or 'ok'}"
        )
    sizes = f"{small['meta']['dataset']['sessions']:,} -> {large['meta']['dataset']['sessions']:,}"
    lines.append(f"sessions in the database: {sizes}")
    return "\n".join(lines)


def save(results: dict, label: str) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    path = RESULTS_DIR / f"bench-{label}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    return path
