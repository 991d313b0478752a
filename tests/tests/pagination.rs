//! `into_pages()` walks a paginated action to its end, against a fake service.

use std::sync::{Arc, Mutex};

use ccc_api::actions::{DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse};
use ccc_api::models::{AutoCalloutTaskInfo, AutoCalloutTaskState};
use ccc_api::runtime::BoxFuture;
use ccc_api::{Client, ErrorCode, Result, Stub};

/// Serves `total` tasks, recording the page numbers asked for; fails on
/// `fail_on_page`; serves at most `clamp` tasks per page, whatever was asked
/// (as services do with an oversized page size).
#[derive(Debug, Default)]
struct FakeTasks {
    total: u64,
    fail_on_page: Option<u64>,
    clamp: Option<u64>,
    pages_asked: Arc<Mutex<Vec<u64>>>,
}

fn task(id: u64) -> AutoCalloutTaskInfo {
    AutoCalloutTaskInfo {
        name: format!("task {id}"),
        callee_count: 1,
        callers: vec!["008610000000".to_owned()],
        not_before: 0,
        not_after: None,
        ivr_id: 1,
        state: AutoCalloutTaskState::Running,
        task_id: id,
        max_ring_timeout_second: None,
    }
}

impl Stub for FakeTasks {
    fn describe_auto_callout_tasks(
        &self,
        request: DescribeAutoCalloutTasksRequest,
    ) -> BoxFuture<'_, Result<DescribeAutoCalloutTasksResponse>> {
        self.pages_asked.lock().unwrap().push(request.page_number);
        let fail = self.fail_on_page == Some(request.page_number);
        let page_size = self.clamp.map_or(request.page_size, |clamp| request.page_size.min(clamp));
        let start = request.page_number * page_size;
        let end = (start + page_size).min(self.total);
        let tasks = (start..end.max(start)).map(task).collect();
        let total = self.total;
        Box::pin(async move {
            if fail {
                return Err(ccc_api::Error::Service(ccc_api::runtime::ServiceError {
                    code: ErrorCode::InternalErrorDbError,
                    message: "database unavailable".to_owned(),
                    request_id: "r".to_owned(),
                }));
            }
            Ok(DescribeAutoCalloutTasksResponse { total_count: total, tasks, request_id: "r".to_owned() })
        })
    }
}

async fn walk(fake: FakeTasks, page_size: u64) -> (Vec<u64>, Option<ccc_api::Error>) {
    let client = Client::from_stub(fake);
    let mut pages = client.describe_auto_callout_tasks().sdk_app_id(1).page_size(page_size).into_pages().unwrap();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => ids.extend(page.tasks.iter().map(|t| t.task_id)),
            Err(err) => return (ids, Some(err)),
        }
    }
    (ids, None)
}

#[tokio::test]
async fn every_page_is_fetched_once_and_the_walk_stops_at_the_total() {
    let fake = FakeTasks { total: 25, ..FakeTasks::default() };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 10).await;
    assert!(err.is_none());
    assert_eq!(ids, (0..25).collect::<Vec<_>>());
    assert_eq!(*asked.lock().unwrap(), vec![0, 1, 2]);
}

#[tokio::test]
async fn an_exact_multiple_does_not_ask_for_an_empty_page() {
    let fake = FakeTasks { total: 20, ..FakeTasks::default() };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, _) = walk(fake, 10).await;
    assert_eq!(ids.len(), 20);
    assert_eq!(*asked.lock().unwrap(), vec![0, 1]);
}

#[tokio::test]
async fn a_service_that_clamps_the_page_size_is_walked_to_the_end() {
    let fake = FakeTasks { total: 45, clamp: Some(20), ..FakeTasks::default() };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 100).await;
    assert!(err.is_none());
    assert_eq!(ids, (0..45).collect::<Vec<_>>());
    assert_eq!(*asked.lock().unwrap(), vec![0, 1, 2]);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_walk() {
    let fake = FakeTasks { total: 25, fail_on_page: Some(1), ..FakeTasks::default() };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 10).await;
    assert_eq!(ids.len(), 10);
    assert_eq!(err.and_then(|e| e.code().cloned()), Some(ErrorCode::InternalErrorDbError));
    assert_eq!(*asked.lock().unwrap(), vec![0, 1]);
}

#[tokio::test]
async fn a_missing_page_size_fails_before_any_call() {
    let fake = FakeTasks { total: 5, ..FakeTasks::default() };
    let asked = Arc::clone(&fake.pages_asked);
    let client = Client::from_stub(fake);
    let err = client.describe_auto_callout_tasks().sdk_app_id(1).into_pages().unwrap_err();
    assert!(err.to_string().contains("PageSize"), "{err}");
    assert!(asked.lock().unwrap().is_empty());
}
