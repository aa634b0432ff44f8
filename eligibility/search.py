"""Search text: what people type (기초 연금을, Basic Pension) against what benefits say.

Both sides lose spaces and case; the query also loses common Korean particles, so 기초연금을 finds
기초연금. Stripping a suffix only shortens a word, so it can only widen a match, never lose one.
"""
import re

# Longest first, so 에서 is tried before 서-less 에.
PARTICLES = ("에서", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "로", "과", "와", "도")
_NOT_WORD = re.compile(r"[^\w]+")


def compact(text: str) -> str:
    """Return `text` lower-cased without spaces or punctuation."""
    return _NOT_WORD.sub("", text.lower()).replace("_", "")


def strip_particle(word: str) -> str:
    """Return a Korean word without a trailing particle, keeping at least two characters."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def query_terms(query: str) -> list[str]:
    """Return the normalised words of a query; each must appear in a benefit's search text."""
    words = (strip_particle(compact(word)) for word in query.split())
    return [word for word in words if word]


def search_text(*parts: str) -> str:
    """Return the normalised text a benefit is searched by: its parts compacted, joined by '|'."""
    return "|".join(compact(part) for part in parts if part)


def benefit_search_text(benefit) -> str:
    """Return the search text of a Benefit row (names, summaries, keywords, ministry)."""
    return search_text(
        benefit.name_ko, benefit.name_en, benefit.summary_ko, benefit.summary_en,
        *benefit.keywords_ko.split(","), *benefit.keywords_en.split(","), benefit.ministry,
    )
