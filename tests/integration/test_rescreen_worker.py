"""A real Celery worker process on Redis takes a run's chunks from the broker and completes the run."""
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from eligibility import rescreen
from eligibility.models import MemberBenefitResult, RescreenRun
from tests.eligibility.test_rescreen import AS_OF, enrol, varied_households

from .processes import celery_running, process_env, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: the worker process must see the test database"),
]


@pytest.fixture
def worker(broker, redis_url, tmp_path):
    """One solo-pool worker on a queue of its own, on the private Redis and the test database."""
    queue, name = f"test-rescreen-{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}@localhost"
    with celery_running("worker", "-P", "solo", "-Q", queue, "-n", name, "--loglevel", "WARNING", "--without-gossip",
                        "--without-mingle", env=process_env(redis_url), log=tmp_path / "worker.log"):
        wait_for(lambda: broker.control.ping(destination=[name], timeout=0.5), timeout=60, what="the worker")
        yield queue


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_processes_every_chunk_of_a_run(worker):
    # given
    call_command("load_catalogue", verbosity=0)
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    # when
    run = rescreen.rescreen_run_start(trigger="manual", as_of=AS_OF, acting_user=None, chunk_size=2, queue=worker)
    deadline = time.monotonic() + 120
    while run.status != RescreenRun.Status.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    # then
    assert (run.status, run.chunks_done, run.chunks_total, run.members_screened) == ("done", 3, 3, 6)
    assert MemberBenefitResult.objects.values("household").distinct().count() == 6
