//! The client's per-call CPU work, piece by piece: signing, encoding a
//! request, decoding an answer. Run with `cargo bench -p ccc-api`.
//!
//! Decoding is measured next to peers on the same bytes, because the
//! machine's speed varies and only ratios carry over: serde_json's derive
//! decoding into a type of the same shape (strict, no envelope handling),
//! serde_json building a `Value` tree, and merely skipping the body
//! (serde_json's `IgnoredAny`), the floor for anything that reads JSON. `data/describe-auto-callout-tasks-100.json` is a
//! `DescribeAutoCalloutTasks` page of 100 tasks as `ccc-local` answers it
//! with `bench/seed-100-tasks.json`.

use ccc_api::actions::{DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse};
use ccc_api::runtime::{envelope, sign};
use divan::{Bencher, black_box};
use serde::Deserialize;

const PAGE: &[u8] = include_bytes!("data/describe-auto-callout-tasks-100.json");
const ERROR: &[u8] = br#"{"Response":{"Error":{"Code":"InvalidParameterValue.InstanceNotExist","Message":"The contact-center application (SdkAppId) 1 does not exist."},"RequestId":"0b1a3c5e-8f7d-4e2a-9c6b-1d2e3f4a5b6c"}}"#;

fn main() {
    divan::main();
}

fn request() -> DescribeAutoCalloutTasksRequest {
    let mut request = DescribeAutoCalloutTasksRequest::default();
    request.sdk_app_id = 1_400_000_000;
    request.page_size = 100;
    request.page_number = 0;
    request
}

#[divan::bench]
fn encode_request(bencher: Bencher) {
    let request = request();
    bencher.bench_local(|| serde_json::to_vec(black_box(&request)).unwrap());
}

fn signing_params(payload: &[u8]) -> sign::SigningParams<'_> {
    sign::SigningParams {
        method: "POST",
        host: "127.0.0.1:8080",
        path: "/",
        query: "",
        content_type: "application/json",
        payload,
        unsigned_payload: false,
        timestamp: 1_717_200_000,
        service: "ccc",
        secret_id: "AKIDbench",
        secret_key: "bench-key",
    }
}

/// What a call does: the `Authorization` header alone.
#[divan::bench]
fn sign_request(bencher: Bencher) {
    let payload = serde_json::to_vec(&request()).unwrap();
    bencher.bench_local(|| sign::authorization_header(black_box(&signing_params(&payload))));
}

/// Peer: every step written out, as `sign` keeps them for debugging.
#[divan::bench]
fn peer_sign_all_steps(bencher: Bencher) {
    let payload = serde_json::to_vec(&request()).unwrap();
    bencher.bench_local(|| sign::sign(black_box(&signing_params(&payload))));
}

/// The SDK's decoding of a 100-task page: envelope, lenient policy, everything.
#[divan::bench]
fn decode_page_100(bencher: Bencher) {
    bencher
        .counter(divan::counter::BytesCount::of_slice(PAGE))
        .bench_local(|| {
            envelope::decode::<DescribeAutoCalloutTasksResponse>(200, black_box(PAGE)).unwrap()
        });
}

/// The SDK's decoding of an error answer, into the service error.
#[divan::bench]
fn decode_error_answer(bencher: Bencher) {
    bencher.bench_local(|| {
        envelope::decode::<DescribeAutoCalloutTasksResponse>(200, black_box(ERROR)).unwrap_err()
    });
}

/// The page's shape as serde's derive reads it, strictly: the peer of
/// `decode_page_100` (the SDK's answer types have no serde `Deserialize`).
#[derive(Deserialize)]
#[allow(dead_code)] // Only decoded.
struct StrictPage {
    #[serde(rename = "Response")]
    response: StrictResponse,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictResponse {
    #[serde(rename = "TotalCount")]
    total_count: u64,
    #[serde(rename = "Tasks")]
    tasks: Vec<StrictTask>,
    #[serde(rename = "RequestId")]
    request_id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictTask {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "CalleeCount")]
    callee_count: u64,
    #[serde(rename = "Callers")]
    callers: Vec<String>,
    #[serde(rename = "NotBefore")]
    not_before: i64,
    #[serde(rename = "NotAfter", default)]
    not_after: Option<i64>,
    #[serde(rename = "IvrId")]
    ivr_id: u64,
    #[serde(rename = "State")]
    state: u64,
    #[serde(rename = "TaskId")]
    task_id: u64,
    #[serde(rename = "MaxRingTimeoutSecond", default)]
    max_ring_timeout_second: Option<i64>,
}

/// Peer: serde_json's derive into a type of the same shape, strict, without the envelope's checks.
#[divan::bench]
fn peer_serde_json_strict_page_100(bencher: Bencher) {
    bencher.bench_local(|| serde_json::from_slice::<StrictPage>(black_box(PAGE)).unwrap());
}

/// Peer: reading the page without keeping anything.
#[divan::bench]
fn peer_skip_page_100(bencher: Bencher) {
    bencher
        .bench_local(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(PAGE)).unwrap());
}

/// Peer: a `serde_json::Value` tree, as serde_json builds one.
#[divan::bench]
fn peer_tree_page_100(bencher: Bencher) {
    bencher.bench_local(|| serde_json::from_slice::<serde_json::Value>(black_box(PAGE)).unwrap());
}
