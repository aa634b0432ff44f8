"""Forms of the membership pages; clean_<field> returns domain values."""
import datetime as dt

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from . import crypto
from .consents import CONSENT_TEXTS
from .models import Consent, User


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    username = forms.RegexField(label=_("User name"), max_length=30, regex=r"^[A-Za-z0-9_.-]{3,30}$",
                                help_text=_("3–30 letters, digits, dots, dashes or underscores."))
    email = forms.EmailField(label=_("E-mail"), help_text=_("For password reset and, if you agree, notices."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 10 characters; not a common password."))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            probe = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


def _consent_field(item: str) -> forms.BooleanField:
    text = CONSENT_TEXTS[item]
    return forms.BooleanField(label=Consent.Item(item).label, required=text.required, help_text=text.text)


class ConsentForm(forms.Form):
    """One checkbox per item, each with its full text; only the terms are required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in CONSENT_TEXTS:
            self.fields[item] = _consent_field(item)
            self.fields[item].help_text = CONSENT_TEXTS[item].text

    def items(self) -> set[str]:
        return {item for item in CONSENT_TEXTS if self.cleaned_data.get(item)}


class WalkInEnrolForm(ConsentForm):
    """A caseworker enrols a person at the counter: who they are and the evidence of their consent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "full_name": forms.CharField(label=_("Name"), max_length=150),
            "email": forms.EmailField(label=_("E-mail"), required=False),
            "phone": forms.RegexField(label=_("Mobile phone"), regex=r"^01\d-?\d{3,4}-?\d{4}$", required=False),
            "evidence": forms.CharField(label=_("Consent evidence"), max_length=200,
                                        help_text=_("For example: signed form no. 2026-0142, scanned.")),
            **self.fields,
        }


class RrnForm(forms.Form):
    rrn = forms.CharField(label=_("Resident registration number"), max_length=14,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
                          help_text=_("Checked against an identity card. Stored encrypted; shown masked."))

    def clean_rrn(self) -> str:
        return crypto.rrn_normalise(self.cleaned_data["rrn"])


class CounterForm(forms.Form):
    key = forms.CharField(label=_("User name or e-mail (exact)"), max_length=254)
    reason = forms.CharField(label=_("Why you open this record"), max_length=200,
                             help_text=_("For example: walk-in asking about housing benefit."))


class PreferenceForm(forms.Form):
    phone = forms.RegexField(label=_("Mobile phone"), regex=r"^01\d-?\d{3,4}-?\d{4}$", required=False)
    language = forms.ChoiceField(label=_("Language of notices"), choices=[("ko", "한국어"), ("en", "English")])
    quiet_start = forms.TimeField(label=_("No SMS from"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("No SMS until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        # The quiet hours may grow, never shrink below 21:00–08:00 KST.
        if start and end and not (dt.time(12) <= start <= dt.time(21) and dt.time(8) <= end <= dt.time(12)):
            raise forms.ValidationError(_("Quiet hours must cover at least 21:00 to 08:00."))
        return data


class LeaveForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand: my household record and notices will be deleted."))


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.CharField(label=_("Staff user name"), required=False, max_length=150)
    subject = forms.CharField(label=_("Member user name"), required=False, max_length=150)

    def clean_staff(self) -> User | None:
        return User.objects.exclude(role=User.Role.CITIZEN).filter(username=self.cleaned_data["staff"]).first() \
            if self.cleaned_data["staff"] else None

    def clean_subject(self) -> User | None:
        return User.objects.filter(username=self.cleaned_data["subject"]).first() if self.cleaned_data["subject"] else None
