//! What the emulator's tests share: JSON calls signed with TC3-HMAC-SHA256,
//! as Tencent's SDKs send them, over real HTTP.

#![allow(dead_code)] // Each test binary uses a different subset.

use ccc_local::spec::Spec;
use serde_json::Value;
use tencentcloud_runtime::sign::{SigningParams, sign};

/// Signs calls with one key pair at one time and posts them to one endpoint.
pub struct Caller {
    url: String,
    id: &'static str,
    key: &'static str,
    timestamp: i64,
    http: reqwest::Client,
}

impl Caller {
    /// Calls to `url` (`http://host:port`) signed by `id` and `key` at `timestamp`.
    pub fn new(url: String, id: &'static str, key: &'static str, timestamp: i64) -> Caller {
        let http = reqwest::Client::new();
        Caller {
            url,
            id,
            key,
            timestamp,
            http,
        }
    }

    /// Posts `body` as `action`, signed; the answer as it comes.
    pub async fn post(&self, action: &str, body: &str) -> reqwest::Response {
        let signed = sign(&SigningParams {
            method: "POST",
            host: self.url.trim_start_matches("http://"),
            path: "/",
            query: "",
            content_type: "application/json",
            payload: body.as_bytes(),
            unsigned_payload: false,
            timestamp: self.timestamp,
            service: "ccc",
            secret_id: self.id,
            secret_key: self.key,
        });
        self.http
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header("X-TC-Action", action)
            .header("X-TC-Version", "2020-02-10")
            .header("X-TC-Timestamp", self.timestamp.to_string())
            .header("Authorization", signed.authorization)
            .body(body.to_owned())
            .send()
            .await
            .expect("the emulator answers")
    }

    /// Posts `body` as `action`; the `Response` object of the answer, which
    /// must come with status 200 and a request ID.
    pub async fn call(&self, action: &str, body: Value) -> Value {
        let answer = self.post(action, &body.to_string()).await;
        assert_eq!(answer.status(), 200);
        let bytes = answer.bytes().await.expect("an answer body");
        let answer: Value = serde_json::from_slice(&bytes).expect("a JSON answer");
        let response = answer["Response"].clone();
        let request_id = response["RequestId"].as_str();
        assert!(request_id.is_some_and(|id| !id.is_empty()), "{response}");
        response
    }

    /// A call that must succeed, with an answer that fits the spec's output members.
    pub async fn ok(&self, action: &str, body: Value) -> Value {
        let response = self.call(action, body.clone()).await;
        assert!(
            response.get("Error").is_none(),
            "{action} {body} failed: {response}"
        );
        let spec = Spec::ccc();
        spec.validate_output(spec.action(action).unwrap(), &response)
            .unwrap_or_else(|e| panic!("{action} answered off-spec ({e}): {response}"));
        response
    }
}
