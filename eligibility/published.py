"""The published catalogue as engine dataclasses, cached in this process.

Building it reads every rule, condition and parameter (a dozen queries and some milliseconds);
pages that screen or describe benefits only pay one cheap query to check the cache is current.
"""
import threading
import time
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
_checked_at = 0.0
# A publish reaches every worker within this many seconds; in between, pages skip the fingerprint query.
CHECK_SECONDS = 1.0
PAGE_FIELDS = ("code", "name_ko", "name_en", "summary_ko", "summary_en", "how_to_apply_ko", "how_to_apply_en",
               "documents_ko", "documents_en", "online_application", "amount_period")


def published(*, max_age: float = CHECK_SECONDS) -> Published:
    """Return the published catalogue, rebuilt only when `catalogue_version()` changed; the version is
    checked at most every `max_age` seconds (0: check now)."""
    global _current, _checked_at
    current = _current
    if current is not None and time.monotonic() - _checked_at < max_age:
        return current
    version = selectors.catalogue_version()
    _checked_at = time.monotonic()
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
