"""Runs ccc-local, then this SDK's client (the `load` example of ccc-api) and
Tencent's Python SDK (python_client.py) against it in turn, and prints what
each costs per call. Started by bench/compare.sh, which builds the binaries.

Usage: python compare.py BIN_DIR CALLS PY_CALLS ROUNDS [PLACEMENT]

PLACEMENT says where the processes run (every client, Rust or Python, is
treated the same way):
  free   the scheduler decides (the default);
  same   ccc-local and the client on one CPU, so that each side's answer
         wakes the other on the CPU it is already on;
  apart  ccc-local on one CPU and the client on another, so that every
         request and every answer wakes a CPU that went idle.
One at a time, where the scheduler puts the two processes moves every figure
(see README.md, "Performance"): `same` and `apart` show both ends.

Every figure comes from this one run on this machine, so the ratios are what
to compare between machines. CPU times are the scheduler's accounting of
every thread of a process (/proc/PID/task/*/schedstat, Linux only).
"""

import json
import os
import resource
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


def context_switches(pid):
    """Times every thread of `pid` has given up its CPU, waiting or preempted."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                total += sum(int(line.split()[1]) for line in f
                             if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")))
        except OSError:
            pass
    return total


def children_context_switches():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_nvcsw + usage.ru_nivcsw


def pinned_to(cpu):
    """A `preexec_fn` that keeps the child on `cpu`, or None to leave it to the scheduler."""
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def placement_cpus(placement):
    """The CPUs of ccc-local and of the client for `placement`, None meaning any."""
    cpus = sorted(os.sched_getaffinity(0))
    if placement == "free":
        return None, None
    if placement == "same":
        return cpus[0], cpus[0]
    if placement == "apart":
        if len(cpus) < 2:
            sys.exit("placement `apart` needs two CPUs")
        return cpus[0], cpus[1]
    sys.exit(f"unknown placement `{placement}`: free, same or apart")


def start_emulator(bin_dir, cpu):
    emulator = subprocess.Popen(
        [os.path.join(bin_dir, "ccc-local"), "--listen", "127.0.0.1:0", "--secret-id", SECRET_ID,
         "--secret-key", SECRET_KEY, "--seed", os.path.join(HERE, "seed-100-tasks.json"), "--no-rate-limit"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=pinned_to(cpu))
    line = emulator.stdout.readline()
    if not line.startswith("listening on http://"):
        emulator.kill()
        sys.exit(f"ccc-local did not start: {line!r}")
    return emulator, line.strip().removeprefix("listening on ")


def run_driver(name, command, emulator_pid, cpu):
    before, switches_before = cpu_seconds(emulator_pid), context_switches(emulator_pid)
    client_switches_before = children_context_switches()
    out = subprocess.run(command, check=False, capture_output=True, text=True, preexec_fn=pinned_to(cpu))
    if out.returncode != 0:
        sys.exit(f"{name} failed ({out.returncode}): {out.stderr.strip()}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    answers = result["calls"] + result["warm_up"]
    result["emulator_cpu_per_answer_s"] = (cpu_seconds(emulator_pid) - before) / answers
    # Whole processes, warm-up and start included: a wake-up is one switch.
    result["emulator_switches_per_answer"] = (context_switches(emulator_pid) - switches_before) / answers
    result["client_switches_per_call"] = (children_context_switches() - client_switches_before) / answers
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
    placement = sys.argv[5] if len(sys.argv) > 5 else "free"
    emulator_cpu, client_cpu = placement_cpus(placement)
    emulator, url = start_emulator(bin_dir, emulator_cpu)
    runs = []
    try:
        rust = [os.path.join(bin_dir, "examples", "load"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        python = [sys.executable, os.path.join(HERE, "python_client.py"), url, SECRET_ID, SECRET_KEY, SDK_APP_ID]
        # Rounds interleave the two clients, so that both see the same
        # changes in what else the machine is doing.
        for _ in range(rounds):
            runs.append({
                "rust_seq": run_driver("rust, sequential", rust + [str(calls), "1"], emulator.pid, client_cpu),
                "python_seq": run_driver("python, sequential", python + [str(py_calls), "1"], emulator.pid,
                                         client_cpu),
                "rust_par": run_driver("rust, 32 in flight", rust + [str(calls), str(IN_FLIGHT)], emulator.pid,
                                       client_cpu),
                "python_par": run_driver("python, 32 in flight", python + [str(py_calls), str(IN_FLIGHT)],
                                         emulator.pid, client_cpu),
            })
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)

    def per_call(run, key, field):
        return run[key][field] / run[key]["calls"]

    print(f"DescribeAutoCalloutTasks, a page of 100 tasks, against ccc-local on loopback ({os.cpu_count()} CPUs)")
    print(f"{rounds} rounds of {calls} Rust and {py_calls} Python calls each, one at a time and {IN_FLIGHT} in flight;")
    print("each figure is the median of the rounds, with the lowest and highest in brackets")
    where = {"free": "ccc-local and the client wherever the scheduler puts them",
             "same": f"ccc-local and the client both on CPU {emulator_cpu}",
             "apart": f"ccc-local on CPU {emulator_cpu}, the client on CPU {client_cpu}"}[placement]
    print(f"placement {placement}: {where}")
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
    print("context switches per call, one at a time (client; ccc-local):")
    for side, label in (("rust", "Rust (ccc-api)"), ("python", "Python SDK")):
        client = spread([r[f"{side}_seq"]["client_switches_per_call"] for r in runs], lambda x: f"{x:.2f}")
        emulator = spread([r[f"{side}_seq"]["emulator_switches_per_answer"] for r in runs], lambda x: f"{x:.2f}")
        print(f"  {label:15} {client}; {emulator}")
    print("\n" + json.dumps(runs))


if __name__ == "__main__":
    main()
