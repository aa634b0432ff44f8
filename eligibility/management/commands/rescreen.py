"""Re-screen every consenting member now: `manage.py rescreen [--as-of DATE] [--in-process]`.

Without --in-process the chunks go to the Celery workers and this command shows their progress.
"""
import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from eligibility import rescreen
from eligibility.models import RescreenRun


class Command(BaseCommand):
    help = "Start a national re-screening and show its progress (chunks done of total)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--chunk-size", type=int, default=rescreen.CHUNK_SIZE)
        parser.add_argument("--in-process", action="store_true", help="process the chunks here, not on workers")

    def handle(self, *args, **options):
        as_of = options["as_of"] or timezone.localdate()
        run = rescreen.rescreen_run_start(trigger=RescreenRun.Trigger.MANUAL, as_of=as_of, acting_user=None,
                                          chunk_size=options["chunk_size"], enqueue=not options["in_process"])
        start = time.perf_counter()
        if options["in_process"]:
            for i, chunk_id in enumerate(run.chunks.values_list("pk", flat=True), start=1):
                rescreen.rescreen_chunk_process(chunk_id=chunk_id)
                self._progress(i, run.chunks_total)
        while True:
            run.refresh_from_db()
            self._progress(run.chunks_done + run.chunks_failed, run.chunks_total)
            if run.status == RescreenRun.Status.DONE:
                break
            time.sleep(0.5)
        self.stdout.write(f"run #{run.pk}: {run.members_screened:,} members, {run.results_written:,} results, "
                          f"{run.notices_created:,} notices, {run.chunks_failed} chunks failed, "
                          f"{time.perf_counter() - start:.1f} s")

    def _progress(self, done: int, total: int) -> None:
        if getattr(self, "_shown", None) == (done, total):
            return
        self._shown = (done, total)
        filled = 40 * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (40 - filled)}] {done}/{total} chunks", ending="")
        if done == total:
            self.stderr.write("")
