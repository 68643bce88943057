#!/bin/bash
# The 22-validator guangdong preset under overload, then lower load (docs/benchmarks.md, "The 22-validator preset under
# overload"). Usage: scripts/bench-overload.sh LEDGER_BIN_DIR OUT_DIR BASE_PORT
#   LEDGER_BIN_DIR: a Release build of tools/Ledger.Cli (the directory holding `ledger`); OUT_DIR is wiped first.
set -u
BIN=$1; L=$2; PORT=$3
rm -rf "$L"; mkdir -p "$L"
exec > "$L/run.log" 2>&1
date -u; uptime
"$BIN/ledger" network init --preset guangdong --out "$L/net" --base-port "$PORT" --kdf-iterations 1000 | tail -1
PIDS=()
for c in "$L"/net/nodes/*/config.json; do
  n=$(basename "$(dirname "$c")")
  "$BIN/ledger" node --config "$c" > "$L/node-$n.log" 2>&1 &
  PIDS+=($!)
done
trap 'kill "${PIDS[@]}" 2>/dev/null; wait' EXIT
for i in $(seq 0 21); do
  p=$((PORT + 2*i + 1))
  for _ in $(seq 1 600); do curl -sk "https://127.0.0.1:$p/healthz" >/dev/null && break; sleep 1; done
done
date -u; echo "all healthy"; uptime
NODE="https://127.0.0.1:$PORT"
"$BIN/ledger" bench --dir "$L/net" --node "$NODE" --txs 3000 --rate 100 --concurrency 3000 --crypto-seconds 3
date -u; uptime
"$BIN/ledger" bench --dir "$L/net" --node "$NODE" --txs 3000 --rate 50 --concurrency 3000 --crypto-seconds 3
date -u; uptime
"$BIN/ledger" bench --dir "$L/net" --node "$NODE" --txs 150 --rate 5 --concurrency 150 --crypto-seconds 1
date -u; uptime
