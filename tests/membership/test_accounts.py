"""Citizen accounts: sign-up without an RRN, lockout after repeated failures, password reset, keep-alive."""
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from membership.models import AuditEvent, User

LOGIN = "/membership/login/"


def test_sign_up_creates_a_citizen_without_any_resident_registration_number(client, db):
    # when
    response = client.post("/membership/signup/", {
        "full_name": "홍길동", "username": "gildong", "email": "gildong@example.kr", "password": "long-enough-pass-42",
    })
    # then
    assert response.status_code == 302
    assert response["Location"] == "/membership/join/"
    user = User.objects.get(username="gildong")
    assert (user.role, user.email, user.first_name) == ("citizen", "gildong@example.kr", "홍길동")
    assert user.password.startswith("md5$")  # hashed (tests use the fast hasher)
    assert not hasattr(user, "membership")
    assert AuditEvent.objects.filter(action="user_create", target_id=str(user.pk)).count() == 1


def test_sign_up_refuses_a_common_password_and_writes_nothing(client, db):
    # when
    response = client.post("/membership/signup/", {
        "full_name": "홍길동", "username": "gildong", "email": "g@example.kr", "password": "password123",
    })
    # then
    assert response.status_code == 200
    assert not User.objects.filter(username="gildong").exists()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, citizen):
    # given
    for _ in range(5):
        client.post(LOGIN, {"username": "citizen", "password": "wrong-password"})
    # when
    response = client.post(LOGIN, {"username": "citizen", "password": "cast-password-2026"})
    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="citizen").failures_since_start == 6  # the refused sixth counts too


def test_four_wrong_passwords_then_the_right_one_signs_in(client, citizen):
    # given
    for _ in range(4):
        client.post(LOGIN, {"username": "citizen", "password": "wrong-password"})
    # when
    response = client.post(LOGIN, {"username": "citizen", "password": "cast-password-2026"})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_password_reset_sends_one_e_mail_with_a_link_that_sets_a_new_password(client, citizen):
    # given
    citizen.email = "citizen@example.kr"
    citizen.save()
    # when
    client.post("/membership/password-reset/", {"email": "citizen@example.kr"})
    # then
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_url = client.get("/" + path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"})
    citizen.refresh_from_db()
    assert citizen.check_password("brand-new-pass-77")


def test_keep_alive_extends_the_session_and_refuses_get(client, citizen):
    # given
    client.force_login(citizen)
    # when
    response = client.post(reverse("membership:session_extend"))
    # then
    assert response.status_code == 200
    assert response.json()["expires_in"] == 30 * 60
    assert client.get(reverse("membership:session_extend")).status_code == 405


def test_a_lockout_from_one_address_does_not_lock_the_owner_out_elsewhere(client, citizen):
    # given: an attacker at 203.0.113.9 exhausts the attempts
    for _ in range(6):
        client.post(LOGIN, {"username": "citizen", "password": "wrong-password"}, REMOTE_ADDR="203.0.113.9")
    # when: the owner signs in from home
    response = client.post(LOGIN, {"username": "citizen", "password": "cast-password-2026"}, REMOTE_ADDR="198.51.100.7")
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
