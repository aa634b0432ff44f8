"""The rule editors' admin in a real Chromium under the portal's CSP: no violation, marks visible."""
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.django_db(transaction=True)
def test_rule_editor_pages_work_under_the_csp_and_show_unverified_figures(live_server, page, admin_user):
    # given
    call_command("load_catalogue", verbosity=0)
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # when
    page.goto(live_server.url + "/admin/eligibility/parametervalue/?verification__exact=unverified")
    unverified_rows = page.locator("#result_list tbody tr").count()
    marks = page.locator("#result_list td.field-verification_display").all_inner_texts()
    ARTIFACTS.mkdir(exist_ok=True)
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
