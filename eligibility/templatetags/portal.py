"""Template helpers of the citizen portal: money in the reader's language, the 복지로 taxonomy."""
from django import template
from django.utils.translation import get_language

from eligibility.models import TaxonomyTag
from eligibility.taxonomy import TAXONOMY

register = template.Library()


def _en() -> bool:
    return (get_language() or "ko").startswith("en")


@register.filter
def won(amount) -> str:
    """Return 1,234,000원 (Korean) or KRW 1,234,000 (English); empty for None."""
    if amount is None or amount == "":
        return ""
    return f"KRW {int(amount):,}" if _en() else f"{int(amount):,}원"


@register.filter
def lang_pick(ko_value, en_value):
    """Return the English value on English pages, else the Korean one: {{ a|lang_pick:b }}."""
    return en_value if _en() and en_value else ko_value


@register.simple_tag
def taxonomy_groups() -> list[tuple[str, str, list[tuple]]]:
    """The 복지로 codes by kind, for browsing: (kind, kind label, [(kind, code, ko, en), ...])."""
    return [(kind, label, [t for t in TAXONOMY if t[0] == kind]) for kind, label in TaxonomyTag.Kind.choices]
