import datetime as dt
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility.engine.household import HouseholdFormatError, parse_household


class PreviewForm(forms.Form):
    """A sample household as JSON (docs/household-format.md) and the date to screen it on."""

    as_of = forms.DateField(label=_("Screen as of"), initial=dt.date.today)
    household = forms.CharField(label=_("Household (JSON)"), widget=forms.Textarea(attrs={"rows": 18}))

    def __init__(self, *args, benefit=None, **kwargs):
        super().__init__(*args, **kwargs)
        case = benefit.test_cases.first() if benefit else None
        if case is not None:
            self.fields["household"].initial = json.dumps(case.household, ensure_ascii=False, indent=2)

    def clean_household(self):
        try:
            doc = json.loads(self.cleaned_data["household"])
        except ValueError as error:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s") % {"error": error}) from None
        if isinstance(doc, dict):
            doc.setdefault("as_of", dt.date.today().isoformat())
        try:
            return parse_household(doc)
        except HouseholdFormatError as error:
            raise forms.ValidationError(str(error)) from None
