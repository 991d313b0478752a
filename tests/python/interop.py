"""Tencent's official Python SDK against the ccc-local emulator.

Usage: python interop.py HOST:PORT SECRET_ID SECRET_KEY SDK_APP_ID EXPECTED_TOTAL

Pages through DescribeAutoCalloutTasks with tencentcloud-sdk-python-ccc,
checks that every task comes once in TaskId order, then checks that a wrong
SecretKey gets AuthFailure.SignatureFailure and a missing parameter gets
MissingParameter. Prints one summary line; exits non-zero on any mismatch.
"""

import sys

from tencentcloud.ccc.v20200210 import ccc_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile


def client(endpoint, secret_id, secret_key):
    # protocol="http" makes HttpProfile use plain HTTP (its scheme) to HOST:PORT.
    http = HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=10)
    return ccc_client.CccClient(credential.Credential(secret_id, secret_key), "", ClientProfile(httpProfile=http))


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
            sys.exit(f"error {e.get_code()} came without a request id")
        return e.get_code()
    sys.exit("expected an error, the call succeeded")


def main():
    endpoint, secret_id, secret_key, sdk_app_id, expected_total = sys.argv[1:6]
    sdk_app_id, expected_total = int(sdk_app_id), int(expected_total)
    good = client(endpoint, secret_id, secret_key)

    ids, pages, page_number = [], 0, 0
    while True:
        resp = good.DescribeAutoCalloutTasks(request(sdk_app_id, 10, page_number))
        if resp.TotalCount != expected_total:
            sys.exit(f"TotalCount {resp.TotalCount}, expected {expected_total}")
        if not resp.Tasks:
            break
        ids.extend(task.TaskId for task in resp.Tasks)
        pages += 1
        page_number += 1
    if len(ids) != expected_total or ids != sorted(set(ids)):
        sys.exit(f"paging returned {len(ids)} ids, not {expected_total} distinct ones in order: {ids}")

    wrong_key = error_code(lambda: client(endpoint, secret_id, "wrong-" + secret_key).DescribeAutoCalloutTasks(request(sdk_app_id, 10, 0)))
    if wrong_key != "AuthFailure.SignatureFailure":
        sys.exit(f"a wrong key got {wrong_key}, expected AuthFailure.SignatureFailure")

    missing = models.DescribeAutoCalloutTasksRequest()
    missing.SdkAppId = sdk_app_id
    missing.PageSize = 10
    missing_code = error_code(lambda: good.DescribeAutoCalloutTasks(missing))
    if missing_code != "MissingParameter":
        sys.exit(f"a missing PageNumber got {missing_code}, expected MissingParameter")

    print(f"python interop ok: {len(ids)} tasks in {pages} pages; wrong key -> {wrong_key}; no PageNumber -> {missing_code}")


if __name__ == "__main__":
    main()
