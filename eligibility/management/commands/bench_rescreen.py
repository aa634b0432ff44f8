"""Time the national re-screening end to end on PostgreSQL: read, evaluate, compare, write results and notices.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python manage.py bench_rescreen --members 1000000

Seeds synthetic members (users, memberships, consents, households, household members) with COPY
when fewer than --members exist, screens them once if they never were (the first screening writes
every result; timed and printed apart), then for each worker count changes the incomes of
--changed of the households (so results and notices are written) and times a full run: one
process calling the chunk service, or real Celery workers started as subprocesses on Redis.
"""
import contextlib
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from eligibility import rescreen
from eligibility.engine.catalogue import FACTS
from eligibility.engine.synthetic import PLACES, synthetic_columns
from eligibility.models import Benefit, RescreenRun, RescreenState
from membership.models import Household

QUEUE = "rescreen-bench"


class Command(BaseCommand):
    help = "Seed synthetic members if needed and time the national re-screening (1 process, 2 workers)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1_000_000)
        parser.add_argument("--workers", type=int, choices=(1, 2), action="append",
                            help="1: in this process; 2: two Celery worker processes on Redis (default: both)")
        parser.add_argument("--chunk-size", type=int, default=rescreen.CHUNK_SIZE)
        parser.add_argument("--changed", type=float, default=0.01,
                            help="share of households whose incomes change before each timed run")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_rescreen needs PostgreSQL: set DATABASE_URL (e.g. .../welfare_bench)")
        self.options = options
        if not Benefit.objects.exists():
            call_command("load_catalogue", verbosity=0)
        self._seed_up_to(options["members"])
        if RescreenState.objects.filter(digest__isnull=False).count() < Household.objects.count():
            first = self._run_on_workers(2) if settings.REDIS_URL else self._run_in_process()
            self._report("first screening (writes every result)", *first)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the results table went from empty to 46 rows a member
        for workers in options["workers"] or [1, 2]:
            changed = self._change_incomes(options["changed"])
            label = f"{workers} {'process' if workers == 1 else 'Celery workers'}, {changed:,} households changed"
            timed = self._run_in_process() if workers == 1 else self._run_on_workers(workers)
            self._report(label, *timed)

    # -- seeding -------------------------------------------------------------------------------------

    def _seed_up_to(self, n: int) -> None:
        have = Household.objects.count()
        if have >= n:
            return
        start = time.perf_counter()
        for offset in range(have, n, 250_000):
            seed_members(min(250_000, n - offset), seed=offset)
            self.stderr.write(f"\rseeded {min(offset + 250_000, n):,} of {n:,} members", ending="")
        self.stderr.write("")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, or the chunk reads are planned as full scans
        self.stdout.write(f"seeded {n - have:,} members in {time.perf_counter() - start:.1f} s")

    def _change_incomes(self, share: float) -> int:
        """Zero the incomes of a fresh slice of households and bump their version, as an update would."""
        modulo = max(int(round(1 / share)), 1) if share > 0 else 0
        if not modulo:
            return 0
        slot = RescreenRun.objects.count() % modulo
        with connection.cursor() as cursor:
            cursor.execute("UPDATE membership_household SET version = version + 1 WHERE id %% %s = %s",
                           [modulo, slot])
            changed = cursor.rowcount
            cursor.execute("UPDATE membership_householdmember SET income_earned = 0, income_business = 0 "
                           "WHERE household_id %% %s = %s", [modulo, slot])
        return changed

    # -- runs ----------------------------------------------------------------------------------------

    def _start(self, queue: str | None = None) -> RescreenRun:
        return rescreen.rescreen_run_start(trigger="manual", as_of=self.options["as_of"], acting_user=None,
                                           chunk_size=self.options["chunk_size"], enqueue=queue is not None,
                                           queue=queue)

    def _run_in_process(self) -> tuple[RescreenRun, float, list[int]]:
        _peak_reset(os.getpid())
        start = time.perf_counter()
        run = self._start()
        for i, chunk_id in enumerate(run.chunks.values_list("pk", flat=True), start=1):
            rescreen.rescreen_chunk_process(chunk_id=chunk_id)
            self._progress(i, run.chunks_total)
        seconds = time.perf_counter() - start
        run.refresh_from_db()
        return run, seconds, [_peak_kb(os.getpid())]

    def _run_on_workers(self, workers: int) -> tuple[RescreenRun, float, list[int]]:
        if not settings.REDIS_URL:
            raise CommandError("2 workers need a broker: set REDIS_URL=redis://127.0.0.1:6379/0")
        processes = [_worker(i) for i in range(workers)]
        try:
            _wait_ready(workers)
            start = time.perf_counter()
            run = self._start(queue=QUEUE)
            while run.status != RescreenRun.Status.DONE:
                time.sleep(0.05)
                run.refresh_from_db()
                self._progress(run.chunks_done + run.chunks_failed, run.chunks_total)
            seconds = time.perf_counter() - start
            return run, seconds, [_peak_kb(p.pid) for p in processes]
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)

    def _progress(self, done: int, total: int) -> None:
        if getattr(self, "_shown", None) == (done, total):
            return
        self._shown = (done, total)
        width = 40
        filled = width * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks", ending="")
        if done == total:
            self.stderr.write("")

    def _report(self, label: str, run: RescreenRun, seconds: float, peaks: list[int]) -> None:
        peak = ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks)
        self.stdout.write(
            f"{label}: {run.members_screened:,} members in {seconds:.2f} s = "
            f"{run.members_screened / seconds:,.0f} members/s; {run.chunks_total} chunks of "
            f"{self.options['chunk_size']:,}; {run.results_written:,} results and {run.notices_created:,} notices "
            f"written; peak RSS per process {peak}")


def _peak_reset(pid: int) -> None:
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _worker(index: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", QUEUE,
               "-n", f"bench{index}@%h", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
               "--without-heartbeat"]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)


def _wait_ready(workers: int) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=0.5) or []) >= workers:
            return
    raise CommandError("the Celery workers did not answer within 60 s")


# ---- synthetic members -------------------------------------------------------------------------------

def _reserve_ids(cursor, table: str, n: int) -> int:
    """Move the table's id sequence past n new ids; return the first."""
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                   f"(SELECT COALESCE(MAX(id), 0) FROM {table}) + %s)", [n])
    return cursor.fetchone()[0] - n + 1


def seed_members(n: int, seed: int) -> None:
    """Write n synthetic members (engine/synthetic.py values) with every table filled, by COPY."""
    columns = synthetic_columns(n, seed)
    hh, mem = columns.household, columns.member
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as django_cursor:
        user0 = _reserve_ids(django_cursor, "membership_user", n)
        household0 = _reserve_ids(django_cursor, "membership_household", n)
        cursor = connection.connection.cursor()
        users = np.arange(user0, user0 + n)
        _copy(cursor, "membership_user (id, password, is_superuser, username, first_name, last_name, email, "
              "is_staff, is_active, date_joined, role, preferred_language)",
              ((u, "!", False, f"bench-{u}", "", "", "", False, True, now, "citizen", "ko") for u in users.tolist()))
        _copy(cursor, "membership_membership (member_id, status, channel, enrolled_at, rrn_birth_part)",
              ((u, "active", "online", now, "") for u in users.tolist()))
        _copy(cursor, "membership_consent (member_id, item, version, text_sha256, given_at, channel, evidence, "
              "withdrawn_channel)", ((u, item, "bench", "0" * 64, now, "self", "", "")
                                     for u in users.tolist() for item in ("terms", "income_assets")))
        _copy(cursor, "membership_household (id, member_id, sido, sigungu, tenure, monthly_rent, asset_housing, "
              "asset_general, asset_financial, asset_car_value, asset_car_cc, asset_debt, nbls_recipient, "
              "near_poor, single_parent, crisis_event, job_seeker, version, updated_at)",
              _household_rows(hh, users, household0, now))
        _copy(cursor, "membership_householdmember (household_id, position, relation, birth_date, disability, "
              "pregnant, school, income_earned, income_business, income_property, income_public_transfer, "
              "income_private_transfer)", _member_rows(mem, columns.offsets, household0))


def _copy(cursor, target: str, rows) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _household_rows(hh: dict, users: np.ndarray, household0: int, now):
    place = {(FACTS["region_nbls"].values.index(p[0]), FACTS["region_bp"].values.index(p[1])): p for p in PLACES}
    tenures = FACTS["housing_tenure"].values
    keys = ("monthly_rent", "housing", "general", "financial", "car_value", "car_cc", "debt")
    cols = [hh[k].tolist() for k in ("region_nbls", "region_bp", "housing_tenure", *keys, "nbls_recipient",
                                     "near_poor", "single_parent", "crisis_event", "job_seeker")]
    for i, row in enumerate(zip(*cols, strict=True)):
        p = place[(row[0], row[1])]
        optional = tuple(None if v < 0 else bool(v) for v in row[13:15])
        yield (household0 + i, int(users[i]), p[2], p[3], tenures[row[2]], *row[3:10], *map(bool, row[10:13]),
               *optional, 1, now)


def _member_rows(mem: dict, offsets: np.ndarray, household0: int):
    values = {k: FACTS[k].values for k in ("relation", "disability", "school")}
    position = np.arange(len(mem["member_household"])) - offsets[mem["member_household"]]
    cols = [mem[k].tolist() for k in ("member_household", "birth", "relation", "disability", "pregnant", "school",
                                      "earned", "business", "property", "public_transfer", "private_transfer")]
    for row, pos in zip(zip(*cols, strict=True), position.tolist(), strict=True):
        b = row[1]
        yield (household0 + row[0], pos, values["relation"][row[2]], f"{b // 10000:04d}-{b // 100 % 100:02d}-{b % 100:02d}",
               values["disability"][row[3]], bool(row[4]), values["school"][row[5]], *row[6:])
