"""The screening questionnaire: its steps, the forms they bind, and the answers they write.

Answers are stored in the shape of docs/household-format.md (plus `household_size`, asked first),
so the results page hands them to `parse_household` unchanged.
"""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms as f

STEPS = ("about", "members", "income", "housing", "assets", "situation")
TITLES = {
    "about": _("Where you live and who lives with you"),
    "members": _("The people in your household"),
    "income": _("Income"),
    "housing": _("Your home"),
    "assets": _("Property and savings"),
    "situation": _("Your situation"),
}
EMPTY_INCOME = dict.fromkeys(f.INCOME_KINDS, 0)


@dataclass(frozen=True)
class StepInfo:
    name: str
    number: int
    title: str
    done: bool
    current: bool


def progress(current: str, done: list[str]) -> list[StepInfo]:
    """Return every step with whether it is answered and whether it is the one shown."""
    return [StepInfo(name, i, TITLES[name], name in done, name == current) for i, name in enumerate(STEPS, 1)]


def next_step(step: str) -> str | None:
    """Return the step after `step`, or None after the last."""
    index = STEPS.index(step) + 1
    return STEPS[index] if index < len(STEPS) else None


def first_unanswered(done: list[str]) -> str | None:
    """Return the first step not answered yet (the later ones need the earlier)."""
    return next((s for s in STEPS if s not in done), None)


def size(answers: dict) -> int:
    return int(answers.get("household_size") or 1)


def bind(step: str, answers: dict, data=None, today: dt.date | None = None):
    """Return the step's form (or formset), filled with what is already known."""
    return BINDERS[step](answers, data, today or dt.date.today())


def _about(answers, data, today):
    region = answers.get("region", {})
    initial = {"sido": region.get("sido", ""), "sigungu": region.get("sigungu", ""),
               "household_size": answers.get("household_size")}
    return f.AboutForm(data, initial=initial)


def _members(answers, data, today):
    known = answers.get("members", [])
    initial = [_member_initial(known[i] if i < len(known) else {}) for i in range(size(answers))]
    initial[0]["relation"] = "self"  # the first person is always the one answering
    return f.MemberFormSet(_counted(data, "m", len(initial)), initial=initial, prefix="m",
                           form_kwargs={"today": today})


def _counted(data, prefix: str, count: int):
    """Return posted data with the form count we know: the number of people was answered already."""
    if data is None:
        return None
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(count)
    return data


def _member_initial(member: dict) -> dict:
    return {"relation": member.get("relation"), "birth_date": member.get("birth_date"),
            "disability": member.get("disability", "none"), "school": member.get("school") or "none",
            "pregnant": member.get("pregnant", False)}


def _income(answers, data, today):
    members = answers.get("members", [])
    initial = [{"period": "month", **m.get("income", {})} for m in members]
    return f.IncomeFormSet(_counted(data, "i", len(initial)), initial=initial, prefix="i")


def _housing(answers, data, today):
    return f.HousingForm(data, initial=answers.get("housing", {}))


def _assets(answers, data, today):
    return f.AssetsForm(data, initial=answers.get("assets", {}))


def _situation(answers, data, today):
    status = answers.get("status", {})
    initial = {k: ("yes" if v else "no") for k, v in status.items()}
    return f.SituationForm(data, initial=initial)


BINDERS = {"about": _about, "members": _members, "income": _income, "housing": _housing, "assets": _assets,
           "situation": _situation}


def answers_from(step: str, form, answers: dict) -> dict:
    """Return the answers a valid step form gives, as top-level household-format keys."""
    return WRITERS[step](form, answers)


def _write_about(form, answers):
    data = form.cleaned_data
    members = answers.get("members", [])[: data["household_size"]]  # fewer people: drop the last rows
    return {"region": {"sido": data["sido"], "sigungu": data["sigungu"]}, "household_size": data["household_size"],
            "members": members}


def _write_members(formset, answers):
    known = answers.get("members", [])
    members = []
    for i, form in enumerate(formset.forms):
        data = form.cleaned_data
        income = known[i].get("income", EMPTY_INCOME) if i < len(known) else EMPTY_INCOME
        members.append({
            "relation": data["relation"], "birth_date": data["birth_date"].isoformat(),
            "disability": data["disability"], "pregnant": data["pregnant"], "school": data["school"],
            "income": income,
        })
    return {"members": members}


def _write_income(formset, answers):
    members = [dict(m) for m in answers.get("members", [])]
    for member, form in zip(members, formset.forms, strict=True):
        member["income"] = form.monthly()
    return {"members": members}


def _write_housing(form, answers):
    return {"housing": {"tenure": form.cleaned_data["tenure"], "monthly_rent": form.cleaned_data["monthly_rent"]}}


def _write_assets(form, answers):
    return {"assets": dict(form.cleaned_data)}


def _write_situation(form, answers):
    return {"status": form.status()}


WRITERS = {"about": _write_about, "members": _write_members, "income": _write_income,
           "housing": _write_housing, "assets": _write_assets, "situation": _write_situation}


def is_formset(step: str) -> bool:
    return step in ("members", "income")


def is_complete(answers: dict, done: list[str]) -> bool:
    """Return whether every step is answered and the people listed match the household size."""
    return first_unanswered(done) is None and len(answers.get("members", [])) == size(answers)


def household_doc(answers: dict, as_of: dt.date) -> dict:
    """Return the household-format document of complete answers, screened on `as_of`."""
    keys = ("region", "housing", "members", "assets", "status")
    return {**{k: answers[k] for k in keys}, "as_of": as_of.isoformat()}


# ---- the recap -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecapSection:
    step: str
    title: str
    rows: list[tuple[str, str]]
    done: bool


def _won(amount: int) -> str:
    return f"{int(amount):,}"


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value or "—"))


def recap(answers: dict, done: list[str]) -> list[RecapSection]:
    """Return every step's answers as (label, value) rows, in the order asked."""
    rows = {name: (RECAPS[name](answers) if name in done else []) for name in STEPS}
    return [RecapSection(name, str(TITLES[name]), rows[name], name in done) for name in STEPS]


def _recap_about(answers):
    region = answers.get("region", {})
    return [(str(_("Where you live")), f"{region.get('sido', '')} {region.get('sigungu', '')}".strip()),
            (str(_("People in the household")), str(size(answers)))]


def _recap_members(answers):
    rows = []
    for i, m in enumerate(answers.get("members", []), 1):
        parts = [_choice(f.RELATION_CHOICES, m["relation"]), m["birth_date"]]
        if m.get("disability", "none") != "none":
            parts.append(_choice(f.DISABILITY_CHOICES, m["disability"]))
        if (m.get("school") or "none") != "none":
            parts.append(_choice(f.SCHOOL_CHOICES, m["school"]))
        if m.get("pregnant"):
            parts.append(str(_("Pregnant now")))
        rows.append((str(_("Person %(n)s") % {"n": i}), " · ".join(parts)))
    return rows


def _recap_income(answers):
    rows = []
    for i, m in enumerate(answers.get("members", []), 1):
        total = sum(m.get("income", {}).values())
        rows.append((str(_("Person %(n)s") % {"n": i}), str(_("%(amount)s won a month") % {"amount": _won(total)})))
    return rows


def _recap_housing(answers):
    housing = answers.get("housing", {})
    rows = [(str(_("Your home is")), _choice(f.TENURE_CHOICES, housing.get("tenure")))]
    if housing.get("tenure") == "rent":
        rows.append((str(_("Monthly rent")), _won(housing.get("monthly_rent", 0))))
    return rows


def _recap_assets(answers):
    form = f.AssetsForm()
    assets = answers.get("assets", {})
    return [(str(form.fields[k].label), _won(v) if k != "car_cc" else str(v)) for k, v in assets.items() if v]


def _recap_situation(answers):
    status = answers.get("status", {})
    labels = {**f.REQUIRED_SITUATIONS, **f.OPTIONAL_SITUATIONS}
    return [(str(labels[k]), str(_("Yes") if v else _("No"))) for k, v in status.items() if k in labels]


RECAPS = {"about": _recap_about, "members": _recap_members, "income": _recap_income, "housing": _recap_housing,
          "assets": _recap_assets, "situation": _recap_situation}
