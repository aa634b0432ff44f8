"""The rule editors' admin in a real Chromium under the portal's CSP: no violation, marks visible."""
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from membership import services
from membership.models import Consent, NoticeDelivery
from tests.conftest import PASSWORD

from .axe import assert_accessible

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def admin_signed_in(page, live_server, admin_user) -> list[str]:
    """Sign the admin in; return the list the page's CSP violations will be collected into."""
    violations: list[str] = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    ARTIFACTS.mkdir(exist_ok=True)
    return violations


@pytest.mark.django_db(transaction=True)
def test_rule_editor_pages_work_under_the_csp_and_show_unverified_figures(live_server, page, admin_user):
    # given
    call_command("load_catalogue", verbosity=0)
    violations = admin_signed_in(page, live_server, admin_user)
    # when
    page.goto(live_server.url + "/admin/eligibility/parametervalue/?verification__exact=unverified")
    unverified_rows = page.locator("#result_list tbody tr").count()
    marks = page.locator("#result_list td.field-verification_display").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "admin-parameters-unverified.png"), full_page=True)
    page.goto(live_server.url + "/admin/eligibility/benefit/")
    page.get_by_role("link", name="basic_pension").click()
    page.screenshot(path=str(ARTIFACTS / "admin-benefit.png"), full_page=True)
    rules_shown = page.locator("#rules-group").inner_text()
    # then
    assert unverified_rows > 0
    assert len(marks) == unverified_rows and all(m.startswith("❓") for m in marks)
    assert "basic_pension" in rules_shown
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_notice_delivery_list_and_figures_work_under_the_csp_and_pass_axe(live_server, page, admin_user, citizen):
    # given: a member told twice, one delivery of which failed for good
    citizen.email = "citizen@example.kr"
    citizen.save()
    services.membership_enroll(member=citizen, items={Consent.Item.TERMS, Consent.Item.NOTICE_EMAIL},
                               acting_user=citizen)
    for title in ("첫째 알림", "둘째 알림"):
        services.notice_create(member=citizen, kind="account", title_ko=title, title_en=title)
    NoticeDelivery.objects.filter(pk=NoticeDelivery.objects.order_by("pk").first().pk).update(
        status=NoticeDelivery.Status.FAILED, last_error="mail server refused the recipient", attempts=1)
    violations = admin_signed_in(page, live_server, admin_user)
    # when
    page.goto(live_server.url + "/admin/membership/noticedelivery/?status__exact=failed")
    failed_rows = page.locator("#result_list tbody tr").count()
    actions = page.locator("select[name=action] option").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "admin-notice-deliveries.png"), full_page=True)
    page.goto(live_server.url + "/admin/membership/noticedelivery/figures/")
    table = page.locator("#notice-figures").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-notice-figures.png"), full_page=True)
    # then
    assert failed_rows == 1 and any("again" in a or "다시" in a for a in actions)
    assert timezone.localdate().isoformat() in table
    assert violations == []
    assert_accessible(page)
