"""Benchmark both evaluators on synthetic households against the seed catalogue; prints figures."""
import datetime as dt
import json
import platform

from django.core.management.base import BaseCommand

from eligibility.catalogue import SEED_PATH
from eligibility.engine.bench import run_benchmark
from eligibility.engine.loader import load_catalogue


class Command(BaseCommand):
    help = "household×rule evaluations a second for the vectorised and scalar paths, and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=1_000_000)
        parser.add_argument("--as-of", default="2026-03-01")

    def handle(self, *args, **options):
        catalogue = load_catalogue(SEED_PATH)
        figures = run_benchmark(options["households"], catalogue, dt.date.fromisoformat(options["as_of"]))
        figures["machine"] = f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
        self.stdout.write(json.dumps(figures, indent=2, default=str))
