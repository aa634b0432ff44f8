"""What the screening asks, given what is already known, and the complete household it makes.

A question is asked only when earlier answers leave it open: school only at school ages, pregnancy
only at ages it can happen, a disability's degree only when the household has someone registered,
income only from age 15 (and always from the person answering), 'single parent' only with a young
child and no spouse, 'both work' never (the incomes say it). A question not asked is answered by
`household_doc` with what is certain (no school, not pregnant, no income, not a single parent, no
basic pension under 65) or left unknown where no rule could use it. Ages are 만 나이 on the day.
"""
import datetime as dt

from eligibility.engine.facts import age_years

from . import forms as f

SCHOOL_AGES = (6, 34)  # 초중등교육법 제13조: school from 만 6; university up to the youth age (청년기본법 제3조)
PREGNANCY_AGES = (15, 49)  # the childbearing ages of official statistics (통계청 가임기 15~49세)
INCOME_FROM_AGE = 15  # 근로기준법 제64조: nobody under 15 may be employed
WORKING_AGES = (15, 69)  # 국민취업지원제도 (구직자취업촉진법 제2조): the oldest job-seeking rule
SENIOR_AGE = 65  # 기초연금법 제3조: the basic pension starts at 65
CHILD_AGE_SINGLE_PARENT = 22  # 한부모가족지원법 제4조: a child under 18, or under 22 while in school
EMPTY_INCOME = dict.fromkeys(f.INCOME_KINDS, 0)
REQUIRED = ("nbls_recipient", "near_poor", "single_parent")  # the status flags the engine cannot do without


def age(member: dict, today: dt.date) -> int:
    born = dt.date.fromisoformat(member["birth_date"])
    return age_years(born.year, born.month * 100 + born.day, today.year, today.month * 100 + today.day)


def _within(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


def member_questions(answers: dict, member: dict, today: dt.date) -> tuple[str, ...]:
    """Return which of disability, school and pregnancy to ask about this person."""
    years = age(member, today)
    asked = ("disability",) if answers.get("anyone_disabled") else ()
    asked += ("school",) if _within(years, SCHOOL_AGES) else ()
    return asked + (("pregnant",) if _within(years, PREGNANCY_AGES) else ())


def asks_income(member: dict, today: dt.date) -> bool:
    return member["relation"] == "self" or age(member, today) >= INCOME_FROM_AGE


def situation_questions(answers: dict, today: dt.date) -> tuple[str, ...]:
    """Return the situation questions that earlier answers leave open, in the order asked."""
    members = answers.get("members", [])
    ages = [(m["relation"], age(m, today)) for m in members]
    young = any(r in ("child", "grandchild") and a < CHILD_AGE_SINGLE_PARENT for r, a in ages)
    has_spouse = any(r == "spouse" for r, _a in ages)
    asked = ["nbls_recipient", "near_poor"]
    if young and (not has_spouse or any(r == "grandchild" for r, _a in ages)):
        asked.append("single_parent")  # a grandparent raising a grandchild counts with a spouse too
    asked += ["crisis_event"] + (["job_seeker"] if any(_within(a, WORKING_AGES) for _r, a in ages) else [])
    asked.append("veteran")
    if any(a >= SENIOR_AGE for _r, a in ages):
        asked.append("basic_pension_recipient")
    if any(r in ("self", "spouse") and a >= SENIOR_AGE for r, a in ages):
        asked.append("occupational_pension")  # it only matters to the basic pension of self or spouse
    return tuple(asked)


def dual_income(members: list[dict]) -> bool:
    """Whether you and a spouse both earn (wages or business income), from the income answers."""
    earners = [m for m in members if m["relation"] in ("self", "spouse")]
    works = [sum(m.get("income", {}).get(k, 0) for k in ("earned", "business")) > 0 for m in earners]
    return len(works) == 2 and all(works)


def step_done(step: str, answers: dict, done: list[str], today: dt.date) -> bool:
    """Whether every question the step asks of this household has an answer."""
    members = answers.get("members", [])
    if step == "about":  # a check saved before the disability question was asked answers it first
        return "about" in done and "anyone_disabled" in answers
    if step == "members":
        return "members" in done and len(members) == int(answers.get("household_size") or 1)
    if step == "details":
        return all(q in m for m in members for q in member_questions(answers, m, today))
    if step == "income":
        return all("income" in m for m in members if asks_income(m, today))
    if step == "assets":
        return "assets" in done and answers.get("home_basis") == home_basis(answers)
    if step == "situation":
        status = answers.get("status", {})
        return "situation" in done and all(k in status for k in REQUIRED if k in situation_questions(answers, today))
    return step in done


def home_basis(answers: dict) -> str:
    """What the home asset is: the value of a home owned, the deposit of a rented one, or nothing."""
    tenure = answers.get("housing", {}).get("tenure")
    return {"own": "value", "rent": "deposit", "jeonse": "deposit"}.get(tenure, "none")


def applies(step: str, answers: dict, today: dt.date) -> bool:
    """Whether the step has anything to ask this household (unknown until the people are answered)."""
    if step != "details" or "members" not in answers or not answers["members"]:
        return True
    return any(member_questions(answers, m, today) for m in answers["members"])


# ---- the household the engine reads ----------------------------------------------------------------

def household_doc(answers: dict, as_of: dt.date) -> dict:
    """Return the household-format document of complete answers on `as_of`: answers to the questions
    asked, and for those not asked what is certain (docs/household-format.md)."""
    members = [_member(answers, m, as_of) for m in answers.get("members", [])]
    assets = {**answers.get("assets", {}), **({"housing": 0} if home_basis(answers) == "none" else {})}
    return {"region": answers.get("region", {}), "housing": answers.get("housing", {}), "members": members,
            "assets": assets, "status": _status(answers, members, as_of), "as_of": as_of.isoformat()}


def _member(answers: dict, member: dict, as_of: dt.date) -> dict:
    asked = member_questions(answers, member, as_of)
    return {
        "relation": member["relation"], "birth_date": member["birth_date"],
        "disability": member.get("disability", "none") if "disability" in asked else "none",
        "school": member.get("school", "none") if "school" in asked else "none",
        "pregnant": member.get("pregnant", False) if "pregnant" in asked else False,
        "income": member.get("income", EMPTY_INCOME) if asks_income(member, as_of) else EMPTY_INCOME,
    }


def _status(answers: dict, members: list[dict], as_of: dt.date) -> dict:
    asked = situation_questions(answers, as_of)
    given = answers.get("status", {})
    status = {k: v for k, v in given.items() if k in asked}
    status.setdefault("single_parent", False)  # asked when it could be true; else no one is
    if "basic_pension_recipient" not in asked:
        status["basic_pension_recipient"] = False  # nobody under 65 receives it
    if status.get("nbls_recipient"):
        status["near_poor"] = False  # 차상위 is the class just above the recipients, never both
    status["dual_income"] = dual_income(members)
    return status
