"""Tencent's Python SDK (tencentcloud-sdk-python-ccc) calling DescribeAutoCalloutTasks
(a page of 100 tasks) in a loop, for bench/compare.sh.

Usage: python python_client.py ENDPOINT SECRET_ID SECRET_KEY SDK_APP_ID CALLS IN_FLIGHT

Prints one JSON line: calls, in_flight, wall_s and cpu_s, the CPU time of the
whole process (every thread, from /proc/self/task/*/schedstat, as the Rust
driver reads its own). With IN_FLIGHT > 1 the calls are spread over that many
threads, each with its own client.
"""

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tencentcloud.ccc.v20200210 import ccc_client, models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

WARM_UP = 20


def cpu_seconds():
    total = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass  # a thread that just ended
    return total / 1e9


def main():
    endpoint, secret_id, secret_key, sdk_app_id, calls, in_flight = sys.argv[1:7]
    sdk_app_id, calls, in_flight = int(sdk_app_id), int(calls), max(1, int(in_flight))
    local = threading.local()

    def one_call(_=None):
        client = getattr(local, "client", None)
        if client is None:
            http = HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=30)
            client = ccc_client.CccClient(credential.Credential(secret_id, secret_key), "", ClientProfile(httpProfile=http))
            local.client = client
        req = models.DescribeAutoCalloutTasksRequest()
        req.SdkAppId, req.PageSize, req.PageNumber = sdk_app_id, 100, 0
        resp = client.DescribeAutoCalloutTasks(req)
        if len(resp.Tasks) != 100:
            sys.exit(f"expected 100 tasks, got {len(resp.Tasks)}")

    if in_flight == 1:
        for _ in range(WARM_UP):
            one_call()
        started, cpu_before = time.perf_counter(), cpu_seconds()
        for _ in range(calls):
            one_call()
        wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    else:
        with ThreadPoolExecutor(in_flight) as pool:
            # Warm every worker's client (connection, first imports) before measuring.
            list(pool.map(one_call, range(max(WARM_UP, 4 * in_flight))))
            started, cpu_before = time.perf_counter(), cpu_seconds()
            list(pool.map(one_call, range(calls)))
            wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    warm_up = WARM_UP if in_flight == 1 else max(WARM_UP, 4 * in_flight)
    print(json.dumps({"calls": calls, "in_flight": in_flight, "warm_up": warm_up, "wall_s": wall, "cpu_s": cpu}))


if __name__ == "__main__":
    main()
