"""Joining the membership with a screening's answers: the invitation carries the draft through sign-up
and consent, the member confirms, and the household record is filled from the answers. Only the
browser that carried the token can bring it in, and only once."""
import pytest
from django.core.management import call_command

from eligibility import screening, services
from eligibility.join_views import SESSION_KEY
from eligibility.models import MemberBenefitResult, ScreeningDraft
from eligibility.published import clear
from membership import services as member_services
from membership.models import AuditEvent, Household, HouseholdRevision, User

from .test_portal_screening import STEPS

pytestmark = pytest.mark.django_db
IMPORT = "/benefits/check/import/"
ALL_CONSENTS = {"terms", "income_assets", "notice_email"}


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)
    clear()


@pytest.fixture
def draft(client, catalogue) -> ScreeningDraft:
    """A four-person check answered through every step in `client`'s browser."""
    draft = services.screening_draft_start()
    for step, data in STEPS:
        assert client.post(f"/benefits/check/{draft.token}/{step}/", data).status_code == 302
    return draft


def _enrolled(user: User) -> User:
    member_services.membership_enroll(member=user, items=ALL_CONSENTS, acting_user=user)
    return user


def test_a_new_person_signs_up_consents_confirms_and_finds_the_household_filled_in(client, draft):
    # when: the invitation on the results page
    carried = client.post(f"/benefits/check/{draft.token}/join/")
    # then: sign-up first, with the way back
    assert carried["Location"] == "/membership/signup/?next=%2Fbenefits%2Fcheck%2Fimport%2F"
    assert 'name="next" value="/benefits/check/import/"' in client.get(carried["Location"]).content.decode()
    # when: signing up, then giving consent
    signed_up = client.post("/membership/signup/", {
        "full_name": "김하나", "username": "hana", "email": "hana@example.kr", "password": "quiet-river-2026",
        "next": IMPORT})
    assert signed_up["Location"] == "/membership/join/?next=%2Fbenefits%2Fcheck%2Fimport%2F"
    joined = client.post("/membership/join/", {"terms": "on", "income_assets": "on", "next": IMPORT})
    assert joined["Location"] == IMPORT
    # then: the answers to confirm, nothing saved yet
    member = User.objects.get(username="hana")
    shown = client.get(IMPORT)
    assert shown.status_code == 200 and shown.context["replaces"] is False
    assert "서울특별시 관악구" in shown.content.decode()
    assert not Household.objects.filter(member=member).exists()
    # when: confirming
    saved = client.post(IMPORT)
    # then: the household is the answers, screened; the draft is gone with its token
    assert saved["Location"] == f"/membership/members/{member.pk}/"
    household = Household.objects.get(member=member)
    assert (household.sido, household.sigungu, household.tenure, household.monthly_rent) == (
        "서울특별시", "관악구", "rent", 300000)
    assert [(m.relation, m.birth_date.isoformat(), m.school, m.income_earned) for m in household.members.all()] == [
        ("self", "1988-04-02", "none", 1200000), ("spouse", "1990-09-15", "none", 0),
        ("child", "2019-06-01", "elementary", 0), ("child", "2025-10-20", "none", 0)]
    assert household.asset_financial == 2000000 and household.single_parent is False
    outcomes = dict(MemberBenefitResult.objects.filter(household=household).values_list("benefit_code", "outcome"))
    assert outcomes["child_allowance"] == "eligible"
    assert not ScreeningDraft.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="screening_draft_import", actor=member).count() == 1
    assert SESSION_KEY not in client.session


def test_a_member_signed_in_already_confirms_and_the_old_household_stays_in_the_history(client, draft, citizen):
    # given: a member with a household of one
    _enrolled(citizen)
    member_services.household_update(member=citizen, acting_user=citizen, document={
        "region": {"sido": "부산광역시", "sigungu": "해운대구"}, "housing": {"tenure": "own", "monthly_rent": 0},
        "members": [{"relation": "self", "birth_date": "1970-01-01"}], "assets": {},
        "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False}})
    client.force_login(citizen)
    # when
    carried = client.post(f"/benefits/check/{draft.token}/join/")
    shown = client.get(IMPORT)
    client.post(IMPORT)
    # then
    assert carried["Location"] == IMPORT
    assert shown.context["replaces"] is True
    household = Household.objects.get(member=citizen)
    assert household.sido == "서울특별시" and household.members.count() == 4
    assert HouseholdRevision.objects.filter(household=household).count() == 2


def test_someone_elses_token_cannot_be_brought_into_an_account(client, draft, other_citizen):
    # given: another member, signed in elsewhere, who learnt the token (a shared link)
    _enrolled(other_citizen)
    intruder = client.__class__()
    intruder.force_login(other_citizen)
    # when: naming the token in the request instead of carrying it from the results page
    posted = intruder.post(IMPORT, {"token": draft.token})
    queried = intruder.get(f"{IMPORT}?token={draft.token}")
    # then: nothing to bring in, nothing saved
    assert posted["Location"] == queried["Location"] == "/membership/me/"
    assert not Household.objects.filter(member=other_citizen).exists()
    # and when the holder has brought it into their own account, the token opens nothing any more
    client.post(f"/benefits/check/{draft.token}/join/")
    owner = _enrolled(User.objects.create_user(username="owner", password="quiet-river-2026"))
    client.force_login(owner)
    client.post(f"/benefits/check/{draft.token}/join/")
    client.post(IMPORT)
    assert Household.objects.filter(member=owner).exists()
    assert intruder.post(f"/benefits/check/{draft.token}/join/").status_code == 404
    assert not Household.objects.filter(member=other_citizen).exists()


def test_answers_carried_but_gone_before_confirming_save_nothing(client, draft, citizen):
    # given
    _enrolled(citizen)
    client.force_login(citizen)
    client.post(f"/benefits/check/{draft.token}/join/")
    ScreeningDraft.objects.filter(pk=draft.pk).delete()  # expired and swept meanwhile
    # when
    response = client.post(IMPORT)
    # then
    assert response["Location"] == "/membership/me/"
    assert not Household.objects.filter(member=citizen).exists()
    assert SESSION_KEY not in client.session


def test_an_unfinished_check_is_not_carried_and_a_link_cannot_carry_one(client, catalogue):
    # given
    draft = services.screening_draft_start()
    # when
    unfinished = client.post(f"/benefits/check/{draft.token}/join/")
    by_link = client.get(f"/benefits/check/{draft.token}/join/")
    # then
    assert unfinished["Location"] == f"/benefits/check/{draft.token}/review/"
    assert by_link.status_code == 405  # a link another site shows cannot put a draft in this session
    assert SESSION_KEY not in client.session
    assert not screening.is_complete(draft.answers, draft.steps_done, draft.created_at.date())


def test_staff_have_no_household_to_fill(client, draft, caseworker):
    # given
    client.force_login(caseworker)
    client.post(f"/benefits/check/{draft.token}/join/")
    # when
    response = client.post(IMPORT)
    # then
    assert response["Location"] == "/membership/me/"
    assert ScreeningDraft.objects.filter(pk=draft.pk).exists()
