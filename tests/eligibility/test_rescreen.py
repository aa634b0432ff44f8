"""National re-screening: chunks of members through the vectorised engine, results and notices once."""
import copy
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from eligibility import rescreen, rescreen_io
from eligibility import services as services_eligibility
from eligibility.member_screening import member_rescreen
from eligibility.models import (
    Benefit,
    MemberBenefitResult,
    RescreenChunk,
    RescreenRun,
    RescreenState,
    Rule,
    Status,
)
from eligibility.tasks import rescreen_nightly
from membership import services
from membership.models import Consent, Household, Notice, NoticeDelivery, User
from tests.membership.helpers import household_single, household_with_newborn

AS_OF = dt.date(2026, 11, 23)
ALL_ITEMS = {Consent.Item.TERMS, Consent.Item.INCOME_ASSETS, Consent.Item.NOTICE_EMAIL, Consent.Item.NOTICE_SMS}
RESULT_FIELDS = ("household__member__username", "benefit_code", "outcome", "amount_krw", "amount_period",
                 "rule_code", "rule_version")


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def enrol(username: str, document: dict, items=ALL_ITEMS) -> User:
    user = User.objects.create(username=username, role=User.Role.CITIZEN)
    services.membership_enroll(member=user, items=items, acting_user=user)
    services.household_update(member=user, document=document, acting_user=user)
    return user


def run_all(as_of=AS_OF, chunk_size=2) -> RescreenRun:
    run = rescreen.rescreen_run_start(trigger="manual", as_of=as_of, acting_user=None, chunk_size=chunk_size,
                                      enqueue=False)
    for chunk_id in run.chunks.values_list("pk", flat=True):
        rescreen.rescreen_chunk_process(chunk_id=chunk_id)
    run.refresh_from_db()
    return run


def varied_households() -> list[dict]:
    poor = household_single()
    poor["members"][0]["income"] = {"earned": 300000}
    poor["assets"] = {"financial": 1000000}
    senior = household_single(sido="부산광역시", sigungu="해운대구")
    senior["members"][0].update(birth_date="1955-03-02", income={"public_transfer": 400000})
    family = household_with_newborn(sido="전라남도", sigungu="해남군")
    family["members"].append({**copy.deepcopy(family["members"][1]), "birth_date": "2012-06-30"})
    youth = household_single()
    youth["members"][0].update(birth_date="2001-11-24", school="university", income={"earned": 900000})
    return [household_single(), household_with_newborn(), poor, senior, family, youth]


def test_a_changed_household_gets_exactly_one_notice_per_new_benefit(catalogue):
    # given
    member = enrol("m1", household_single())
    first = run_all()
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    # when
    second = run_all()
    # then
    assert (first.notices_created, Notice.objects.filter(kind="benefit").count() - second.notices_created) == (0, 0)
    codes = list(Notice.objects.filter(member=member).values_list("benefit_code", flat=True))
    assert codes.count("child_allowance") == 1 and "parental_benefit" in codes
    assert "eitc" not in codes  # it was already likely: not new
    assert second.status == RescreenRun.Status.DONE and second.chunks_done == second.chunks_total == 1


def test_notices_of_the_national_run_are_delivered_on_each_consented_channel(catalogue, mailoutbox):
    # given: e-mail and SMS consented; SMS needs a phone, which this member has not given
    member = enrol("m1", household_single())
    User.objects.filter(pk=member.pk).update(email="m1@example.org")
    run_all()
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    # when
    run = run_all()
    deliveries = NoticeDelivery.objects.filter(notice__member=member)
    for delivery_id in deliveries.values_list("pk", flat=True):  # what the worker does with each task
        services.notice_deliver(delivery_id=delivery_id)
    # then: one e-mail a new notice
    notices = Notice.objects.filter(member=member, kind="benefit")
    assert run.notices_created == notices.count() > 0
    assert sorted(deliveries.values_list("channel", "status").distinct()) == [("email", "sent")]
    assert deliveries.count() == len(mailoutbox) == notices.count()
    # and a second run schedules nothing again
    run_all()
    assert deliveries.count() == notices.count()


def test_running_the_same_chunk_again_or_a_new_run_writes_nothing_more(catalogue):
    # given
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    run = run_all()
    before = list(MemberBenefitResult.objects.order_by("pk").values(*RESULT_FIELDS, "screened_at"))
    # when
    again = [rescreen.rescreen_chunk_process(chunk_id=c.pk) for c in run.chunks.all()]
    rerun = run_all()
    # then
    assert again == [None] * run.chunks_total
    assert (rerun.results_written, rerun.notices_created, rerun.members_screened) == (0, 0, 6)
    assert list(MemberBenefitResult.objects.order_by("pk").values(*RESULT_FIELDS, "screened_at")) == before


def test_a_member_without_income_asset_consent_or_membership_is_skipped(catalogue):
    # given
    without = enrol("no_consent", household_single(), items={Consent.Item.TERMS})
    left = enrol("left", household_single())
    services.membership_leave(member=left, acting_user=left)
    kept = enrol("kept", household_single())
    # when
    run = run_all()
    # then
    assert run.members_screened == 1
    assert set(MemberBenefitResult.objects.values_list("household__member", flat=True)) == {kept.pk}
    assert not MemberBenefitResult.objects.filter(household__member=without).exists()


def test_a_claimed_chunk_is_not_processed_by_a_second_worker(catalogue):
    # given
    enrol("m1", household_single())
    run = rescreen.rescreen_run_start(trigger="manual", as_of=AS_OF, acting_user=None, enqueue=False)
    chunk = run.chunks.get()
    assert rescreen.chunk_claim(chunk.pk) == 1  # the first worker
    # when
    report = rescreen.rescreen_chunk_process(chunk_id=chunk.pk)
    # then
    assert report is None
    assert not MemberBenefitResult.objects.exists()
    assert RescreenChunk.objects.get(pk=chunk.pk).status == RescreenChunk.Status.RUNNING


def test_an_abandoned_claim_is_taken_over_after_the_hard_time_limit(catalogue):
    # given
    enrol("m1", household_single())
    run = rescreen.rescreen_run_start(trigger="manual", as_of=AS_OF, acting_user=None, enqueue=False)
    chunk = run.chunks.get()
    rescreen.chunk_claim(chunk.pk)
    RescreenChunk.objects.filter(pk=chunk.pk).update(claimed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    # when
    report = rescreen.rescreen_chunk_process(chunk_id=chunk.pk)
    # then
    assert report.members == 1
    assert RescreenChunk.objects.values_list("status", "attempts").get(pk=chunk.pk) == ("done", 2)


def test_results_carry_the_rule_code_and_version_that_decided_them(catalogue):
    # given
    enrol("m1", household_with_newborn())
    # when
    run_all()
    # then
    child = MemberBenefitResult.objects.get(benefit_code="child_allowance")
    rule = Rule.objects.get(code=child.rule_code, status=Status.PUBLISHED)
    assert (child.outcome, child.amount_krw, child.rule_version) == ("eligible", 100000, rule.version)
    assert not MemberBenefitResult.objects.filter(rule_code="").exists()


def test_batch_results_equal_the_per_member_scalar_results(catalogue):
    # given
    members = [enrol(f"m{i}", document) for i, document in enumerate(varied_households())]
    run_all(chunk_size=4)
    batch = sorted(MemberBenefitResult.objects.values_list(*RESULT_FIELDS))
    # when
    for member in members:
        member_rescreen(member=member, acting_user=None, as_of=AS_OF)
    # then
    scalar = sorted(MemberBenefitResult.objects.values_list(*RESULT_FIELDS))
    assert len(batch) == 6 * len({r[1] for r in batch}) and batch == scalar


def test_after_a_per_member_rescreen_the_batch_compares_in_detail_and_finds_no_change(catalogue):
    # given
    member = enrol("m1", household_single())
    run_all()
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    told = member_rescreen(member=member, acting_user=None, as_of=AS_OF)
    # when
    run = run_all()
    # then
    assert told and (run.results_written, run.notices_created) == (0, 0)
    assert Notice.objects.filter(member=member, benefit_code="child_allowance").count() == 1


def test_two_nightly_starts_on_the_same_date_make_one_run(catalogue, django_capture_on_commit_callbacks):
    # given
    enrol("m1", household_single())
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        first = rescreen_nightly()
        second = rescreen_nightly()
    # then
    assert first == second and RescreenRun.objects.count() == 1
    assert len(callbacks) == 1  # one enqueue of the chunks, by the first start only
    run = RescreenRun.objects.get()
    assert (run.run_key, run.chunks_total) == (f"nightly:{timezone.localdate().isoformat()}", 1)


def test_the_dry_run_counts_gains_by_region_and_life_stage_and_writes_nothing(catalogue, admin_user):
    # given
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    ten = household_single(sido="부산광역시", sigungu="해운대구")
    ten["members"].append({**household_with_newborn()["members"][1], "birth_date": "2016-01-01"})
    enrol("ten", ten)
    draft = services_eligibility.rule_new_version(rule=Rule.objects.get(code="child_allowance.age",
                                                                         status=Status.PUBLISHED),
                                                   acting_user=admin_user)
    draft.conditions.update(parameter="", value="15")  # under 15 instead of under 9
    # when
    unchanged = rescreen.rescreen_dry_run(as_of=AS_OF)
    widened = rescreen.rescreen_dry_run(as_of=AS_OF, benefit=draft.benefit)
    # then
    assert (unchanged.gained, unchanged.lost, unchanged.members) == (0, 0, 7)
    assert (widened.gained, widened.lost) == (1, 0)
    assert widened.by_region["부산광역시"] == (1, 0) and widened.by_life_stage["middle"] == (1, 0)
    assert not MemberBenefitResult.objects.exists() and not RescreenRun.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path runs on PostgreSQL only")
def test_the_packed_copy_reads_the_same_arrays_as_a_plain_cursor(catalogue):
    # given
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    ids = ", ".join(str(pk) for pk in Household.objects.values_list("pk", flat=True))
    query = rescreen_io._member_query(ids)
    # when
    copied = rescreen_io.int_table(query)
    with connection.cursor() as cursor:
        cursor.execute(query.plain())
        plain = cursor.fetchall()
    # then
    assert copied.tolist() == [list(row) for row in plain] and len(plain) == 9


def _arrays(data: rescreen_io.ChunkData) -> dict:
    return {"keys": [data.household_id.tolist(), data.member_id.tolist(), data.version.tolist(),
                     data.state_digest.tolist(), data.state_version.tolist(), data.sido.tolist()],
            **{f"h.{k}": v.tolist() for k, v in data.household.items()},
            **{f"m.{k}": v.tolist() for k, v in data.member.items()}}


def test_households_read_from_their_packed_images_are_read_as_from_the_record(catalogue):
    # given: no images yet, so the first read takes every household from the record and writes its image
    members = [enrol(f"m{i}", document) for i, document in enumerate(varied_households())]
    lo, hi = rescreen_io.member_id_bounds(100)[0]
    from_record = rescreen_io.chunk_read(lo, hi)
    assert RescreenState.objects.filter(image_version__isnull=False).count() == 6
    # when
    from_images = rescreen_io.chunk_read(lo, hi)
    # then
    assert _arrays(from_images) == _arrays(from_record)
    assert from_record.n == 6 and sorted(set(from_record.sido)) == ["부산광역시", "서울특별시", "전라남도"]
    assert from_record.member["member_household"].tolist() == [0, 1, 1, 2, 3, 4, 4, 4, 5]
    # and a change made without re-screening makes that image stale: the record is read again
    services.household_update(member=members[0], document=household_with_newborn(), acting_user=members[0])
    changed = rescreen_io.chunk_read(lo, hi)
    assert changed.member["member_household"].tolist() == [0, 0, 1, 1, 2, 3, 4, 4, 4, 5]
    image = RescreenState.objects.get(household__member=members[0])
    assert image.image_version == Household.objects.get(member=members[0]).version == 2
    assert _arrays(rescreen_io.chunk_read(lo, hi)) == _arrays(changed)


def test_a_result_of_the_national_run_is_explained_on_the_members_page(catalogue, client):
    # given: the batch stores outcomes without reasons
    member = enrol("m1", household_with_newborn())
    run_all()
    stored = MemberBenefitResult.objects.get(household__member=member, benefit_code="child_allowance")
    assert (stored.outcome, stored.reasons) == ("eligible", [])
    client.force_login(member)
    # when
    page = client.get(reverse("members:member_overview", args=[member.pk]))
    # then: the reasons are worked out again by the scalar path for the same rule
    explained = next(r for r in page.context["positive"] if r.benefit_code == "child_allowance")
    assert explained.reasons and all(r["passed"] for r in explained.reasons)
    assert escape(explained.reasons[0]["ko"]) in page.content.decode()
    assert not MemberBenefitResult.objects.get(pk=stored.pk).reasons  # a read writes nothing


def test_results_of_a_benefit_taken_out_of_the_catalogue_are_deleted_by_the_next_run(catalogue):
    # given
    member = enrol("m1", household_with_newborn())
    run_all()
    assert MemberBenefitResult.objects.filter(benefit_code="child_allowance").exists()
    # when
    Benefit.objects.filter(code="child_allowance").delete()
    run_all()
    # then
    assert not MemberBenefitResult.objects.filter(benefit_code="child_allowance").exists()
    assert MemberBenefitResult.objects.filter(household__member=member).count() == Benefit.objects.count()


def test_the_rescreen_command_runs_every_chunk_with_a_progress_bar(catalogue, capsys):
    # given
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    # when
    call_command("rescreen", "--in-process", "--chunk-size", "4", "--as-of", AS_OF.isoformat())
    # then
    run = RescreenRun.objects.get()
    out = capsys.readouterr()
    assert (run.status, run.chunks_done, run.members_screened) == ("done", 2, 6)
    assert "2/2 chunks" in out.err and "6 members" in out.out


def test_the_nightly_re_screening_is_in_the_beat_schedule():
    # given
    from celery import current_app
    from django.conf import settings

    # when
    entry = settings.CELERY_BEAT_SCHEDULE["rescreen-nightly"]
    # then
    assert entry["task"] in current_app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {0})


def test_life_cycle_dates_pick_a_first_birthday_today_and_a_65th_birthday_a_month_ahead(catalogue):
    # given
    today = dt.date(2026, 11, 23)
    baby = household_single()
    baby["members"].append({**household_with_newborn()["members"][1], "birth_date": "2025-11-23"})
    turning_65 = household_single()
    turning_65["members"][0]["birth_date"] = "1961-12-23"
    members = {name: enrol(name, doc) for name, doc in
               (("baby", baby), ("senior", turning_65), ("other", household_single()))}
    # when
    picked = rescreen.members_at_life_events(today=today)
    count = rescreen.rescreen_life_events(today=today)
    # then
    assert picked == {today: [members["baby"].pk], dt.date(2026, 12, 23): [members["senior"].pk]}
    assert count == 2
    pension = MemberBenefitResult.objects.get(household__member=members["senior"], benefit_code="basic_pension")
    assert pension.outcome == "needs_info"  # as of the 65th birthday; "ineligible" (too young) today
    assert not MemberBenefitResult.objects.filter(household__member=members["other"]).exists()


def test_a_member_already_told_under_this_rule_version_is_not_told_again(catalogue):
    # given
    member = enrol("m1", household_single())
    member_rescreen(member=member, acting_user=None, as_of=AS_OF)
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    told = {n.benefit_code for n in member_rescreen(member=member, acting_user=None, as_of=AS_OF)}
    services.household_update(member=member, document=household_single(), acting_user=member)
    run_all()  # the baby is no longer in the household: child allowance drops
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    # when
    run = run_all()
    # then
    assert "child_allowance" in told and run.notices_created == 0
    assert Notice.objects.filter(member=member, benefit_code="child_allowance").count() == 1


def test_chunks_given_back_or_abandoned_are_enqueued_again(catalogue, django_capture_on_commit_callbacks):
    # given
    for i, document in enumerate(varied_households()):
        enrol(f"m{i}", document)
    run = rescreen.rescreen_run_start(trigger="manual", as_of=AS_OF, acting_user=None, chunk_size=2, enqueue=False)
    first, second, third = run.chunks.order_by("lo_member_id")
    RescreenChunk.objects.filter(pk=first.pk).update(attempts=1)  # given back after a failure
    RescreenChunk.objects.filter(pk=second.pk).update(status="running", attempts=1,
                                                      claimed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    rescreen.chunk_claim(third.pk)  # being worked on right now
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        ids = rescreen.rescreen_chunks_redrive()
    # then
    assert sorted(ids) == sorted([first.pk, second.pk]) and len(callbacks) == 1
