//! The emulator over real HTTP: signing, every error code it answers, paging and rate limits.
//!
//! Requests are signed here with the steps of `tencentcloud_runtime::sign`, so
//! each test controls exactly which headers are signed and with what time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use ccc_local::auth::{SignedRequest, TokenPolicy, Verifier};
use ccc_local::{Emulator, ManualClock, RunningEmulator, Seed};
use serde::Deserialize;
use serde_json::{Value, json};
use tencentcloud_runtime::sign::{
    authorization, canonical_request, credential_scope, payload_hash, signature, signed_headers,
    signing_key, string_to_sign, utc_date,
};

const ID: &str = "AKIDlocaltest";
const KEY: &str = "local-test-secret";
const ACTION: &str = "DescribeAutoCalloutTasks";
const NOW: i64 = 1_717_200_000;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// One request to build, sign and send; fields default to a valid call.
#[derive(Clone)]
struct Call {
    action: Option<String>,
    version: Option<String>,
    body: Vec<u8>,
    secret_id: String,
    secret_key: String,
    timestamp: i64,
    /// Header names to sign, besides their values taken from the request.
    signed: Vec<&'static str>,
    token: Option<String>,
    authorization: Option<String>,
    content_type: String,
}

impl Call {
    fn new(timestamp: i64) -> Self {
        Call {
            action: Some(ACTION.to_owned()),
            version: Some("2020-02-10".to_owned()),
            body: br#"{"SdkAppId":1400000000,"PageSize":10,"PageNumber":0}"#.to_vec(),
            secret_id: ID.to_owned(),
            secret_key: KEY.to_owned(),
            timestamp,
            signed: vec!["content-type", "host"],
            token: None,
            authorization: None,
            content_type: "application/json".to_owned(),
        }
    }

    fn body(mut self, body: Value) -> Self {
        self.body = body.to_string().into_bytes();
        self
    }

    fn page(self, app: u64, size: u64, number: u64) -> Self {
        self.body(json!({"SdkAppId": app, "PageSize": size, "PageNumber": number}))
    }

    /// The headers as sent, Authorization included.
    fn headers(&self, host: &str) -> Vec<(String, String)> {
        let mut headers = vec![
            ("Content-Type".to_owned(), self.content_type.clone()),
            ("Host".to_owned(), host.to_owned()),
            ("X-TC-Timestamp".to_owned(), self.timestamp.to_string()),
        ];
        if let Some(action) = &self.action {
            headers.push(("X-TC-Action".to_owned(), action.clone()));
        }
        if let Some(version) = &self.version {
            headers.push(("X-TC-Version".to_owned(), version.clone()));
        }
        if let Some(token) = &self.token {
            headers.push(("X-TC-Token".to_owned(), token.clone()));
        }
        let to_sign: Vec<(&str, &str)> = self
            .signed
            .iter()
            .map(|name| {
                let value = headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str());
                (*name, value.unwrap_or(""))
            })
            .collect();
        let canonical =
            canonical_request("POST", "/", "", &to_sign, &payload_hash(&self.body, false));
        let date = utc_date(self.timestamp);
        let scope = credential_scope(&date, "ccc");
        let sig = signature(
            &signing_key(&self.secret_key, &date, "ccc"),
            &string_to_sign(self.timestamp, &scope, &canonical),
        );
        let auth = self.authorization.clone().unwrap_or_else(|| {
            authorization(&self.secret_id, &scope, &signed_headers(&to_sign), &sig)
        });
        headers.push(("Authorization".to_owned(), auth));
        headers
    }

    async fn send(&self, emulator: &RunningEmulator) -> (Value, reqwest::header::HeaderMap) {
        let host = emulator.addr().to_string();
        let mut request = reqwest::Client::new()
            .post(emulator.url())
            .body(self.body.clone());
        for (name, value) in self.headers(&host) {
            if name != "Host" {
                request = request.header(name, value);
            }
        }
        let response = request.send().await.expect("the emulator answers");
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        let body: Value = response.json_or_panic().await;
        (body["Response"].clone(), headers)
    }

    /// Sends and returns the error code, or `Success`.
    async fn code(&self, emulator: &RunningEmulator) -> String {
        let (response, _) = self.send(emulator).await;
        response["Error"]["Code"]
            .as_str()
            .unwrap_or("Success")
            .to_owned()
    }

    /// Sends and returns the error (code, message), failing on success.
    async fn error(&self, emulator: &RunningEmulator) -> (String, String) {
        let (response, _) = self.send(emulator).await;
        let error = &response["Error"];
        assert!(error.is_object(), "expected an error, got {response}");
        assert!(
            response["RequestId"]
                .as_str()
                .is_some_and(|id| !id.is_empty())
        );
        (
            error["Code"].as_str().unwrap().to_owned(),
            error["Message"].as_str().unwrap().to_owned(),
        )
    }
}

trait JsonOrPanic {
    async fn json_or_panic(self) -> Value;
}

impl JsonOrPanic for reqwest::Response {
    async fn json_or_panic(self) -> Value {
        let bytes = self.bytes().await.expect("body");
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    }
}

async fn start_with_clock(clock: ManualClock) -> RunningEmulator {
    Emulator::builder()
        .credentials(ID, KEY)
        .clock(clock)
        .start()
        .await
        .unwrap()
}

async fn start() -> RunningEmulator {
    start_with_clock(ManualClock::at(NOW)).await
}

#[tokio::test]
async fn sdk_style_signature_is_accepted() {
    let emulator = start().await;
    let (response, headers) = Call::new(NOW).send(&emulator).await;
    assert!(response.get("Error").is_none(), "{response}");
    assert_eq!(response["TotalCount"], 36);
    assert_eq!(response["Tasks"].as_array().unwrap().len(), 10);
    let date = headers.get("date").unwrap().to_str().unwrap();
    assert_eq!(date, "Sat, 01 Jun 2024 00:00:00 GMT");
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    emulator.shutdown().await;
}

#[tokio::test]
async fn documented_signed_headers_with_action_are_accepted() {
    let emulator = start().await;
    let mut call = Call::new(NOW);
    call.signed = vec!["content-type", "host", "x-tc-action"];
    assert_eq!(call.code(&emulator).await, "Success");
    // The action is signed lowercased, so tampering with it breaks the signature.
    let headers = call.headers(&emulator.addr().to_string());
    let auth = headers
        .iter()
        .find(|(n, _)| n == "Authorization")
        .unwrap()
        .1
        .clone();
    let mut tampered = call.clone();
    tampered.action = Some("DescribeAutoCalloutTask".to_owned());
    tampered.authorization = Some(auth);
    assert_eq!(
        tampered.code(&emulator).await,
        "AuthFailure.SignatureFailure"
    );
}

#[tokio::test]
async fn request_ids_are_fresh() {
    let emulator = start().await;
    let (a, _) = Call::new(NOW).send(&emulator).await;
    let (b, _) = Call::new(NOW).send(&emulator).await;
    let (a, b) = (
        a["RequestId"].as_str().unwrap().to_owned(),
        b["RequestId"].as_str().unwrap().to_owned(),
    );
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
}

#[tokio::test]
async fn each_auth_failure_code() {
    let emulator = start().await;

    let mut call = Call::new(NOW);
    call.authorization = Some("Bearer abc".to_owned());
    let (code, message) = call.error(&emulator).await;
    assert_eq!(code, "AuthFailure.InvalidAuthorization");
    assert!(message.contains("TC3-HMAC-SHA256"), "{message}");

    let mut call = Call::new(NOW);
    call.authorization = Some("TC3-HMAC-SHA256 Credential=AKIDlocaltest/2024-06-01/ccc, SignedHeaders=content-type;host, Signature=00".to_owned());
    assert_eq!(
        call.error(&emulator).await.0,
        "AuthFailure.InvalidAuthorization"
    );

    let mut call = Call::new(NOW);
    call.secret_id = "AKIDunknown".to_owned();
    let (code, message) = call.error(&emulator).await;
    assert_eq!(code, "AuthFailure.SecretIdNotFound");
    assert!(message.contains("AKIDunknown"));

    let mut call = Call::new(NOW);
    call.secret_key = "wrong".to_owned();
    assert_eq!(
        call.error(&emulator).await.0,
        "AuthFailure.SignatureFailure"
    );

    // The body is signed: changing it after signing fails.
    let call = Call::new(NOW);
    let headers = call.headers(&emulator.addr().to_string());
    let mut tampered = call.clone().page(1_400_000_000, 11, 0);
    tampered.authorization = Some(
        headers
            .iter()
            .find(|(n, _)| n == "Authorization")
            .unwrap()
            .1
            .clone(),
    );
    assert_eq!(
        tampered.error(&emulator).await.0,
        "AuthFailure.SignatureFailure"
    );

    // Five minutes either way is fine, a second more is not.
    assert_eq!(Call::new(NOW - 300).code(&emulator).await, "Success");
    assert_eq!(Call::new(NOW + 300).code(&emulator).await, "Success");
    assert_eq!(
        Call::new(NOW - 301).error(&emulator).await.0,
        "AuthFailure.SignatureExpire"
    );
    assert_eq!(
        Call::new(NOW + 301).error(&emulator).await.0,
        "AuthFailure.SignatureExpire"
    );

    let mut call = Call::new(NOW);
    call.token = Some("session-token".to_owned());
    assert_eq!(call.error(&emulator).await.0, "AuthFailure.TokenFailure");
}

#[tokio::test]
async fn tokens_are_accepted_only_when_configured() {
    let only = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .token_policy(TokenPolicy::AcceptOnly(vec!["good".to_owned()]))
        .start()
        .await
        .unwrap();
    let mut call = Call::new(NOW);
    call.token = Some("good".to_owned());
    assert_eq!(call.code(&only).await, "Success");
    call.token = Some("bad".to_owned());
    assert_eq!(call.code(&only).await, "AuthFailure.TokenFailure");

    let any = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .token_policy(TokenPolicy::AcceptAny)
        .start()
        .await
        .unwrap();
    assert_eq!(call.code(&any).await, "Success");
}

#[tokio::test]
async fn each_validation_error_names_the_parameter() {
    let emulator = start().await;
    let cases: Vec<(Call, &str, &str)> = vec![
        (
            Call {
                action: Some("DescribeNothing".into()),
                ..Call::new(NOW)
            },
            "InvalidAction",
            "DescribeNothing",
        ),
        (
            Call {
                action: None,
                ..Call::new(NOW)
            },
            "MissingParameter",
            "Action",
        ),
        (
            Call {
                version: Some("2017-03-12".into()),
                ..Call::new(NOW)
            },
            "NoSuchVersion",
            "2017-03-12",
        ),
        (
            Call {
                version: None,
                ..Call::new(NOW)
            },
            "MissingParameter",
            "Version",
        ),
        (
            Call::new(NOW).body(json!({"SdkAppId": 1400000000, "PageSize": 10})),
            "MissingParameter",
            "`PageNumber`",
        ),
        (
            Call::new(NOW)
                .body(json!({"SdkAppId": 1400000000, "PageSize": 10, "PageNumber": 0, "Limit": 5})),
            "UnknownParameter",
            "`Limit`",
        ),
        (
            Call::new(NOW).body(json!({"SdkAppId": "1400000000", "PageSize": 10, "PageNumber": 0})),
            "InvalidParameter",
            "`SdkAppId`",
        ),
        (
            Call::new(NOW).body(json!({"SdkAppId": 1400000000, "PageSize": true, "PageNumber": 0})),
            "InvalidParameter",
            "`PageSize`",
        ),
        (
            Call::new(NOW).body(json!({"SdkAppId": 1400000000, "PageSize": 10, "PageNumber": -1})),
            "InvalidParameterValue",
            "`PageNumber`",
        ),
        (
            Call::new(NOW).page(1_400_000_000, 0, 0),
            "InvalidParameterValue",
            "`PageSize`",
        ),
        (
            Call::new(NOW).page(1_400_000_000, 101, 0),
            "InvalidParameterValue",
            "`PageSize`",
        ),
        (
            Call::new(NOW).page(42, 10, 0),
            "InvalidParameterValue.InstanceNotExist",
            "42",
        ),
        (
            Call {
                content_type: "text/plain".into(),
                ..Call::new(NOW)
            },
            "InvalidRequest",
            "text/plain",
        ),
        (
            Call {
                body: b"{not json".to_vec(),
                ..Call::new(NOW)
            },
            "InvalidRequest",
            "JSON",
        ),
    ];
    for (call, code, named) in cases {
        let (got, message) = call.error(&emulator).await;
        assert_eq!(got, code, "{message}");
        assert!(message.contains(named), "`{message}` does not name {named}");
    }
    // The bounds themselves are fine.
    assert_eq!(
        Call::new(NOW)
            .page(1_400_000_000, 1, 0)
            .code(&emulator)
            .await,
        "Success"
    );
    assert_eq!(
        Call::new(NOW)
            .page(1_400_000_000, 100, 0)
            .code(&emulator)
            .await,
        "Success"
    );
}

#[tokio::test]
async fn bodies_over_ten_megabytes_are_refused() {
    let emulator = start().await;
    let mut big = br#"{"SdkAppId":1400000000,"PageSize":10,"PageNumber":0,"Pad":""#.to_vec();
    big.resize(ccc_local::MAX_REQUEST_BYTES + 1, b' ');
    let call = Call {
        body: big,
        ..Call::new(NOW)
    };
    let (code, message) = call.error(&emulator).await;
    assert_eq!(code, "RequestSizeLimitExceeded");
    assert!(message.contains("10485760"), "{message}");
}

#[tokio::test]
async fn paging_walks_every_task_once_in_task_id_order() {
    let emulator = start().await;
    let mut ids = Vec::new();
    let mut sizes = Vec::new();
    for page in 0..5 {
        let (response, _) = Call::new(NOW)
            .page(1_400_000_000, 10, page)
            .send(&emulator)
            .await;
        assert_eq!(response["TotalCount"], 36);
        let tasks = response["Tasks"].as_array().unwrap();
        sizes.push(tasks.len());
        ids.extend(tasks.iter().map(|t| t["TaskId"].as_u64().unwrap()));
    }
    assert_eq!(sizes, [10, 10, 10, 6, 0]);
    assert_eq!(ids, (1001..=1036).collect::<Vec<_>>());

    let (response, _) = Call::new(NOW)
        .page(1_400_000_000, 100, 0)
        .send(&emulator)
        .await;
    let tasks = response["Tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 36);
    assert!(tasks.iter().any(|t| t["NotAfter"].is_null()));
    assert!(
        tasks
            .iter()
            .any(|t| t.get("MaxRingTimeoutSecond").is_none())
    );
    let states: BTreeSet<u64> = tasks.iter().map(|t| t["State"].as_u64().unwrap()).collect();
    assert_eq!(states, (0..=5).collect());

    // A page far past the end (page * size overflowing u64 included) is empty, not an error.
    let (response, _) = Call::new(NOW)
        .page(1_400_000_000, 100, u64::MAX)
        .send(&emulator)
        .await;
    assert_eq!(response["Tasks"], json!([]));
    assert_eq!(response["TotalCount"], 36);
}

#[tokio::test]
async fn seed_data_replaces_the_demo() {
    let seed = Seed::from_json(
        r#"{"Applications":[{"SdkAppId":7,"AutoCalloutTasks":[
            {"TaskId":9,"Name":"b","CalleeCount":1,"Callers":["1"],"NotBefore":0,"NotAfter":5,"IvrId":1,"State":5},
            {"TaskId":3,"Name":"a","CalleeCount":2,"Callers":[],"NotBefore":0,"NotAfter":null,"IvrId":1,"State":0}]}]}"#,
    )
    .unwrap();
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .seed(seed)
        .start()
        .await
        .unwrap();
    let (response, _) = Call::new(NOW).page(7, 10, 0).send(&emulator).await;
    assert_eq!(response["TotalCount"], 2);
    assert_eq!(response["Tasks"][0]["TaskId"], 3);
    assert_eq!(response["Tasks"][1]["TaskId"], 9);
    assert_eq!(
        Call::new(NOW)
            .page(1_400_000_000, 10, 0)
            .code(&emulator)
            .await,
        "InvalidParameterValue.InstanceNotExist"
    );

    let bad = Seed::from_json(
        r#"{"Applications":[{"SdkAppId":7,"AutoCalloutTasks":[{"TaskId":1,"State":"x"}]}]}"#,
    )
    .unwrap();
    let err = Emulator::builder()
        .credentials(ID, KEY)
        .seed(bad)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AutoCalloutTasks.0"), "{err}");
}

#[tokio::test]
async fn rate_limit_is_per_application_and_refills() {
    let seed = Seed::from_json(r#"{"Applications":[{"SdkAppId":1},{"SdkAppId":2}]}"#).unwrap();
    let clock = ManualClock::at(NOW);
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .clock(clock.clone())
        .seed(seed.clone())
        .start()
        .await
        .unwrap();
    for i in 0..20 {
        assert_eq!(
            Call::new(NOW).page(1, 10, 0).code(&emulator).await,
            "Success",
            "call {i}"
        );
    }
    let (code, message) = Call::new(NOW).page(1, 10, 0).error(&emulator).await;
    assert_eq!(code, "RequestLimitExceeded");
    assert!(message.contains("20 per second"), "{message}");
    // Another application is not affected.
    assert_eq!(
        Call::new(NOW).page(2, 10, 0).code(&emulator).await,
        "Success"
    );
    // Half a second later, ten more calls pass.
    clock.advance(Duration::from_millis(500));
    let passed = {
        let mut passed = 0;
        for _ in 0..15 {
            if Call::new(NOW).page(1, 10, 0).code(&emulator).await == "Success" {
                passed += 1;
            }
        }
        passed
    };
    assert_eq!(passed, 10);

    let unlimited = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .seed(seed)
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    for _ in 0..30 {
        assert_eq!(
            Call::new(NOW).page(1, 10, 0).code(&unlimited).await,
            "Success"
        );
    }
}

#[tokio::test]
async fn real_clock_and_sdk_signing_work_together() {
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .start()
        .await
        .unwrap();
    assert_eq!(Call::new(now()).code(&emulator).await, "Success");
}

// ---- the reference vectors, checked by the emulator's verifier with a fixed clock ----

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
    full_request: FullRequest,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    host: String,
    content_type: String,
    payload: String,
    query: String,
    unsigned_payload: bool,
    timestamp: i64,
    service: String,
    secret_id: String,
    secret_key: String,
    authorization: String,
}

#[derive(Deserialize)]
struct FullRequest {
    headers: BTreeMap<String, String>,
    body: String,
}

const VECTORS: &str = include_str!("../../tencentcloud-runtime/tests/data/tc3-vectors.json");

fn header_map(pairs: impl IntoIterator<Item = (String, String)>) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(&value).unwrap(),
        );
    }
    map
}

#[test]
fn every_reference_vector_verifies() {
    let vectors: Vectors = serde_json::from_str(VECTORS).unwrap();
    assert!(vectors.vectors.len() >= 14);
    for v in &vectors.vectors {
        let verifier = Verifier::new(
            &v.service,
            [(v.secret_id.clone(), v.secret_key.clone())],
            TokenPolicy::Reject,
        );
        let mut headers = vec![
            ("content-type".to_owned(), v.content_type.clone()),
            ("host".to_owned(), v.host.clone()),
            ("x-tc-timestamp".to_owned(), v.timestamp.to_string()),
            ("authorization".to_owned(), v.authorization.clone()),
        ];
        if v.unsigned_payload {
            headers.push((
                "x-tc-content-sha256".to_owned(),
                "UNSIGNED-PAYLOAD".to_owned(),
            ));
        }
        let headers = header_map(headers);
        let request = SignedRequest {
            method: &v.method,
            path: "/",
            query: &v.query,
            headers: &headers,
            body: v.payload.as_bytes(),
        };
        assert_eq!(
            verifier.verify(&request, v.timestamp).as_deref(),
            Ok(v.secret_id.as_str()),
            "{}",
            v.name
        );
        // The same request at a clock six minutes off has expired.
        let late = verifier.verify(&request, v.timestamp + 360).unwrap_err();
        assert_eq!(late.code, "AuthFailure.SignatureExpire", "{}", v.name);
        // With another key it does not verify.
        let wrong = Verifier::new(
            &v.service,
            [(v.secret_id.clone(), "not-the-key".to_owned())],
            TokenPolicy::Reject,
        );
        assert_eq!(
            wrong.verify(&request, v.timestamp).unwrap_err().code,
            "AuthFailure.SignatureFailure",
            "{}",
            v.name
        );
    }
}

#[test]
fn the_python_sdk_full_request_verifies() {
    let vectors: Vectors = serde_json::from_str(VECTORS).unwrap();
    let full = vectors.full_request;
    let headers = header_map(full.headers.clone());
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: full.body.as_bytes(),
    };
    let keys = || {
        [(
            "AKIDEXAMPLEEXAMPLEEXAMPLE0000000".to_owned(),
            "ExampleSecretKeyExampleSecret000".to_owned(),
        )]
    };
    let token = full.headers["X-TC-Token"].clone();
    let verifier = Verifier::new("ccc", keys(), TokenPolicy::AcceptOnly(vec![token]));
    assert_eq!(
        verifier.verify(&request, 1_700_000_000).unwrap(),
        "AKIDEXAMPLEEXAMPLEEXAMPLE0000000"
    );
    // The request carries a session token: refused unless the policy accepts it.
    let strict = Verifier::new("ccc", keys(), TokenPolicy::Reject);
    assert_eq!(
        strict.verify(&request, 1_700_000_000).unwrap_err().code,
        "AuthFailure.TokenFailure"
    );
}

#[tokio::test]
async fn every_spec_example_request_passes_validation() {
    let spec = ccc_local::spec::Spec::ccc();
    assert!(!spec.actions.is_empty());
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let mut failures = Vec::new();
    for action in spec.actions {
        for example in action.examples {
            let request = example.request.value();
            let call = Call {
                action: Some(action.name.to_owned()),
                ..Call::new(NOW)
            }
            .body(request.clone());
            let (response, _) = call.send(&emulator).await;
            let code = response["Error"]["Code"].as_str().unwrap_or("Success");
            // Example requests name made-up applications, tasks, agents, skill
            // groups and campaigns, which the emulator's state may not have:
            // those may be refused with a code the action documents, saying
            // what does not exist. An example the spec itself notes as
            // disagreeing with the definition (a number sent as a string, say)
            // may be refused; no other may.
            let noted = example.notes.is_some();
            let no_such_thing = action.errors.contains(&code)
                && response["Error"]["Message"]
                    .as_str()
                    .is_some_and(|m| m.contains(" does not exist"));
            if code != "Success"
                && code != "InvalidParameterValue.InstanceNotExist"
                && !no_such_thing
                && !noted
            {
                failures.push(format!(
                    "{}: {code}: {}",
                    action.name, response["Error"]["Message"]
                ));
            }
            if code == "Success" {
                assert!(
                    response["RequestId"]
                        .as_str()
                        .is_some_and(|id| !id.is_empty())
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example requests refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
