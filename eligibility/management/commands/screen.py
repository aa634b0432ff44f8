"""Screen one household (docs/household-format.md) against the published catalogue."""
import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from eligibility import selectors
from eligibility.engine.evaluate import screen
from eligibility.engine.household import HouseholdFormatError, parse_household
from eligibility.engine.output import screening_to_dict

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Screen a household JSON file against every published benefit."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the household JSON file ('-' for standard input)")
        parser.add_argument("--as-of", help="YYYY-MM-DD; default: the file's as_of, else today")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        try:
            household = parse_household(self._document(options))
        except HouseholdFormatError as error:
            self._fail(f"{error.field}: {error.message}")
        as_of = household.as_of
        screening = screen(household, selectors.benefits_for_engine(), selectors.parameters_for_engine(), as_of)
        result = screening_to_dict(screening)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._text(result))

    def _document(self, options) -> dict:
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            doc = json.loads(text)
        except OSError as error:
            self._fail(f"file: cannot read {source}: {error.strerror}")
        except ValueError as error:
            self._fail(f"file: not valid JSON ({error})")
        if isinstance(doc, dict):
            doc = {**doc, "as_of": options["as_of"] or doc.get("as_of") or dt.date.today().isoformat()}
        return doc

    def _fail(self, message: str):
        self.stderr.write(f"error: {message}")
        sys.exit(EXIT_BAD_INPUT)

    @staticmethod
    def _text(result: dict) -> str:
        lines = [f"as of {result['as_of']}"]
        for item in result["results"]:
            amount = item.get("estimated_monthly_amount")
            money = f"  ~{amount:,} KRW/month" if amount else ""
            lines.append(f"{item['outcome']:<11} {item['benefit']}{money}")
        return "\n".join(lines)
