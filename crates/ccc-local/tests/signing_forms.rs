//! Every form of signed request Tencent's clients send, over real HTTP:
//! TC3-HMAC-SHA256 over `POST` and `GET` (with `host` signed with or without
//! the port), and the older `HmacSHA1`/`HmacSHA256` over form-encoded `POST`
//! and `GET`; and the messages of requests that do not verify.

use axum::http::{HeaderMap, HeaderValue};
use ccc_local::auth::{SignedRequest, TokenPolicy, Verifier};
use ccc_local::legacy_sign::{SignMethod, sign, string_to_sign};
use ccc_local::{Emulator, ManualClock, RunningEmulator};
use serde_json::Value;
use tencentcloud_runtime::sign::{
    authorization, canonical_request, credential_scope, payload_hash, signature, signed_headers,
    signing_key, string_to_sign as tc3_string_to_sign, utc_date,
};

const ID: &str = "AKIDforms";
const KEY: &str = "forms-secret";
const NOW: i64 = 1_717_200_000;
const FORM: &str = "application/x-www-form-urlencoded";

async fn start() -> RunningEmulator {
    Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .rate_limit(false)
        .start()
        .await
        .unwrap()
}

/// A TC3 `Authorization` for `content-type` and `host` with these values.
fn tc3(
    method: &str,
    query: &str,
    content_type: &str,
    host: &str,
    body: &[u8],
    service: &str,
) -> String {
    let headers = [("content-type", content_type), ("host", host)];
    let canonical = canonical_request(method, "/", query, &headers, &payload_hash(body, false));
    let date = utc_date(NOW);
    let scope = credential_scope(&date, service);
    let sig = signature(
        &signing_key(KEY, &date, service),
        &tc3_string_to_sign(NOW, &scope, &canonical),
    );
    authorization(ID, &scope, &signed_headers(&headers), &sig)
}

async fn response(request: reqwest::RequestBuilder) -> Value {
    let answer = request.send().await.expect("the emulator answers");
    assert_eq!(answer.status(), 200);
    let text = answer.text().await.expect("a body");
    let body: Value = serde_json::from_str(&text).expect("a JSON answer");
    body["Response"].clone()
}

fn code(response: &Value) -> &str {
    response["Error"]["Code"].as_str().unwrap_or("Success")
}

/// The common parameters of the older scheme, then the action's.
fn legacy_params(action: &str, method: &str, own: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = own
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for (k, v) in [
        ("Action", action),
        ("Version", "2020-02-10"),
        ("Timestamp", &NOW.to_string()),
        ("Nonce", "4242"),
        ("SecretId", ID),
        ("SignatureMethod", method),
        ("RequestClient", "test"),
        ("Region", "ap-guangzhou"),
    ] {
        params.push((k.to_owned(), v.to_owned()));
    }
    params
}

fn signed_legacy(http: &str, host: &str, key: &str, mut params: Vec<(String, String)>) -> String {
    let method = match params.iter().find(|(k, _)| k == "SignatureMethod") {
        Some((_, m)) if m == "HmacSHA256" => SignMethod::HmacSha256,
        _ => SignMethod::HmacSha1,
    };
    let text = string_to_sign(http, host, "/", &params);
    params.push(("Signature".to_owned(), sign(method, key, &text)));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish()
}

const PAGE: [(&str, &str); 3] = [
    ("SdkAppId", "1400000000"),
    ("PageSize", "7"),
    ("PageNumber", "1"),
];

#[tokio::test]
async fn tc3_over_get_signs_the_query() {
    let emulator = start().await;
    let host = emulator.addr().to_string();
    let query = "SdkAppId=1400000000&PageSize=7&PageNumber=1";
    let auth = tc3("GET", query, FORM, &host, b"", "ccc");
    let request = |query: &str, auth: &str| {
        reqwest::Client::new()
            .get(format!("{}/?{query}", emulator.url()))
            .header("Content-Type", FORM)
            .header("X-TC-Action", "DescribeAutoCalloutTasks")
            .header("X-TC-Version", "2020-02-10")
            .header("X-TC-Timestamp", NOW.to_string())
            .header("Authorization", auth.to_owned())
    };
    let ok = response(request(query, &auth)).await;
    assert_eq!(code(&ok), "Success", "{ok}");
    assert_eq!(ok["TotalCount"], 36);
    assert_eq!(ok["Tasks"][0]["TaskId"], 1008);
    assert_eq!(ok["Tasks"].as_array().unwrap().len(), 7);

    // The query is signed: another page with the same signature fails.
    let tampered = response(request(
        "SdkAppId=1400000000&PageSize=7&PageNumber=2",
        &auth,
    ))
    .await;
    assert_eq!(code(&tampered), "AuthFailure.SignatureFailure");
    let message = tampered["Error"]["Message"].as_str().unwrap();
    assert!(message.contains("PageNumber=2"), "{message}");

    // A query value of the wrong type names the parameter, as a JSON body would.
    let query = "SdkAppId=1400000000&PageSize=seven&PageNumber=1";
    let bad = response(request(query, &tc3("GET", query, FORM, &host, b"", "ccc"))).await;
    assert_eq!(code(&bad), "InvalidParameter");
    assert!(
        bad["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("`PageSize`")
    );
    emulator.shutdown().await;
}

/// The headers of a JSON `POST` to `host`, signed at [`NOW`] with `authorization`.
fn json_post_headers(host: &str, authorization: &str) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in [
        ("content-type", "application/json"),
        ("host", host),
        ("x-tc-timestamp", &NOW.to_string()),
        ("authorization", authorization),
    ] {
        map.insert(name, HeaderValue::from_str(value).unwrap());
    }
    map
}

#[test]
fn tc3_host_is_accepted_with_or_without_the_port() {
    let verifier = Verifier::new(
        "ccc",
        [(ID.to_owned(), KEY.to_owned())],
        TokenPolicy::Reject,
    );
    let body = br#"{"SdkAppId":1}"#;
    for (sent, signed) in [
        ("ccc.localhost:8080", "ccc.localhost"),
        ("ccc.localhost:8080", "ccc.localhost:8080"),
        ("127.0.0.1:9", "127.0.0.1"),
        ("ccc-local:80", "ccc-local"),
        ("[::1]:8080", "[::1]"),
        ("ccc-local", "ccc-local"),
    ] {
        let headers = json_post_headers(
            sent,
            &tc3("POST", "", "application/json", signed, body, "ccc"),
        );
        let request = SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body,
        };
        assert_eq!(
            verifier.verify(&request, NOW).as_deref(),
            Ok(ID),
            "sent {sent}, signed {signed}"
        );
    }

    // Another host name does not verify, and the message shows what was expected.
    let auth = tc3("POST", "", "application/json", "elsewhere", body, "ccc");
    let headers = json_post_headers("ccc.localhost:8080", &auth);
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body,
    };
    let e = verifier.verify(&request, NOW).unwrap_err();
    assert_eq!(e.code, "AuthFailure.SignatureFailure");
    assert!(
        e.message.contains("host:ccc.localhost:8080"),
        "{}",
        e.message
    );
    assert!(e.message.contains("host:ccc.localhost\\n"), "{}", e.message);
    assert!(!e.message.contains(KEY), "{}", e.message);

    // A scope service taken from an IP address says which host to use.
    let auth = tc3("POST", "", "application/json", "127.0.0.1", body, "127");
    let headers = json_post_headers("127.0.0.1:8080", &auth);
    let request = SignedRequest {
        headers: &headers,
        ..request
    };
    let e = verifier.verify(&request, NOW).unwrap_err();
    assert_eq!(e.code, "AuthFailure.SignatureFailure");
    assert!(
        e.message.contains("`127`") && e.message.contains("ccc.localhost:PORT"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn older_signatures_over_post_and_get() {
    let emulator = start().await;
    let host = emulator.addr().to_string();
    let client = reqwest::Client::new();

    let body = signed_legacy(
        "POST",
        &host,
        KEY,
        legacy_params("DescribeAutoCalloutTasks", "HmacSHA256", &PAGE),
    );
    let post = response(
        client
            .post(emulator.url())
            .header("Content-Type", FORM)
            .body(body),
    )
    .await;
    assert_eq!(code(&post), "Success", "{post}");
    assert_eq!(post["Tasks"][0]["TaskId"], 1008);

    // HmacSHA1, the default, over GET, signed with the host name alone.
    let mut params = legacy_params("DescribeAutoCalloutTasks", "HmacSHA1", &PAGE);
    params.retain(|(k, _)| k != "SignatureMethod");
    let name = host.rsplit_once(':').unwrap().0;
    let query = signed_legacy("GET", name, KEY, params);
    let get = response(client.get(format!("{}/?{query}", emulator.url()))).await;
    assert_eq!(code(&get), "Success", "{get}");
    assert_eq!(get["TotalCount"], 36);

    // Flattened lists and escaped values reach the action intact.
    let create = legacy_params(
        "CreateAutoCalloutTask",
        "HmacSHA256",
        &[
            ("SdkAppId", "1400000000"),
            ("NotBefore", "1717300000"),
            ("Callees.0", "0086 139 0000 0001"),
            ("Callees.1", "008613900000002"),
            ("Callers.0", "008601012345678"),
            ("IvrId", "7"),
            ("Name", "a&b=c"),
        ],
    );
    let body = signed_legacy("POST", &host, KEY, create);
    let created = response(
        client
            .post(emulator.url())
            .header("Content-Type", FORM)
            .body(body),
    )
    .await;
    assert_eq!(code(&created), "Success", "{created}");
    let task_id = created["TaskId"].as_u64().unwrap().to_string();
    let query = signed_legacy(
        "GET",
        &host,
        KEY,
        legacy_params(
            "DescribeAutoCalloutTask",
            "HmacSHA256",
            &[("SdkAppId", "1400000000"), ("TaskId", &task_id)],
        ),
    );
    let task = response(client.get(format!("{}/?{query}", emulator.url()))).await;
    assert_eq!(task["Name"], "a&b=c", "{task}");
    assert_eq!(task["Callees"][0]["Callee"], "0086 139 0000 0001");
    emulator.shutdown().await;
}

#[tokio::test]
async fn older_signatures_that_fail_say_why() {
    let emulator = start().await;
    let host = emulator.addr().to_string();
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(emulator.url())
            .header("Content-Type", FORM)
            .body(body)
    };

    let body = signed_legacy(
        "POST",
        &host,
        "wrong",
        legacy_params("DescribeAutoCalloutTasks", "HmacSHA256", &PAGE),
    );
    let wrong = response(post(body)).await;
    assert_eq!(code(&wrong), "AuthFailure.SignatureFailure");
    let message = wrong["Error"]["Message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "`POST{host}/?Action=DescribeAutoCalloutTasks&Nonce=4242&PageNumber=1"
        )),
        "{message}"
    );

    let mut params = legacy_params("DescribeAutoCalloutTasks", "HmacSHA256", &PAGE);
    params.retain(|(k, _)| k != "Action");
    let missing = response(post(signed_legacy("POST", &host, KEY, params))).await;
    assert_eq!(code(&missing), "MissingParameter");
    assert!(
        missing["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("`Action`")
    );

    let params = legacy_params("DescribeAutoCalloutTasks", "HmacSHA256", &PAGE[..2]);
    let incomplete = response(post(signed_legacy("POST", &host, KEY, params))).await;
    assert_eq!(code(&incomplete), "MissingParameter");
    assert!(
        incomplete["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("`PageNumber`")
    );

    let mut params = legacy_params("DescribeAutoCalloutTasks", "HmacSHA256", &PAGE);
    params.retain(|(k, _)| k != "SecretId");
    params.push(("SecretId".to_owned(), "AKIDnobody".to_owned()));
    let unknown = response(post(signed_legacy("POST", &host, KEY, params))).await;
    assert_eq!(code(&unknown), "AuthFailure.SecretIdNotFound");

    let put = response(client.put(emulator.url()).body("{}")).await;
    assert_eq!(code(&put), "UnsupportedProtocol");
    emulator.shutdown().await;
}
