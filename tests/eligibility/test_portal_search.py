"""Finding benefits as people type: spaces, particles, case and English, and browsing by 복지로 tags."""
import pytest
from django.core.management import call_command

from eligibility import selectors
from eligibility.models import Benefit
from eligibility.search import query_terms, search_text, strip_particle


def test_query_terms_drop_spaces_case_and_particles():
    assert query_terms("기초 연금을") == ["기초", "연금"]
    assert query_terms("  Basic   Pension ") == ["basic", "pension"]
    assert query_terms("아동수당은") == ["아동수당"]
    assert query_terms("어린이집에서") == ["어린이집"]
    assert query_terms("") == []


def test_a_particle_is_not_stripped_from_a_two_letter_word():
    # given: 국가 ends in 가 but is a noun, not 국 + 가
    # then
    assert strip_particle("국가") == "국가"
    assert strip_particle("연금이") == "연금"


def test_search_text_is_compacted_and_joined():
    assert search_text("기초 연금", "Basic Pension", "") == "기초연금|basicpension"


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def _codes(**kwargs) -> set[str]:
    return set(selectors.benefits_find(**kwargs).values_list("code", flat=True))


def test_search_text_is_filled_when_the_catalogue_is_imported(catalogue):
    # then
    benefit = Benefit.objects.get(code="basic_pension")
    assert benefit.search_text.startswith("기초연금|")
    assert Benefit.objects.filter(search_text="").count() == 0


@pytest.mark.parametrize("query", ["기초연금", "기초 연금", "기초연금을", "기초 연금은", "BASIC PENSION"])
def test_basic_pension_is_found_however_it_is_typed(catalogue, query):
    assert "basic_pension" in _codes(query=query)


def test_every_word_must_match(catalogue):
    # when
    found = _codes(query="아동 수당")
    # then
    assert "child_allowance" in found
    assert "basic_pension" not in found
    assert _codes(query="아동수당 우주여행") == set()


def test_browsing_a_life_stage_lists_only_its_benefits(catalogue):
    # when
    found = _codes(tag_kind="life_stage", tag_code="006")
    # then
    tagged = set(Benefit.objects.filter(tags__kind="life_stage", tags__code="006").values_list("code", flat=True))
    assert found == tagged
    assert "basic_pension" in found


def test_list_page_searches_and_browses(client, catalogue, django_assert_max_num_queries):
    # when
    with django_assert_max_num_queries(2, info="the benefits, their tags"):
        response = client.get("/benefits/", {"q": "기초 연금을"})
    # then
    assert response.status_code == 200
    assert "basic_pension" in {b.code for b in response.context["benefits"]}
    assert "/benefits/basic_pension/" in response.content.decode()


def test_list_page_with_a_tag_names_the_tag(client, catalogue):
    # when
    response = client.get("/en/benefits/", {"kind": "theme", "tag": "040"})
    # then
    assert response.context["tag"] == ("theme", "040", "주거", "Housing")
    assert "nbls_housing" in {b.code for b in response.context["benefits"]}


def test_an_unknown_tag_kind_is_ignored(client, catalogue):
    # when
    response = client.get("/benefits/", {"kind": "nope", "tag": "001"})
    # then
    assert response.context["tag"] is None
    assert len(response.context["benefits"]) == Benefit.objects.count()
