"""Staff pages in a real Chromium: the supervisor's access-log review and the member's 'who looked'."""
from pathlib import Path

import pytest

from membership import services
from tests.conftest import PASSWORD

from .axe import assert_accessible

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _login(page, base, username):
    page.goto(base + "/en/membership/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_supervisor_reviews_and_member_reads_the_access_log_in_english(live_server, browser, citizen, caseworker,
                                                                        supervisor):
    # given
    services.membership_enroll(member=citizen, items={"terms"}, acting_user=citizen)
    services.access_log_record(staff=caseworker, subject=citizen, action="view", what="household",
                               ip_address="10.1.2.3")
    services.counter_service_begin(staff=supervisor, member=citizen, reason="walk-in: housing question",
                                   ip_address="10.1.2.4")
    ARTIFACTS.mkdir(exist_ok=True)
    staff_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    member_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    # when
    _login(staff_page, live_server.url, "supervisor")
    staff_page.goto(live_server.url + "/en/membership/staff/access-log/?staff=caseworker")
    _login(member_page, live_server.url, "citizen")
    member_page.goto(live_server.url + f"/en/membership/members/{citizen.pk}/access-log/")
    # then
    rows = staff_page.locator("tbody tr")
    assert rows.count() == 1
    assert "10.1.2.3" in rows.first.inner_text() and "household" in rows.first.inner_text()
    assert_accessible(staff_page)
    staff_page.screenshot(path=str(ARTIFACTS / "membership-access-log-review-en.png"), full_page=True)
    assert member_page.locator("tbody tr").count() == 2
    assert "walk-in: housing question" in member_page.locator("tbody").inner_text()
    assert_accessible(member_page)
    member_page.screenshot(path=str(ARTIFACTS / "membership-who-looked-en.png"), full_page=True)
