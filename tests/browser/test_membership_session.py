"""The session-expiry warning: an accessible dialog before the idle cut-off that extends the session
without leaving the page, so what the person typed is kept."""
import pytest

from membership import services
from membership.models import NoticePreference
from tests.conftest import PASSWORD

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_warning_extends_the_session_and_keeps_what_was_typed(live_server, page, citizen, settings):
    # given: a 6-second session that warns 4 seconds before its end
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 4
    services.membership_enroll(member=citizen, items={"terms"}, acting_user=citizen)
    page.goto(live_server.url + "/membership/login/")
    page.fill("[name=username]", "citizen")
    page.fill("[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.goto(live_server.url + f"/membership/members/{citizen.pk}/preferences/")
    page.fill("[name=phone]", "010-2222-3333")
    # when
    dialog = page.locator("dialog.session-dialog")
    dialog.wait_for(state="visible", timeout=5000)
    assert dialog.get_attribute("aria-labelledby") == "session-dialog-title"
    assert page.locator("#session-dialog-title").inner_text() == "곧 자동으로 로그아웃됩니다"
    assert_accessible(page)
    page.get_by_role("button", name="계속 이용하기").click()
    # then
    dialog.wait_for(state="hidden", timeout=3000)
    assert page.input_value("[name=phone]") == "010-2222-3333"
    assert page.locator("#session-status").inner_text() == "이용 시간이 연장되었습니다."
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"**/members/{citizen.pk}/preferences/")
    assert NoticePreference.objects.get(member=citizen).phone == "010-2222-3333"
