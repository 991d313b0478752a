#!/usr/bin/env bash
# Starts the ccc-local binary on a free port and runs interop.py (Tencent's
# Python SDK) and, given a node_modules folder, tests/node/interop.js (Tencent's
# Node.js SDK) against it, then stops it with SIGTERM and checks it exits cleanly.
# Usage: tests/python/run-against-binary.sh PYTHON [NODE_MODULES]
set -euo pipefail
cd "$(dirname "$0")/../.."
python="$1"
node_modules="${2:-}"
id=AKIDciInterop
key=ci-interop-key
cargo build -q -p ccc-local --bin ccc-local
out=$(mktemp)
log=$(mktemp)
# The scripts make dozens of calls a second, more than the spec's rate limits
# allow; those are tested in crates/ccc-local/tests/emulator.rs.
target/debug/ccc-local --listen 127.0.0.1:0 --secret-id "$id" --secret-key "$key" --no-rate-limit >"$out" 2>"$log" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; rm -f "$out" "$log"' EXIT
for _ in $(seq 100); do
  if grep -q '^listening on ' "$out"; then break; fi
  sleep 0.05
done
addr=$(sed -n 's#^listening on http://##p' "$out" | head -n1)
if [ -z "$addr" ]; then echo "ccc-local did not start:"; cat "$log"; exit 1; fi
"$python" tests/python/interop.py "$addr" "$id" "$key" 1400000000 36
if [ -n "$node_modules" ]; then
  # Python created 4 tasks above.
  NODE_PATH="$node_modules" node tests/node/interop.js "${addr##*:}" "$id" "$key" 1400000000 40
fi
kill -TERM "$pid"
wait "$pid"
echo "ccc-local stopped cleanly; $(grep -c 'outcome=' "$log") requests logged"
