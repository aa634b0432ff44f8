#!/usr/bin/env bash
# Load benchmark of the citizen portal: gunicorn (2 workers) on PostgreSQL, wrk on loopback, bounded.
# Prints requests/s and p50/p95/p99 latency for a template-only page, a benefit page and the results
# page of a four-person household. Figures go to docs/benchmarks.md ("## Citizen portal").
#
#   bash scripts/bench_portal.sh            # 15 s a page, 8 connections
#   DURATION=30s CONNECTIONS=16 bash scripts/bench_portal.sh
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=welfare_bench
PORT=${PORT:-8765}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-8}
PY=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY="bench-only-not-a-secret-4fQ9zL2m"
export RRN_ENCRYPTION_KEY="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # bench-only: 32 bytes, base64
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=False  # plain HTTP on loopback
export LOG_LEVEL=WARNING

psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
$PY manage.py migrate -v0
$PY manage.py load_catalogue >/dev/null
$PY manage.py collectstatic --noinput -v0
TOKEN=$($PY manage.py shell -v0 -c "
import datetime
from eligibility import screening, services
answers = {
    'region': {'sido': '서울특별시', 'sigungu': '관악구'}, 'household_size': 4, 'anyone_disabled': False,
    'members': [dict(relation=r, birth_date=b, disability='none', pregnant=False, school='none',
                     income=dict(earned=e, business=0, public_transfer=0, private_transfer=0, property=0))
                for r, b, e in [('self', '1988-04-02', 1200000), ('spouse', '1990-09-15', 0),
                                ('child', '2019-06-01', 0), ('child', '2025-10-20', 0)]],
    'housing': {'tenure': 'rent', 'monthly_rent': 300000},
    'assets': {'housing': 20000000, 'general': 0, 'financial': 2000000, 'car_value': 0, 'car_cc': 0, 'debt': 0},
    'home_basis': 'deposit',
    'status': {'nbls_recipient': False, 'near_poor': False, 'single_parent': False},
}
draft = services.screening_draft_start()
for step in screening.STEPS:
    draft = services.screening_draft_save_step(draft=draft, step=step, answers=answers)
assert screening.is_complete(draft.answers, draft.steps_done, datetime.date.today())
print(draft.token)
")

.venv/bin/gunicorn config.wsgi -w 2 -b "127.0.0.1:${PORT}" --log-level warning &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "${BASE}/healthz" && break; sleep 0.2; done

LUA=$(mktemp --suffix=.lua)
cat >"$LUA" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("%10.1f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
LUA

bench() {
  local name=$1 path=$2
  curl -fs -o /dev/null "${BASE}${path}" || { echo "${name}: ${path} does not answer 200" >&2; exit 1; }
  for _ in $(seq 20); do curl -fs -o /dev/null "${BASE}${path}"; done  # warm both workers' caches
  printf "%-28s" "$name"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$LUA" "${BASE}${path}" | tail -n 1
}

echo "load average before: $(cut -d" " -f1-3 /proc/loadavg)"
echo "gunicorn 2 workers, PostgreSQL, wrk -t1 -c${CONNECTIONS} -d${DURATION}, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
bench "template only (how to apply)" "/applications/"
bench "benefit page" "/benefits/basic_pension/"
bench "results (4 people, 46 benefits)" "/benefits/check/${TOKEN}/results/"
rm -f "$LUA"
