"""The benchmark's own figures are consistent (a small run; the timings themselves are not tested)."""
import datetime as dt

from eligibility.catalogue import SEED_PATH
from eligibility.engine.bench import run_benchmark
from eligibility.engine.loader import load_catalogue


def test_benchmark_counts_households_rules_and_agreement():
    # given
    catalogue, as_of = load_catalogue(SEED_PATH), dt.date(2026, 3, 1)
    # when
    figures = run_benchmark(400, catalogue, as_of, scalar_sample=50)
    # then
    assert figures["households"] == 400 and figures["scalar_sample"] == 50
    assert figures["rules_in_force"] == sum(len(b.rules_in_force(as_of)) for b in catalogue.benefits)
    assert figures["scalar_agreement"] == 1.0
    assert figures["evaluations_per_second"] > 0 and figures["peak_rss_mb"] > 0
