"""Exactly one beat: the lock itself, the scheduler around it, and two real `celery beat` processes
with a real worker on a private Redis against the test database."""
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.beat import BeatLock, SingleBeatScheduler
from eligibility.models import RescreenRun

from .processes import celery_running, process_env, wait_for

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                      reason="needs PostgreSQL: worker and beat processes must see the test database")


# --- The lock

@pytest.fixture
def redis_client(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def lock(client: redis.Redis, ttl: float = 5.0) -> BeatLock:
    return BeatLock(client, key="test:beat-lock", ttl=ttl)


@pytest.mark.services
def test_a_free_lock_is_taken_and_a_held_one_is_refused(redis_client):
    # given
    first, second = lock(redis_client), lock(redis_client)
    # when
    taken, refused, refused_hold = first.acquire(), second.acquire(), second.hold()
    # then
    assert (taken, refused, refused_hold) == (True, False, False)
    assert redis_client.get("test:beat-lock").decode() == first.token
    assert 4000 < redis_client.pttl("test:beat-lock") <= 5000


@pytest.mark.services
def test_the_holder_renews_its_lock_and_no_other_process_can(redis_client):
    # given
    holder, other = lock(redis_client, ttl=1.0), lock(redis_client, ttl=60.0)
    holder.acquire()
    time.sleep(0.5)
    # when
    other_renewed = other.renew()
    left_after_other = redis_client.pttl("test:beat-lock")
    holder_renewed = holder.renew()
    # then
    assert other_renewed is False
    assert left_after_other <= 500  # the other process's 60 s TTL was not applied
    assert holder_renewed is True
    assert 900 < redis_client.pttl("test:beat-lock") <= 1000


@pytest.mark.services
def test_a_lock_not_renewed_expires_and_the_former_holder_cannot_take_it_back(redis_client):
    # given
    former, standby = lock(redis_client, ttl=0.3), lock(redis_client)
    former.acquire()
    time.sleep(0.5)
    # when
    taken = standby.hold()
    renewed, released = former.renew(), former.release()
    # then
    assert taken is True
    assert (renewed, released) == (False, False)
    assert redis_client.get("test:beat-lock").decode() == standby.token


@pytest.mark.services
def test_releasing_deletes_only_the_holders_own_lock(redis_client):
    # given
    holder = lock(redis_client)
    holder.acquire()
    # when
    released = holder.release()
    # then
    assert released is True
    assert redis_client.exists("test:beat-lock") == 0


# --- The scheduler, in this process, on an app of its own

def scheduler(broker: str, path: Path, every: dt.timedelta, sent_before: dt.timedelta) -> SingleBeatScheduler:
    """A scheduler whose one entry `tick` ran `sent_before` ago and runs `every`."""
    app = Celery("beat-test", broker=broker, set_as_current=False)
    app.conf.update(beat_lock_key="test:beat-lock", beat_lock_ttl=3,
                    beat_schedule={"tick": {"task": "beat_test.tick", "schedule": every}})
    beat = SingleBeatScheduler(app=app, schedule_filename=str(path))
    beat.schedule["tick"].last_run_at = beat.app.now() - sent_before
    return beat


def sends(beat: SingleBeatScheduler) -> int:
    return beat.schedule["tick"].total_run_count


def test_without_redis_the_scheduler_sends_as_celerys_own_does(tmp_path):
    # given
    beat = scheduler("memory://", tmp_path / "a", every=dt.timedelta(minutes=1), sent_before=dt.timedelta(minutes=2))
    try:
        # when
        beat.tick()
        # then
        assert beat.lock is None
        assert sends(beat) == 1
    finally:
        beat.close()


@pytest.mark.services
def test_only_the_scheduler_holding_the_lock_sends_until_it_closes(redis_url, redis_client, tmp_path):
    # given
    every, overdue = dt.timedelta(milliseconds=50), dt.timedelta(minutes=1)
    first = scheduler(redis_url, tmp_path / "a", every, overdue)
    second = scheduler(redis_url, tmp_path / "b", every, overdue)
    try:
        # when
        for _ in range(10):
            first.tick()
            second.tick()
            time.sleep(0.06)
        sent_while_first_held = (sends(first), sends(second))
        first.close()
        second.tick()
        # then
        assert first.max_interval == second.max_interval == 1.0  # a third of the TTL
        assert sent_while_first_held[0] >= 5 and sent_while_first_held[1] == 0
        assert sends(second) == 1
        assert redis_client.llen("celery") == sum(sent_while_first_held) + 1  # the messages on the broker
    finally:
        second.close()


@pytest.mark.services
def test_a_scheduler_taking_over_starts_from_the_last_send_of_the_previous_holder(redis_url, redis_client, tmp_path):
    # given: the holder sends an hourly entry that was due; the standby's own file is an hour behind
    hourly, overdue = dt.timedelta(hours=1), dt.timedelta(hours=2)
    holder = scheduler(redis_url, tmp_path / "a", hourly, overdue)
    standby = scheduler(redis_url, tmp_path / "b", hourly, overdue)
    holder.tick()
    standby.tick()
    holder_sends, holder_sent_at = sends(holder), holder.schedule["tick"].last_run_at
    holder.close()
    # when
    try:
        standby.tick()
        # then: the standby took the lock and did not send again what the holder just sent
        assert holder_sends == 1
        assert standby.holding is True and sends(standby) == 0
        assert standby.schedule["tick"].last_run_at == holder_sent_at
        assert redis_client.llen("celery") == 1
    finally:
        standby.close()


# --- Two real beat processes, one real worker

BEAT_SETTINGS = '''\
"""Test only: the nightly re-screening every second, and a 3 s lock, so failover takes seconds."""
from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BEAT_SCHEDULE

CELERY_BEAT_LOCK_TTL = 3
CELERY_BEAT_SCHEDULE = {"rescreen-nightly": {**CELERY_BEAT_SCHEDULE["rescreen-nightly"], "schedule": 1.0}}
'''
SENT = "Sending due task rescreen-nightly (eligibility.tasks.rescreen_nightly)"
HOLDING = "beat: holding the lock"
STANDING_BY = "beat: another process holds the lock"
BETWEEN_SENDS = 0.3  # seconds after a send was seen; the next comes a second after it


def count(log: Path, text: str) -> int:
    return log.read_text().count(text)


def executed(log: Path) -> int:
    return sum("eligibility.tasks.rescreen_nightly[" in line and "succeeded" in line
               for line in log.read_text().splitlines())


def lock_holder_pid(client: redis.Redis) -> int | None:
    token = client.get(settings.CELERY_BEAT_LOCK_KEY)
    return int(token.decode().split(":")[1]) if token else None


@pytest.mark.services
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_beat_processes_send_the_nightly_rescreen_from_one_and_the_other_takes_over(redis_url, redis_client,
                                                                                         tmp_path):
    # given: two beats and a worker, the nightly re-screening due every second
    (tmp_path / "beat_test_settings.py").write_text(BEAT_SETTINGS)
    env = process_env(redis_url, DJANGO_SETTINGS_MODULE="beat_test_settings",
                      PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    logs = {name: tmp_path / f"{name}.log" for name in ("a", "b", "worker")}
    today = timezone.localdate()
    with (
        celery_running("worker", "-P", "solo", "-l", "INFO", "-n", "beat-test@localhost", "--without-gossip",
                       "--without-mingle", "--without-heartbeat", env=env, log=logs["worker"]),
        celery_running("beat", "-l", "INFO", "-s", str(tmp_path / "a.db"), env=env, log=logs["a"]) as beat_a,
        celery_running("beat", "-l", "INFO", "-s", str(tmp_path / "b.db"), env=env, log=logs["b"]) as beat_b,
    ):
        wait_for(lambda: all(count(logs[n], HOLDING) + count(logs[n], STANDING_BY) for n in "ab"),
                 timeout=45, what="both beats to tick")
        pid = lock_holder_pid(redis_client)
        holder, standby = ("a", "b") if pid == beat_a.pid else ("b", "a")
        processes = {"a": beat_a, "b": beat_b}
        # when: the holder sends for a few seconds
        wait_for(lambda: count(logs[holder], SENT) >= 4, timeout=20, what="four nightly ticks")
        sent_by_standby_while_waiting = count(logs[standby], SENT)
        # ... then dies without releasing its lock, between two sends (a beat logs a send just before it
        # publishes it: a kill right after the line would lose the message and the count with it)
        time.sleep(BETWEEN_SENDS)
        processes[holder].send_signal(signal.SIGKILL)
        processes[holder].wait()
        killed_at = time.monotonic()
        wait_for(lambda: count(logs[standby], SENT) >= 1, timeout=15, what="the standby to send")
        takeover_s = time.monotonic() - killed_at
        wait_for(lambda: count(logs[standby], SENT) >= 2, timeout=10, what="a further tick")
        # ... and the new holder stops cleanly
        time.sleep(BETWEEN_SENDS)
        processes[standby].terminate()
        processes[standby].wait(timeout=20)
        lock_after_stop = redis_client.get(settings.CELERY_BEAT_LOCK_KEY)
        sent = count(logs["a"], SENT) + count(logs["b"], SENT)
        wait_for(lambda: executed(logs["worker"]) >= sent, timeout=20, what="the worker to run every tick")
    # then
    assert pid in (beat_a.pid, beat_b.pid)
    assert count(logs[standby], HOLDING) == 1 and count(logs[standby], STANDING_BY) == 1
    assert sent_by_standby_while_waiting == 0
    assert 1.5 < takeover_s < 8, f"took over {takeover_s:.1f} s after the holder died (lock TTL 3 s)"
    assert lock_after_stop is None  # released on a clean stop: no wait for the next beat
    assert executed(logs["worker"]) == sent
    assert list(RescreenRun.objects.values_list("run_key", "trigger")) == [(f"nightly:{today}", "nightly")]


def test_the_nightly_rescreen_follows_rescreen_nightly_cron():
    # when
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.CELERY_BEAT_SCHEDULE['rescreen-nightly']['schedule'])"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "RESCREEN_NIGHTLY_CRON": "*/5 3 * * 1"},
        cwd=settings.BASE_DIR, capture_output=True, text=True)
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<crontab: */5 3 * * 1 (m/h/dM/MY/d)>"
