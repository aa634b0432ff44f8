"""A real Celery worker process on Redis takes a run's chunks from the broker and completes the run."""
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from eligibility import rescreen
from eligibility.models import MemberBenefitResult, RescreenRun
from tests.eligibility.test_rescreen import AS_OF, enrol, varied_households

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
                       reason="needs REDIS_URL and PostgreSQL (the worker must see the test database)"),
]


@pytest.fixture
def worker():
    """One solo-pool worker on a queue of its own, against the test database; stopped afterwards."""
    from config.celery_app import app

    queue, name = f"test-rescreen-{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}@localhost"
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue,
                                "-n", name, "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                               env=env, cwd=settings.BASE_DIR)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            assert time.monotonic() < deadline, "the worker did not start"
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


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
