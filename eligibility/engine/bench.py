"""Benchmark of the vectorised path (fact derivation + evaluation) with a scalar sample.

`run_benchmark` is what the `benchmark` management command wraps. Timing script, not a test.
"""

from __future__ import annotations

import datetime as dt
import resource
import time

from .batch import evaluate_batch
from .evaluate import screen
from .loader import Catalogue
from .synthetic import household_from_columns, synthetic_columns


def run_benchmark(n_households: int, catalogue: Catalogue, as_of: dt.date, *, workers: int = 2,
                  chunk_size: int = 65536, scalar_sample: int = 2000, seed: int = 0) -> dict:
    """Return timings (seconds), throughput and peak memory for n synthetic households.

    `evaluations_per_second` counts household × rule-in-force evaluations, fact derivation
    included; `scalar_agreement` is the share of the scalar sample whose outcomes match.
    """
    start = time.perf_counter()
    columns = synthetic_columns(n_households, seed)
    generated = time.perf_counter()
    result = evaluate_batch(columns, catalogue.benefits, catalogue.parameters, as_of,
                            chunk_size=chunk_size, workers=workers)
    evaluated = time.perf_counter()
    rules = sum(len(b.rules_in_force(as_of)) for b in catalogue.benefits)
    scalar = _scalar_sample(columns, result, catalogue, as_of, min(scalar_sample, n_households))
    return {
        "households": n_households, "members": columns.m, "benefits": len(catalogue.benefits),
        "rules_in_force": rules, "workers": workers,
        "generate_seconds": round(generated - start, 3),
        "vectorised_seconds": round(evaluated - generated, 3),
        "evaluations_per_second": round(n_households * rules / (evaluated - generated)),
        **scalar,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _scalar_sample(columns, result, catalogue: Catalogue, as_of: dt.date, k: int) -> dict:
    """Time the scalar path as a page uses it: one household at a time, its screening then dropped
    (keeping thousands alive next to a million-household batch times the garbage collector too)."""
    households = [household_from_columns(columns, i) for i in range(k)]
    seconds, agree = 0.0, 0
    for i, household in enumerate(households):
        start = time.perf_counter()
        screening = screen(household, catalogue.benefits, catalogue.parameters, as_of)
        seconds += time.perf_counter() - start
        agree += _agrees(screening, result, i)
    return {"scalar_ms_per_household": round(1000 * seconds / max(k, 1), 3), "scalar_sample": k,
            "scalar_agreement": agree / max(k, 1)}


def _agrees(screening, result, i: int) -> bool:
    from .catalogue import OUTCOME_CODE

    outcomes = {m.benefit_code: OUTCOME_CODE[m.outcome] for m in screening.matches}
    return all(int(result.outcomes[j, i]) == outcomes.get(code, -1) for j, code in enumerate(result.codes))
