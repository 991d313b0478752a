"""Runs ccc-local, then this SDK's client (the `load` example of ccc-api) and
Tencent's Python SDK (python_client.py) against it in turn, and prints what
each costs per call. Started by bench/compare.sh, which builds the binaries.

Usage: python compare.py BIN_DIR CALLS PY_CALLS ROUNDS

Every figure comes from this one run on this machine, so the ratios are what
to compare between machines. CPU times are the scheduler's accounting of
every thread of a process (/proc/PID/task/*/schedstat, Linux only).
"""

import json
import os
import statistics
import subprocess
import sys

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
    return f"{seconds * 1e6:.1f} µs"


def spread(values, show):
    """The median of `values` and, when there are several, their range."""
    values = sorted(values)
    median = statistics.median(values)
    if len(values) == 1:
        return show(median)
    return f"{show(median)} ({show(values[0])} to {show(values[-1])})"


def main():
    bin_dir, calls, py_calls, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    emulator, url = start_emulator(bin_dir)
    runs = []
    try:
        rust = [os.path.join(bin_dir, "examples", "load"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        python = [sys.executable, os.path.join(HERE, "python_client.py"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        # Rounds interleave the two clients, so that both see the same
        # changes in what else the machine is doing.
        for _ in range(rounds):
            runs.append({
                "rust_seq": run_driver("rust, sequential", rust + [str(calls), "1"], emulator.pid),
                "python_seq": run_driver("python, sequential", python + [str(py_calls), "1"], emulator.pid),
                "rust_par": run_driver("rust, 32 in flight", rust + [str(calls), str(IN_FLIGHT)], emulator.pid),
                "python_par": run_driver("python, 32 in flight", python + [str(py_calls), str(IN_FLIGHT)],
                                         emulator.pid),
            })
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)

    def per_call(run, key, field):
        return run[key][field] / run[key]["calls"]

    print(f"DescribeAutoCalloutTasks, a page of 100 tasks, against ccc-local on loopback ({os.cpu_count()} CPUs)")
    print(f"{rounds} rounds of {calls} Rust and {py_calls} Python calls each, one at a time and {IN_FLIGHT} in flight;")
    print("each figure is the median of the rounds, with the lowest and highest in brackets")
    if os.path.basename(os.path.normpath(bin_dir)) == "debug":
        print("smoke run on debug builds: checks that everything runs; the figures mean nothing")
    print()
    rows = [
        ("client CPU per call, one at a time", "seq", "cpu_s", "less"),
        (f"client CPU per call, {IN_FLIGHT} in flight", "par", "cpu_s", "less"),
        ("wall time per call, one at a time", "seq", "wall_s", "less"),
    ]
    for label, mode, field, word in rows:
        rust_values = [per_call(r, f"rust_{mode}", field) for r in runs]
        python_values = [per_call(r, f"python_{mode}", field) for r in runs]
        ratios = [per_call(r, f"python_{mode}", field) / per_call(r, f"rust_{mode}", field) for r in runs]
        print(f"{label}:")
        print(f"  Rust (ccc-api)  {spread(rust_values, us)}")
        print(f"  Python SDK      {spread(python_values, us)}")
        print(f"  ratio           {spread(ratios, lambda x: f'{x:.1f}x')} {word} for Rust")
    rates = {side: [r[f"{side}_par"]["calls"] / r[f"{side}_par"]["wall_s"] for r in runs] for side in ("rust", "python")}
    print(f"calls/s with {IN_FLIGHT} in flight:")
    print(f"  Rust (ccc-api)  {spread(rates['rust'], lambda x: f'{x:.0f}')}")
    print(f"  Python SDK      {spread(rates['python'], lambda x: f'{x:.0f}')}")
    ratios = [r / p for r, p in zip(rates["rust"], rates["python"])]
    print(f"  ratio           {spread(ratios, lambda x: f'{x:.1f}x')} more for Rust")
    print("ccc-local CPU per answer:")
    for key, label in (("rust_seq", "Rust, one at a time"), ("rust_par", f"Rust, {IN_FLIGHT} in flight"),
                       ("python_seq", "Python, one at a time")):
        print(f"  {label:24} {spread([r[key]['emulator_cpu_per_answer_s'] for r in runs], us)}")
    print("\n" + json.dumps(runs))


if __name__ == "__main__":
    main()
