#!/usr/bin/env bash
# The README's offline demo, as one script: start the fake registry, crawl it, restart it as next week's hub
# (generation 1: ~1% of the models changed), crawl again (only the changes are fetched), show the runs and query
# the database the crawls wrote. Stops the fake registry it started, whatever happens.
#
#   scripts/demo.sh [WORKDIR]        (default: data/demo; needs `pip install -e .` in a clone of the repository)
#   DEMO_MODELS=N                    models of the fake hub (default 2000)
#
# WORKDIR/demo.db is the database (start again: delete WORKDIR), WORKDIR/crawl-*.log the crawls' logs.
set -euo pipefail
cd "$(dirname "$0")/.."

work="${1:-data/demo}"
models="${DEMO_MODELS:-2000}"
mkdir -p "$work"
export DATABASE_URL="sqlite:///$work/demo.db" SNAPSHOT_STORE="$work/snapshots"
unset REDIS_URL HF_TOKEN  # one process, anonymous: the fake needs neither

fake_pid=""
stop_fake() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
    fake_pid=""
  fi
}
trap stop_fake EXIT
trap 'exit 130' INT TERM

start_fake() {  # GENERATION: sets $endpoint
  : >"$work/fakehub.json"
  python -m fakehub --port 0 --models "$models" --seed 1 --generation "$1" >"$work/fakehub.json" \
    2>"$work/fakehub.log" &
  fake_pid=$!
  for _ in $(seq 300); do
    [ -s "$work/fakehub.json" ] && break
    kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fakehub.log" >&2; exit 1; }
    sleep 0.1
  done
  endpoint="$(python -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["hf_endpoint"])' \
    "$work/fakehub.json")"
  echo "== fake Hugging Face hub, generation $1, $models models: $endpoint"
}

crawl() {  # N
  echo "== scrapy crawl hf_models (log: $work/crawl-$1.log)"
  HF_ENDPOINT="$endpoint" scrapy crawl hf_models --logfile "$work/crawl-$1.log"
  scrapy progress hf_models
}

start_fake 0
crawl 1
stop_fake
start_fake 1
crawl 2
stop_fake

echo "== what the crawls wrote ($work/demo.db)"
python - "$work/demo.db" <<'PY'
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
queries = {
    "models (PeaTMOSS table model)": "SELECT COUNT(*) FROM model",
    "crawl runs": "SELECT id, status, started_at, finished_at FROM crawl_run ORDER BY id",
    "observations per run (downloads, likes, sha of every model at every crawl)":
        "SELECT run_id, COUNT(*) FROM crawl_model_observation GROUP BY run_id ORDER BY run_id",
    "models whose sha changed between the runs (their details were fetched again)":
        "SELECT COUNT(*) FROM (SELECT model_id FROM crawl_model_observation GROUP BY model_id"
        " HAVING COUNT(DISTINCT sha) > 1)",
    "the 5 most downloaded models":
        "SELECT context_id, downloads FROM model ORDER BY downloads DESC LIMIT 5",
}
for title, sql in queries.items():
    print(f"-- {title}\n{sql}")
    for row in db.execute(sql):
        print("  ", *row)
PY
