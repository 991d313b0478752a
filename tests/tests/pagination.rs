//! `into_pages()` walks a paginated action to its end, against a fake service.

use std::sync::{Arc, Mutex};

use ccc_api::actions::{
    DescribeActiveCarrierPrivilegeNumberRequest, DescribeActiveCarrierPrivilegeNumberResponse,
    DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse,
};
use ccc_api::models::{ActiveCarrierPrivilegeNumber, AutoCalloutTaskInfo, AutoCalloutTaskState};
use ccc_api::runtime::BoxFuture;
use ccc_api::{CallOptions, Client, ErrorCode, Result, Stub};

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
    let mut task = AutoCalloutTaskInfo::default();
    task.name = format!("task {id}");
    task.callee_count = 1;
    task.callers = vec!["008610000000".to_owned()];
    task.ivr_id = 1;
    task.state = AutoCalloutTaskState::Running;
    task.task_id = id;
    task
}

impl Stub for FakeTasks {
    fn describe_auto_callout_tasks(
        &self,
        request: DescribeAutoCalloutTasksRequest,
        _options: CallOptions,
    ) -> BoxFuture<'_, Result<DescribeAutoCalloutTasksResponse>> {
        self.pages_asked.lock().unwrap().push(request.page_number);
        let fail = self.fail_on_page == Some(request.page_number);
        let page_size = self
            .clamp
            .map_or(request.page_size, |clamp| request.page_size.min(clamp));
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
            let mut page = DescribeAutoCalloutTasksResponse::default();
            page.total_count = total;
            page.tasks = tasks;
            page.request_id = "r".to_owned();
            Ok(page)
        })
    }
}

async fn walk(fake: FakeTasks, page_size: u64) -> (Vec<u64>, Option<ccc_api::Error>) {
    let client = Client::from_stub(fake);
    let mut pages = client
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .page_size(page_size)
        .into_pages()
        .unwrap();
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
    let fake = FakeTasks {
        total: 25,
        ..FakeTasks::default()
    };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 10).await;
    assert!(err.is_none());
    assert_eq!(ids, (0..25).collect::<Vec<_>>());
    assert_eq!(*asked.lock().unwrap(), vec![0, 1, 2]);
}

#[tokio::test]
async fn an_exact_multiple_does_not_ask_for_an_empty_page() {
    let fake = FakeTasks {
        total: 20,
        ..FakeTasks::default()
    };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, _) = walk(fake, 10).await;
    assert_eq!(ids.len(), 20);
    assert_eq!(*asked.lock().unwrap(), vec![0, 1]);
}

#[tokio::test]
async fn a_service_that_clamps_the_page_size_is_walked_to_the_end() {
    let fake = FakeTasks {
        total: 45,
        clamp: Some(20),
        ..FakeTasks::default()
    };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 100).await;
    assert!(err.is_none());
    assert_eq!(ids, (0..45).collect::<Vec<_>>());
    assert_eq!(*asked.lock().unwrap(), vec![0, 1, 2]);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_walk() {
    let fake = FakeTasks {
        total: 25,
        fail_on_page: Some(1),
        ..FakeTasks::default()
    };
    let asked = Arc::clone(&fake.pages_asked);
    let (ids, err) = walk(fake, 10).await;
    assert_eq!(ids.len(), 10);
    assert_eq!(
        err.and_then(|e| e.code().cloned()),
        Some(ErrorCode::InternalErrorDbError)
    );
    assert_eq!(*asked.lock().unwrap(), vec![0, 1]);
}

#[tokio::test]
async fn a_missing_page_size_fails_before_any_call() {
    let fake = FakeTasks {
        total: 5,
        ..FakeTasks::default()
    };
    let asked = Arc::clone(&fake.pages_asked);
    let client = Client::from_stub(fake);
    let err = client
        .describe_auto_callout_tasks()
        .sdk_app_id(1)
        .into_pages()
        .unwrap_err();
    assert!(err.to_string().contains("PageSize"), "{err}");
    assert!(asked.lock().unwrap().is_empty());
}

/// Serves 5 carrier allowlist entries, recording the page numbers asked for
/// (`PageNumber` is optional for this action: absent means the first page).
#[derive(Debug, Default)]
struct FakeAllowlist {
    pages_asked: Arc<Mutex<Vec<Option<u64>>>>,
}

impl Stub for FakeAllowlist {
    fn describe_active_carrier_privilege_number(
        &self,
        request: DescribeActiveCarrierPrivilegeNumberRequest,
        _options: CallOptions,
    ) -> BoxFuture<'_, Result<DescribeActiveCarrierPrivilegeNumberResponse>> {
        self.pages_asked.lock().unwrap().push(request.page_number);
        let size = request.page_size.unwrap_or(10);
        let start = request.page_number.unwrap_or(0) * size;
        let entries = (start..(start + size).min(5))
            .map(|i| {
                let mut entry = ActiveCarrierPrivilegeNumber::default();
                entry.sdk_app_id = Some(1);
                entry.callee = Some(format!("callee {i}"));
                entry
            })
            .collect();
        Box::pin(async move {
            let mut page = DescribeActiveCarrierPrivilegeNumberResponse::default();
            page.total_count = 5;
            page.active_carrier_privilege_numbers = entries;
            page.request_id = "r".to_owned();
            Ok(page)
        })
    }
}

#[tokio::test]
async fn the_carrier_allowlist_pages_by_page_number() {
    let fake = FakeAllowlist::default();
    let asked = Arc::clone(&fake.pages_asked);
    let client = Client::from_stub(fake);
    let mut pages = client
        .describe_active_carrier_privilege_number()
        .sdk_app_id(1)
        .page_size(2)
        .into_pages()
        .unwrap();
    let mut callees = Vec::new();
    while let Some(page) = pages.next().await {
        callees.extend(
            page.unwrap()
                .active_carrier_privilege_numbers
                .into_iter()
                .filter_map(|e| e.callee),
        );
    }
    assert_eq!(
        callees,
        (0..5).map(|i| format!("callee {i}")).collect::<Vec<_>>()
    );
    assert_eq!(*asked.lock().unwrap(), [None, Some(1), Some(2)]);
}
