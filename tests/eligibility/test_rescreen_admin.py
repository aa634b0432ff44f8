"""The rule editor sees what publishing would change, then publishing re-screens every member."""
import datetime as dt

from django.utils import timezone

from eligibility import services
from eligibility.models import RescreenRun, Rule, Status

from .test_rescreen import catalogue, enrol, household_single, household_with_newborn  # noqa: F401


def _draft_under_15(admin_user) -> Rule:
    rule = Rule.objects.get(code="child_allowance.age", status=Status.PUBLISHED)
    draft = services.rule_new_version(rule=rule, acting_user=admin_user)
    draft.conditions.update(parameter="", value="15")
    return draft


def test_publishing_a_rule_shows_the_dry_run_first_and_changes_nothing(client, admin_user, catalogue):  # noqa: F811
    # given
    ten = household_single(sido="부산광역시", sigungu="해운대구")
    ten["members"].append({**household_with_newborn()["members"][1],
                           "birth_date": (timezone.localdate() - dt.timedelta(days=365 * 10 + 30)).isoformat()})
    enrol("ten", ten)
    draft = _draft_under_15(admin_user)
    client.force_login(admin_user)
    # when
    page = client.post("/admin/eligibility/rule/", {"action": "publish", "_selected_action": [draft.pk]})
    # then
    assert page.status_code == 200
    assert "+1" in page.text and "부산광역시" in page.text and 'name="confirm" value="yes"' in page.text
    assert Rule.objects.get(pk=draft.pk).status == Status.DRAFT and not RescreenRun.objects.exists()


def test_confirming_publishes_and_starts_a_re_screening_run(client, admin_user, catalogue,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    # given
    enrol("m1", household_single())
    draft = _draft_under_15(admin_user)
    client.force_login(admin_user)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/admin/eligibility/rule/", {"action": "publish", "_selected_action": [draft.pk],
                                                            "confirm": "yes"})
    # then
    assert response.status_code == 302
    assert Rule.objects.get(pk=draft.pk).status == Status.PUBLISHED
    run = RescreenRun.objects.get()
    assert (run.trigger, run.created_by, run.chunks_total) == ("publish", admin_user, 1)
    assert len(callbacks) == 1


def test_the_run_list_shows_progress(client, admin_user, catalogue):  # noqa: F811
    # given
    enrol("m1", household_single())
    from eligibility import rescreen

    run = rescreen.rescreen_run_start(trigger="manual", as_of=timezone.localdate(), acting_user=None, enqueue=False)
    client.force_login(admin_user)
    # when
    listing = client.get("/admin/eligibility/rescreenrun/")
    detail = client.get(f"/admin/eligibility/rescreenrun/{run.pk}/change/")
    # then
    assert listing.status_code == detail.status_code == 200
    assert "0/1" in listing.text and "field-attempts" in detail.text  # the chunk inline
