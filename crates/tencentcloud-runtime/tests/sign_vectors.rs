//! Checks every step of TC3-HMAC-SHA256 signing against vectors computed by
//! Tencent's own Python SDK (see `data/README.md` for their source).

use serde::Deserialize;
use std::collections::BTreeMap;
use tencentcloud_runtime::sign::{
    SigningParams, authorization, canonical_request, credential_scope, payload_hash, sign,
    signature, signed_headers, signing_key, string_to_sign, utc_date,
};

const VECTORS_JSON: &str = include_str!("data/tc3-vectors.json");

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
    full_request: FullRequest,
}

/// One case. The expected strings are not optional: a regenerated file where
/// the script could not rebuild them must fail here, not skip a step.
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
    date: String,
    service: String,
    secret_id: String,
    secret_key: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

#[derive(Deserialize)]
struct FullRequest {
    host: String,
    method: String,
    headers: BTreeMap<String, String>,
    body: String,
}

fn load() -> Vectors {
    serde_json::from_str(VECTORS_JSON).expect("tests/data/tc3-vectors.json parses")
}

impl Vector {
    fn params(&self) -> SigningParams<'_> {
        SigningParams {
            method: &self.method,
            host: &self.host,
            path: "/",
            query: &self.query,
            content_type: &self.content_type,
            payload: self.payload.as_bytes(),
            unsigned_payload: self.unsigned_payload,
            timestamp: self.timestamp,
            service: &self.service,
            secret_id: &self.secret_id,
            secret_key: &self.secret_key,
        }
    }

    /// The headers Tencent's SDKs sign.
    fn signed(&self) -> [(&str, &str); 2] {
        [("content-type", &self.content_type), ("host", &self.host)]
    }
}

#[test]
fn vectors_are_present() {
    let vectors = load().vectors;
    assert!(vectors.len() >= 14, "only {} vectors", vectors.len());
    for wanted in [
        "unsigned-payload",
        "get-with-query",
        "tencent-doc-cvm-masked-key",
        "tencent-doc-cvm-example-key",
    ] {
        assert!(
            vectors.iter().any(|v| v.name == wanted),
            "vector {wanted} missing"
        );
    }
}

#[test]
fn utc_date_matches_every_vector() {
    for v in load().vectors {
        assert_eq!(utc_date(v.timestamp), v.date, "vector {}: utc_date", v.name);
    }
}

#[test]
fn canonical_request_matches_every_vector() {
    for v in load().vectors {
        let hashed = payload_hash(v.payload.as_bytes(), v.unsigned_payload);
        let got = canonical_request(&v.method, "/", &v.query, &v.signed(), &hashed);
        assert_eq!(
            got, v.canonical_request,
            "vector {}: canonical_request",
            v.name
        );
    }
}

#[test]
fn string_to_sign_matches_every_vector() {
    for v in load().vectors {
        let scope = credential_scope(&v.date, &v.service);
        let got = string_to_sign(v.timestamp, &scope, &v.canonical_request);
        assert_eq!(got, v.string_to_sign, "vector {}: string_to_sign", v.name);
    }
}

#[test]
fn signature_matches_every_vector() {
    for v in load().vectors {
        let key = signing_key(&v.secret_key, &v.date, &v.service);
        let got = signature(&key, &v.string_to_sign);
        assert_eq!(got, v.signature, "vector {}: signature", v.name);
    }
}

#[test]
fn authorization_matches_every_vector() {
    for v in load().vectors {
        let signed = signed_headers(&v.signed());
        assert_eq!(
            signed, "content-type;host",
            "vector {}: signed_headers",
            v.name
        );
        let scope = credential_scope(&v.date, &v.service);
        let got = authorization(&v.secret_id, &scope, &signed, &v.signature);
        assert_eq!(got, v.authorization, "vector {}: authorization", v.name);
    }
}

#[test]
fn sign_matches_every_vector_end_to_end() {
    for v in load().vectors {
        let out = sign(&v.params());
        let name = &v.name;
        assert_eq!(
            out.canonical_request, v.canonical_request,
            "vector {name}: sign().canonical_request"
        );
        assert_eq!(
            out.string_to_sign, v.string_to_sign,
            "vector {name}: sign().string_to_sign"
        );
        assert_eq!(
            out.signature, v.signature,
            "vector {name}: sign().signature"
        );
        assert_eq!(
            out.authorization, v.authorization,
            "vector {name}: sign().authorization"
        );
        assert_eq!(
            tencentcloud_runtime::sign::authorization_header(&v.params()),
            v.authorization,
            "vector {name}: authorization_header()"
        );
    }
}

#[test]
fn full_request_authorization_header() {
    let full = load().full_request;
    let header = |name: &str| {
        full.headers
            .get(name)
            .unwrap_or_else(|| panic!("full_request has no {name} header"))
            .as_str()
    };
    let timestamp: i64 = header("X-TC-Timestamp")
        .parse()
        .expect("numeric X-TC-Timestamp");
    assert_eq!(header("Host"), full.host);
    let out = sign(&SigningParams {
        method: &full.method,
        host: header("Host"),
        path: "/",
        query: "",
        content_type: header("Content-Type"),
        payload: full.body.as_bytes(),
        unsigned_payload: false,
        timestamp,
        // Not recorded in the JSON: the credentials and service that
        // gen-tc3-vectors.py's full_client_capture() gave the SDK's CommonClient.
        service: "ccc",
        secret_id: "AKIDEXAMPLEEXAMPLEEXAMPLE0000000",
        secret_key: "ExampleSecretKeyExampleSecret000",
    });
    assert_eq!(
        out.authorization,
        header("Authorization"),
        "full_request: Authorization"
    );
}

#[test]
fn debug_of_signing_params_hides_the_secret_key() {
    let secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    let params = SigningParams {
        method: "POST",
        host: "ccc.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json",
        payload: b"{}",
        unsigned_payload: false,
        timestamp: 1_700_000_000,
        service: "ccc",
        secret_id: "AKIDEXAMPLE",
        secret_key: secret,
    };
    for shown in [format!("{params:?}"), format!("{params:#?}")] {
        assert!(
            !shown.contains(secret),
            "secret key in Debug output: {shown}"
        );
        assert!(shown.contains("***"), "no redaction marker in: {shown}");
        assert!(
            shown.contains("AKIDEXAMPLE"),
            "secret id should stay visible: {shown}"
        );
    }
}
