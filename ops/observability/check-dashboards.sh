#!/usr/bin/env bash
# Proves the dashboards against a real Prometheus. Starts Prometheus with prometheus.yml, the
# simulator with --metrics-port 9464 (embedded primary + replica) and postgres_exporter on its
# primary, lets the simulation run for a minute, then evaluates every expression of every panel of
# every dashboard in grafana/dashboards/ through Prometheus's HTTP API, at the last second of the
# load. Fails if any expression returns no series, or only NaN, or if its own targets were not the
# ones scraped. Stops everything it started.
#
# Installs nothing. Needs: apt-get install prometheus prometheus-postgres-exporter
# Usage: ops/observability/check-dashboards.sh [seconds of load, default 60]
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
seconds=${1:-60}
prometheus_bin=$(command -v prometheus || true)
exporter_bin=$(command -v prometheus-postgres-exporter || command -v postgres_exporter || true)
if [ -z "$prometheus_bin" ] || [ -z "$exporter_bin" ]; then
  echo "needs Prometheus and postgres_exporter: apt-get install prometheus prometheus-postgres-exporter" >&2
  exit 2
fi
for port in 9090 9187 9464; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "port $port is taken (a Prometheus or postgres_exporter service started by apt?): stop it first" >&2
    exit 2
  fi
done
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$prometheus_bin" --config.file=prometheus.yml --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:9090 >"$work/prometheus.log" 2>&1 &
pids+=($!)
"$root/simulate" --metrics-port 9464 --rate 300 --duration "$seconds" --warmup 10 \
  --report-dir "$work/report" >"$work/simulator.log" 2>&1 &
simulator=$!
pids+=($simulator)

port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/^primary on port \([0-9]*\),.*/\1/p' "$work/simulator.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$simulator" 2>/dev/null || { cat "$work/simulator.log" >&2; exit 1; }
  sleep 1
done
[ -n "$port" ] || { echo "the simulator did not start its servers" >&2; exit 1; }
DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$port/postgres?sslmode=disable" \
  "$exporter_bin" --web.listen-address=127.0.0.1:9187 >"$work/exporter.log" 2>&1 &
pids+=($!)
sleep 2
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a process it started has died:" >&2; tail -5 "$work"/*.log >&2; exit 1; }
done
echo "simulator running (primary on port $port); Prometheus on :9090, postgres_exporter on :9187"

until grep -q "=== Simulation summary ===" "$work/simulator.log"; do
  kill -0 "$simulator" 2>/dev/null || { tail -30 "$work/simulator.log" >&2; exit 1; }
  sleep 1
done
end=$(($(date +%s) - 3))
wait "$simulator" || { tail -30 "$work/simulator.log" >&2; exit 1; }
sleep 3

python3 - "$end" grafana/dashboards/*.json <<'PY'
import json, sys, urllib.parse, urllib.request
at, files = sys.argv[1], sys.argv[2:]
failed = 0
total = 0
for path in files:
    dashboard = json.load(open(path))
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            total += 1
            query = urllib.parse.urlencode({"query": target["expr"], "time": at})
            with urllib.request.urlopen("http://127.0.0.1:9090/api/v1/query?" + query) as response:
                result = json.load(response)["data"]["result"]
            numbers = [series["value"][1] for series in result]
            ok = bool(result) and any(value not in ("NaN", "+Inf", "-Inf") for value in numbers)
            mark = "ok   " if ok else ("NaN  " if result else "EMPTY")
            failed += 0 if ok else 1
            print(f"{mark} {len(result):3d} series  {dashboard['title']} / {panel['title']}: {target['expr']}")
# Our own targets, not some other exporter on the same ports, were the ones scraped.
for check in ('up{job="simulator"} == 1', 'up{job="postgresql"} == 1', 'pg_up == 1'):
    query = urllib.parse.urlencode({"query": check, "time": at})
    with urllib.request.urlopen("http://127.0.0.1:9090/api/v1/query?" + query) as response:
        if not json.load(response)["data"]["result"]:
            print(f"FAILED {check}")
            failed += 1
print(f"{total - failed} of {total} expressions returned series with a number")
sys.exit(1 if failed else 0)
PY
