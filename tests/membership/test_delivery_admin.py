"""The delivery admin: sending failed deliveries again, and the figures by status, channel and day."""
import datetime as dt

import pytest
from django.utils import timezone

from membership import selectors
from membership.models import AuditEvent, Notice, NoticeDelivery
from membership.sms import PermanentSendError

from . import test_delivery
from .test_delivery import delivery_of, notice_for

pytestmark = pytest.mark.usefixtures("tasks_in_process")

gateway, sms_member = test_delivery.gateway, test_delivery.sms_member  # the unit tests' fixtures

CHANGELIST = "/en/admin/membership/noticedelivery/"
FIGURES = "/en/admin/membership/noticedelivery/figures/"


def failed_and_sent(member, gateway_class):
    from membership import services

    failed, sent = (delivery_of(notice_for(member), "sms") for _ in range(2))
    gateway_class.failures = [PermanentSendError("gateway refused: HTTP 400")]
    services.notice_deliver(delivery_id=failed.pk)
    services.notice_deliver(delivery_id=sent.pk)
    return failed, sent


def test_an_admin_sends_failed_deliveries_again_and_only_those(client, admin_user, sms_member, gateway,
                                                                django_capture_on_commit_callbacks):
    # given
    failed, sent = failed_and_sent(sms_member, gateway)
    client.force_login(admin_user)
    # when
    with django_capture_on_commit_callbacks() as enqueue:
        response = client.post(CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
                               follow=True)
    waiting = NoticeDelivery.objects.get(pk=failed.pk)
    for callback in enqueue:
        callback()  # the broker runs the enqueued task (in-process here)
    # then
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "")
    rows = {d.pk: (d.status, d.attempts) for d in NoticeDelivery.objects.filter(channel="sms")}
    assert rows == {failed.pk: ("sent", 1), sent.pk: ("sent", 1)}
    assert [a["key"] for a in gateway.accepted] == [f"notice-delivery-{sent.pk}", f"notice-delivery-{failed.pk}"]
    event = AuditEvent.objects.get(action="notice_delivery_redrive")
    assert (event.actor, event.target_id, event.details) == (admin_user, str(failed.pk),
                                                             {"last_error": "gateway refused: HTTP 400"})
    text = response.content.decode()
    assert "1 failed deliveries will be sent again." in text
    assert "Only failed deliveries are sent again; 1 were left as they are." in text


def test_a_citizen_can_neither_send_again_nor_see_the_figures(client, citizen, sms_member, gateway,
                                                               django_capture_on_commit_callbacks):
    # given
    failed, _sent = failed_and_sent(sms_member, gateway)
    client.force_login(citizen)
    # when
    with django_capture_on_commit_callbacks() as enqueue:
        action = client.post(CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk]})
    figures = client.get(FIGURES)
    # then
    assert (action.status_code, figures.status_code) == (302, 302)
    assert figures.url.startswith("/en/admin/login/")
    assert enqueue == []
    assert NoticeDelivery.objects.get(pk=failed.pk).status == "failed"
    assert not AuditEvent.objects.filter(action="notice_delivery_redrive").exists()


def deliveries(member, day: dt.datetime, *pairs: tuple[str, str]) -> None:
    for channel, status in pairs:
        notice = Notice.objects.create(member=member, kind="account", title_ko="t", title_en="t")
        delivery = NoticeDelivery.objects.create(notice=notice, channel=channel, status=status, send_after=day)
        NoticeDelivery.objects.filter(pk=delivery.pk).update(created_at=day)


def test_the_figures_page_counts_notices_by_status_channel_and_day(client, admin_user, citizen,
                                                                   django_assert_max_num_queries):
    # given
    now = timezone.now()
    deliveries(citizen, now, ("email", "sent"), ("email", "sent"), ("sms", "failed"), ("sms", "pending"))
    deliveries(citizen, now - dt.timedelta(days=3), ("sms", "sent"), ("email", "cancelled"))
    deliveries(citizen, now - dt.timedelta(days=14), ("sms", "sent"))  # 15 days counting today: left out
    client.force_login(admin_user)
    # when
    with django_assert_max_num_queries(8, info="session, user, the figures (one aggregate query), session "
                                               "saved, two savepoints"):
        response = client.get(FIGURES)
    listing, korean = client.get(CHANGELIST), client.get(FIGURES.removeprefix("/en"))
    # then
    figures = response.context["figures"]
    today = timezone.localdate(timezone=selectors.KST)
    statuses = ["pending", "sending", "sent", "failed", "cancelled"]
    assert figures.columns == [(c, s) for c in ("email", "sms") for s in statuses]
    assert [day for day, _counts in figures.rows] == [today - dt.timedelta(days=i) for i in range(14)]
    assert figures.rows[0][1] == [0, 0, 2, 0, 0, 1, 0, 0, 1, 0]
    assert figures.rows[3][1] == [0, 0, 0, 0, 1, 0, 0, 1, 0, 0]
    assert sum(sum(counts) for _day, counts in figures.rows) == 6
    assert figures.totals == [0, 0, 2, 0, 1, 1, 0, 1, 1, 0]
    assert response.status_code == 200 and "Notices by status, channel and day" in response.content.decode()
    assert f'href="{FIGURES}"' in listing.content.decode()
    assert "상태·경로·날짜별 알림 발송" in korean.content.decode()


def test_the_delivery_list_reads_a_fixed_number_of_queries(client, admin_user, citizen, django_assert_max_num_queries):
    # given
    deliveries(citizen, timezone.now(), *[("sms", "failed")] * 20)
    client.force_login(admin_user)
    # when
    with django_assert_max_num_queries(9, info="session, user, the filtered count, the page with its notices "
                                               "(one join), session saved, two savepoints"):
        response = client.get(CHANGELIST, {"status__exact": "failed"})
    # then
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 20
