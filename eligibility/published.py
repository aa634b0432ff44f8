"""The published catalogue as engine dataclasses, cached in this process.

Building it reads every rule, condition and parameter (a dozen queries and some milliseconds);
pages that screen or describe benefits only pay one cheap query to check the cache is current.
"""
import threading
from dataclasses import dataclass

from eligibility.engine import params as ep
from eligibility.engine import rules as er

from . import selectors


@dataclass(frozen=True)
class Published:
    version: tuple
    benefits: tuple[er.Benefit, ...]
    by_code: dict[str, er.Benefit]
    parameters: ep.ParameterSet
    pages: dict[str, dict]  # code -> the Benefit row's display fields (names, how to apply, documents)
    rows: dict  # code -> the Benefit row with its tags, for the benefit page (read only)


_lock = threading.Lock()
_current: Published | None = None
PAGE_FIELDS = ("code", "name_ko", "name_en", "summary_ko", "summary_en", "how_to_apply_ko", "how_to_apply_en",
               "documents_ko", "documents_en", "online_application", "amount_period")


def published() -> Published:
    """Return the published catalogue, rebuilt only when `catalogue_version()` changed."""
    global _current
    version = selectors.catalogue_version()
    current = _current
    if current is not None and current.version == version:
        return current
    with _lock:
        if _current is None or _current.version != version:
            _current = _build(version)
        return _current


def _build(version: tuple) -> Published:
    benefits = selectors.benefits_for_engine()
    pages = {row["code"]: row for row in selectors.benefit_page_fields(PAGE_FIELDS)}
    rows = {row.code: row for row in selectors.benefits_find()}
    return Published(version, benefits, {b.code: b for b in benefits}, selectors.parameters_for_engine(), pages,
                     rows)


def clear() -> None:
    """Forget the cached catalogue (tests that edit rows in place call this)."""
    global _current
    _current = None
