"""The home page in a real Chromium, in Korean and in English, with axe-core."""
from pathlib import Path

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [("/", "ko", "먼저 알려드립니다"), ("/en/", "en", "before you have to ask")],
)
def test_home_page_renders_in_language_with_no_serious_axe_violations(live_server, page, path, lang, heading):
    # when
    page.goto(live_server.url + path)
    # then
    assert page.locator("html").get_attribute("lang") == lang
    assert heading in page.locator("h1").inner_text()
    assert page.locator("main#main").count() == 1
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{lang}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_language_switch_takes_a_korean_reader_to_the_english_page(live_server, page):
    # given
    page.goto(live_server.url + "/")
    # when
    page.get_by_role("button", name="English").click()
    # then
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.django_db(transaction=True)
def test_home_page_on_a_phone_has_no_horizontal_scroll(live_server, phone_page):
    # when
    phone_page.goto(live_server.url + "/")
    # then
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(phone_page)
