"""The screening questionnaire: its steps, the forms they bind, and the answers they write.

Each step asks only what earlier answers leave open (eligibility/questions.py decides); answers are
stored as given, and `questions.household_doc` turns them into the household format the engine reads.
"""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms as f
from . import questions as q

STEPS = ("about", "members", "details", "income", "housing", "assets", "situation")
TITLES = {
    "about": _("Where you live and who lives with you"),
    "members": _("The people in your household"),
    "details": _("School, disability and pregnancy"),
    "income": _("Income"),
    "housing": _("Your home"),
    "assets": _("Property and savings"),
    "situation": _("Your situation"),
}


@dataclass(frozen=True)
class StepInfo:
    name: str
    number: int
    title: str
    done: bool
    current: bool


def steps(answers: dict, today: dt.date) -> tuple[str, ...]:
    """Return the steps that ask this household something, in order."""
    return tuple(s for s in STEPS if q.applies(s, answers, today))


def progress(current: str, answers: dict, done: list[str], today: dt.date) -> list[StepInfo]:
    """Return every step asked with whether it is answered and whether it is the one shown."""
    return [StepInfo(name, i, TITLES[name], q.step_done(name, answers, done, today), name == current)
            for i, name in enumerate(steps(answers, today), 1)]


def first_unanswered(answers: dict, done: list[str], today: dt.date) -> str | None:
    """Return the first step with a question not answered yet (the later ones need the earlier)."""
    return next((s for s in steps(answers, today) if not q.step_done(s, answers, done, today)), None)


def is_complete(answers: dict, done: list[str], today: dt.date) -> bool:
    """Return whether every question this household is asked has an answer."""
    return first_unanswered(answers, done, today) is None


def size(answers: dict) -> int:
    return int(answers.get("household_size") or 1)


def bind(step: str, answers: dict, data=None, today: dt.date | None = None):
    """Return the step's form (or formset), filled with what is already known."""
    return BINDERS[step](answers, data, today or dt.date.today())


def _yes_no(value) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _about(answers, data, today):
    region = answers.get("region", {})
    initial = {"sido": region.get("sido", ""), "sigungu": region.get("sigungu", ""),
               "household_size": answers.get("household_size"),
               "anyone_disabled": _yes_no(answers.get("anyone_disabled"))}
    return f.AboutForm(data, initial=initial)


def _members(answers, data, today):
    known = answers.get("members", [])
    initial = [{k: known[i].get(k) for k in ("relation", "birth_date")} if i < len(known) else {}
               for i in range(size(answers))]
    formset = f.MemberFormSet(_counted(data, "m", len(initial)), initial=initial, prefix="m",
                              form_kwargs={"today": today})
    return _named(formset, [(i, {"relation": "self"} if i == 0 else m) for i, m in enumerate(initial)])


def _counted(data, prefix: str, count: int):
    """Return posted data with the form count we know: the number of people was answered already."""
    if data is None:
        return None
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(count)
    return data


def _named(formset, people: list[tuple[int, dict]]):
    """Give each form the person it asks about, for its heading: (number from 1, who they are to you)."""
    labels = {"self": _("you"), **dict(f.RELATION_CHOICES[1:])}
    for form, (index, member) in zip(formset.forms, people, strict=True):
        form.person = (index + 1, labels.get(member.get("relation"), ""))
    return formset


def detail_people(answers: dict, today: dt.date) -> list[tuple[int, tuple[str, ...]]]:
    """Return (member index, questions) for each person the details step asks something."""
    found = [(i, q.member_questions(answers, m, today)) for i, m in enumerate(answers.get("members", []))]
    return [(i, asks) for i, asks in found if asks]


def _details(answers, data, today):
    members, people = answers.get("members", []), detail_people(answers, today)
    initial = [{k: members[i][k] for k in asks if k in members[i]} for i, asks in people]
    formset = f.DetailsFormSet(_counted(data, "d", len(people)), initial=initial, prefix="d",
                               asks=[asks for _i, asks in people],
                               anyone_disabled=bool(answers.get("anyone_disabled")))
    return _named(formset, [(i, members[i]) for i, _asks in people])


def income_people(answers: dict, today: dt.date) -> list[int]:
    """Return the index of each person asked about income (you, and everyone from 15)."""
    return [i for i, m in enumerate(answers.get("members", [])) if q.asks_income(m, today)]


def _income(answers, data, today):
    members, people = answers.get("members", []), income_people(answers, today)
    initial = [{"period": "month", **members[i].get("income", {})} for i in people]
    formset = f.IncomeFormSet(_counted(data, "i", len(people)), initial=initial, prefix="i")
    return _named(formset, [(i, members[i]) for i in people])


def _housing(answers, data, today):
    return f.HousingForm(data, initial=answers.get("housing", {}))


def _assets(answers, data, today):
    return f.AssetsForm(data, initial=answers.get("assets", {}), home=q.home_basis(answers))


def _situation(answers, data, today):
    initial = {k: _yes_no(v) for k, v in answers.get("status", {}).items()}
    return f.SituationForm(data, initial=initial, asks=q.situation_questions(answers, today))


BINDERS = {"about": _about, "members": _members, "details": _details, "income": _income, "housing": _housing,
           "assets": _assets, "situation": _situation}


def answers_from(step: str, form, answers: dict, today: dt.date | None = None) -> dict:
    """Return the answers a valid step form gives, as top-level keys of the draft's answers."""
    return WRITERS[step](form, answers, today or dt.date.today())


def _write_about(form, answers, today):
    data = form.cleaned_data
    members = answers.get("members", [])[: data["household_size"]]  # fewer people: drop the last rows
    return {"region": {"sido": data["sido"], "sigungu": data["sigungu"]}, "household_size": data["household_size"],
            "anyone_disabled": data["anyone_disabled"], "members": members}


def _write_members(formset, answers, today):
    """Who each person is; what was answered later about the person in that place is kept."""
    known = answers.get("members", [])
    members = []
    for i, form in enumerate(formset.forms):
        data = form.cleaned_data
        kept = known[i] if i < len(known) else {}
        members.append({**kept, "relation": data.get("relation", "self"),
                        "birth_date": data["birth_date"].isoformat()})
    return {"members": members}


def _write_details(formset, answers, today):
    members = [dict(m) for m in answers.get("members", [])]
    for (i, _asks), form in zip(detail_people(answers, today), formset.forms, strict=True):
        members[i].update(form.cleaned_data)
    return {"members": members}


def _write_income(formset, answers, today):
    members = [dict(m) for m in answers.get("members", [])]
    for i, form in zip(income_people(answers, today), formset.forms, strict=True):
        members[i]["income"] = form.monthly()
    return {"members": members}


def _write_housing(form, answers, today):
    return {"housing": {"tenure": form.cleaned_data["tenure"], "monthly_rent": form.cleaned_data["monthly_rent"]}}


def _write_assets(form, answers, today):
    return {"assets": dict(form.cleaned_data), "home_basis": q.home_basis(answers)}


def _write_situation(form, answers, today):
    """The answers given; those not asked this time are kept (they count again if asked again)."""
    asked = set(form.fields)
    kept = {k: v for k, v in answers.get("status", {}).items() if k not in asked}
    return {"status": {**kept, **form.status()}}


WRITERS = {"about": _write_about, "members": _write_members, "details": _write_details, "income": _write_income,
           "housing": _write_housing, "assets": _write_assets, "situation": _write_situation}


def is_formset(step: str) -> bool:
    return step in ("members", "details", "income")


def household_doc(answers: dict, as_of: dt.date) -> dict:
    """Return the household-format document of complete answers, screened on `as_of`."""
    return q.household_doc(answers, as_of)
