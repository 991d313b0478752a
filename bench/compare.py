"""Runs ccc-local, then this SDK's client (the `load` example of ccc-api) and
Tencent's Python SDK (python_client.py) against it in turn, and prints what
each costs per call. Started by bench/compare.sh, which builds the binaries.

Usage: python compare.py BIN_DIR CALLS PY_CALLS

Every figure comes from this one run on this machine, so the ratios are what
to compare between machines. CPU times are the scheduler's accounting of
every thread of a process (/proc/PID/task/*/schedstat, Linux only).
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET_ID, SECRET_KEY, SDK_APP_ID = "AKIDbenchCompare", "bench-compare-key", "1400000000"
IN_FLIGHT = 32


def cpu_seconds(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def start_emulator(bin_dir):
    emulator = subprocess.Popen(
        [os.path.join(bin_dir, "ccc-local"), "--listen", "127.0.0.1:0", "--secret-id", SECRET_ID,
         "--secret-key", SECRET_KEY, "--seed", os.path.join(HERE, "seed-100-tasks.json"), "--no-rate-limit"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = emulator.stdout.readline()
    if not line.startswith("listening on http://"):
        emulator.kill()
        sys.exit(f"ccc-local did not start: {line!r}")
    return emulator, line.strip().removeprefix("listening on ")


def run_driver(name, command, emulator_pid):
    before = cpu_seconds(emulator_pid)
    out = subprocess.run(command, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{name} failed ({out.returncode}): {out.stderr.strip()}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    answers = result["calls"] + result["warm_up"]
    result["emulator_cpu_per_answer_s"] = (cpu_seconds(emulator_pid) - before) / answers
    return result


def us(seconds):
    return f"{seconds * 1e6:9.1f} µs"


def main():
    bin_dir, calls, py_calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    emulator, url = start_emulator(bin_dir)
    try:
        rust = [os.path.join(bin_dir, "examples", "load"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        python = [sys.executable, os.path.join(HERE, "python_client.py"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        results = {
            "rust_seq": run_driver("rust, sequential", rust + [str(calls), "1"], emulator.pid),
            "python_seq": run_driver("python, sequential", python + [str(py_calls), "1"], emulator.pid),
            "rust_par": run_driver("rust, 32 in flight", rust + [str(calls), str(IN_FLIGHT)], emulator.pid),
            "python_par": run_driver("python, 32 in flight", python + [str(py_calls), str(IN_FLIGHT)], emulator.pid),
        }
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)

    def per_call(r, key):
        return r[key] / r["calls"]

    rs, ps, rp, pp = (results[k] for k in ("rust_seq", "python_seq", "rust_par", "python_par"))
    print(f"DescribeAutoCalloutTasks, a page of 100 tasks, against ccc-local on loopback ({os.cpu_count()} CPUs)")
    print(f"calls: {calls} per Rust run, {py_calls} per Python run")
    if os.path.basename(os.path.normpath(bin_dir)) == "debug":
        print("smoke run on debug builds: checks that everything runs; the figures mean nothing")
    print()
    print(f"{'':34} {'Rust (ccc-api)':>16} {'Python SDK':>16} {'ratio':>14}")
    rows = [
        ("client CPU per call, sequential", per_call(rs, "cpu_s"), per_call(ps, "cpu_s")),
        ("client CPU per call, 32 in flight", per_call(rp, "cpu_s"), per_call(pp, "cpu_s")),
        ("wall time per sequential call", per_call(rs, "wall_s"), per_call(ps, "wall_s")),
    ]
    for label, r, p in rows:
        print(f"{label:34} {us(r):>16} {us(p):>16} {p / r:8.1f}x less")
    r_rate, p_rate = rp["calls"] / rp["wall_s"], pp["calls"] / pp["wall_s"]
    print(f"{'calls/s with 32 in flight':34} {r_rate:16.0f} {p_rate:16.0f} {r_rate / p_rate:8.1f}x more")
    print(f"\nccc-local CPU per answer: {us(rs['emulator_cpu_per_answer_s'])} (Rust sequential), "
          f"{us(rp['emulator_cpu_per_answer_s']).strip()} (Rust, 32 in flight), "
          f"{us(ps['emulator_cpu_per_answer_s']).strip()} (Python sequential)")
    print("\n" + json.dumps(results))


if __name__ == "__main__":
    main()
