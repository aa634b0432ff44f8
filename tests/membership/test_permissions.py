"""The permission matrix: every member URL against every role. A member sees only their own record;
staff see members of their office, or one they serve at the counter after recording why; everyone
else gets 403 or 404 and nothing is written."""
import pytest
from django.urls import reverse

from membership import services
from membership.models import AccessLog, AuditEvent, Consent, Household, Notice

from .helpers import household_single

MEMBER_PAGES = [
    ("members:member_overview", {}, "GET"),
    ("members:member_household", {}, "GET"),
    ("members:member_household", {}, "POST"),
    ("membership:consent_list", {}, "GET"),
    ("membership:consent_change", {"item": "notice_sms", "action": "withdraw"}, "POST"),
    ("membership:notice_list", {}, "GET"),
    ("membership:preference", {}, "GET"),
    ("membership:preference", {}, "POST"),
    ("membership:access_log_mine", {}, "GET"),
    ("membership:leave", {}, "GET"),
    ("membership:leave", {}, "POST"),
    ("membership:rrn", {}, "GET"),
    ("membership:rrn", {}, "POST"),
]
# The member lives in 관악구: the 관악 caseworker and supervisor are of the member's office.
EXPECTED = {
    "anonymous": 302,  # to sign in
    "other_citizen": 404,
    "caseworker_other_office": 403,
    "partner_worker": 403,
    "admin_user": 403,
}


@pytest.fixture
def target(member, office_gwanak):
    services.household_update(member=member, document=household_single(), acting_user=member)
    return member


def _counts():
    return (AccessLog.objects.count(), AuditEvent.objects.count(), Consent.objects.filter(withdrawn_at__isnull=False)
            .count(), Household.objects.count(), Notice.objects.count())


def _request(client, name, kwargs, method, member):
    url = reverse(name, kwargs={"member_id": member.pk, **kwargs})
    return client.post(url, {}) if method == "POST" else client.get(url)


@pytest.mark.parametrize(("name", "kwargs", "method"), MEMBER_PAGES)
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_everyone_else_is_refused_and_nothing_is_written(request, client, target, name, kwargs, method, role):
    # given
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = _counts()
    # when
    response = _request(client, name, kwargs, method, target)
    # then
    expected = EXPECTED[role]
    if role in ("caseworker_other_office", "partner_worker", "admin_user") and name == "membership:access_log_mine":
        expected = 404  # only the member has this page
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/membership/login/")
    assert _counts() == before


@pytest.mark.parametrize(("name", "kwargs", "method"), [p for p in MEMBER_PAGES if p[2] == "GET"])
@pytest.mark.parametrize("role", ["member", "caseworker", "supervisor"])
def test_the_member_and_staff_of_their_office_may_open_every_page(request, client, target, name, kwargs, method, role):
    # given
    user = target if role == "member" else request.getfixturevalue(role)
    client.force_login(user)
    # when
    response = _request(client, name, kwargs, method, target)
    # then
    if name == "membership:access_log_mine" and role != "member":
        assert response.status_code == 404
    elif name == "membership:rrn" and role == "member":
        assert response.status_code == 403  # staff record an RRN, never the member
    else:
        assert response.status_code == 200
        logged = AccessLog.objects.filter(subject=target, action="view").count()
        assert logged == (0 if role == "member" else 1)


def test_staff_of_another_office_may_open_a_member_after_recording_a_counter_reason(
    client, target, caseworker_other_office,
):
    # given
    client.force_login(caseworker_other_office)
    assert client.get(f"/membership/members/{target.pk}/").status_code == 403
    # when
    response = client.post("/membership/staff/counter/", {"key": "citizen", "reason": "방문 상담: 주거급여 문의"})
    # then
    assert response["Location"] == f"/membership/members/{target.pk}/"
    assert client.get(f"/membership/members/{target.pk}/").status_code == 200
    log = list(AccessLog.objects.filter(subject=target).order_by("at").values_list("action", "reason", "staff__username"))
    assert log == [("counter", "방문 상담: 주거급여 문의", "caseworker_busan"), ("view", "", "caseworker_busan")]


def test_the_counter_search_matches_exactly_and_a_blank_reason_is_refused(client, target, caseworker_other_office):
    # given
    client.force_login(caseworker_other_office)
    # when
    partial = client.post("/membership/staff/counter/", {"key": "citi", "reason": "상담"})
    blank = client.post("/membership/staff/counter/", {"key": "citizen", "reason": "   "})
    # then
    assert partial.status_code == 200 and blank.status_code == 200
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("url", ["/membership/staff/counter/", "/membership/staff/enrol/", "/membership/staff/access-log/"])
def test_citizens_get_403_on_staff_pages(client, member, url):
    client.force_login(member)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("partner_worker", 403), ("supervisor", 200),
                                              ("admin_user", 200)])
def test_only_supervisors_and_admins_review_the_access_log(request, client, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/membership/staff/access-log/").status_code == status


def test_a_member_who_left_is_gone_for_everyone(client, target, caseworker):
    # given
    services.membership_leave(member=target, acting_user=target)
    client.force_login(caseworker)
    # when
    response = client.get(f"/membership/members/{target.pk}/")
    # then
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


def test_the_matrix_covers_every_member_url_of_both_namespaces():
    # given
    from django.urls import get_resolver

    resolver = get_resolver()
    names = set()
    for namespace in ("membership", "members"):
        inner = resolver.namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n, v in inner.reverse_dict.items() if isinstance(n, str)
                  and "member_id" in v[0][0][1]}
    # then
    assert names == {name for name, _kwargs, _method in MEMBER_PAGES} | {"membership:notice_read"}


def test_notice_read_of_another_members_notice_is_404_and_changes_nothing(client, target, other_member):
    # given
    notice = services.notice_create(member=target, kind="account", title_ko="t", title_en="t")
    client.force_login(other_member)
    # when
    response = client.post(f"/membership/members/{target.pk}/notices/{notice.pk}/read/")
    own_url = client.post(f"/membership/members/{other_member.pk}/notices/{notice.pk}/read/")
    # then
    assert (response.status_code, own_url.status_code) == (404, 404)
    assert Notice.objects.get(pk=notice.pk).read_at is None


def test_office_list_shows_only_own_office_members_masked(client, target, other_member, caseworker,
                                                          caseworker_other_office, django_assert_max_num_queries):
    # given
    target.first_name, target.last_name = "시민", "김"
    target.save()
    services.household_update(member=other_member, document=household_single(), acting_user=other_member)
    # when: two members, the same queries as one (session, user, savepoints, one list query)
    client.force_login(caseworker)
    with django_assert_max_num_queries(9):
        own = client.get("/membership/staff/members/").content.decode()
    client.force_login(caseworker_other_office)
    other = client.get("/membership/staff/members/").content.decode()
    # then
    assert f"/membership/members/{target.pk}/" in own and "시**김" in own and "시민" not in own
    assert f"/membership/members/{other_member.pk}/" in own
    assert f"/membership/members/{target.pk}/" not in other
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(("name", "kwargs", "method"), [p for p in MEMBER_PAGES if p[2] == "GET"])
def test_a_member_opening_their_own_pages_writes_nothing(client, target, name, kwargs, method):
    # given
    client.force_login(target)
    before = _counts()
    from membership.models import NoticePreference
    prefs = NoticePreference.objects.count()
    # when
    _request(client, name, kwargs, method, target)
    # then
    assert _counts() == before
    assert NoticePreference.objects.count() == prefs


PUBLIC = {"membership:login", "membership:signup", "membership:password_reset", "membership:password_reset_done",
          "membership:password_reset_confirm", "membership:password_reset_complete", "membership:logout"}


def test_every_other_membership_url_sends_anonymous_visitors_to_sign_in(client, target):
    # given
    from django.urls import get_resolver

    resolver = get_resolver()
    names = []
    for namespace in ("membership", "members"):
        inner = resolver.namespace_dict[namespace][1]
        names += [(f"{namespace}:{n}", v[0][0][1]) for n, v in inner.reverse_dict.items() if isinstance(n, str)]
    values = {"member_id": target.pk, "item": "notice_sms", "action": "withdraw", "notice_id": 1}
    before = _counts()
    # when
    statuses = {}
    for name, params in names:
        if name in PUBLIC:
            continue
        url = reverse(name, kwargs={p: values[p] for p in params})
        response = client.get(url)
        statuses[name] = (response.status_code, response.get("Location", "").split("?")[0])
    # then
    allowed = {(302, "/membership/login/"), (405, "")}  # POST-only views refuse GET before anything else
    assert {name: s for name, s in statuses.items() if s not in allowed} == {}
    assert len(statuses) == 17
    assert _counts() == before


def test_a_member_with_access_log_rows_cannot_be_deleted(target, caseworker):
    # given
    from django.db.models import ProtectedError

    services.access_log_record(staff=caseworker, subject=target, action="view", what="overview")
    # then: the 접속기록 outlives any attempt to delete the person (kept at least two years)
    with pytest.raises(ProtectedError):
        target.delete()
