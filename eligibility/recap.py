"""The recap of a screening: every step asked, its answers in words, and what was worked out from
them instead of asked (shown too, so a person can see it and change the answer it comes from)."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import forms as f
from . import questions as q
from .screening import TITLES, detail_people, size, steps


@dataclass(frozen=True)
class RecapSection:
    step: str
    title: str
    rows: list[tuple[str, str]]
    done: bool


def recap(answers: dict, done: list[str], today: dt.date) -> list[RecapSection]:
    """Return every step asked, with its answers as (label, value) rows, in the order asked."""
    sections = []
    for name in steps(answers, today):
        answered = q.step_done(name, answers, done, today)
        rows = RECAPS[name](answers, today) if answered else []
        sections.append(RecapSection(name, str(TITLES[name]), rows, answered))
    return sections


def _won(amount: int) -> str:
    return f"{int(amount):,}"


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value or "—"))


def _person(i: int) -> str:
    return _("Person %(n)s") % {"n": i + 1}


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _about(answers, today):
    region = answers.get("region", {})
    return [(_("Where you live"), f"{region.get('sido', '')} {region.get('sigungu', '')}".strip()),
            (_("People in the household"), str(size(answers))),
            (_("Someone with a registered disability"), _yes(answers.get("anyone_disabled")))]


def _members(answers, today):
    return [(_person(i), f"{_choice(f.RELATION_CHOICES, m['relation'])} · {m['birth_date']}")
            for i, m in enumerate(answers.get("members", []))]


def _details(answers, today):
    members, rows = answers.get("members", []), []
    labels = {"disability": f.DISABILITY_CHOICES, "school": f.SCHOOL_CHOICES}
    for i, asks in detail_people(answers, today):
        member = members[i]
        parts = [_choice(labels[k], member.get(k)) for k in ("disability", "school") if k in asks]
        if "pregnant" in asks:
            parts.append(_("Pregnant now") if member.get("pregnant") else _("Not pregnant"))
        rows.append((_person(i), " · ".join(parts)))
    return rows


def _income(answers, today):
    rows = []
    for i, m in enumerate(answers.get("members", [])):
        if q.asks_income(m, today):
            rows.append((_person(i), _("%(amount)s won a month") % {"amount": _won(sum(m["income"].values()))}))
        else:
            rows.append((_person(i), _("Not asked: under 15")))
    return rows


def _housing(answers, today):
    housing = answers.get("housing", {})
    rows = [(_("Your home is"), _choice(f.TENURE_CHOICES, housing.get("tenure")))]
    if housing.get("tenure") == "rent":
        rows.append((_("Monthly rent"), _won(housing.get("monthly_rent", 0))))
    return rows


def _assets(answers, today):
    form = f.AssetsForm(home=q.home_basis(answers))
    assets = answers.get("assets", {})
    return [(str(form.fields[k].label), _won(v) if k != "car_cc" else str(v))
            for k, v in assets.items() if v and k in form.fields]


def _situation(answers, today):
    status = answers.get("status", {})
    labels = {**f.REQUIRED_SITUATIONS, **f.OPTIONAL_SITUATIONS}
    rows = [(str(labels[k]), _yes(status[k])) for k in q.situation_questions(answers, today) if k in status]
    if any(m["relation"] == "spouse" for m in answers.get("members", [])):
        worked_out = _("%(answer)s (from the incomes)") % {"answer": _yes(q.dual_income(answers["members"]))}
        rows.append((_("You and your spouse both work"), worked_out))
    return rows


RECAPS = {"about": _about, "members": _members, "details": _details, "income": _income, "housing": _housing,
          "assets": _assets, "situation": _situation}
