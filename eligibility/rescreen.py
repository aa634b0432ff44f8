"""National re-screening: every consenting member against the published catalogue, in id-range chunks.

`rescreen_run_start` splits the members into chunks and enqueues one task per chunk on commit;
`rescreen_chunk_process` claims a chunk with a conditional UPDATE, reads it columnar
(eligibility/rescreen_io.py), evaluates it with the vectorised engine, and in one transaction
writes the results that changed, one notice per benefit that became eligible or likely, and the
chunk's completion. A household whose results digest and version are unchanged is not compared
row by row, so a nightly run over an unchanged membership reads and writes almost nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from eligibility.engine.batch import Columns, columns_from_arrays, evaluate_batch
from eligibility.engine.catalogue import LIFE_STAGE_FROM, LIFE_STAGES, NO_RULE, OUTCOME_CODE, OUTCOMES
from membership import services as member_services
from membership.models import Notice, User

from . import rescreen_io, selectors
from .models import RescreenChunk, RescreenRun, Rule, Status

POSITIVE = OUTCOME_CODE["likely"]  # likely (2) and eligible (3)
CHUNK_SIZE = 10_000
# A chunk still `running` this long after its claim was abandoned (the task's hard limit is 300 s).
STALE_CLAIM = dt.timedelta(seconds=360)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Catalogue:
    benefits: tuple
    parameters: object
    rules: list[tuple[str, int]]  # (rule code, published version) by rule index
    candidates: list[list[int]]  # per benefit, rule indexes of its rules in force, in engine order


def catalogue_load(as_of: dt.date, *, with_drafts_of=None, include_draft_values: bool = False) -> Catalogue:
    """Return the published catalogue (or with drafts, for a dry run) and its rule versions."""
    benefits = selectors.benefits_for_engine(include_drafts_of=with_drafts_of)
    parameters = selectors.parameters_for_engine(include_drafts=include_draft_values)
    published = dict(Rule.objects.filter(status=Status.PUBLISHED).values_list("code", "version"))
    if with_drafts_of is not None:
        drafts = Rule.objects.filter(benefit=with_drafts_of, status=Status.DRAFT).order_by("version")
        published |= dict(drafts.values_list("code", "version"))
    rules, candidates = [], []
    for benefit in benefits:
        candidates.append([])
        for rule in benefit.rules_in_force(as_of):
            candidates[-1].append(len(rules))
            rules.append((rule.code, published.get(rule.code, 0)))
    return Catalogue(benefits, parameters, rules, candidates)


@dataclass(frozen=True)
class Screened:
    """outcomes/amounts [benefit, household] as evaluate_batch gives them, and the deciding rule index."""

    outcomes: np.ndarray
    amounts: np.ndarray
    rule: np.ndarray  # int64 rule index, -1 where no rule is in force


def screen_columns(columns: Columns, catalogue: Catalogue, as_of: dt.date) -> Screened:
    """Evaluate every benefit, plus each rule of a benefit that has several, to name the deciding rule:
    the first rule in force with the best outcome, as the scalar evaluator picks it."""
    extra, owners = [], []
    for j, benefit in enumerate(catalogue.benefits):
        rules = benefit.rules_in_force(as_of)
        if len(rules) > 1:
            extra += [dataclasses.replace(benefit, code=f"{benefit.code}#{k}", rules=(r,), amount=None)
                      for k, r in enumerate(rules)]
            owners += [(j, k) for k in range(len(rules))]
    n_benefits = len(catalogue.benefits)
    result = evaluate_batch(columns, (*catalogue.benefits, *extra), catalogue.parameters, as_of,
                            chunk_size=CHUNK_SIZE)
    outcomes, amounts = result.outcomes[:n_benefits], result.amounts[:n_benefits]
    rule = np.full(outcomes.shape, -1, dtype=np.int64)
    for j, candidates in enumerate(catalogue.candidates):
        if candidates:
            rule[j] = candidates[0]
    decided = np.zeros(outcomes.shape, dtype=bool)
    for row, (j, k) in enumerate(owners, start=n_benefits):
        first = ~decided[j] & (result.outcomes[row] == outcomes[j])
        rule[j, first], decided[j] = catalogue.candidates[j][k], decided[j] | first
    return Screened(outcomes, amounts, rule)


def _key(text: str) -> np.uint64:
    return np.frombuffer(hashlib.blake2b(text.encode(), digest_size=8).digest(), dtype=np.uint64)[0]


def digest_of(screened: Screened, catalogue: Catalogue) -> np.ndarray:
    """One int64 per household over (benefit, outcome, amount, rule code and version): a linear hash
    with per-benefit random multipliers, so any change of a stored field changes it."""
    total = np.zeros(screened.outcomes.shape[1], dtype=np.uint64)
    rule_keys = np.array([_key(f"{c}:{v}") for c, v in catalogue.rules] or [0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j, benefit in enumerate(catalogue.benefits):
            k1, k2, k3 = (_key(f"{benefit.code}/{part}") | np.uint64(1) for part in ("o", "a", "r"))
            present = screened.outcomes[j] != NO_RULE
            term = (screened.outcomes[j].astype(np.uint64) + np.uint64(7)) * k1
            term += screened.amounts[j].astype(np.int64).view(np.uint64) * k2
            term += rule_keys[np.maximum(screened.rule[j], 0)] * k3
            total += np.where(present, term, np.uint64(0))
    return total.view(np.int64)


# ---- comparison with the stored results --------------------------------------------------------------

@dataclass(frozen=True)
class Changes:
    rows: rescreen_io.ResultRows  # results to write
    notices: list[tuple[int, int, int]]  # (household index, benefit index, rule index)
    detailed: np.ndarray  # indexes of households compared row by row


def compare(data: rescreen_io.ChunkData, screened: Screened, digest: np.ndarray,
            catalogue: Catalogue) -> Changes:
    """Return what differs from the stored results, and the benefits that newly became positive."""
    detailed = np.flatnonzero((digest != data.state_digest) | (data.version != data.state_version))
    nb, nd = len(catalogue.benefits), len(detailed)
    old_outcome = np.full((nb, nd), -2, dtype=np.int64)  # -2: no stored row
    old_amount = np.full((nb, nd), -1, dtype=np.int64)
    old_rule = np.full((nb, nd), -1, dtype=np.int64)
    has_previous = np.zeros(nd, dtype=bool)
    ids = data.household_id[detailed]
    stored = rescreen_io.results_read(ids, codes=tuple(b.code for b in catalogue.benefits), rules=catalogue.rules,
                                      outcomes=OUTCOMES)
    sorter = np.argsort(ids)
    i = sorter[np.searchsorted(ids, stored[:, 0], sorter=sorter)]  # each stored row's household
    has_previous[i] = True
    known = stored[:, 1] >= 0  # rows of benefits no longer in the catalogue are not compared
    j, i = stored[known, 1], i[known]
    old_outcome[j, i], old_amount[j, i], old_rule[j, i] = stored[known, 2], stored[known, 3], stored[known, 4]
    new_outcome, new_amount = screened.outcomes[:, detailed], screened.amounts[:, detailed]
    new_rule = screened.rule[:, detailed]
    differs = (new_outcome != NO_RULE) & ((new_outcome != old_outcome) | (new_amount != old_amount)
                                          | (new_rule != old_rule))
    became = (new_outcome >= POSITIVE) & (old_outcome < POSITIVE) & has_previous[None, :]
    bi, bj = np.nonzero(differs.T)  # household by household: a household's results land on the same pages
    rows = rescreen_io.ResultRows(data.household_id[detailed][bi], bj, new_outcome[bj, bi].astype(np.int64),
                                  new_amount[bj, bi], new_rule[bj, bi])
    nj, ni = np.nonzero(became)
    notices = [(int(detailed[i]), int(j), int(new_rule[j, i])) for j, i in zip(nj, ni, strict=True)]
    return Changes(rows, notices, detailed)


def notices_build(data: rescreen_io.ChunkData, screened: Screened, changes: Changes,
                  catalogue: Catalogue) -> list[Notice]:
    """The inbox notices of the benefits that became eligible or likely, worded as member_rescreen's."""
    notices = []
    for i, j, r in changes.notices:
        benefit, amount = catalogue.benefits[j], int(screened.amounts[j, i])
        won = f"{amount:,}" if amount >= 0 else ""
        rule_code, version = catalogue.rules[r]
        notices.append(Notice(
            member_id=int(data.member_id[i]), kind=Notice.Kind.BENEFIT, benefit_code=benefit.code,
            rule_code=rule_code, rule_version=version,
            title_ko=f"새로 받을 수 있는 복지: {benefit.name_ko}",
            title_en=f"A benefit you can now get: {benefit.name_en}",
            body_ko=f"가구 정보가 바뀌어 {benefit.name_ko}을(를) 받을 수 있을 것으로 보입니다."
                    + (f" 예상 금액 {won}원." if won else ""),
            body_en=f"Your household changed: you are likely to get {benefit.name_en}."
                    + (f" Estimated {won} won." if won else ""),
        ))
    return notices


# ---- runs and chunks ---------------------------------------------------------------------------------

def rescreen_run_start(*, trigger: str, as_of: dt.date, acting_user: User | None, chunk_size: int = CHUNK_SIZE,
                       run_key: str | None = None, enqueue: bool = True, queue: str | None = None) -> RescreenRun:
    """Create a run and its chunks and enqueue one task per chunk on commit; with a `run_key` that
    already has a run (a second beat process, the same night), return that run and enqueue nothing."""
    if run_key and (existing := RescreenRun.objects.filter(run_key=run_key).first()):
        return existing
    try:
        with transaction.atomic():
            run = RescreenRun.objects.create(trigger=trigger, as_of=as_of, run_key=run_key, created_by=acting_user)
            bounds = rescreen_io.member_id_bounds(chunk_size)
            chunks = RescreenChunk.objects.bulk_create(
                [RescreenChunk(run=run, lo_member_id=lo, hi_member_id=hi) for lo, hi in bounds])
            run.chunks_total = len(chunks)
            run.status = RescreenRun.Status.RUNNING if chunks else RescreenRun.Status.DONE
            run.finished_at = None if chunks else timezone.now()
            run.save(update_fields=["chunks_total", "status", "finished_at"])
            if enqueue:
                ids = list(RescreenChunk.objects.filter(run=run).values_list("pk", flat=True))
                transaction.on_commit(lambda: _enqueue(ids, queue))
    except IntegrityError:
        return RescreenRun.objects.get(run_key=run_key)  # the other beat process got there first
    return run


def _enqueue(chunk_ids: list[int], queue: str | None) -> None:
    from .tasks import rescreen_chunk as rescreen_chunk_task

    for chunk_id in chunk_ids:
        rescreen_chunk_task.apply_async((chunk_id,), queue=queue) if queue else rescreen_chunk_task.delay(chunk_id)


def chunk_claim(chunk_id: int) -> int | None:
    """Claim a pending (or abandoned) chunk: pending -> running; return the attempt number, or None
    when another worker has it or it is finished."""
    now = timezone.now()
    claimable = Q(status=RescreenChunk.Status.PENDING) | Q(status=RescreenChunk.Status.RUNNING,
                                                          claimed_at__lt=now - STALE_CLAIM)
    updated = RescreenChunk.objects.filter(claimable, pk=chunk_id, attempts__lt=MAX_ATTEMPTS).update(
        status=RescreenChunk.Status.RUNNING, attempts=F("attempts") + 1, claimed_at=now)
    if not updated:
        return None  # Nothing got updated: another worker got there first, or it is done.
    return RescreenChunk.objects.values_list("attempts", flat=True).get(pk=chunk_id)


class ChunkLost(Exception):
    """The chunk was reclaimed by another worker while this one worked: this one's writes roll back."""


@dataclass(frozen=True)
class ChunkReport:
    members: int
    results_written: int
    notices_created: int


def rescreen_chunk_process(*, chunk_id: int) -> ChunkReport | None:
    """Screen one chunk and write its changes exactly once; None when the chunk was not ours to take."""
    attempt = chunk_claim(chunk_id)
    if attempt is None:
        return None
    chunk = RescreenChunk.objects.select_related("run").get(pk=chunk_id)
    try:
        return _chunk_screen(chunk, attempt)
    except ChunkLost:
        return None
    except Exception as error:
        _chunk_fail(chunk, attempt, error)
        raise


def _chunk_screen(chunk: RescreenChunk, attempt: int) -> ChunkReport:
    as_of = chunk.run.as_of
    catalogue = _catalogue_cached(as_of)
    data = rescreen_io.chunk_read(chunk.lo_member_id, chunk.hi_member_id)
    screened = screen_columns(columns_from_arrays(data.household, data.member), catalogue, as_of) if data.n else \
        Screened(np.zeros((len(catalogue.benefits), 0), np.int8), np.zeros((len(catalogue.benefits), 0), np.int64),
                 np.zeros((len(catalogue.benefits), 0), np.int64))
    digest = digest_of(screened, catalogue)
    changes = compare(data, screened, digest, catalogue)
    screened_codes = [b.code for j, b in enumerate(catalogue.benefits) if catalogue.candidates[j]]
    with transaction.atomic():
        rescreen_io.results_upsert(changes.rows, codes=tuple(b.code for b in catalogue.benefits),
                                   periods=tuple(b.amount.period if b.amount else None for b in catalogue.benefits),
                                   rules=catalogue.rules or [("", 0)], outcomes=OUTCOMES)
        rescreen_io.results_delete(data.household_id[changes.detailed], screened_codes)
        created = _notices_create(notices_build(data, screened, changes, catalogue))
        rescreen_io.states_upsert(data.household_id[changes.detailed], data.member_id[changes.detailed],
                                  digest[changes.detailed],
                                  data.version[changes.detailed], as_of)
        report = ChunkReport(data.n, len(changes.rows), created)
        _chunk_finish(chunk, attempt, report)
    return report


def _notices_create(notices: list[Notice]) -> int:
    """Bulk-insert the notices and schedule their e-mail and SMS deliveries (in this transaction, sent
    after it commits); the unique constraint skips any this member already has for this benefit and
    rule version. Return how many were new (the database does not say which it skipped)."""
    if not notices:
        return 0
    members = {n.member_id for n in notices}
    mine = Notice.objects.filter(member_id__in=members, kind=Notice.Kind.BENEFIT)
    before = mine.count()
    Notice.objects.bulk_create(notices, batch_size=2000, ignore_conflicts=True)
    keys = {(n.member_id, n.benefit_code, n.rule_code, n.rule_version) for n in notices}
    ids = [pk for pk, *key in mine.values_list("pk", "member_id", "benefit_code", "rule_code", "rule_version")
           if tuple(key) in keys]
    # Rows already scheduled (a notice this member had) are kept as they are.
    member_services.notice_deliveries_schedule(notice_ids=ids)
    return mine.count() - before


def _chunk_finish(chunk: RescreenChunk, attempt: int, report: ChunkReport) -> None:
    finished = RescreenChunk.objects.filter(pk=chunk.pk, status=RescreenChunk.Status.RUNNING, attempts=attempt).update(
        status=RescreenChunk.Status.DONE, finished_at=timezone.now(), members=report.members,
        results_written=report.results_written, notices_created=report.notices_created)
    if not finished:
        raise ChunkLost(chunk.pk)
    RescreenRun.objects.filter(pk=chunk.run_id).update(
        chunks_done=F("chunks_done") + 1, members_screened=F("members_screened") + report.members,
        results_written=F("results_written") + report.results_written,
        notices_created=F("notices_created") + report.notices_created)
    _run_close_if_complete(chunk.run_id)


def _run_close_if_complete(run_id: int) -> None:
    RescreenRun.objects.filter(pk=run_id, status=RescreenRun.Status.RUNNING,
                               chunks_total=F("chunks_done") + F("chunks_failed")).update(
        status=RescreenRun.Status.DONE, finished_at=timezone.now())


def _chunk_fail(chunk: RescreenChunk, attempt: int, error: Exception) -> None:
    """Give the chunk back for a retry, or mark it failed after the last attempt."""
    last = attempt >= MAX_ATTEMPTS
    status = RescreenChunk.Status.FAILED if last else RescreenChunk.Status.PENDING
    updated = RescreenChunk.objects.filter(pk=chunk.pk, status=RescreenChunk.Status.RUNNING, attempts=attempt).update(
        status=status, error=f"{type(error).__name__}: {error}"[:2000])
    if updated and last:
        RescreenRun.objects.filter(pk=chunk.run_id).update(chunks_failed=F("chunks_failed") + 1)
        _run_close_if_complete(chunk.run_id)


REDRIVE_AFTER = dt.timedelta(minutes=30)  # a chunk never claimed this long after its run began: message lost


@transaction.atomic
def rescreen_chunks_redrive(*, queue: str | None = None) -> list[int]:
    """Re-enqueue (on commit) the chunks of unfinished runs that were given back after a failed attempt,
    whose claim is stale (the worker died), or that were never claimed (Redis lost the message); a
    duplicate message is harmless, the claim takes the chunk once. Return their ids."""
    now = timezone.now()
    stuck = RescreenChunk.objects.filter(run__status=RescreenRun.Status.RUNNING, attempts__lt=MAX_ATTEMPTS).filter(
        Q(status=RescreenChunk.Status.PENDING, attempts__gt=0)
        | Q(status=RescreenChunk.Status.PENDING, run__started_at__lt=now - REDRIVE_AFTER)
        | Q(status=RescreenChunk.Status.RUNNING, claimed_at__lt=now - STALE_CLAIM))
    ids = list(stuck.values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: _enqueue(ids, queue))
    return ids


_cache: dict = {}


def _catalogue_cached(as_of: dt.date) -> Catalogue:
    """The published catalogue, rebuilt in this worker only when `catalogue_version()` changed."""
    key = (selectors.catalogue_version(), as_of)
    if _cache.get("key") != key:
        _cache.update(key=key, value=catalogue_load(as_of))
    return _cache["value"]


# ---- dry run: what publishing would change ------------------------------------------------------------

@dataclass(frozen=True)
class DryRun:
    gained: int  # member-benefit pairs that would become eligible or likely
    lost: int  # pairs that would stop being eligible or likely
    members: int
    by_region: dict[str, tuple[int, int]]  # 시·도 -> (+N, -M)
    by_life_stage: dict[str, tuple[int, int]]  # life stage of the member (self) -> (+N, -M)


def rescreen_dry_run(*, as_of: dt.date, benefit=None, include_draft_values: bool = False,
                     chunk_size: int = 50_000) -> DryRun:
    """Screen every consenting member with the published catalogue and with the drafts (of `benefit`'s
    rules and/or parameter values), and count the differences. Writes nothing."""
    before = catalogue_load(as_of)
    after = catalogue_load(as_of, with_drafts_of=benefit, include_draft_values=include_draft_values)
    gained = lost = members = 0
    by_region: dict[str, list[int]] = {}
    by_stage: dict[str, list[int]] = {}
    for lo, hi in rescreen_io.member_id_bounds(chunk_size):
        data = rescreen_io.chunk_read(lo, hi)
        if not data.n:
            continue
        columns = columns_from_arrays(data.household, data.member)
        positive = [_positive_by_code(columns, c, as_of) for c in (before, after)]
        plus, minus = _differences(*positive, data.n)
        members += data.n
        gained, lost = gained + int(plus.sum()), lost + int(minus.sum())
        _tally(by_region, data.sido, plus, minus)
        _tally(by_stage, _self_life_stage(data, as_of), plus, minus)
    return DryRun(gained, lost, members, {k: tuple(v) for k, v in sorted(by_region.items())},
                  {k: tuple(v) for k, v in by_stage.items()})


def _positive_by_code(columns: Columns, catalogue: Catalogue, as_of: dt.date) -> dict[str, np.ndarray]:
    result = evaluate_batch(columns, catalogue.benefits, catalogue.parameters, as_of)
    return {code: result.outcomes[j] >= POSITIVE for j, code in enumerate(result.codes)}


def _differences(before: dict, after: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    plus, minus = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for code in set(before) | set(after):
        old, new = before.get(code, np.zeros(n, bool)), after.get(code, np.zeros(n, bool))
        plus += new & ~old
        minus += old & ~new
    return plus, minus


def _tally(table: dict, keys: np.ndarray, plus: np.ndarray, minus: np.ndarray) -> None:
    for key in np.unique(keys):
        mask = keys == key
        counts = table.setdefault(str(key), [0, 0])
        counts[0] += int(plus[mask].sum())
        counts[1] += int(minus[mask].sum())


def _self_life_stage(data: rescreen_io.ChunkData, as_of: dt.date) -> np.ndarray:
    """The life stage of each household's first member (the member themself)."""
    first = np.searchsorted(data.member["member_household"], np.arange(data.n))
    birth = data.member["birth"][first]
    today = as_of.year * 10000 + as_of.month * 100 + as_of.day
    years = (today - birth) // 10000
    stage = np.maximum(np.searchsorted(np.array(LIFE_STAGE_FROM), years, side="right") - 1, 0)
    return np.array(LIFE_STAGES, dtype=object)[stage]


# ---- life-cycle dates -----------------------------------------------------------------------------------

def _years_before(day: dt.date, years: int) -> dt.date:
    """The birth date of someone who turns `years` on `day` (born on 29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _month_after(day: dt.date) -> dt.date:
    year, month = divmod(day.month, 12)
    first = dt.date(day.year + year, month + 1, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def members_at_life_events(*, today: dt.date) -> dict[dt.date, list[int]]:
    """Consenting active members whose household has someone turning 1, 2 or 35 today (screen as of
    today), or turning 65 a month from today (screen as of that birthday: the notice comes a month ahead)."""
    ahead = _month_after(today)
    births = {today: [_years_before(today, 1), _years_before(today, 2), _years_before(today, 35)],
              ahead: [_years_before(ahead, 65)]}
    screenable = User.objects.filter(membership__status="active", consents__item="income_assets",
                                     consents__withdrawn_at__isnull=True)
    return {as_of: sorted(set(screenable.filter(household__members__birth_date__in=dates)
                              .values_list("pk", flat=True)))
            for as_of, dates in births.items()}


def rescreen_life_events(*, today: dt.date) -> int:
    """Re-screen, by the per-member path (it writes the notices), the members at a life-cycle date."""
    from .member_screening import member_rescreen

    count = 0
    for as_of, member_ids in members_at_life_events(today=today).items():
        for member in User.objects.filter(pk__in=member_ids).iterator():
            member_rescreen(member=member, acting_user=None, as_of=as_of)
            count += 1
    return count
