"""A household change shows its notice in the member's inbox within 5 s with a real worker running,
and the worker takes every delivery of it to a final state."""
import time
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from membership import services
from membership.models import Consent, Notice, NoticeDelivery

from .processes import celery_running, process_env, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: the worker process must see the test database"),
]

FINAL = {"sent", "failed", "cancelled"}  # no longer pending or sending


@pytest.fixture
def worker(broker, redis_url, tmp_path):
    """One solo-pool worker on the private Redis and the test database; yields its log."""
    name = f"latency-{uuid.uuid4().hex[:8]}@localhost"
    with celery_running("worker", "-P", "solo", "-l", "INFO", "-n", name, "--without-gossip", "--without-mingle",
                        env=process_env(redis_url), log=tmp_path / "worker.log"):
        wait_for(lambda: broker.control.ping(destination=[name], timeout=0.5), timeout=60, what="the worker")
        yield tmp_path / "worker.log"


def household_form(earned: int) -> dict:
    """The household page's form: one person renting in 관악구, earning `earned` won a month."""
    return {
        "sido": "서울특별시", "sigungu": "관악구", "tenure": "rent", "monthly_rent": "400000",
        "asset_housing": "20000000", "asset_general": "0", "asset_financial": "3000000", "asset_car_value": "0",
        "asset_car_cc": "0", "asset_debt": "0",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "12",
        "m-0-relation": "self", "m-0-birth_date": "1990-05-01", "m-0-disability": "none", "m-0-school": "none",
        "m-0-income_earned": str(earned), "m-0-income_business": "0", "m-0-income_property": "0",
        "m-0-income_public_transfer": "0", "m-0-income_private_transfer": "0",
    }


def tasks_done(worker_log: Path) -> int:
    """How many delivery tasks the worker finished, by its log."""
    return sum("membership.tasks.notice_deliver[" in line and "succeeded" in line
               for line in worker_log.read_text().splitlines())


@pytest.mark.django_db(transaction=True)
def test_a_household_change_shows_its_notice_in_the_inbox_within_5_s_and_the_worker_sends_it(
        client, citizen, worker):
    # given: a member told by e-mail, whose household was screened while earning 1.8 M won a month
    call_command("load_catalogue", verbosity=0)
    citizen.email = "citizen@example.kr"
    citizen.save()
    services.membership_enroll(member=citizen, items={Consent.Item.TERMS, Consent.Item.INCOME_ASSETS,
                                                      Consent.Item.NOTICE_EMAIL}, acting_user=citizen)
    client.force_login(citizen)
    household_url = reverse("members:member_household", args=[citizen.pk])
    inbox_url = reverse("membership:notice_list", args=[citizen.pk])
    assert client.post(household_url, household_form(earned=1_800_000)).status_code == 302
    assert not Notice.objects.filter(member=citizen).exists()
    # when: the income drops to nothing
    changed_at = time.monotonic()
    response = client.post(household_url, household_form(earned=0))
    titles = [escape(n.title_ko) for n in Notice.objects.filter(member=citizen)]
    wait_for(lambda: all(t in client.get(inbox_url).content.decode() for t in titles), timeout=5,
             what="the notices in the inbox")
    in_inbox_s = time.monotonic() - changed_at
    deliveries = NoticeDelivery.objects.filter(notice__member=citizen)
    wait_for(lambda: set(deliveries.values_list("status", flat=True)) <= FINAL
             and tasks_done(worker) == deliveries.count(), timeout=15, what="the worker to finish the deliveries")
    # then
    assert response.status_code == 302
    assert titles, "dropping the income to 0 must make a benefit newly eligible"
    assert in_inbox_s < 5, f"in the inbox {in_inbox_s:.2f} s after the change"
    assert sorted(deliveries.values_list("channel", "status").distinct()) == [("email", "sent")]
    assert deliveries.count() == tasks_done(worker) == len(titles)
    assert mail.outbox == []  # the worker process sent them, not this one
