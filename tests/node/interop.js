// Tencent's official Node.js SDK against the ccc-local emulator.
//
// Usage: node interop.js PORT SECRET_ID SECRET_KEY SDK_APP_ID EXPECTED_TOTAL
//
// The SDK takes the signing service from the endpoint's first host label and
// signs `host` without the port, so the endpoint is `ccc.localhost:PORT`. That
// name need not resolve on the machine: the client's HTTP agent (the SDK's own
// `httpProfile.agent` option) resolves it, and only it, to 127.0.0.1, so every
// request stays on loopback and no /etc/hosts entry is needed.
//
// With each way the SDK can sign (TC3-HMAC-SHA256 over POST and GET, HmacSHA256
// over POST, HmacSHA1 over GET): pages through DescribeAutoCalloutTasks, runs a
// task through create -> describe -> pause -> resume -> stop, and checks that a
// wrong key gets AuthFailure.SignatureFailure and a missing parameter
// MissingParameter. Prints one summary line; exits non-zero on any mismatch.

"use strict";

const http = require("http");
const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/ccc/v20200210/ccc_client");

const [port, secretId, secretKey, sdkAppIdText, expectedText] = process.argv.slice(2);
const sdkAppId = Number(sdkAppIdText);
const expectedTotal = Number(expectedText);
const HOST = "ccc.localhost";

const agent = new http.Agent({
  keepAlive: false,
  lookup(hostname, options, callback) {
    if (hostname !== HOST) {
      callback(new Error(`refusing to resolve ${hostname}: this test talks to ${HOST} (loopback) only`));
    } else if (options && options.all) {
      callback(null, [{ address: "127.0.0.1", family: 4 }]);
    } else {
      callback(null, "127.0.0.1", 4);
    }
  },
});

function client(signMethod, reqMethod, key = secretKey) {
  return new Client({
    credential: { secretId, secretKey: key },
    region: "",
    profile: {
      signMethod,
      httpProfile: { protocol: "http://", endpoint: `${HOST}:${port}`, reqMethod, reqTimeout: 10, agent },
    },
  });
}

function fail(message) {
  console.error(`node interop failed: ${message}`);
  process.exit(1);
}

async function errorCode(call) {
  try {
    await call();
  } catch (e) {
    if (!e.requestId) fail(`error ${e.code} (${e.message}) came without a request id`);
    return e.code;
  }
  fail("expected an error, the call succeeded");
}

async function pageThrough(c, label, expectedTotal) {
  const ids = [];
  let pages = 0;
  for (let pageNumber = 0; pageNumber < 100; pageNumber++) {
    const resp = await c.DescribeAutoCalloutTasks({ SdkAppId: sdkAppId, PageSize: 10, PageNumber: pageNumber });
    if (resp.TotalCount !== expectedTotal) fail(`${label}: TotalCount ${resp.TotalCount}, expected ${expectedTotal}`);
    if (!resp.Tasks.length) break;
    ids.push(...resp.Tasks.map((t) => t.TaskId));
    pages++;
  }
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (ids.length !== expectedTotal || JSON.stringify(ids) !== JSON.stringify(sorted)) {
    fail(`${label}: paging returned ${ids.length} ids, not ${expectedTotal} distinct ones in order: ${ids}`);
  }
  return pages;
}

async function roundTrip(c, label) {
  const now = Math.floor(Date.now() / 1000);
  const created = await c.CreateAutoCalloutTask({
    SdkAppId: sdkAppId,
    NotBefore: now + 3600,
    Callees: ["008613900000001", "008613900000002"],
    Callers: ["008601012345678"],
    IvrId: 7,
    Name: `node ${label}`,
    Description: "made by the Node.js SDK",
  });
  const taskId = created.TaskId;
  const state = async () => (await c.DescribeAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId })).State;
  const described = await c.DescribeAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId });
  if (described.Name !== `node ${label}` || described.Callees.length !== 2) {
    fail(`${label}: task ${taskId} came back as ${JSON.stringify(described)}`);
  }
  const states = [described.State];
  await c.PauseAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId });
  states.push(await state());
  await c.ResumeAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId });
  states.push(await state());
  await c.StopAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId });
  states.push(await state());
  if (states.join(",") !== "0,5,1,4") fail(`${label}: task ${taskId} went through states ${states}, expected 0,5,1,4`);
  const again = await errorCode(() => c.ResumeAutoCalloutTask({ SdkAppId: sdkAppId, TaskId: taskId }));
  if (again !== "UnsupportedOperation") fail(`${label}: resuming an ended task got ${again}`);
  return taskId;
}

async function main() {
  const modes = [
    ["TC3-HMAC-SHA256", "POST"],
    ["TC3-HMAC-SHA256", "GET"],
    ["HmacSHA256", "POST"],
    ["HmacSHA1", "GET"],
  ];
  const created = [];
  let pages = 0;
  for (const [signMethod, reqMethod] of modes) {
    const label = `${signMethod} ${reqMethod}`;
    const c = client(signMethod, reqMethod);
    // Each round trip before this one added a task.
    pages = await pageThrough(c, label, expectedTotal + created.length);
    created.push(await roundTrip(c, label));

    const wrongKey = await errorCode(() =>
      client(signMethod, reqMethod, `wrong-${secretKey}`).DescribeAutoCalloutTasks({ SdkAppId: sdkAppId, PageSize: 10, PageNumber: 0 }),
    );
    if (wrongKey !== "AuthFailure.SignatureFailure") fail(`${label}: a wrong key got ${wrongKey}`);
    const missing = await errorCode(() => c.DescribeAutoCalloutTasks({ SdkAppId: sdkAppId, PageSize: 10 }));
    if (missing !== "MissingParameter") fail(`${label}: a missing PageNumber got ${missing}`);
  }
  console.log(
    `node interop ok: ${modes.length} signing modes; ${expectedTotal} tasks paged (${pages} pages at last); ` +
      `tasks ${created.join(",")} created, paused, resumed and stopped; wrong key -> AuthFailure.SignatureFailure; ` +
      `no PageNumber -> MissingParameter`,
  );
}

main().catch((e) => fail(`${e.code || ""} ${e.message}`));
