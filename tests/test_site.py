"""Site-wide behaviour: languages, health check, security headers, who may open which page."""
import os

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_is_korean_by_default_and_english_under_en(client):
    # when
    korean = client.get("/")
    english = client.get("/en/")
    # then
    assert korean.status_code == 200 and english.status_code == 200
    assert '<html lang="ko">' in korean.text and "먼저 알려드립니다" in korean.text
    assert '<html lang="en">' in english.text and "before you have to ask" in english.text


@pytest.mark.django_db
def test_pages_load_nothing_from_the_internet(client):
    # when
    body = client.get("/").text
    # then: the portal runs on a closed government network
    assert "http://" not in body.replace('xmlns="http://', "") and "https://" not in body
    assert "/static/bootstrap/css/bootstrap.min.css" in body


@pytest.mark.django_db
def test_csp_header_forbids_inline_scripts_objects_and_framing(client):
    # when
    csp = client.get("/")["Content-Security-Policy"]
    # then
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    expected_broker = "ok" if os.environ.get("REDIS_URL") else "in-process"
    assert response.json() == {"database": "ok", "broker": expected_broker}


@pytest.mark.django_db
def test_healthz_says_503_when_the_broker_is_down(client, settings):
    # given: a broker address where nothing listens
    from config.celery_app import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        # when
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        app.conf.broker_url = settings.CELERY_BROKER_URL
    # then
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_anonymous_person_is_sent_to_login_from_my_page(client):
    # when
    response = client.get(reverse("membership:my_page"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("membership:login"))


@pytest.mark.django_db
def test_citizen_cannot_open_the_office_desk(client, citizen):
    # given
    client.force_login(citizen)
    # when
    response = client.get(reverse("caseload:office_dashboard"))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_caseworker_sees_their_office_on_the_desk(client, caseworker):
    # given
    client.force_login(caseworker)
    # when
    response = client.get(reverse("caseload:office_dashboard"))
    # then
    assert response.status_code == 200
    assert "관악구 청룡동 주민센터" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "eligibility:benefit_list", "applications:how_to_apply"])
def test_public_pages_open_without_an_account(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_staff_role_without_an_office_is_refused_by_the_database(db):
    from django.db import IntegrityError

    from membership.models import User

    with pytest.raises(IntegrityError):
        User.objects.create(username="nooffice", role=User.Role.CASEWORKER)
