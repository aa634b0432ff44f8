"""Load the seed catalogue (benefits, rules, parameters) into the database; safe to run again."""
import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from eligibility.catalogue import SEED_PATH
from eligibility.services import catalogue_import


class Command(BaseCommand):
    help = "Load eligibility/catalogue/catalogue.yaml as published rows; existing codes are left as they are."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_PATH), help="a catalogue YAML file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"Cannot read the catalogue: {error}") from None
        try:
            counts = catalogue_import(data=data, acting_user=None)
        except ValidationError as error:
            raise CommandError(f"The catalogue was not loaded (nothing written): {error}") from None
        self.stdout.write(f"Catalogue: {counts['benefits']} benefits and {counts['parameters']} parameters added.")
