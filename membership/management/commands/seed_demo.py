"""Create the demo offices and one account per role; safe to run again."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from membership.demo import ACCOUNTS, DEMO_PASSWORD, OFFICES
from membership.models import Membership, Office, User
from membership.services import membership_enroll, user_create


class Command(BaseCommand):
    help = "Create demo offices and accounts (one per role) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true", help="seed even when DEBUG is off")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("Demo accounts have a published password: refusing without DEBUG.")
        offices = {o["code"]: Office.objects.update_or_create(code=o["code"], defaults=o)[0] for o in OFFICES}
        for username, role, office_code, full_name, is_admin in ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            last, first = full_name[0], full_name[1:]
            user_create(
                username=username, password=DEMO_PASSWORD, role=role, office=offices.get(office_code),
                first_name=first, last_name=last, is_staff=is_admin, is_superuser=is_admin,
            )
        citizen = User.objects.get(username="citizen")
        if not Membership.objects.filter(member=citizen).exists():
            # The demo citizen is a member who agreed to the terms and the income/asset data; the
            # household is theirs to enter at /membership/me/.
            membership_enroll(member=citizen, items={"terms", "income_assets"}, acting_user=citizen)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, office_code, _name, _admin in ACCOUNTS:
            office = offices[office_code].name if office_code else "-"
            self.stdout.write(f"  {username:<18} {role:<15} {office}")
