"""The seed catalogue in the database: loaded by the command, read back identical to the YAML."""
import pytest
from django.core.management import call_command

from eligibility import selectors
from eligibility.catalogue import SEED_PATH
from eligibility.engine.loader import load_catalogue
from eligibility.models import Benefit, ParameterValue, Rule, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    call_command("load_catalogue", verbosity=0)


def test_every_seed_benefit_is_loaded_with_published_rules(loaded):
    # given
    seed = load_catalogue(SEED_PATH)
    # then
    assert set(Benefit.objects.values_list("code", flat=True)) == {b.code for b in seed.benefits}
    assert Rule.objects.exclude(status=Status.PUBLISHED).count() == 0
    assert Rule.objects.count() == sum(len(b.rules) for b in seed.benefits)


def test_rules_read_back_from_the_database_equal_the_seed(loaded):
    # given
    seed = {b.code: b for b in load_catalogue(SEED_PATH).benefits}
    # when
    from_db = {b.code: b for b in selectors.benefits_for_engine()}
    # then: the same dataclasses, so the DB path and the YAML path screen alike
    for code, benefit in seed.items():
        assert sorted(from_db[code].rules, key=lambda r: r.code) == sorted(benefit.rules, key=lambda r: r.code)
        assert from_db[code].amount == benefit.amount


def test_parameters_read_back_from_the_database_equal_the_seed(loaded):
    # given
    seed = load_catalogue(SEED_PATH).parameters
    # when
    from_db = selectors.parameters_for_engine()
    # then
    assert set(from_db.parameters) == set(seed.parameters)
    for name, parameter in seed.parameters.items():
        assert from_db.parameters[name] == parameter, name


def test_loading_twice_adds_nothing(loaded):
    # given
    before = (Benefit.objects.count(), Rule.objects.count(), ParameterValue.objects.count())
    # when
    call_command("load_catalogue", verbosity=0)
    # then
    assert (Benefit.objects.count(), Rule.objects.count(), ParameterValue.objects.count()) == before


def test_unverified_figures_are_loaded_and_marked(loaded):
    assert ParameterValue.objects.filter(verification="unverified").exists()
    assert Benefit.objects.filter(verification="unverified").exists()


def test_a_broken_catalogue_writes_nothing(db, tmp_path):
    # given: the second benefit has a condition on a fact the engine does not know
    import yaml

    data = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    data["benefits"] = data["benefits"][:2]
    data["benefits"][1]["rules"][0]["conditions"][0]["fact"] = "shoe_size"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # when
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="fact"):
        call_command("load_catalogue", file=str(broken), verbosity=0)
    # then
    assert Benefit.objects.count() == 0 and Rule.objects.count() == 0 and ParameterValue.objects.count() == 0


def test_rule_editors_lists_take_a_fixed_number_of_queries(loaded, client, admin_user,
                                                           django_assert_max_num_queries):
    # given: 46 benefits with their rules
    client.force_login(admin_user)
    benefit = Benefit.objects.get(code="basic_pension")
    # when / then: no query per row or per rule
    with django_assert_max_num_queries(12):
        assert client.get("/admin/eligibility/benefit/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/admin/eligibility/benefit/{benefit.pk}/change/").status_code == 200
