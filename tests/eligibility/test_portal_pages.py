"""The home page and a benefit page: browse by 복지로 tags, "who it is for" from the rule rows."""
import datetime as dt

import pytest
from django.core.management import call_command

from eligibility import presenters
from eligibility.published import clear, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)
    clear()


def test_home_offers_search_the_check_and_every_taxonomy_code(client, django_assert_max_num_queries):
    # when
    with django_assert_max_num_queries(2, info="only the request's savepoint and its release"):
        response = client.get("/")
    # then
    page = response.content.decode()
    assert 'action="/benefits/"' in page
    assert 'href="/benefits/check/"' in page
    assert page.count('class="tag-link"') == 7 + 6 + 16
    assert 'href="/benefits/?kind=life_stage&amp;tag=006"' in page


def test_benefit_page_says_who_it_is_for_from_the_rules(client, catalogue, django_assert_max_num_queries):
    # given
    client.get("/benefits/nbls_livelihood/")  # builds the catalogue cache
    # when
    with django_assert_max_num_queries(1, info="the catalogue version, at most once a second"):
        response = client.get("/benefits/nbls_livelihood/")
    # then
    rules = response.context["rules"]
    assert [r.label for r in rules] == ["소득인정액이 생계급여 선정기준(기준 중위소득 32%) 이하"]
    assert rules[0].conditions == ("소득인정액 기준 중위소득의 32%(월 2,078,316원, 4인 가구) 이하",)
    page = response.content.decode()
    for text in ("지원 대상", "구비 서류", "사회보장급여 신청서", "근거 법령", "국민기초생활 보장법 제8조", "금액 최종 확인"):
        assert text in page


def test_benefit_page_in_english_uses_english_sentences(client, catalogue):
    # when
    response = client.get("/en/benefits/child_allowance/")
    # then
    conditions = [line for rule in response.context["rules"] for line in rule.conditions]
    assert "A member with age under 9 years" in conditions
    assert "Child allowance" in response.content.decode() or "child allowance" in response.content.decode().lower()


def test_a_fixed_amount_is_shown_on_the_benefit_page(catalogue):
    # given
    catalogue_now = published()
    benefit = catalogue_now.by_code["child_allowance"]
    # when
    amount = presenters.fixed_amount(benefit, catalogue_now.parameters, dt.date(2026, 3, 1))
    # then
    assert amount == (100000, True)


def test_an_unknown_benefit_is_not_found(client, catalogue):
    assert client.get("/benefits/no_such_benefit/").status_code == 404


def test_the_catalogue_cache_is_rebuilt_when_a_rule_is_published(catalogue, admin_user):
    # given
    from eligibility import services
    from eligibility.models import Rule

    before = published()
    draft = services.rule_new_version(rule=Rule.objects.get(code="nbls_livelihood.income"), acting_user=admin_user)
    # when
    services.rule_publish(rule=draft, acting_user=admin_user)
    # then
    assert published() is before  # checked less than a second ago: no query
    after = published(max_age=0)
    assert after is not before and after.version != before.version
    assert published(max_age=0) is after
