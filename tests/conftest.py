"""The named cast every test can call on, and the real browser."""
import os
import shutil

import pytest

from membership.models import Office, User

PASSWORD = "cast-password-2026"


@pytest.fixture
def office_gwanak(db) -> Office:
    return Office.objects.create(code="1162058500", name="관악구 청룡동 주민센터", sido="서울특별시", sigungu="관악구")


@pytest.fixture
def office_busan(db) -> Office:
    return Office.objects.create(code="2635052500", name="해운대구 우1동 행정복지센터", sido="부산광역시", sigungu="해운대구")


@pytest.fixture
def partner_office(db) -> Office:
    return Office.objects.create(
        code="P-11620-001", name="관악종합사회복지관", kind=Office.Kind.PARTNER, sido="서울특별시", sigungu="관악구"
    )


def _user(username: str, role: str, office: Office | None = None, **extra) -> User:
    user = User(username=username, role=role, office=office, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def citizen(db) -> User:
    return _user("citizen", User.Role.CITIZEN, first_name="시민", last_name="김")


@pytest.fixture
def other_citizen(db) -> User:
    return _user("other_citizen", User.Role.CITIZEN, first_name="이웃", last_name="박")


@pytest.fixture
def caseworker(office_gwanak) -> User:
    return _user("caseworker", User.Role.CASEWORKER, office_gwanak)


@pytest.fixture
def caseworker_other_office(office_busan) -> User:
    return _user("caseworker_busan", User.Role.CASEWORKER, office_busan)


@pytest.fixture
def partner_worker(partner_office) -> User:
    return _user("partner", User.Role.PARTNER_WORKER, partner_office)


@pytest.fixture
def supervisor(office_gwanak) -> User:
    return _user("supervisor", User.Role.SUPERVISOR, office_gwanak)


@pytest.fixture
def admin_user(db) -> User:
    return _user("admin", User.Role.ADMIN, is_staff=True, is_superuser=True)


# --- The real browser: Debian's chromium driven by Playwright (never `playwright install`).

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
    # still synchronous, so Django's async-safety guard would refuse them without this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()
