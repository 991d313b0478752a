#!/usr/bin/env bash
# Side by side against ccc-local on loopback: this SDK's client and Tencent's
# Python SDK (tencentcloud-sdk-python-ccc) calling DescribeAutoCalloutTasks for
# a page of 100 tasks. Prints client CPU per call for both and their ratio,
# wall time per sequential call, calls/s with 32 in flight, and ccc-local's
# CPU per answer. See README.md, "Performance".
#
# Usage: bench/compare.sh [--cpus free|same|apart] [CALLS [ROUNDS]]
#            (default 2000 Rust calls per run, a fifth as many Python ones, 5 rounds;
#            prints medians and ranges; --cpus: where ccc-local and the client run,
#            the same for both clients, see bench/compare.py; default free)
#        bench/compare.sh --smoke           (debug builds, a few calls: checks that it all runs)
#
# Needs Tencent's Python SDK in target/pyenv (as .ci/run installs it) or $CCC_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
calls=2000
rounds=5
placement=free
usage="usage: bench/compare.sh [--cpus free|same|apart] [CALLS [ROUNDS]] | --smoke"
case "${1:-}" in
  --cpus)
    case "${2:-}" in
      free|same|apart) placement=$2; shift 2 ;;
      *) echo "$usage" >&2; exit 2 ;;
    esac ;;
esac
case "${1:-}" in
  --smoke) profile=debug; calls=20; rounds=1 ;;
  "") ;;
  *[!0-9]*) echo "$usage" >&2; exit 2 ;;
  *) calls=$1 ;;
esac
case "${2:-}" in
  "") ;;
  *[!0-9]*) echo "$usage" >&2; exit 2 ;;
  *) rounds=$2 ;;
esac
if [ "$calls" -lt 1 ] || [ "$rounds" -lt 1 ]; then echo "$usage" >&2; exit 2; fi
python="${CCC_PYTHON:-target/pyenv/bin/python}"
if [ ! -x "$python" ]; then
  echo "needs Tencent's Python SDK: python3 -m venv target/pyenv && target/pyenv/bin/pip install -r tests/python/requirements.txt" >&2
  exit 1
fi

flags=()
if [ "$profile" = release ]; then flags=(--release); fi
cargo build -q "${flags[@]}" -p ccc-local --bin ccc-local
cargo build -q "${flags[@]}" -p ccc-api --example load
py_calls=$(( calls / 5 > 10 ? calls / 5 : 10 ))
"$python" bench/compare.py "target/$profile" "$calls" "$py_calls" "$rounds" "$placement"
