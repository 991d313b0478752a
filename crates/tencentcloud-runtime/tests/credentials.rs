//! Tests of the credentials module: redaction, each provider, the cache and
//! the chains.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::credentials::{
    CachingProvider, ChainProvider, Credentials, CredentialsError, DefaultChain, Env,
    EnvironmentProvider, FAILURE_HOLD, InstanceRoleProvider, MAX_METADATA_BYTES,
    MAX_PROFILE_FILE_BYTES, ProfileFileProvider, ProvideCredentials,
};
use tencentcloud_runtime::{BoxFuture, ServiceClock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "VERY-SECRET-KEY-value";
const TOKEN: &str = "SESSION-TOKEN-value";

// ---------------------------------------------------------------- Credentials

#[test]
fn debug_redacts_key_and_token_but_shows_id() {
    let creds = Credentials::new("AKIDpublic", SECRET)
        .with_token(TOKEN)
        .with_expiry(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let shown = format!("{creds:?}");
    assert!(shown.contains("AKIDpublic"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("***"), "{shown}");
    let pretty = format!("{creds:#?}");
    assert!(
        !pretty.contains(SECRET) && !pretty.contains(TOKEN),
        "{pretty}"
    );

    assert_eq!(creds.secret_id(), "AKIDpublic");
    assert_eq!(creds.secret_key(), SECRET);
    assert_eq!(creds.token(), Some(TOKEN));
    assert_eq!(
        creds.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
    );
    let plain = Credentials::new("id", "key");
    assert_eq!(plain.token(), None);
    assert_eq!(plain.expires_at(), None);
}

#[tokio::test]
async fn static_credentials_and_arc_provide_themselves() {
    let creds = Credentials::new("id", "key").with_token("t");
    assert_eq!(creds.provide().await.expect("static"), creds);
    let shared: Arc<dyn ProvideCredentials> = Arc::new(creds.clone());
    assert_eq!(shared.provide().await.expect("arc"), creds);
}

#[test]
fn env_debug_does_not_show_values() {
    let env = Env::from_map([("TENCENTCLOUD_SECRET_KEY", SECRET)]);
    let shown = format!("{env:?}");
    assert!(shown.contains("TENCENTCLOUD_SECRET_KEY"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

// ---------------------------------------------------------------- Environment

fn empty_env() -> Env {
    Env::from_map(HashMap::<String, String>::new())
}

fn env_provider(vars: &[(&str, &str)]) -> EnvironmentProvider {
    EnvironmentProvider::from_env(Env::from_map(vars.iter().copied()))
}

#[tokio::test]
async fn env_reads_id_and_key() {
    let creds = env_provider(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", " keyenv \n"),
    ])
    .provide()
    .await
    .expect("credentials");
    assert_eq!(creds.secret_id(), "AKIDenv");
    assert_eq!(creds.secret_key(), "keyenv");
    assert_eq!(creds.token(), None);
    assert_eq!(creds.expires_at(), None);
}

#[tokio::test]
async fn env_accepts_both_token_names_and_session_token_wins() {
    let base = [
        ("TENCENTCLOUD_SECRET_ID", "id"),
        ("TENCENTCLOUD_SECRET_KEY", "key"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut vars = base.to_vec();
        vars.extend_from_slice(extra);
        env_provider(&vars)
    };

    let c = with(&[("TENCENTCLOUD_SESSION_TOKEN", "session")])
        .provide()
        .await
        .expect("session token");
    assert_eq!(c.token(), Some("session"));

    let c = with(&[("TENCENTCLOUD_TOKEN", "cli")])
        .provide()
        .await
        .expect("cli token");
    assert_eq!(c.token(), Some("cli"));

    let c = with(&[
        ("TENCENTCLOUD_TOKEN", "cli"),
        ("TENCENTCLOUD_SESSION_TOKEN", "session"),
    ])
    .provide()
    .await
    .expect("both");
    assert_eq!(c.token(), Some("session"));

    // An empty SESSION_TOKEN counts as unset, so TOKEN is used.
    let c = with(&[
        ("TENCENTCLOUD_TOKEN", "cli"),
        ("TENCENTCLOUD_SESSION_TOKEN", ""),
    ])
    .provide()
    .await
    .expect("empty session token");
    assert_eq!(c.token(), Some("cli"));
}

#[tokio::test]
async fn env_missing_key_names_the_variable() {
    let err = env_provider(&[
        ("TENCENTCLOUD_SECRET_ID", "id"),
        ("TENCENTCLOUD_SECRET_KEY", "   "),
    ])
    .provide()
    .await
    .expect_err("key is blank");
    assert!(matches!(err, CredentialsError::Invalid { .. }), "{err:?}");
    assert_eq!(err.provider(), Some("environment"));
    let msg = err.to_string();
    assert!(msg.contains("TENCENTCLOUD_SECRET_KEY"), "{msg}");

    let err = env_provider(&[("TENCENTCLOUD_SECRET_KEY", SECRET)])
        .provide()
        .await
        .expect_err("id missing");
    let msg = err.to_string();
    assert!(msg.contains("TENCENTCLOUD_SECRET_ID"), "{msg}");
    assert!(!msg.contains(SECRET), "{msg}");
}

#[tokio::test]
async fn env_with_nothing_set_is_not_configured() {
    let err = env_provider(&[]).provide().await.expect_err("nothing set");
    assert!(err.is_not_configured(), "{err:?}");
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID"));
}

// ---------------------------------------------------------------- Profile file

/// A fresh, unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "tc-credentials-test-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const GOOD_FILE: &str = "\
# Tencent Cloud credentials
; another comment style

[default]
secret_id = AKIDdefault
secret_key =   keydefault

[prod]
  secret_id=AKIDprod
secret_key = keyprod
token = tokenprod
";

#[tokio::test]
async fn profile_reads_default_section_from_credentials_file_variable() {
    let dir = TempDir::new("good");
    let path = dir.write("credentials", GOOD_FILE);
    let env = Env::from_map([(
        "TENCENTCLOUD_CREDENTIALS_FILE",
        path.to_string_lossy().into_owned(),
    )]);
    let creds = ProfileFileProvider::from_env(env)
        .provide()
        .await
        .expect("default profile");
    assert_eq!(creds.secret_id(), "AKIDdefault");
    assert_eq!(creds.secret_key(), "keydefault");
    assert_eq!(creds.token(), None);
}

#[tokio::test]
async fn profile_finds_file_under_home() {
    let dir = TempDir::new("home");
    dir.write(".tencentcloud/credentials", GOOD_FILE);
    let env = Env::from_map([("HOME", dir.0.to_string_lossy().into_owned())]);
    let creds = ProfileFileProvider::from_env(env)
        .provide()
        .await
        .expect("file under HOME");
    assert_eq!(creds.secret_id(), "AKIDdefault");
}

#[tokio::test]
async fn profile_reads_named_profile() {
    let dir = TempDir::new("named");
    let path = dir.write("creds.ini", GOOD_FILE);
    let env = Env::from_map([
        (
            "TENCENTCLOUD_CREDENTIALS_FILE",
            path.to_string_lossy().into_owned(),
        ),
        ("TENCENTCLOUD_PROFILE", "prod".to_owned()),
    ]);
    let creds = ProfileFileProvider::from_env(env)
        .provide()
        .await
        .expect("prod profile via env");
    assert_eq!(creds.secret_id(), "AKIDprod");
    assert_eq!(creds.secret_key(), "keyprod");
    assert_eq!(creds.token(), Some("tokenprod"));

    // An explicit path and profile override the environment.
    let creds = ProfileFileProvider::from_env(empty_env())
        .with_path(&path)
        .with_profile("default")
        .provide()
        .await
        .expect("explicit default profile");
    assert_eq!(creds.secret_id(), "AKIDdefault");
}

#[tokio::test]
async fn profile_malformed_line_names_file_and_line() {
    let dir = TempDir::new("malformed");
    let path = dir.write(
        "credentials",
        &format!("[default]\nsecret_id = AKID\n\n{SECRET}\nsecret_key = x\n"),
    );
    let err = ProfileFileProvider::new()
        .with_path(&path)
        .provide()
        .await
        .expect_err("line 4 is malformed");
    match &err {
        CredentialsError::Malformed {
            path: bad_path,
            line,
            ..
        } => {
            assert_eq!(bad_path, &path);
            assert_eq!(*line, 4);
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("line 4"), "{msg}");
    assert!(!msg.contains(SECRET), "{msg}");
}

#[tokio::test]
async fn profile_missing_key_and_section_are_named() {
    let dir = TempDir::new("missing");
    let path = dir.write(
        "credentials",
        &format!("[default]\nsecret_id = AKID\n\n[other]\nsecret_key = {SECRET}\n"),
    );
    let err = ProfileFileProvider::new()
        .with_path(&path)
        .provide()
        .await
        .expect_err("secret_key missing");
    assert!(matches!(err, CredentialsError::Invalid { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("[default]"), "{msg}");
    assert!(msg.contains("secret_key"), "{msg}");

    let err = ProfileFileProvider::new()
        .with_path(&path)
        .with_profile("staging")
        .provide()
        .await
        .expect_err("no such section");
    let msg = err.to_string();
    assert!(msg.contains("[staging]"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(!msg.contains(SECRET), "{msg}");
}

#[tokio::test]
async fn profile_values_keep_quotes_and_trailing_comments_as_pythons_sdk_reads_them() {
    let dir = TempDir::new("quotes");
    let path = dir.write(
        "credentials",
        "[default] ; main\nsecret_id : \"AKIDquoted\"\nsecret_key = key # not a comment\n  ; a comment line\n",
    );
    let creds = ProfileFileProvider::new()
        .with_path(&path)
        .provide()
        .await
        .expect("readable");
    assert_eq!(creds.secret_id(), "\"AKIDquoted\"");
    assert_eq!(creds.secret_key(), "key # not a comment");
}

#[tokio::test]
async fn profile_file_size_is_bounded() {
    let dir = TempDir::new("huge");
    let padding = "# padding\n".repeat(MAX_PROFILE_FILE_BYTES as usize / 10 + 1);
    let path = dir.write(
        "credentials",
        &format!("[default]\nsecret_id = a\nsecret_key = b\n{padding}"),
    );
    let err = ProfileFileProvider::new()
        .with_path(&path)
        .provide()
        .await
        .expect_err("too large");
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn profile_named_file_that_does_not_exist_is_an_error_naming_it() {
    let dir = TempDir::new("absent");
    let path = dir.0.join("nope");
    let err = ProfileFileProvider::new()
        .with_path(&path)
        .provide()
        .await
        .expect_err("file absent");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

// ---------------------------------------------------------------- Instance role

/// A tiny HTTP/1.1 server answering `GET path` with fixed (status, body)
/// pairs (404 otherwise). Returns its base URL and a request counter.
async fn serve(routes: Vec<(&'static str, u16, String)>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let hits = Arc::new(AtomicUsize::new(0));
    let routes: Arc<HashMap<&'static str, (u16, String)>> = Arc::new(
        routes
            .into_iter()
            .map(|(path, status, body)| (path, (status, body)))
            .collect(),
    );
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let routes = routes.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let text = String::from_utf8_lossy(&request);
                let path = text.split_whitespace().nth(1).unwrap_or("").to_owned();
                let (status, body) = routes
                    .get(path.as_str())
                    .cloned()
                    .unwrap_or((404, "not found".to_owned()));
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}/meta/"), hits)
}

#[tokio::test]
async fn instance_role_fetches_role_then_credentials() {
    let json = format!(
        r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{SECRET}","Token":"{TOKEN}","ExpiredTime":1900000000,"Expiration":"2030-03-17T17:46:40Z","Code":"Success"}}"#
    );
    let (base, hits) = serve(vec![
        ("/meta/", 200, "test-role\n".to_owned()),
        ("/meta/test-role", 200, json),
    ])
    .await;
    let creds = InstanceRoleProvider::new()
        .with_base_url(base)
        .provide()
        .await
        .expect("instance role credentials");
    assert_eq!(creds.secret_id(), "AKIDtmp");
    assert_eq!(creds.secret_key(), SECRET);
    assert_eq!(creds.token(), Some(TOKEN));
    assert_eq!(
        creds.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(1_900_000_000))
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn instance_role_base_url_without_trailing_slash_and_error_code() {
    let json = format!(r#"{{"Code":"Failed","TmpSecretKey":"{SECRET}"}}"#);
    let (base, _) = serve(vec![
        ("/meta/", 200, "r1".to_owned()),
        ("/meta/r1", 200, json),
    ])
    .await;
    let err = InstanceRoleProvider::new()
        .with_base_url(base.trim_end_matches('/'))
        .provide()
        .await
        .expect_err("Code is not Success");
    let msg = err.to_string();
    assert!(msg.contains("Failed"), "{msg}");
    assert!(!msg.contains(SECRET), "{msg}");
    assert_eq!(err.provider(), Some("instance role"));
}

#[tokio::test]
async fn instance_role_bad_json_does_not_leak_body() {
    let (base, _) = serve(vec![
        ("/meta/", 200, "r1".to_owned()),
        (
            "/meta/r1",
            200,
            format!(r#"{{"TmpSecretId": 5, "TmpSecretKey": "{SECRET}""#),
        ),
    ])
    .await;
    let err = InstanceRoleProvider::new()
        .with_base_url(base)
        .provide()
        .await
        .expect_err("bad json");
    assert!(
        matches!(err, CredentialsError::Unavailable { .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains(SECRET), "{err}");
}

#[tokio::test]
async fn instance_role_without_role_is_not_configured() {
    let (base, _) = serve(vec![]).await; // every path 404s
    let err = InstanceRoleProvider::new()
        .with_base_url(base)
        .provide()
        .await
        .expect_err("no role");
    assert!(err.is_not_configured(), "{err:?}");
}

/// A local address on which nothing listens.
async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}/meta/")
}

/// Off CVM nothing answers at the metadata address: the source is absent,
/// so the chain may go on to the next one.
#[tokio::test]
async fn instance_role_unreachable_is_absent() {
    let err = InstanceRoleProvider::new()
        .with_base_url(closed_port_url().await)
        .provide()
        .await
        .expect_err("nothing listens");
    assert!(err.is_not_configured(), "{err:?}");
}

/// A metadata service that answers but with an error is present and broken.
#[tokio::test]
async fn instance_role_server_error_is_unavailable() {
    let (base, _) = serve(vec![("/meta/", 500, "oops".to_owned())]).await;
    let err = InstanceRoleProvider::new()
        .with_base_url(base)
        .provide()
        .await
        .expect_err("500");
    assert!(
        matches!(err, CredentialsError::Unavailable { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn instance_role_oversized_answer_is_refused() {
    let huge = format!(
        r#"{{"TmpSecretId":"{}"}}"#,
        "A".repeat(MAX_METADATA_BYTES + 1)
    );
    let (base, _) = serve(vec![("/meta/role", 200, huge)]).await;
    let err = InstanceRoleProvider::new()
        .with_base_url(base)
        .with_role("role")
        .provide()
        .await
        .expect_err("too large");
    assert!(err.to_string().contains("larger than"), "{err}");
}

// ---------------------------------------------------------------- Cache

/// Counts calls; each answer expires `lifetime` from now (or never), after a
/// short delay so that concurrent callers overlap.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    lifetime: Option<Duration>,
    fail_after_first: bool,
}

impl Counting {
    fn new(lifetime: Option<Duration>) -> Self {
        Self {
            calls: AtomicUsize::new(0),
            lifetime,
            fail_after_first: false,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            if self.fail_after_first && n > 1 {
                return Err(CredentialsError::Chain { attempts: vec![] });
            }
            let mut creds = Credentials::new(format!("id-{n}"), "key");
            if let Some(lifetime) = self.lifetime {
                creds = creds.with_expiry(SystemTime::now() + lifetime);
            }
            Ok(creds)
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cache_concurrent_callers_trigger_exactly_one_refresh() {
    let cache = Arc::new(CachingProvider::new(Counting::new(Some(
        Duration::from_secs(3600),
    ))));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide().await })
        })
        .collect();
    for task in tasks {
        let creds = task.await.expect("join").expect("credentials");
        assert_eq!(creds.secret_id(), "id-1");
    }
    assert_eq!(cache.inner().calls(), 1);
    // Still fresh: served from the cache.
    assert_eq!(cache.provide().await.expect("cached").secret_id(), "id-1");
    assert_eq!(cache.inner().calls(), 1);
}

#[tokio::test]
async fn cache_refreshes_within_margin_of_expiry() {
    // Expires in 10 minutes: fresh under the default 5-minute margin.
    let cache = CachingProvider::new(Counting::new(Some(Duration::from_secs(600))));
    cache.provide().await.expect("first");
    cache.provide().await.expect("second");
    assert_eq!(cache.inner().calls(), 1);

    // Same lifetime, 15-minute margin: every call is within the margin.
    let cache = CachingProvider::new(Counting::new(Some(Duration::from_secs(600))))
        .with_refresh_margin(Duration::from_secs(900));
    assert_eq!(cache.provide().await.expect("first").secret_id(), "id-1");
    assert_eq!(cache.provide().await.expect("second").secret_id(), "id-2");
    assert_eq!(cache.inner().calls(), 2);

    // Expires in 1 minute: within the default margin, refreshed each time.
    let cache = CachingProvider::new(Counting::new(Some(Duration::from_secs(60))));
    cache.provide().await.expect("first");
    cache.provide().await.expect("second");
    cache.provide().await.expect("third");
    assert_eq!(cache.inner().calls(), 3);
}

#[tokio::test]
async fn cache_keeps_credentials_without_expiry_forever_and_invalidates() {
    let cache = CachingProvider::new(Counting::new(None));
    for _ in 0..5 {
        assert_eq!(cache.provide().await.expect("cached").secret_id(), "id-1");
    }
    assert_eq!(cache.inner().calls(), 1);
    cache.invalidate();
    assert_eq!(
        cache.provide().await.expect("after invalidate").secret_id(),
        "id-2"
    );
}

#[tokio::test]
async fn cache_serves_unexpired_credentials_when_refresh_fails() {
    let mut inner = Counting::new(Some(Duration::from_secs(120)));
    inner.fail_after_first = true;
    let cache = CachingProvider::new(inner);
    assert_eq!(cache.provide().await.expect("first").secret_id(), "id-1");
    // Within the margin, refresh fails, but id-1 has not expired yet.
    assert_eq!(cache.provide().await.expect("fallback").secret_id(), "id-1");
    assert_eq!(cache.inner().calls(), 2);
}

#[derive(Debug)]
struct Failing(AtomicUsize);

impl ProvideCredentials for Failing {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(CredentialsError::Chain { attempts: vec![] })
        })
    }
}

/// A failed refresh is shared by the callers waiting for it and by those
/// arriving shortly after, then tried again, with a longer hold each time.
#[tokio::test(start_paused = true)]
async fn cache_shares_a_failure_briefly_with_backoff() {
    let cache = Arc::new(CachingProvider::new(Failing(AtomicUsize::new(0))));
    let calls = |cache: &CachingProvider<Failing>| cache.inner().0.load(Ordering::SeqCst);
    let waiting: Vec<_> = (0..10)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide().await })
        })
        .collect();
    for task in waiting {
        assert!(task.await.unwrap().is_err());
    }
    assert_eq!(calls(&cache), 1, "ten waiting callers, one refresh");
    assert!(cache.provide().await.is_err());
    assert_eq!(calls(&cache), 1, "shared while held");
    tokio::time::advance(FAILURE_HOLD + Duration::from_millis(100)).await;
    assert!(cache.provide().await.is_err());
    assert_eq!(calls(&cache), 2, "asked again after the hold");
    // The second failure in a row is held twice as long.
    tokio::time::advance(FAILURE_HOLD + Duration::from_millis(100)).await;
    assert!(cache.provide().await.is_err());
    assert_eq!(calls(&cache), 2);
    tokio::time::advance(FAILURE_HOLD).await;
    assert!(cache.provide().await.is_err());
    assert_eq!(calls(&cache), 3);
}

/// Temporary credentials that the local clock thinks have 30 minutes left
/// are expired by a clock corrected one hour ahead, and refreshed.
#[tokio::test]
async fn cache_judges_expiry_by_the_corrected_clock() {
    let clock = ServiceClock::new();
    let cache = CachingProvider::new(Counting::new(Some(Duration::from_secs(1800))))
        .with_clock(clock.clone());
    cache.provide().await.expect("first");
    cache.provide().await.expect("cached");
    assert_eq!(cache.inner().calls(), 1);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    clock
        .correct_to(now + 3600)
        .expect("an hour is within bounds");
    cache.provide().await.expect("refreshed");
    assert_eq!(cache.inner().calls(), 2);
}

// ---------------------------------------------------------------- Chains

#[tokio::test]
async fn chain_returns_first_success() {
    let chain = ChainProvider::new()
        .with(EnvironmentProvider::from_env(empty_env()))
        .with(Credentials::new("second", "k"))
        .with(Credentials::new("third", "k"));
    assert_eq!(
        chain.provide().await.expect("second serves").secret_id(),
        "second"
    );
}

#[tokio::test]
async fn default_chain_error_lists_every_absent_source() {
    let dir = TempDir::new("chain");
    let home = dir.0.display().to_string();
    let chain = DefaultChain::from_parts(
        Env::from_map([("HOME", home.as_str())]),
        InstanceRoleProvider::new().with_base_url(closed_port_url().await),
    );
    let err = chain.provide().await.expect_err("nothing configured");
    let CredentialsError::Chain { attempts } = &err else {
        panic!("expected a chain error, got {err:?}");
    };
    let providers: Vec<_> = attempts.iter().map(|e| e.provider()).collect();
    assert_eq!(
        providers,
        [
            Some("environment"),
            Some("profile file"),
            Some("instance role"),
            Some("web identity"),
        ]
    );
    let msg = err.to_string();
    for needle in [
        "TENCENTCLOUD_SECRET_ID",
        &home,
        "instance role",
        "TKE_ROLE_ARN",
    ] {
        assert!(msg.contains(needle), "`{needle}` missing from: {msg}");
    }
    assert!(err.is_not_configured());
}

/// A source that is present but broken ends the chain with its own error;
/// it never falls through to another identity further down.
#[tokio::test]
async fn default_chain_does_not_fall_through_past_a_broken_source() {
    let dir = TempDir::new("broken");
    let good_file = dir.write("good", GOOD_FILE);
    let (metadata, hits) = serve(vec![("/meta/", 200, "role".to_owned())]).await;
    let file = good_file.display().to_string();
    let missing = dir.0.join("missing").display().to_string();
    let no_key = dir
        .write("no-key", "[default]\nsecret_id = AKIDonly\n")
        .display()
        .to_string();
    let malformed = dir
        .write("malformed", "[default]\nsecret_id\n")
        .display()
        .to_string();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        // An id without its key, with a good profile file behind it.
        (
            vec![
                ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
                ("TENCENTCLOUD_CREDENTIALS_FILE", &file),
            ],
            "TENCENTCLOUD_SECRET_KEY",
        ),
        // A named profile file that does not exist, an unreadable one.
        (vec![("TENCENTCLOUD_CREDENTIALS_FILE", &missing)], "missing"),
        // A profile missing its key, a malformed one.
        (
            vec![("TENCENTCLOUD_CREDENTIALS_FILE", &no_key)],
            "secret_key",
        ),
        (
            vec![("TENCENTCLOUD_CREDENTIALS_FILE", &malformed)],
            "line 2",
        ),
        // Half of the TKE variables.
        (
            vec![
                ("HOME", "/nonexistent"),
                ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/r"),
            ],
            "TKE_REGION",
        ),
    ];
    for (vars, named) in cases {
        let chain = DefaultChain::from_parts(
            Env::from_map(vars.clone()),
            InstanceRoleProvider::new().with_base_url(closed_port_url().await),
        );
        let err = chain.provide().await.expect_err("broken source");
        assert!(
            !matches!(err, CredentialsError::Chain { .. }),
            "{vars:?}: {err:?}"
        );
        assert!(
            err.to_string().contains(named),
            "{vars:?}: `{named}` missing from {err}"
        );
    }
    // The id without a key stops the chain before a working instance role too.
    let chain = DefaultChain::from_parts(
        Env::from_map([
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("HOME", "/nonexistent"),
        ]),
        InstanceRoleProvider::new().with_base_url(metadata),
    );
    let err = chain.provide().await.expect_err("broken environment");
    assert_eq!(err.provider(), Some("environment"), "{err}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the instance role was never asked"
    );
}

#[tokio::test]
async fn default_chain_prefers_environment() {
    let env = Env::from_map([
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "k"),
    ]);
    let chain = DefaultChain::from_parts(
        env,
        InstanceRoleProvider::new().with_base_url(closed_port_url().await),
    );
    assert_eq!(chain.provide().await.expect("env").secret_id(), "AKIDenv");
}
