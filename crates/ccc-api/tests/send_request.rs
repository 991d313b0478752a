//! `Request` and `Client::send_request`: a request that already exists as a
//! value (built earlier, decoded from JSON) is sent to its own action.

use ccc_api::actions::{
    DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse, StopAutoCalloutTaskRequest,
    StopAutoCalloutTaskResponse,
};
use ccc_api::runtime::BoxFuture;
use ccc_api::{CallOptions, Client, Request, Result, Stub};

#[derive(Debug)]
struct Recorder;

impl Stub for Recorder {
    fn describe_auto_callout_tasks(
        &self,
        request: DescribeAutoCalloutTasksRequest,
        _options: CallOptions,
    ) -> BoxFuture<'_, Result<DescribeAutoCalloutTasksResponse>> {
        Box::pin(async move {
            let mut page = DescribeAutoCalloutTasksResponse::default();
            page.total_count = request.page_size * 100 + request.page_number;
            page.request_id = format!("app {}", request.sdk_app_id);
            Ok(page)
        })
    }
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

/// Sends any request and names its action: what a replay tool would do.
async fn replay<R: Request>(client: &Client, request: R) -> (&'static str, Result<R::Response>) {
    (R::ACTION, client.send_request(request).await)
}

#[test]
fn a_built_request_reaches_its_own_action() {
    let client = Client::from_stub(Recorder);
    let request = client
        .describe_auto_callout_tasks()
        .sdk_app_id(7)
        .page_size(3)
        .page_number(2)
        .build()
        .unwrap();
    let (action, answer) = block_on(replay(&client, request));
    assert_eq!(action, "DescribeAutoCalloutTasks");
    let answer = answer.unwrap();
    assert_eq!(
        (answer.total_count, answer.request_id.as_str()),
        (302, "app 7")
    );
}

#[test]
fn a_decoded_request_is_sent_as_it_is() {
    let client = Client::from_stub(Recorder);
    let request: DescribeAutoCalloutTasksRequest =
        serde_json::from_str(r#"{"SdkAppId": 9, "PageSize": 1, "PageNumber": 4}"#).unwrap();
    let answer = block_on(request.send(&client)).unwrap();
    assert_eq!(answer.total_count, 104);
}

#[test]
fn an_action_the_stub_lacks_fails_as_through_the_builder() {
    let client = Client::from_stub(Recorder);
    let request = client
        .stop_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .build()
        .unwrap();
    let answer: Result<StopAutoCalloutTaskResponse> =
        block_on(client.send_request::<StopAutoCalloutTaskRequest>(request));
    assert!(
        matches!(
            answer,
            Err(ccc_api::Error::Unimplemented {
                action: "StopAutoCalloutTask"
            })
        ),
        "{answer:?}"
    );
}
