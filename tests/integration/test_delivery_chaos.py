"""Chaos on real processes: a Celery worker SIGKILLed while delivering 200 notices, Redis restarted with
notices queued, and a transient provider error retried by the task through the broker. A provider stub
(an HTTP server in this process) counts what was delivered."""
import datetime as dt
import signal
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from membership import services
from membership.consents import CONSENT_TEXTS
from membership.models import Consent, Membership, Notice, NoticeDelivery, NoticePreference, User
from tests.membership.test_delivery_gateway import GatewayStub

from .processes import celery_running, process_env, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: the worker process must see the test database"),
    pytest.mark.django_db(transaction=True),
]

NOTICES = 200
FINAL = {"sent", "failed", "cancelled"}


# ---- The worker: a real `celery worker` process with the HTTP gateway pointed at the stub ----------------

@contextmanager
def worker_running(broker, redis_url: str, gateway_url: str, log: Path):
    """A solo-pool worker on the test database. It runs the laptop settings, not config.settings.test,
    which pins the console gateway: the SMS settings come from its environment, as in production."""
    env = process_env(redis_url, DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_DEBUG="false",
                      RRN_ENCRYPTION_KEY=settings.RRN_ENCRYPTION_KEY, SMS_GATEWAY="membership.sms.HttpGateway",
                      SMS_GATEWAY_URL=gateway_url)
    name = f"chaos-{uuid.uuid4().hex[:8]}@localhost"
    with celery_running("worker", "-P", "solo", "-n", name, "-l", "INFO", "--without-gossip", "--without-mingle",
                        env=env, log=log, mode="a") as process:
        wait_for(lambda: broker.control.ping(destination=[name], timeout=0.5), timeout=60, what="the worker")
        yield process


# ---- 200 members with SMS consent, a phone each, no quiet hours in the way; a notice each ---------------

def notices_for_sms_members(count: int) -> list[int]:
    members = User.objects.bulk_create([User(username=f"chaos{i}", role=User.Role.CITIZEN) for i in range(count)])
    Membership.objects.bulk_create([Membership(member=m, channel=Membership.Channel.ONLINE) for m in members])
    text = CONSENT_TEXTS[Consent.Item.NOTICE_SMS]
    Consent.objects.bulk_create([Consent(member=m, item=text.item, version=text.version, text_sha256=text.sha256,
                                         channel=Consent.Channel.SELF) for m in members])
    # A zero-length quiet window: the tests send at whatever hour they run.
    NoticePreference.objects.bulk_create([
        NoticePreference(member=m, phone=f"010-7000-{i:04d}", quiet_start=dt.time(0), quiet_end=dt.time(0))
        for i, m in enumerate(members)])
    notices = Notice.objects.bulk_create([Notice(member=m, kind=Notice.Kind.ACCOUNT, title_ko=f"알림 {i}",
                                                 title_en=f"notice {i}") for i, m in enumerate(members)])
    return [n.pk for n in notices]


def all_final(sweep: bool) -> bool:
    if sweep:
        services.notice_deliveries_sweep()  # what beat runs every minute, here every half second
    return set(NoticeDelivery.objects.values_list("status", flat=True)) <= FINAL


def delivered_once_each(stub: GatewayStub) -> str:
    """Why the deliveries are not exactly one message per notice at the provider, or ''."""
    keys = {d.idempotency_key for d in NoticeDelivery.objects.all()}
    phones = [m["to"] for m in stub.delivered.values()]
    statuses = sorted(set(NoticeDelivery.objects.values_list("status", flat=True)))
    problems = [f"statuses {statuses}" if statuses != ["sent"] else "",
                f"{len(keys - set(stub.delivered))} lost" if keys - set(stub.delivered) else "",
                f"{len(stub.delivered.keys() - keys)} unknown keys" if stub.delivered.keys() - keys else "",
                f"{len(phones) - len(set(phones))} phones told twice" if len(phones) != len(set(phones)) else ""]
    return "; ".join(p for p in problems if p)


def test_a_worker_killed_mid_delivery_loses_no_notice_and_sends_none_twice(broker, private_redis, tmp_path,
                                                                           settings):
    # given: 200 notices, a provider taking 20 ms a message that stops at the 50th, already delivered
    settings.NOTICE_DELIVERY_STALE_SECONDS = 3  # the sweep runs in this process: a claim this old lost its worker
    notice_ids = notices_for_sms_members(NOTICES)
    log = tmp_path / "worker.log"
    with GatewayStub(latency=0.02, hold_at=50) as stub:
        with worker_running(broker, private_redis.url, stub.url, log) as worker:
            services.notice_deliveries_schedule(notice_ids=notice_ids)  # 200 tasks when it commits
            assert stub.held.wait(30), f"the worker never reached the 50th message:\n{log.read_text()[-3000:]}"
            # when: SIGKILL between "the provider accepted" and "marked sent"
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        stub.release.set()
        held_key = next(k for k, m in stub.delivered.items() if m["id"] == "stub-50")
        in_flight = NoticeDelivery.objects.filter(status="sending").count()
        # ... and start it again
        with worker_running(broker, private_redis.url, stub.url, log):
            wait_for(lambda: all_final(sweep=True), timeout=45, every=0.5, what="every delivery to finish")
    # then
    report = f"raw attempts {stub.raw_attempts} for {len(stub.delivered)} delivered, in flight at the kill {in_flight}"
    print(f"\nCHAOS worker SIGKILL: {report}")
    assert delivered_once_each(stub) == "", report
    assert len(stub.delivered) == NoticeDelivery.objects.filter(status="sent").count() == NOTICES, report
    assert in_flight == 1 and stub.attempts[held_key] == 2, report  # re-sent with its key; the provider deduped it
    assert NoticeDelivery.objects.get(pk=int(held_key.rsplit("-", 1)[1])).attempts == 2, report


def test_notices_queued_when_redis_restarts_are_all_delivered_by_the_sweep(broker, private_redis, tmp_path,
                                                                           settings):
    # given: 200 notices enqueued, the worker at the 50th
    settings.NOTICE_DELIVERY_REQUEUE_SECONDS = 2  # the sweep runs in this process: a task this old was lost
    notice_ids = notices_for_sms_members(NOTICES)
    log = tmp_path / "worker.log"
    with GatewayStub(latency=0.02, hold_at=50) as stub, worker_running(broker, private_redis.url, stub.url, log):
        services.notice_deliveries_schedule(notice_ids=notice_ids)
        assert stub.held.wait(30), f"the worker never reached the 50th message:\n{log.read_text()[-3000:]}"
        # when: Redis dies with ~150 messages queued, and comes back empty
        private_redis.kill()
        private_redis.start()
        stub.release.set()
        queued_after_restart = redis.Redis(port=private_redis.port).llen("celery")
        waiting = NoticeDelivery.objects.filter(status="pending").count()
        wait_for(lambda: all_final(sweep=True), timeout=45, every=0.5, what="every delivery to finish")
    # then
    report = (f"raw attempts {stub.raw_attempts} for {len(stub.delivered)} delivered, {waiting} waiting with their "
              f"messages lost")
    print(f"\nCHAOS Redis restart: {report}")
    assert (queued_after_restart, waiting >= 100) == (0, True), report
    assert delivered_once_each(stub) == "", report
    assert len(stub.delivered) == NoticeDelivery.objects.filter(status="sent").count() == NOTICES, report


def test_a_transient_gateway_error_is_retried_by_the_task_itself_after_its_backoff(broker, private_redis, tmp_path):
    # given: three notices; the provider answers the first message with 503
    notice_ids = notices_for_sms_members(3)
    log = tmp_path / "worker.log"
    with GatewayStub() as stub, worker_running(broker, private_redis.url, stub.url, log):
        stub.statuses = [503]
        # when: no sweep runs; only the task's own countdown can bring the message back
        started = time.monotonic()
        services.notice_deliveries_schedule(notice_ids=notice_ids)
        wait_for(lambda: all_final(sweep=False), timeout=40, every=0.5, what="the retry after the backoff")
        elapsed = time.monotonic() - started
    # then
    rows = sorted(NoticeDelivery.objects.values_list("status", "attempts"))
    assert rows == [("sent", 1), ("sent", 1), ("sent", 2)], log.read_text()[-3000:]
    assert sorted(stub.attempts.values()) == [1, 1, 2] and len(stub.delivered) == 3
    assert elapsed >= settings.NOTICE_DELIVERY_BACKOFF_SECONDS[0]  # it waited its backoff, 15 s
