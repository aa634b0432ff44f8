"""Delivery of notices by e-mail and SMS: the state machine, retries, quiet hours, the sweep, the admin."""
import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from membership import selectors, services
from membership.models import AuditEvent, Consent, Membership, Notice, NoticeDelivery, NoticePreference
from membership.sms import PermanentSendError, TransientSendError

from .conftest import ALL_ITEMS

pytestmark = pytest.mark.usefixtures("tasks_in_process")

PHONE = "010-1111-2222"


class FakeGateway:
    """The SMS provider, faked: every call is an attempt; `failures` are raised first, in order, and
    `during_send` functions run while the provider "thinks" (one per call)."""

    attempts: list[dict] = []
    accepted: list[dict] = []
    failures: list[Exception] = []
    during_send: list = []

    def send(self, *, phone, text, idempotency_key):
        message = {"phone": phone, "text": text, "key": idempotency_key}
        FakeGateway.attempts.append(message)
        if FakeGateway.during_send:
            FakeGateway.during_send.pop(0)()
        if FakeGateway.failures:
            raise FakeGateway.failures.pop(0)
        FakeGateway.accepted.append(message)
        return f"fake-{len(FakeGateway.accepted)}"


class RefusingMailServer(BaseEmailBackend):
    """An SMTP server that refuses every recipient."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})


class DisconnectingMailServer(BaseEmailBackend):
    """An SMTP server that hangs up."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def gateway(settings):
    settings.SMS_GATEWAY = "tests.membership.test_delivery.FakeGateway"
    FakeGateway.attempts, FakeGateway.accepted, FakeGateway.failures, FakeGateway.during_send = [], [], [], []
    return FakeGateway


@pytest.fixture
def sms_member(member):
    """The member, with a phone and no quiet hours (a zero-length window: the form refuses it, but the
    tests must send an SMS at any hour of the day they run)."""
    NoticePreference.objects.filter(member=member).update(phone=PHONE, quiet_start=dt.time(0), quiet_end=dt.time(0))
    return member


def quiet_now(member) -> dt.datetime:
    """Give the member quiet hours from an hour ago to two hours from now; return when they end."""
    now = timezone.now().astimezone(selectors.KST)
    end = (now + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    NoticePreference.objects.filter(member=member).update(
        phone=PHONE, quiet_start=(now - dt.timedelta(hours=1)).time(), quiet_end=end.time())
    return end


def notice_for(member) -> Notice:
    return services.notice_create(member=member, kind="account", title_ko="알림", title_en="notice")


def delivery_of(notice: Notice, channel: str) -> NoticeDelivery:
    return NoticeDelivery.objects.get(notice=notice, channel=channel)


def backoff_over(delivery: NoticeDelivery) -> None:
    """Time passes: the row's backoff is over."""
    NoticeDelivery.objects.filter(pk=delivery.pk).update(send_after=timezone.now())


# ---- Sending once --------------------------------------------------------------------------------------

def test_a_delivery_is_claimed_once_so_a_redelivered_task_sends_nothing(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    # when
    first = services.notice_deliver(delivery_id=delivery.pk)
    second = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert (first, second) == (None, None)
    assert gateway.attempts == [{"phone": PHONE, "text": "[복지멤버십] 알림", "key": f"notice-delivery-{delivery.pk}"}]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_ref, delivery.last_error) == ("sent", 1, "fake-1", "")
    assert delivery.sent_at is not None and delivery.claimed_at is not None


def test_an_email_goes_out_with_the_delivery_key_as_its_message_id(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "email")
    # when
    services.notice_deliver(delivery_id=delivery.pk)
    # then
    [message] = mail.outbox
    assert (message.to, message.subject) == (["citizen@example.kr"], "알림")
    assert message.extra_headers["Message-ID"] == f"<notice-delivery-{delivery.pk}@127.0.0.1>"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_ref) == ("sent", f"<notice-delivery-{delivery.pk}@127.0.0.1>")


def test_a_delivery_not_yet_due_is_not_claimed(sms_member, gateway):
    # given
    end = quiet_now(sms_member)
    delivery = delivery_of(notice_for(sms_member), "sms")
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and gateway.attempts == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.send_after) == ("pending", 0, end)


# ---- Consent and address, checked again at send time ----------------------------------------------------

def test_withdrawing_consent_cancels_a_waiting_delivery_and_nothing_is_sent(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    # when
    services.consent_withdraw(member=sms_member, item=Consent.Item.NOTICE_SMS, acting_user=sms_member)
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and gateway.attempts == []
    assert NoticeDelivery.objects.get(pk=delivery.pk).status == "cancelled"


def test_consent_withdrawn_after_the_delivery_was_queued_cancels_it_at_send_time(sms_member, gateway):
    # given: the withdrawal reached the consent row only (another process), the delivery still waits
    delivery = delivery_of(notice_for(sms_member), "sms")
    Consent.objects.filter(member=sms_member, item=Consent.Item.NOTICE_SMS).update(withdrawn_at=timezone.now())
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and gateway.attempts == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error, delivery.sent_at) == ("cancelled", "consent withdrawn", None)


def test_a_phone_number_removed_before_sending_fails_the_delivery_at_once(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    NoticePreference.objects.filter(member=sms_member).update(phone="")
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and gateway.attempts == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 1, "no mobile phone number")


# ---- Quiet hours: SMS wait as rows ----------------------------------------------------------------------

def test_an_sms_scheduled_in_quiet_hours_waits_as_a_row_until_they_end(sms_member, gateway,
                                                                        django_capture_on_commit_callbacks):
    # given
    end = quiet_now(sms_member)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_for(sms_member)
    # then: the e-mail went at once; the SMS is a row due at the end of the quiet hours, with no task
    sms, email = delivery_of(notice, "sms"), delivery_of(notice, "email")
    assert (sms.status, sms.send_after, sms.enqueued_at, sms.attempts) == ("pending", end, None, 0)
    assert email.status == "sent" and len(mail.outbox) == 1
    assert gateway.attempts == []
    assert services.notice_deliveries_sweep() == 0


def test_an_sms_due_inside_new_quiet_hours_is_held_again_without_spending_an_attempt(sms_member, gateway):
    # given: due now, then the member set quiet hours that cover now
    delivery = delivery_of(notice_for(sms_member), "sms")
    end = quiet_now(sms_member)
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and gateway.attempts == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.send_after, delivery.attempts, delivery.enqueued_at) == ("pending", end, 0, None)


def test_the_sweep_sends_a_held_sms_once_its_quiet_hours_are_over(sms_member, gateway,
                                                                    django_capture_on_commit_callbacks):
    # given: held for quiet hours, which are now over
    quiet_now(sms_member)
    delivery = delivery_of(notice_for(sms_member), "sms")
    NoticePreference.objects.filter(member=sms_member).update(quiet_start=dt.time(0), quiet_end=dt.time(0))
    NoticeDelivery.objects.filter(pk=delivery.pk).update(send_after=timezone.now() - dt.timedelta(seconds=1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        swept = services.notice_deliveries_sweep()
    # then
    assert swept == 1  # the held SMS only: the e-mail's task was enqueued a moment ago
    assert [a["key"] for a in gateway.attempts] == [f"notice-delivery-{delivery.pk}"]
    assert NoticeDelivery.objects.get(pk=delivery.pk).status == "sent"


# ---- Failures: transient ones retried with backoff and a bound, permanent ones at once ---------------------

def test_transient_failures_are_retried_with_growing_waits_then_the_delivery_fails(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    gateway.failures = [TransientSendError("gateway answered HTTP 503") for _ in range(5)]
    waits, states = [], []
    # when
    for _attempt in range(5):
        before = timezone.now()
        waits.append(services.notice_deliver(delivery_id=delivery.pk))
        row = NoticeDelivery.objects.get(pk=delivery.pk)
        states.append((row.status, row.attempts))
        if row.status == "pending":
            assert before + dt.timedelta(seconds=waits[-1]) <= row.send_after <= timezone.now() + dt.timedelta(
                seconds=waits[-1])
            backoff_over(row)
    # then
    assert waits == [15, 60, 240, 300, None]
    assert states == [("pending", 1), ("pending", 2), ("pending", 3), ("pending", 4), ("failed", 5)]
    row = NoticeDelivery.objects.get(pk=delivery.pk)
    assert row.last_error == "gateway answered HTTP 503 (attempt 5, the last)"
    assert {a["key"] for a in gateway.attempts} == {f"notice-delivery-{delivery.pk}"} and len(gateway.attempts) == 5
    assert gateway.accepted == []


def test_a_transient_failure_then_success_sends_once(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    gateway.failures = [TransientSendError("gateway unreachable: TimeoutError")]
    # when
    wait = services.notice_deliver(delivery_id=delivery.pk)
    early = services.notice_deliver(delivery_id=delivery.pk)  # the backoff is not over
    backoff_over(delivery)
    services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert (wait, early) == (15, None)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_ref) == ("sent", 2, "fake-1")
    assert len(gateway.attempts) == 2 and len(gateway.accepted) == 1


def test_a_gateway_refusal_fails_the_delivery_at_once(sms_member, gateway):
    # given
    delivery = delivery_of(notice_for(sms_member), "sms")
    gateway.failures = [PermanentSendError("gateway refused: HTTP 400")]
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is None and len(gateway.attempts) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 1, "gateway refused: HTTP 400")


@pytest.mark.parametrize(("server", "expected"), [
    ("RefusingMailServer", ("failed", None, "mail server refused the recipient")),
    ("DisconnectingMailServer", ("pending", 15, "mail server: SMTPServerDisconnected (attempt 1)")),
])
def test_a_refused_recipient_fails_an_email_and_a_lost_mail_server_is_retried(sms_member, settings, server, expected):
    # given
    settings.EMAIL_BACKEND = f"tests.membership.test_delivery.{server}"
    delivery = delivery_of(notice_for(sms_member), "email")
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (delivery.status, result, delivery.last_error) == expected


# ---- The sweep: stale claims back to pending, lost messages enqueued again --------------------------------

def test_the_sweep_puts_back_a_delivery_its_worker_left_sending_and_it_is_sent(sms_member, gateway, settings,
                                                                               django_capture_on_commit_callbacks):
    # given: three rows a worker claimed; two workers died long ago, one is still at work
    now = timezone.now()
    stale_at = now - dt.timedelta(seconds=settings.NOTICE_DELIVERY_STALE_SECONDS + 1)
    dead, spent, alive = (delivery_of(notice_for(sms_member), "sms") for _ in range(3))
    NoticeDelivery.objects.update(enqueued_at=now)  # every task ran, none is lost
    NoticeDelivery.objects.filter(pk=dead.pk).update(status="sending", claimed_at=stale_at, attempts=1)
    NoticeDelivery.objects.filter(pk=spent.pk).update(status="sending", claimed_at=stale_at, attempts=5)
    NoticeDelivery.objects.filter(pk=alive.pk).update(status="sending", claimed_at=now, attempts=1)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        swept = services.notice_deliveries_sweep()
    # then
    assert swept == 1
    assert [a["key"] for a in gateway.attempts] == [f"notice-delivery-{dead.pk}"]
    rows = {d.pk: (d.status, d.attempts) for d in NoticeDelivery.objects.filter(channel="sms")}
    assert rows == {dead.pk: ("sent", 2), spent.pk: ("failed", 5), alive.pk: ("sending", 1)}
    assert NoticeDelivery.objects.get(pk=spent.pk).last_error == "worker lost while sending (attempt 5, the last)"
    event = AuditEvent.objects.get(action="notice_deliveries_release_stale")
    assert (event.actor, event.details) == (None, {"released": 1, "failed": 1})


def test_a_worker_that_outlived_its_claim_does_not_overwrite_the_attempt_that_replaced_it(
        sms_member, gateway, settings):
    # given: while attempt 1 waits on the provider, the sweep takes the row back and attempt 2 sends it
    delivery = delivery_of(notice_for(sms_member), "sms")
    stale_at = timezone.now() - dt.timedelta(seconds=settings.NOTICE_DELIVERY_STALE_SECONDS + 1)

    def stall():
        NoticeDelivery.objects.filter(pk=delivery.pk).update(claimed_at=stale_at)
        services.notice_deliveries_sweep()
        services.notice_deliver(delivery_id=delivery.pk)

    gateway.during_send = [stall]
    # when: attempt 1
    services.notice_deliver(delivery_id=delivery.pk)
    # then: attempt 2's outcome stands; both carried the key the provider dedupes on
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_ref) == ("sent", 2, "fake-1")
    assert [a["key"] for a in gateway.attempts] == [f"notice-delivery-{delivery.pk}"] * 2


def test_the_sweep_enqueues_a_due_delivery_whose_message_was_lost_but_not_one_still_queued(sms_member, gateway,
                                                                                          settings):
    # given: two due rows enqueued, one long ago (Redis lost it), one just now
    lost, queued = (delivery_of(notice_for(sms_member), "sms") for _ in range(2))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTICE_DELIVERY_REQUEUE_SECONDS + 1)
    NoticeDelivery.objects.update(enqueued_at=timezone.now())
    NoticeDelivery.objects.filter(pk=lost.pk).update(enqueued_at=long_ago, send_after=long_ago)
    # when
    swept = services.notice_deliveries_sweep()
    again = services.notice_deliveries_sweep()
    # then
    assert (swept, again) == (1, 0)
    assert NoticeDelivery.objects.get(pk=lost.pk).enqueued_at > long_ago
    assert NoticeDelivery.objects.get(pk=queued.pk).status == "pending"


# ---- Bulk scheduling for the national re-screening ------------------------------------------------------

def enrolled(username: str, items: set[str], phone: str = PHONE, email: str = "m@example.kr"):
    from membership.models import User

    user = User.objects.create(username=username, role=User.Role.CITIZEN, email=email)
    services.membership_enroll(member=user, items=items, acting_user=user)
    NoticePreference.objects.filter(member=user).update(phone=phone, quiet_start=dt.time(0), quiet_end=dt.time(0))
    return user


def benefit_notices(members) -> list[int]:
    notices = Notice.objects.bulk_create([
        Notice(member=m, kind="benefit", benefit_code="b", rule_code="b.r1", rule_version=1, title_ko="t",
               title_en="t") for m in members])
    return [n.pk for n in notices]


@pytest.mark.parametrize("size", [3, 30])
def test_bulk_scheduling_writes_each_consented_channel_in_a_fixed_number_of_queries(
        db, size, django_assert_max_num_queries, django_capture_on_commit_callbacks, gateway):
    # given
    both = [enrolled(f"both{i}", ALL_ITEMS) for i in range(size)]
    email_only = enrolled("email_only", {Consent.Item.TERMS, Consent.Item.NOTICE_EMAIL})
    no_phone = enrolled("no_phone", ALL_ITEMS, phone="")
    quiet = enrolled("quiet", ALL_ITEMS)
    end = quiet_now(quiet)
    none = enrolled("none", {Consent.Item.TERMS})
    left = enrolled("left", ALL_ITEMS)
    notice_ids = benefit_notices([*both, email_only, no_phone, quiet, none, left])
    Membership.objects.filter(member=left).update(status=Membership.Status.LEFT)
    # when
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          django_assert_max_num_queries(9, info="plans (3), existing rows, insert, due ids, audit, savepoint")):
        created = services.notice_deliveries_schedule(notice_ids=notice_ids)
    again = services.notice_deliveries_schedule(notice_ids=notice_ids)
    # then
    rows = NoticeDelivery.objects.values_list("notice__member__username", "channel")
    assert sorted(rows) == sorted([*((m.username, c) for m in both for c in ("email", "sms")), ("email_only", "email"),
                                   ("no_phone", "email"), ("quiet", "email"), ("quiet", "sms")])
    assert (created, again, len(callbacks)) == (2 * size + 4, 0, 1)
    assert NoticeDelivery.objects.get(notice__member=quiet, channel="sms").send_after == end
    sent = NoticeDelivery.objects.filter(status="sent")
    assert sent.count() == 2 * size + 3  # everything but the SMS held for quiet hours
    assert len(gateway.accepted) == size

