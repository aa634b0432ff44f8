"""Columnar reads and bulk writes of the national re-screening: never one ORM object per member.

A chunk is read in one query: each screenable household's key columns and its packed image (the
engine's columns as big-endian int64, kept in RescreenState at the household version it was read at)
come out of PostgreSQL as two bytea aggregates through binary `COPY ... TO STDOUT`, which NumPy reads
in one call each. Households with no current image (new, or changed since by any path) are read from
the record itself (households and members, recoded in SQL) in the same snapshot, and their images are
written for the next run. Results and digests go back through binary COPY into a temp table and one
`INSERT ... ON CONFLICT`. On SQLite (the default test database) a plain cursor gives the same bytes
and the ORM's bulk upsert writes them, so both paths are tested.
"""
# ruff: noqa: S608 -- SQL is built from model table names, ints and _quote()d catalogue text, never input.
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from eligibility.engine.catalogue import FACTS, OPTIONAL_FACTS
from eligibility.engine.columns import code_of
from eligibility.engine.regions import SIDO, capital_area, official_sido, region_bp, region_nbls
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
    prefix: str = ""  # a WITH clause the source refers to

    def plain(self) -> str:
        select = ", ".join(f"CAST({c} AS BIGINT)" for c in self.columns)
        return f"{self.prefix}SELECT {select} {self.source} ORDER BY {self.order}"

    def packed(self) -> str:
        """One bytea of big-endian rows: PostgreSQL sends the chunk as one message, NumPy reads it in one call."""
        row = " || ".join(f"int8send(CAST({c} AS BIGINT))" for c in self.columns)
        return f"{self.prefix}SELECT string_agg({row}, ''::bytea ORDER BY {self.order}) {self.source}"


def _household_query(ids: str, regions: list[tuple[str, str]]) -> Query:
    region = " ".join(f"WHEN h.sido = {_quote(s)} AND h.sigungu = {_quote(g)} THEN {i}"
                      for i, (s, g) in enumerate(regions))
    columns = ["h.id", "h.member_id", "h.version", "COALESCE(st.digest, 0)", "COALESCE(st.household_version, -1)",
               f"CASE {region} ELSE -1 END" if regions else "-1", _enum_case("h.tenure", "housing_tenure"),
               *(f"h.{c}" for c in HOUSEHOLD_MONEY), *(_flag(f"h.{c}") for c in FLAGS + NULLABLE_FLAGS)]
    return Query(columns, f"FROM {H} h LEFT JOIN {S} st ON st.household_id = h.id WHERE h.id IN ({ids})",
                 "h.member_id")


def _member_query(ids: str) -> Query:
    birth = ("to_char(hm.birth_date, 'YYYYMMDD')" if connection.vendor == "postgresql"
             else "strftime('%Y%m%d', hm.birth_date)")
    columns = ["h.member_id", birth, _flag("hm.pregnant"), _enum_case("hm.relation", "relation"),
               _enum_case("hm.disability", "disability"), _enum_case("hm.school", "school"),
               *(f"hm.income_{k}" for k in INCOMES)]
    source = f"FROM {H} h JOIN {M} hm ON hm.household_id = h.id WHERE h.id IN ({ids})"
    return Query(columns, source, "h.member_id, hm.position, hm.id")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---- packed household images --------------------------------------------------------------------------
# A household's RescreenState holds an image: HEAD (one row) and MEMBER (one row a member) as big-endian int64,
# already in the engine's codes. The chunk read takes one bytea a household from it; a household with no
# image, or one of an older version, is read from the record itself (the queries above) and its image
# is written for next time.

HEAD = ("n_members", "region_nbls", "region_bp", "capital_area", "sido", "housing_tenure", "monthly_rent",
        "housing", "general", "financial", "car_value", "car_cc", "debt", *FLAGS, *NULLABLE_FLAGS)
MEMBER = ("birth", "pregnant", "relation", "disability", "school", *INCOMES)
KEYS = ("household_id", "member_id", "version", "state_digest", "state_version")  # read with each household
SIDO_NAMES = tuple(sorted({official_sido(s) for s in SIDO}))  # "sido" is an index into this, -1 unknown
_STALE = b"\xff" * 8 * len(HEAD)  # every HEAD column -1: n_members -1 marks "no current image"


def _image_source(lo: int, hi: int) -> str:
    # The state is joined on the member id range too, so PostgreSQL merges it in member id order instead
    # of looking each household up (which costs 2 us a household here).
    state = (f"LEFT JOIN {S} st ON st.household_id = h.id AND st.member_id = h.member_id "
             f"AND st.member_id >= {int(lo)} AND st.member_id < {int(hi)} WHERE")
    return _screenable(lo, hi).replace("WHERE", state, 1)


def _image_query(lo: int, hi: int) -> str:
    keys = " || ".join(f"int8send(CAST({c} AS BIGINT))" for c in (
        "h.id", "h.member_id", "h.version", "COALESCE(st.digest, 0)", "COALESCE(st.household_version, -1)"))
    current = "st.image_version = h.version"
    # One sort feeds both aggregates, so the n-th household's members are the n-th run of member rows.
    return (f"SELECT string_agg(k, ''::bytea), string_agg(m, ''::bytea) FROM ("
            f"SELECT {keys} || CASE WHEN {current} THEN st.head ELSE '\\x{_STALE.hex()}'::bytea END AS k, "
            f"CASE WHEN {current} THEN st.members ELSE ''::bytea END AS m {_image_source(lo, hi)} "
            f"ORDER BY h.member_id) packed")


def _image_rows(lo: int, hi: int) -> tuple[bytes, bytes]:
    """Every screenable household of the range: KEYS + HEAD bytes, and the MEMBER bytes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The planner multiplies the selectivities of the repeated ranges and expects a few dozen
            # rows, so it would look the states up one by one; a merge join reads them in order.
            cursor.execute("SET LOCAL enable_nestloop = off")
            fields = copy_fields(_image_query(lo, hi))
            cursor.execute("RESET enable_nestloop")  # the record reads that may follow want their nested loops
        return fields[0] or b"", fields[1] or b""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT h.id, h.member_id, h.version, COALESCE(st.digest, 0), "
                       f"COALESCE(st.household_version, -1), st.image_version, st.head, st.members "
                       f"{_image_source(lo, hi)} ORDER BY h.member_id")
        rows = cursor.fetchall()
    keys, members = [], []
    for *key, image_version, head, packed in rows:
        current = image_version == key[2]
        keys.append(np.array(key, dtype=">i8").tobytes() + (bytes(head) if current else _STALE))
        members.append(bytes(packed) if current else b"")
    return b"".join(keys), b"".join(members)


def chunk_read(lo: int, hi: int) -> ChunkData:
    """Return the chunk's screenable households and members as arrays, read in one snapshot; write the
    images of households read from the record (none, or only those changed since the last run)."""
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:  # the images and any record read must agree
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        keys, members = _image_rows(lo, hi)
        table = np.frombuffer(keys, dtype=">i8").astype(np.int64).reshape(-1, len(KEYS) + len(HEAD))
        member = np.frombuffer(members, dtype=">i8").astype(np.int64).reshape(-1, len(MEMBER))
        stale = table[:, len(KEYS)] < 0
        if stale.any():
            fresh_table, fresh_member = _records_read(table[stale, 0])
    if stale.any():
        images_write(fresh_table, fresh_member)
        table, member = _merge(table[~stale], member, fresh_table, fresh_member)
    return _chunk_data(table, member)


def _records_read(household_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Read households from the record (their KEYS + HEAD rows and MEMBER rows), in member id order."""
    ids = ", ".join(str(int(i)) for i in household_ids)
    regions = _regions(ids)
    hh = int_table(_household_query(ids, regions))
    mem = int_table(_member_query(ids))
    counts = np.bincount(np.searchsorted(hh[:, 1], mem[:, 0]), minlength=len(hh)) if len(hh) else np.zeros(0, int)
    place = np.array([(code_of("region_nbls", region_nbls(s, g)), code_of("region_bp", region_bp(s, g)),
                       int(capital_area(s)), _sido_index(s)) for s, g in regions] or [(-1, -1, 0, -1)],
                     dtype=np.int64)
    region = hh[:, 5]
    places = np.where((region >= 0)[:, None], place[np.maximum(region, 0)], [code_of("region_nbls", "other"),
                                                                              code_of("region_bp", "rural"), 0, -1])
    table = np.column_stack([hh[:, :5], counts, places, hh[:, 6:]]) if len(hh) else \
        np.zeros((0, len(KEYS) + len(HEAD)), np.int64)
    return table.astype(np.int64), mem[:, 1:]


def _sido_index(sido: str) -> int:
    official = official_sido(sido)
    return SIDO_NAMES.index(official) if official in SIDO_NAMES else -1


def _merge(table: np.ndarray, member: np.ndarray, more: np.ndarray, more_member: np.ndarray):
    """Both sets of households (each with its members in order) as one, in member id order."""
    table, member = np.concatenate([table, more]), np.concatenate([member, more_member])
    counts = table[:, len(KEYS)]
    order = np.argsort(table[:, 1], kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return table[order], member[np.argsort(rank[np.repeat(np.arange(len(table)), counts)], kind="stable")]


def images_write(table: np.ndarray, member: np.ndarray) -> None:
    """Store the households' images at the version they were read at (a later change makes them stale)."""
    if not len(table):
        return
    counts = table[:, len(KEYS)]
    ends = np.cumsum(counts)
    packed_members = member.astype(">i8")
    heads = table[:, len(KEYS):].astype(">i8")
    rows = [(int(row[0]), int(row[1]), int(row[2]), heads[i].tobytes(), packed_members[end - n:end].tobytes())
            for i, (row, n, end) in enumerate(zip(table, counts, ends, strict=True))]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS rescreen_image_tmp (household_id bigint, member_id bigint, "
                           "image_version bigint, head bytea, members bytea) ON COMMIT DELETE ROWS")
            cursor.execute("TRUNCATE rescreen_image_tmp")
        with transaction.atomic():
            with connection.connection.cursor() as cursor, cursor.copy("COPY rescreen_image_tmp FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with connection.cursor() as cursor:
                cursor.execute(f"""INSERT INTO {S} (household_id, member_id, image_version, head, members)
                    SELECT household_id, member_id, image_version, head, members FROM rescreen_image_tmp
                    ON CONFLICT (household_id) DO UPDATE SET member_id = EXCLUDED.member_id,
                        image_version = EXCLUDED.image_version, head = EXCLUDED.head, members = EXCLUDED.members""")
        return
    RescreenState.objects.bulk_create(
        [RescreenState(household_id=h, member_id=m, image_version=v, head=head, members=packed)
         for h, m, v, head, packed in rows],
        batch_size=2000, update_conflicts=True, unique_fields=["household"],
        update_fields=["member_id", "image_version", "head", "members"])


def _regions(ids: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT sido, sigungu FROM {H} WHERE id IN ({ids})")
        return sorted(cursor.fetchall())


def int_table(query: Query) -> np.ndarray:
    """Run the query; return an int64 array (rows, columns): by COPY on PostgreSQL, a cursor elsewhere."""
    width = len(query.columns)
    if connection.vendor == "postgresql":
        packed = copy_fields(query.packed())[0]
        return (np.frombuffer(packed, dtype=">i8").astype(np.int64) if packed else np.zeros(0, np.int64)
                ).reshape(-1, width)
    with connection.cursor() as cursor:
        cursor.execute(query.plain())
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def copy_fields(sql: str) -> list[bytes | None]:
    """`COPY (a one-row query) TO STDOUT (FORMAT BINARY)`: the row's fields as bytes (None for NULL)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
        data = b"".join(bytes(block) for block in copy)
    at = 19 + int.from_bytes(data[15:19], "big")  # signature, flags, extension
    count = int.from_bytes(data[at:at + 2], "big")
    at += 2
    fields: list[bytes | None] = []
    for _ in range(count):
        length = int.from_bytes(data[at:at + 4], "big", signed=True)
        at += 4
        fields.append(None if length < 0 else data[at:at + length])
        at += max(length, 0)
    return fields


def _chunk_data(table: np.ndarray, mem: np.ndarray) -> ChunkData:
    counts = table[:, len(KEYS)]
    keep = counts > 0  # a household must have a member to be screened (members of others: none)
    table, counts = table[keep], counts[keep]
    head = {name: table[:, len(KEYS) + i] for i, name in enumerate(HEAD)}
    household = {k: head[k] for k in ("region_nbls", "region_bp", "capital_area", "housing_tenure", "monthly_rent",
                                      "housing", "general", "financial", "car_value", "car_cc", "debt",
                                      *FLAGS, *NULLABLE_FLAGS)}
    household |= {k: np.full(len(table), -1) for k in OPTIONAL_FACTS if k not in household}
    member = {"member_household": np.repeat(np.arange(len(table)), counts)}
    member |= {name: mem[:, i] for i, name in enumerate(MEMBER)}
    names = np.array([*SIDO_NAMES, ""], dtype=object)
    sido = names[np.where(head["sido"] >= 0, head["sido"], len(SIDO_NAMES))]
    return ChunkData(table[:, 0], table[:, 1], table[:, 2], table[:, 3], table[:, 4], sido, household, member)


# ---- stored results ---------------------------------------------------------------------------------

def results_read(household_ids: np.ndarray, *, codes: tuple[str, ...], rules: list[tuple[str, int]],
                 outcomes: tuple[str, ...]) -> np.ndarray:
    """The stored results of these households as int64 rows (household id, benefit index, outcome
    index, amount or -1, rule index): indexes into `codes`, `outcomes` and `rules`, -1 where the
    stored value is not among them (-3 for an unknown outcome)."""
    if not len(household_ids):
        return np.zeros((0, 5), dtype=np.int64)
    ids = ", ".join(str(int(i)) for i in household_ids)
    # Small lookup tables joined by hash: far cheaper a row than a CASE over every code.
    benefits = _values(list(enumerate(codes))) or "(-1, '')"
    rule_rows = _values([(i, c, v) for i, (c, v) in enumerate(rules)]) or "(-1, '', -1)"
    outcome_rows = _values(list(enumerate(outcomes)))
    columns = ["r.household_id", "COALESCE(b.i, -1)", "COALESCE(o.i, -3)", "COALESCE(r.amount_krw, -1)",
               "COALESCE(ru.i, -1)"]
    source = (f"FROM {R} r LEFT JOIN b ON b.code = r.benefit_code LEFT JOIN o ON o.name = r.outcome "
              f"LEFT JOIN ru ON ru.code = r.rule_code AND ru.version = r.rule_version "
              f"WHERE r.household_id IN ({ids})")
    lookups = (f"WITH b(i, code) AS (VALUES {benefits}), o(i, name) AS (VALUES {outcome_rows}), "
               f"ru(i, code, version) AS (VALUES {rule_rows}) ")
    return int_table(Query(columns, source, "r.household_id", prefix=lookups))


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
            ORDER BY t.household_id, b.code
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


def results_delete(household_ids: np.ndarray, screened_codes: list[str]) -> int:
    """Delete these households' results of benefits no longer screened: without a rule in force, or
    taken out of the catalogue."""
    if not len(household_ids):
        return 0
    deleted = 0
    ids = [int(i) for i in household_ids]
    for start in range(0, len(ids), 5000):
        deleted += MemberBenefitResult.objects.filter(household_id__in=ids[start:start + 5000]).exclude(
            benefit_code__in=screened_codes).delete()[0]
    return deleted


def states_upsert(household_id: np.ndarray, member_id: np.ndarray, digest: np.ndarray, version: np.ndarray,
                  as_of) -> None:
    """Record each household's results digest and the household version it was computed from."""
    if not len(household_id):
        return
    if connection.vendor == "postgresql":
        _copy_into("rescreen_state_tmp", [("household_id", household_id, "bigint"), ("member_id", member_id, "bigint"),
                                          ("digest", digest, "bigint"), ("version", version, "bigint")])
        with connection.cursor() as cursor:
            cursor.execute(f"""INSERT INTO {S} (household_id, member_id, digest, household_version, screened_on)
                SELECT household_id, member_id, digest, version, %s FROM rescreen_state_tmp
                ON CONFLICT (household_id) DO UPDATE SET member_id = EXCLUDED.member_id, digest = EXCLUDED.digest,
                    household_version = EXCLUDED.household_version, screened_on = EXCLUDED.screened_on""", [as_of])
        return
    objects = [RescreenState(household_id=int(h), member_id=int(m), digest=int(d), household_version=int(v),
                             screened_on=as_of)
               for h, m, d, v in zip(household_id, member_id, digest, version, strict=True)]
    RescreenState.objects.bulk_create(objects, batch_size=2000, update_conflicts=True, unique_fields=["household"],
                                      update_fields=["member_id", "digest", "household_version", "screened_on"])


def member_id_bounds(chunk_size: int) -> list[tuple[int, int]]:
    """Split the member ids of all households into [lo, hi) ranges of about chunk_size households."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_id FROM (SELECT member_id, ROW_NUMBER() OVER (ORDER BY member_id) AS rn "
                       f"FROM {H}) t WHERE (rn - 1) %% %s = 0 ORDER BY member_id", [int(chunk_size)])
        starts = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(member_id) FROM {H}")
        top = cursor.fetchone()[0]
    return [(lo, hi) for lo, hi in zip(starts, [*starts[1:], (top or 0) + 1], strict=False)]  # [] if none
