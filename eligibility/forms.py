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


# ---- the citizen portal: one form per screening step -------------------------------------------------
# Each clean_<field> returns a domain value (whole won a month, a date, a code); the step's answers
# are built from cleaned_data in eligibility/screening.py.

MONEY_MAX = 10**13  # 10조 원: above any household's figures, below a 64-bit overflow


class AriaFormMixin:
    """Point each invalid field at its message (aria-describedby, aria-invalid) for screen readers."""

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


def mark_invalid(form: forms.Form) -> None:
    """Set aria-invalid and aria-describedby (help text, then the error) on fields with errors."""
    for name in form.errors:
        if name not in form.fields:
            continue
        bound = form[name]
        ids = [f"{bound.auto_id}_helptext"] if bound.help_text else []
        bound.field.widget.attrs.update({"aria-invalid": "true",
                                         "aria-describedby": " ".join([*ids, f"{bound.auto_id}_error"])})


class MoneyField(forms.Field):
    """Whole won typed as people write it: "1,200,000", "1 200 000원"; blank is 0."""

    default_error_messages = {
        "invalid": _("Enter an amount in won using digits, for example 1,200,000."),
        "max_value": _("This amount is too large. Check the number of zeros."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "24",
                                  "class": "form-control money"})

    def to_python(self, value):
        text = "".join(str(value or "").split()).replace(",", "").removesuffix("원")
        if not text:
            return 0
        if not text.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if int(text) >= MONEY_MAX:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return int(text)

    def prepare_value(self, value):
        return f"{value:,}" if isinstance(value, int) and value else ("" if value in (0, None) else value)


SIDO_CHOICES = [("", _("Choose")), *[(name, name) for name in (
    "서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시", "울산광역시", "세종특별자치시",
    "경기도", "강원특별자치도", "충청북도", "충청남도", "전북특별자치도", "전라남도", "경상북도", "경상남도",
    "제주특별자치도")]]


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AboutForm(AriaFormMixin, forms.Form):
    sido = forms.ChoiceField(label=_("Province or city where you live"), choices=SIDO_CHOICES)
    sigungu = forms.CharField(label=_("District, city or county (시·군·구)"), max_length=40, required=False,
                              help_text=_("For example 관악구 or 양평군. It decides the region class of some benefits."))
    household_size = forms.IntegerField(
        label=_("How many people live in your household, you included?"), min_value=1, max_value=10,
        help_text=_("People who share your registered address and living costs."),
        error_messages={"min_value": _("A household has at least one person: you."),
                        "max_value": _("This form handles up to 10 people. A community center can help with more.")},
    )

    anyone_disabled = forms.ChoiceField(
        label=_("Does anyone in your household have a registered disability (등록장애인)?"), choices=YES_NO,
        widget=forms.RadioSelect, help_text=_("If so, we ask whose on a later page."),
        error_messages={"required": _("Choose yes or no.")})

    def clean_sigungu(self) -> str:
        return " ".join(self.cleaned_data["sigungu"].split())

    def clean_anyone_disabled(self) -> bool:
        return self.cleaned_data["anyone_disabled"] == "yes"


RELATION_CHOICES = [("self", _("You")), ("spouse", _("Spouse")), ("child", _("Child")), ("parent", _("Parent")),
                    ("grandparent", _("Grandparent")), ("grandchild", _("Grandchild")), ("sibling", _("Sibling")),
                    ("other", _("Other relative"))]
DISABILITY_CHOICES = [("none", _("No registered disability")), ("mild", _("Mild (장애 정도가 심하지 않은)")),
                      ("severe", _("Severe (장애 정도가 심한)"))]
SCHOOL_CHOICES = [("none", _("Not in school")), ("elementary", _("Elementary school")),
                  ("middle", _("Middle school")), ("high", _("High school")), ("university", _("University"))]


class MemberForm(AriaFormMixin, forms.Form):
    """Who a person is; you (the first person) are asked only your date of birth."""

    relation = forms.ChoiceField(label=_("Relation to you"), choices=RELATION_CHOICES[1:])
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": _("Enter a date such as 1988-04-02."),
                                                 "required": _("Enter the date of birth.")})

    def __init__(self, *args, is_self: bool = False, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or dt.date.today()
        if is_self:
            del self.fields["relation"]

    def clean_birth_date(self) -> dt.date:
        born = self.cleaned_data["birth_date"]
        if born > self.today:
            raise forms.ValidationError(_("A date of birth cannot be in the future."), code="future")
        if born.year < self.today.year - 120:
            raise forms.ValidationError(_("Check the year: this would make the person older than 120."),
                                        code="too_old")
        return born


class BaseMemberFormSet(forms.BaseFormSet):
    """The household's people; catches combinations that cannot be (a child older than you)."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "is_self": index == 0}

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        me = self.forms[0].cleaned_data["birth_date"]
        for form in self.forms[1:]:
            _check_against_self(form, me)
        if sum(f.cleaned_data.get("relation") == "spouse" for f in self.forms) > 1:
            raise forms.ValidationError(_("Only one person can be your spouse."), code="two_spouses")
        for form in self.forms:
            mark_invalid(form)


def _check_against_self(form: forms.Form, me: dt.date) -> None:
    relation, born = form.cleaned_data["relation"], form.cleaned_data["birth_date"]
    if relation in ("child", "grandchild") and born <= me:
        form.add_error("birth_date", _("Your child cannot be born before you. Check both dates of birth."))
    elif relation in ("parent", "grandparent") and born >= me:
        form.add_error("birth_date", _("Your parent cannot be born after you. Check both dates of birth."))


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0)


class DetailsForm(AriaFormMixin, forms.Form):
    """What matters about one person at their age: only the questions in `asks` are fields."""

    disability = forms.ChoiceField(label=_("Disability"), choices=DISABILITY_CHOICES, initial="none")
    school = forms.ChoiceField(label=_("School"), choices=SCHOOL_CHOICES, initial="none")
    pregnant = forms.BooleanField(label=_("Pregnant now"), required=False)

    def __init__(self, *args, asks: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in [n for n in self.fields if n not in asks]:
            del self.fields[name]


class BaseDetailsFormSet(forms.BaseFormSet):
    """One form per person with something to ask; `asks[i]` names the questions of form i."""

    def __init__(self, *args, asks: list[tuple[str, ...]], anyone_disabled: bool = False, **kwargs):
        self.asks, self.anyone_disabled = asks, anyone_disabled
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "asks": self.asks[index]}

    def clean(self):
        if any(form.errors for form in self.forms) or not self.anyone_disabled:
            return
        if all(form.cleaned_data.get("disability", "none") == "none" for form in self.forms):
            raise forms.ValidationError(
                _("You said someone in your household has a registered disability: choose whose, or change that "
                  "answer on the first page."), code="no_disability_chosen")


DetailsFormSet = forms.formset_factory(DetailsForm, formset=BaseDetailsFormSet, extra=0)

PERIOD_CHOICES = [("month", _("a month")), ("year", _("a year"))]


class IncomeForm(AriaFormMixin, forms.Form):
    """One person's income before tax; the year figure is divided by 12 (floored to the won)."""

    period = forms.ChoiceField(label=_("The amounts below are"), choices=PERIOD_CHOICES, initial="month",
                               widget=forms.RadioSelect)
    earned = MoneyField(label=_("Wages and salary"))
    business = MoneyField(label=_("Self-employment or business income"))
    public_transfer = MoneyField(label=_("Public pensions and allowances"),
                                 help_text=_("National pension, unemployment benefit and the like."))
    private_transfer = MoneyField(label=_("Regular support from family outside the household"))
    property = MoneyField(label=_("Rent, interest and dividends received"))

    def monthly(self) -> dict[str, int]:
        """Return the five incomes a month in whole won."""
        divisor = 12 if self.cleaned_data["period"] == "year" else 1
        return {k: self.cleaned_data[k] // divisor for k in INCOME_KINDS}


INCOME_KINDS = ("earned", "business", "public_transfer", "private_transfer", "property")
IncomeFormSet = forms.formset_factory(IncomeForm, extra=0)

TENURE_CHOICES = [("rent", _("Monthly rent (월세)")), ("jeonse", _("Lump-sum deposit lease (전세)")),
                  ("own", _("Own home")), ("free", _("Live free of charge"))]


class HousingForm(AriaFormMixin, forms.Form):
    tenure = forms.ChoiceField(label=_("Your home is"), choices=TENURE_CHOICES, widget=forms.RadioSelect)
    monthly_rent = MoneyField(label=_("Monthly rent"), help_text=_("Only if you pay rent each month."))

    def clean(self):
        data = super().clean()
        if data.get("tenure") == "rent" and not data.get("monthly_rent"):
            self.add_error("monthly_rent", _("Enter the rent you pay each month."))
        elif data.get("tenure") in ("jeonse", "own", "free"):
            data["monthly_rent"] = 0  # rent is counted only for a monthly-rent home
        mark_invalid(self)
        return data


HOME_LABELS = {
    "value": (_("The home you own"), _("Its value: the published price or what it would sell for.")),
    "deposit": (_("Your rental deposit (보증금)"), _("The deposit you paid for the home you rent.")),
}


class AssetsForm(AriaFormMixin, forms.Form):
    """Property and savings; the home is asked as its value or its deposit, and not when you live free."""

    housing = MoneyField(label=_("The home you live in"))
    general = MoneyField(label=_("Other land and buildings"))
    financial = MoneyField(label=_("Savings, deposits, stocks and insurance"))
    car_value = MoneyField(label=_("Car value"), help_text=_("The insurance or published value; 0 if no car."))
    car_cc = forms.IntegerField(label=_("Engine size in cc"), required=False, min_value=0, max_value=20000,
                                help_text=_("Leave empty if you do not know it."))
    debt = MoneyField(label=_("Debts"), help_text=_("Loans you owe, including the loan for your deposit."))

    def __init__(self, *args, home: str = "value", **kwargs):
        super().__init__(*args, **kwargs)
        if home not in HOME_LABELS:
            del self.fields["housing"]
        else:
            self.fields["housing"].label, self.fields["housing"].help_text = HOME_LABELS[home]

    def clean_car_cc(self) -> int:
        return self.cleaned_data["car_cc"] or 0


YES_NO_UNSURE = [*YES_NO, ("unknown", _("Not sure"))]
REQUIRED_SITUATIONS = {
    "nbls_recipient": _("Does your household receive basic livelihood security (기초생활보장)?"),
    "near_poor": _("Is your household registered as near-poor (차상위계층)?"),
    "single_parent": _("Are you a single parent or a grandparent raising a grandchild?"),
}
OPTIONAL_SITUATIONS = {
    "crisis_event": _("In the last months, did you lose your job or income, fall ill, or face a crisis?"),
    "job_seeker": _("Is someone in your household looking for work?"),
    "veteran": _("Is someone in your household a registered veteran (국가보훈대상자)?"),
    "basic_pension_recipient": _("Does someone in your household receive the basic pension (기초연금)?"),
    "occupational_pension": _("Do you or your spouse receive a civil-service, military or teachers' pension?"),
}


class SituationForm(AriaFormMixin, forms.Form):
    """Yes/no answers to the questions in `asks`; the optional ones may be 'not sure' and then stay
    unknown. A household receiving basic livelihood security is not asked about near-poor status."""

    def __init__(self, *args, asks: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in asks:
            if name in REQUIRED_SITUATIONS:
                self.fields[name] = forms.ChoiceField(label=REQUIRED_SITUATIONS[name], choices=YES_NO,
                                                      widget=forms.RadioSelect, required=name != "near_poor",
                                                      error_messages={"required": _("Choose yes or no.")})
            else:
                self.fields[name] = forms.ChoiceField(label=OPTIONAL_SITUATIONS[name], choices=YES_NO_UNSURE,
                                                      widget=forms.RadioSelect, initial="unknown", required=False)

    def clean(self):
        data = super().clean()
        if data.get("nbls_recipient") == "yes":
            data["near_poor"] = "no"  # 차상위 is the class just above the recipients: never both
        elif "near_poor" in self.fields and not data.get("near_poor"):
            self.add_error("near_poor", _("Choose yes or no."))
        mark_invalid(self)
        return data

    def status(self) -> dict[str, bool]:
        """Return the household-format status: booleans, leaving out what is not known."""
        answers = {k: v for k, v in self.cleaned_data.items() if v in ("yes", "no")}
        return {k: v == "yes" for k, v in answers.items()}


class ResumeForm(AriaFormMixin, forms.Form):
    code = forms.CharField(label=_("Code of a saved check"), max_length=12,
                           help_text=_("8 letters and digits, for example K7PM-Q2XD."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
