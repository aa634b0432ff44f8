"""Columnar reads and bulk writes of the national re-screening: never one ORM object per member.

On PostgreSQL a chunk's households and members stream out with binary `COPY (SELECT ...) TO STDOUT`,
every column cast to bigint, so each row has one fixed layout that NumPy reads in one call; results
and digests go back through binary COPY into a temp table and one `INSERT ... ON CONFLICT`. On
SQLite (the default test database) a plain cursor gives the same arrays and the ORM's bulk upsert
writes them, so both paths are tested.
"""
# ruff: noqa: S608 -- SQL is built from model table names, ints and _quote()d catalogue text, never input.
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils import timezone

from eligibility.engine.catalogue import FACTS, OPTIONAL_FACTS
from eligibility.engine.columns import code_of
from eligibility.engine.regions import capital_area, region_bp, region_nbls
from membership.models import Consent, Household, HouseholdMember, Membership

from .models import MemberBenefitResult, RescreenState

H, M, MS, C = (Household._meta.db_table, HouseholdMember._meta.db_table, Membership._meta.db_table,
               Consent._meta.db_table)
R, S = MemberBenefitResult._meta.db_table, RescreenState._meta.db_table
HOUSEHOLD_MONEY = ("monthly_rent", "asset_housing", "asset_general", "asset_financial", "asset_car_value",
                   "asset_car_cc", "asset_debt")
FLAGS = ("nbls_recipient", "near_poor", "single_parent")
NULLABLE_FLAGS = ("crisis_event", "job_seeker")  # the other optional facts are not in the record: unknown
INCOMES = ("earned", "business", "property", "public_transfer", "private_transfer")


@dataclass(frozen=True)
class ChunkData:
    """A chunk's screenable households (ordered by member id) and their members, as arrays."""

    household_id: np.ndarray
    member_id: np.ndarray
    version: np.ndarray  # Household.version now
    state_digest: np.ndarray  # RescreenState.digest, 0 where none
    state_version: np.ndarray  # RescreenState.household_version, -1 where none
    sido: np.ndarray  # object array of 시·도 names (dry-run figures)
    household: dict  # columns_from_arrays' household mapping
    member: dict  # columns_from_arrays' member mapping

    @property
    def n(self) -> int:
        return len(self.household_id)


def _enum_case(column: str, fact: str) -> str:
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(FACTS[fact].values))
    return f"CASE {column} {whens} ELSE -1 END"


def _flag(column: str) -> str:
    return f"CASE WHEN {column} IS NULL THEN -1 WHEN {column} THEN 1 ELSE 0 END"


def _screenable(lo: int, hi: int) -> str:
    """Households of active members with live income/asset consent, member id in [lo, hi).

    The range is repeated on every table so each is read by an index range scan, not in full.
    """
    lo, hi = int(lo), int(hi)
    return (f"FROM {H} h JOIN {MS} ms ON ms.member_id = h.member_id AND ms.status = 'active' "
            f"AND ms.member_id >= {lo} AND ms.member_id < {hi} "
            f"WHERE h.member_id >= {lo} AND h.member_id < {hi} AND EXISTS (SELECT 1 FROM {C} c "
            f"WHERE c.member_id = h.member_id AND c.member_id >= {lo} AND c.member_id < {hi} "
            f"AND c.item = 'income_assets' AND c.withdrawn_at IS NULL)")


@dataclass(frozen=True)
class Query:
    """SELECT columns (each cast to bigint) FROM ... ORDER BY ...: an int64 table once read."""

    columns: list[str]
    source: str
    order: str

    def plain(self) -> str:
        select = ", ".join(f"CAST({c} AS BIGINT)" for c in self.columns)
        return f"SELECT {select} {self.source} ORDER BY {self.order}"

    def packed(self) -> str:
        """One bytea of big-endian rows: PostgreSQL sends the chunk as one message, NumPy reads it in one call."""
        row = " || ".join(f"int8send(CAST({c} AS BIGINT))" for c in self.columns)
        return f"SELECT string_agg({row}, ''::bytea ORDER BY {self.order}) {self.source}"


def _household_query(lo: int, hi: int, regions: list[tuple[str, str]]) -> Query:
    region = " ".join(f"WHEN h.sido = {_quote(s)} AND h.sigungu = {_quote(g)} THEN {i}"
                      for i, (s, g) in enumerate(regions))
    columns = ["h.id", "h.member_id", "h.version", "COALESCE(st.digest, 0)", "COALESCE(st.household_version, -1)",
               f"CASE {region} ELSE -1 END" if regions else "-1", _enum_case("h.tenure", "housing_tenure"),
               *(f"h.{c}" for c in HOUSEHOLD_MONEY), *(_flag(f"h.{c}") for c in FLAGS + NULLABLE_FLAGS)]
    source = _screenable(lo, hi).replace("WHERE", f"LEFT JOIN {S} st ON st.household_id = h.id WHERE", 1)
    return Query(columns, source, "h.member_id")


def _member_query(lo: int, hi: int) -> Query:
    birth = ("to_char(hm.birth_date, 'YYYYMMDD')" if connection.vendor == "postgresql"
             else "strftime('%Y%m%d', hm.birth_date)")
    columns = ["h.member_id", birth, _flag("hm.pregnant"), _enum_case("hm.relation", "relation"),
               _enum_case("hm.disability", "disability"), _enum_case("hm.school", "school"),
               *(f"hm.income_{k}" for k in INCOMES)]
    # Members of every household in the range: those of unscreenable households are dropped in NumPy
    # (cheaper than joining membership and consent a second time).
    source = f"FROM {H} h JOIN {M} hm ON hm.household_id = h.id WHERE h.member_id >= {int(lo)} AND h.member_id < {int(hi)}"
    return Query(columns, source, "h.member_id, hm.position, hm.id")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def chunk_read(lo: int, hi: int) -> ChunkData:
    """Return the chunk's screenable households and members as arrays, read in one snapshot."""
    from django.db import transaction

    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:  # both reads must see the same households
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        regions = _regions(lo, hi)
        hh = int_table(_household_query(lo, hi, regions))
        mem = int_table(_member_query(lo, hi))
    return _chunk_data(hh, mem, regions)


def _regions(lo: int, hi: int) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT sido, sigungu FROM {H} WHERE member_id >= %s AND member_id < %s", [lo, hi])
        return sorted(cursor.fetchall())


def int_table(query: Query) -> np.ndarray:
    """Run the query; return an int64 array (rows, columns): by COPY on PostgreSQL, a cursor elsewhere."""
    width = len(query.columns)
    if connection.vendor == "postgresql":
        return copy_packed(query.packed(), width)
    with connection.cursor() as cursor:
        cursor.execute(query.plain())
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def copy_packed(sql: str, width: int) -> np.ndarray:
    """`COPY (one packed bytea) TO STDOUT (FORMAT BINARY)`: a header, one field, a trailer."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
        data = b"".join(bytes(block) for block in copy)
    start = 19 + int.from_bytes(data[15:19], "big") + 2  # signature, flags, extension, field count
    length = int.from_bytes(data[start:start + 4], "big", signed=True)
    if length < 0:  # NULL: no rows
        return np.zeros((0, width), dtype=np.int64)
    values = np.frombuffer(data, dtype=">i8", count=length // 8, offset=start + 4)
    return values.astype(np.int64).reshape(-1, width)


def _chunk_data(hh: np.ndarray, mem: np.ndarray, regions: list[tuple[str, str]]) -> ChunkData:
    member_ids = hh[:, 1]
    keep = np.isin(mem[:, 0], member_ids)
    mem = mem[keep]
    has_members = np.isin(member_ids, mem[:, 0])  # a household must have a member to be screened
    hh = hh[has_members]
    member_household = np.searchsorted(hh[:, 1], mem[:, 0])
    region = hh[:, 5]
    place = [(region_nbls(s, g), region_bp(s, g), capital_area(s)) for s, g in regions] or [("other", "rural", 0)]
    lookup = lambda k, f: np.array([code_of(f, p[k]) if f else p[k] for p in place])  # noqa: E731
    household = {"region_nbls": lookup(0, "region_nbls")[region], "region_bp": lookup(1, "region_bp")[region],
                 "capital_area": lookup(2, "")[region], "housing_tenure": hh[:, 6]}
    money = ("monthly_rent", "housing", "general", "financial", "car_value", "car_cc", "debt")
    household |= {k: hh[:, 7 + i] for i, k in enumerate(money)}
    flags = 7 + len(money)
    household |= {k: hh[:, flags + i] for i, k in enumerate(FLAGS + NULLABLE_FLAGS)}
    household |= {k: np.full(len(hh), -1) for k in OPTIONAL_FACTS if k not in household}
    member = {"member_household": member_household, "birth": mem[:, 1], "pregnant": mem[:, 2],
              "relation": mem[:, 3], "disability": mem[:, 4], "school": mem[:, 5]}
    member |= {k: mem[:, 6 + i] for i, k in enumerate(INCOMES)}
    sido = np.array([s for s, _ in regions] or [""], dtype=object)[region]
    return ChunkData(hh[:, 0], hh[:, 1], hh[:, 2], hh[:, 3], hh[:, 4], sido, household, member)


# ---- stored results ---------------------------------------------------------------------------------

def results_read(household_ids: np.ndarray) -> list[tuple]:
    """Return (household_id, benefit_code, outcome, amount_krw, rule_code, rule_version) rows."""
    rows: list[tuple] = []
    ids = [int(i) for i in household_ids]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            part = ids[start:start + 5000]
            cursor.execute(f"SELECT household_id, benefit_code, outcome, amount_krw, rule_code, rule_version "
                           f"FROM {R} WHERE household_id IN ({', '.join(['%s'] * len(part))})", part)
            rows += cursor.fetchall()
    return rows


@dataclass(frozen=True)
class ResultRows:
    """Rows to upsert: household ids and per-row benefit, outcome, amount (-1 none) and rule index."""

    household_id: np.ndarray
    benefit: np.ndarray
    outcome: np.ndarray
    amount: np.ndarray
    rule: np.ndarray

    def __len__(self) -> int:
        return len(self.household_id)


def results_upsert(rows: ResultRows, *, codes: tuple[str, ...], periods: tuple, rules: list[tuple[str, int]],
                   outcomes: tuple[str, ...]) -> None:
    """Insert or update one MemberBenefitResult per row (reasons empty: the scalar path recomputes them
    from the stored rule version when a member opens the result)."""
    if not len(rows):
        return
    if connection.vendor == "postgresql":
        _pg_results_upsert(rows, codes, periods, rules, outcomes)
        return
    now = timezone.now()
    objects = [MemberBenefitResult(
        household_id=int(h), benefit_code=codes[b], outcome=outcomes[o], amount_krw=None if a < 0 else int(a),
        amount_period=(periods[b] or "") if a >= 0 else "", rule_code=rules[r][0], rule_version=rules[r][1],
        reasons=[], declared_only=False, screened_at=now)
        for h, b, o, a, r in zip(rows.household_id, rows.benefit, rows.outcome, rows.amount, rows.rule, strict=True)]
    MemberBenefitResult.objects.bulk_create(
        objects, batch_size=2000, update_conflicts=True, unique_fields=["household", "benefit_code"],
        update_fields=["outcome", "amount_krw", "amount_period", "rule_code", "rule_version", "reasons",
                       "declared_only", "screened_at"])


def _values(rows: list[tuple]) -> str:
    return ", ".join("(" + ", ".join(_quote(v) if isinstance(v, str) else str(int(v)) for v in row) + ")"
                     for row in rows)


def _pg_results_upsert(rows: ResultRows, codes, periods, rules, outcomes) -> None:
    _copy_into("rescreen_result_tmp", [("household_id", rows.household_id, "bigint"),
                                       ("b", rows.benefit, "bigint"), ("o", rows.outcome, "bigint"),
                                       ("a", rows.amount, "bigint"), ("r", rows.rule, "bigint")])
    benefits = _values([(i, c, p or "") for i, c, p in zip(range(len(codes)), codes, periods, strict=True)])
    rule_rows = _values([(i, c, v) for i, (c, v) in enumerate(rules)])
    outcome_rows = _values(list(enumerate(outcomes)))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {R} (household_id, benefit_code, outcome, amount_krw, amount_period, rule_code,
                             rule_version, reasons, declared_only, screened_at)
            SELECT t.household_id, b.code, o.name, NULLIF(t.a, -1), CASE WHEN t.a < 0 THEN '' ELSE b.period END,
                   r.code, r.version, '[]'::jsonb, false, now()
            FROM rescreen_result_tmp t JOIN (VALUES {benefits}) b(i, code, period) ON b.i = t.b
            JOIN (VALUES {rule_rows}) r(i, code, version) ON r.i = t.r
            JOIN (VALUES {outcome_rows}) o(i, name) ON o.i = t.o
            ON CONFLICT (household_id, benefit_code) DO UPDATE SET outcome = EXCLUDED.outcome,
                amount_krw = EXCLUDED.amount_krw, amount_period = EXCLUDED.amount_period,
                rule_code = EXCLUDED.rule_code, rule_version = EXCLUDED.rule_version, reasons = EXCLUDED.reasons,
                declared_only = false, screened_at = EXCLUDED.screened_at""")


def _copy_into(table: str, columns: list[tuple[str, np.ndarray, str]]) -> None:
    """Binary-COPY int64 columns into a temp table emptied at commit (created once per connection)."""
    spec = ", ".join(f"{name} {kind}" for name, _, kind in columns)
    width = len(columns)
    row = np.dtype([("count", ">i2")] + [(f"{k}{i}", ">i4" if k == "l" else ">i8")
                                         for i in range(width) for k in ("l", "v")])
    data = np.zeros(len(columns[0][1]), dtype=row)
    data["count"] = width
    for i, (_, values, _) in enumerate(columns):
        data[f"l{i}"], data[f"v{i}"] = 8, values
    payload = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + data.tobytes() + b"\xff\xff"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({spec}) ON COMMIT DELETE ROWS")
        cursor.execute(f"TRUNCATE {table}")  # a caller's outer transaction may not have committed yet
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(payload)


def results_delete(household_ids: np.ndarray, codes: list[str]) -> int:
    """Delete the results of benefits no longer screened (no rule in force) for these households."""
    if not codes or not len(household_ids):
        return 0
    deleted = 0
    ids = [int(i) for i in household_ids]
    for start in range(0, len(ids), 5000):
        deleted += MemberBenefitResult.objects.filter(household_id__in=ids[start:start + 5000],
                                                      benefit_code__in=codes).delete()[0]
    return deleted


def states_upsert(household_id: np.ndarray, digest: np.ndarray, version: np.ndarray, as_of) -> None:
    """Record each household's results digest and the household version it was computed from."""
    if not len(household_id):
        return
    if connection.vendor == "postgresql":
        _copy_into("rescreen_state_tmp", [("household_id", household_id, "bigint"), ("digest", digest, "bigint"),
                                          ("version", version, "bigint")])
        with connection.cursor() as cursor:
            cursor.execute(f"""INSERT INTO {S} (household_id, digest, household_version, screened_on)
                SELECT household_id, digest, version, %s FROM rescreen_state_tmp
                ON CONFLICT (household_id) DO UPDATE SET digest = EXCLUDED.digest,
                    household_version = EXCLUDED.household_version, screened_on = EXCLUDED.screened_on""", [as_of])
        return
    objects = [RescreenState(household_id=int(h), digest=int(d), household_version=int(v), screened_on=as_of)
               for h, d, v in zip(household_id, digest, version, strict=True)]
    RescreenState.objects.bulk_create(objects, batch_size=2000, update_conflicts=True, unique_fields=["household"],
                                      update_fields=["digest", "household_version", "screened_on"])


def member_id_bounds(chunk_size: int) -> list[tuple[int, int]]:
    """Split the member ids of all households into [lo, hi) ranges of about chunk_size households."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_id FROM (SELECT member_id, ROW_NUMBER() OVER (ORDER BY member_id) AS rn "
                       f"FROM {H}) t WHERE (rn - 1) %% %s = 0 ORDER BY member_id", [int(chunk_size)])
        starts = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(member_id) FROM {H}")
        top = cursor.fetchone()[0]
    return [(lo, hi) for lo, hi in zip(starts, [*starts[1:], (top or 0) + 1], strict=False)]  # [] if none
