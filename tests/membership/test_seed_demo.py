import io

from django.core.management import call_command

from membership.models import Consent, Membership, User


def test_seed_demo_enrols_the_demo_citizen_once(db):
    # when
    call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())
    call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())
    # then
    citizen = User.objects.get(username="citizen")
    assert Membership.objects.get(member=citizen).channel == "online"
    assert sorted(Consent.objects.filter(member=citizen).values_list("item", flat=True)) == ["income_assets", "terms"]
    assert User.objects.count() == 6
