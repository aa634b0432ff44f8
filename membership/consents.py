"""The consent texts, each item versioned: a new text gets a new version, and the hash of the text
shown is stored with every consent given, so we can prove what the person agreed to."""
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from .models import Consent


@dataclass(frozen=True)
class ConsentText:
    item: str
    version: str
    required: bool
    source: str  # the English msgid; the hash is taken over it, the page shows its translation

    @property
    def text(self) -> str:
        return gettext(self.source)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()


CONSENT_TEXTS = {
    Consent.Item.TERMS: ConsentText(
        Consent.Item.TERMS, "2026-01", True,
        _("Membership terms: the portal keeps your household record to tell you which benefits you can get. "
          "Results are estimates; the office decides after you apply. You can leave at any time."),
    ),
    Consent.Item.INCOME_ASSETS: ConsentText(
        Consent.Item.INCOME_ASSETS, "2026-01", False,
        _("Use of income and asset data (사회보장급여법 제22조의2): we may check your household's income and assets "
          "with the public records to screen you. Items: earned, business, property and transfer income; housing, "
          "general and financial assets; debt. Kept while you are a member. You may refuse: you will then be "
          "screened only on what you declare."),
    ),
    Consent.Item.NOTICE_EMAIL: ConsentText(
        Consent.Item.NOTICE_EMAIL, "2026-01", False,
        _("Notices by e-mail: we send a short e-mail when a benefit becomes available to you. You may refuse; "
          "notices stay in your inbox on this site."),
    ),
    Consent.Item.NOTICE_SMS: ConsentText(
        Consent.Item.NOTICE_SMS, "2026-01", False,
        _("Notices by text message: we send an SMS when a benefit becomes available to you, never between 21:00 "
          "and 08:00. You may refuse; notices stay in your inbox on this site."),
    ),
}
