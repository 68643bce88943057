#!/usr/bin/env bash
# Paper batches, end to end on a one-validator devnet (issue 18): documents/s anchored by `ledger contract
# upload-paper-batch`, against a baseline measured in the same run on the same node — single-document txs/s from
# `ledger bench` (register txs: one document each, what anchoring the documents one by one would give).
# Usage: scripts/bench-paper-batch.sh [DOCUMENTS (100000)] [BASELINE TXS (3000)] [DIR (/tmp/paper-batch-bench)]
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-100000}
TXS=${2:-3000}
DIR=${3:-/tmp/paper-batch-bench}
PORT=${PORT:-7950}
LEDGER="dotnet tools/Ledger.Cli/bin/Release/net10.0/ledger.dll"
dotnet build tools/Ledger.Cli/Ledger.Cli.csproj -c Release -v quiet -nologo >/dev/null
rm -rf "$DIR" && mkdir -p "$DIR"
$LEDGER network init --preset devnet --validators 1 --out "$DIR/net" --base-port "$PORT" --kdf-iterations 1000 >/dev/null
export LEDGER_PASSPHRASE="$(cat "$DIR/net/passphrase")"
$LEDGER node --config "$DIR/net/nodes/guangdong/config.json" >"$DIR/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -skf "https://127.0.0.1:$((PORT + 1))/healthz" >/dev/null && break; sleep 0.5; done
cpu() { awk '{print $14 + $15}' "/proc/$NODE/stat"; }      # node utime + stime, clock ticks
TICK=$(getconf CLK_TCK)

python3 - "$DOCS" "$DIR/manifest.csv" <<'PY'
import hashlib, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("document,contract_id,grade\n")
    for i in range(n):
        f.write(f"{hashlib.sha256(f'paper contract {i}'.encode()).hexdigest()},GZ-LEGACY-{i:07d},{1 if i % 7 == 0 else 2}\n")
PY

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
$LEDGER bench --dir "$DIR/net" --node "https://127.0.0.1:$PORT" --txs 1000 --concurrency 500 >/dev/null   # warm-up
C0=$(cpu); T0=$(date +%s.%N)
$LEDGER bench --dir "$DIR/net" --node "https://127.0.0.1:$PORT" --txs "$TXS" --concurrency 1000 | tee "$DIR/baseline.txt"
T1=$(date +%s.%N); C1=$(cpu)
$LEDGER contract upload-paper-batch --manifest "$DIR/manifest.csv" --node "https://127.0.0.1:$PORT" --transport-ca "$DIR/net/transport-ca.pem" \
  --key "$DIR/net/signers/guangzhou/signer.key" --cert "$DIR/net/signers/guangzhou/signer.pem" \
  --passphrase-env LEDGER_PASSPHRASE --allow-weak-kdf | tee "$DIR/batch.txt" | grep -v '^\['
T2=$(date +%s.%N); C2=$(cpu)
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$TXS" "$DOCS" "$T0" "$T1" "$T2" "$C0" "$C1" "$C2" "$TICK" "$DIR" <<'PY'
import re, sys
txs, docs = int(sys.argv[1]), int(sys.argv[2])
t0, t1, t2 = map(float, sys.argv[3:6]); c0, c1, c2, tick = map(float, sys.argv[6:10]); d = sys.argv[10]
base = float(re.search(r"sustained tx/s \| (\d+)", open(f"{d}/baseline.txt").read()).group(1))
own = re.search(r"\(([\d.]+) s, (\d+) documents/s; manifest and root ([\d.]+) s\)", open(f"{d}/batch.txt").read())
batch = docs / (t2 - t1)
print(f"baseline: `ledger bench` sustained {base:,.0f} single-document txs/s = {base:,.0f} documents/s; node CPU {(c1 - c0) / tick / txs * 1e6:,.0f} us per document (bench process included in the window)")
print(f"batch:    {docs} documents in {t2 - t1:.2f} s wall (CLI process start and manifest included) = {batch:,.0f} documents/s; "
      f"the CLI's own clock: {own.group(1)} s ({own.group(2)} documents/s, of which manifest and root {own.group(3)} s); node CPU {(c2 - c1) / tick / docs * 1e6:,.1f} us per document")
print(f"ratio batch / baseline: {batch / base:.1f}x (wall), {float(own.group(2)) / base:.1f}x (CLI clock)")
PY
