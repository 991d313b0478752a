"""Tencent's official Python SDK against the ccc-local emulator.

Usage: python interop.py HOST:PORT SECRET_ID SECRET_KEY SDK_APP_ID EXPECTED_TOTAL

With each way the SDK can sign (TC3-HMAC-SHA256 over POST and GET, and the
older HmacSHA256 and HmacSHA1 over form-encoded POST and GET), pages through
DescribeAutoCalloutTasks with tencentcloud-sdk-python-ccc, checks that every
task comes once in TaskId order, runs a new task through create -> describe ->
pause -> resume -> stop, then checks that a wrong SecretKey gets
AuthFailure.SignatureFailure and a missing parameter gets MissingParameter.
Prints one summary line; exits non-zero on any mismatch.
"""

import sys
import time

from tencentcloud.ccc.v20200210 import ccc_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

MODES = [
    ("TC3-HMAC-SHA256", "POST"),
    ("TC3-HMAC-SHA256", "GET"),
    ("HmacSHA256", "POST"),
    ("HmacSHA1", "GET"),
]


def client(endpoint, secret_id, secret_key, sign_method="TC3-HMAC-SHA256", req_method="POST"):
    # protocol="http" makes HttpProfile use plain HTTP (its scheme) to HOST:PORT.
    http = HttpProfile(protocol="http", endpoint=endpoint, reqMethod=req_method, reqTimeout=10)
    profile = ClientProfile(httpProfile=http, signMethod=sign_method)
    return ccc_client.CccClient(credential.Credential(secret_id, secret_key), "", profile)


def request(sdk_app_id, page_size, page_number):
    req = models.DescribeAutoCalloutTasksRequest()
    req.SdkAppId = sdk_app_id
    req.PageSize = page_size
    req.PageNumber = page_number
    return req


def error_code(call):
    try:
        call()
    except TencentCloudSDKException as e:
        if not e.get_request_id():
            sys.exit(f"error {e.get_code()} ({e.get_message()}) came without a request id")
        return e.get_code()
    sys.exit("expected an error, the call succeeded")


def page_through(c, label, sdk_app_id, expected_total):
    ids, pages = [], 0
    for page_number in range(100):
        resp = c.DescribeAutoCalloutTasks(request(sdk_app_id, 10, page_number))
        if resp.TotalCount != expected_total:
            sys.exit(f"{label}: TotalCount {resp.TotalCount}, expected {expected_total}")
        if not resp.Tasks:
            break
        ids.extend(task.TaskId for task in resp.Tasks)
        pages += 1
    if len(ids) != expected_total or ids != sorted(set(ids)):
        sys.exit(f"{label}: paging returned {len(ids)} ids, not {expected_total} distinct ones in order: {ids}")
    return pages


def with_task(model, sdk_app_id, task_id):
    req = model()
    req.SdkAppId = sdk_app_id
    req.TaskId = task_id
    return req


def round_trip(c, label, sdk_app_id):
    create = models.CreateAutoCalloutTaskRequest()
    create.SdkAppId = sdk_app_id
    create.NotBefore = int(time.time()) + 3600
    create.Callees = ["008613900000001", "008613900000002"]
    create.Callers = ["008601012345678"]
    create.IvrId = 7
    create.Name = f"python {label}"
    task_id = c.CreateAutoCalloutTask(create).TaskId

    def state():
        return c.DescribeAutoCalloutTask(with_task(models.DescribeAutoCalloutTaskRequest, sdk_app_id, task_id)).State

    described = c.DescribeAutoCalloutTask(with_task(models.DescribeAutoCalloutTaskRequest, sdk_app_id, task_id))
    if described.Name != f"python {label}" or len(described.Callees) != 2:
        sys.exit(f"{label}: task {task_id} came back as {described}")
    states = [described.State]
    c.PauseAutoCalloutTask(with_task(models.PauseAutoCalloutTaskRequest, sdk_app_id, task_id))
    states.append(state())
    c.ResumeAutoCalloutTask(with_task(models.ResumeAutoCalloutTaskRequest, sdk_app_id, task_id))
    states.append(state())
    c.StopAutoCalloutTask(with_task(models.StopAutoCalloutTaskRequest, sdk_app_id, task_id))
    states.append(state())
    if states != [0, 5, 1, 4]:
        sys.exit(f"{label}: task {task_id} went through states {states}, expected [0, 5, 1, 4]")
    return task_id


def main():
    endpoint, secret_id, secret_key, sdk_app_id, expected_total = sys.argv[1:6]
    sdk_app_id, expected_total = int(sdk_app_id), int(expected_total)
    created, pages = [], 0
    for sign_method, req_method in MODES:
        label = f"{sign_method} {req_method}"
        good = client(endpoint, secret_id, secret_key, sign_method, req_method)
        # Each round trip before this one added a task.
        pages = page_through(good, label, sdk_app_id, expected_total + len(created))
        created.append(round_trip(good, label, sdk_app_id))

        bad = client(endpoint, secret_id, "wrong-" + secret_key, sign_method, req_method)
        wrong_key = error_code(lambda: bad.DescribeAutoCalloutTasks(request(sdk_app_id, 10, 0)))
        if wrong_key != "AuthFailure.SignatureFailure":
            sys.exit(f"{label}: a wrong key got {wrong_key}, expected AuthFailure.SignatureFailure")

        missing = models.DescribeAutoCalloutTasksRequest()
        missing.SdkAppId = sdk_app_id
        missing.PageSize = 10
        missing_code = error_code(lambda: good.DescribeAutoCalloutTasks(missing))
        if missing_code != "MissingParameter":
            sys.exit(f"{label}: a missing PageNumber got {missing_code}, expected MissingParameter")

    print(
        f"python interop ok: {len(MODES)} signing modes; {expected_total} tasks paged ({pages} pages at last); "
        f"tasks {','.join(map(str, created))} created, paused, resumed and stopped; "
        f"wrong key -> AuthFailure.SignatureFailure; no PageNumber -> MissingParameter"
    )


if __name__ == "__main__":
    main()
