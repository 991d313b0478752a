//! The STS providers (`AssumeRole`, OIDC web identity) against a local STS
//! stand-in that checks what Tencent's service checks.

mod support;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::credentials::{
    AssumeRoleProvider, CachingProvider, Credentials, CredentialsError, DefaultChain, Env,
    InstanceRoleProvider, ProvideCredentials, WebIdentityProvider,
};
use tencentcloud_runtime::{Config, ServiceClient};
use tokio::net::TcpListener;

use support::sts::{Expect, StsStandIn};
use support::{FaultServer, READ, SERVICE, call};

const BASE_ID: &str = "AKIDbase";
const BASE_KEY: &str = "base-secret-key";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-for-tests";
const ROLE: &str = "qcs::cam::uin/100000000001:roleName/ops";

async fn stand_in() -> StsStandIn {
    StsStandIn::start(Expect {
        secret_id: BASE_ID.to_owned(),
        secret_key: BASE_KEY.to_owned(),
        web_identity_token: OIDC_TOKEN.to_owned(),
    })
    .await
}

fn empty_env() -> Env {
    Env::from_map(Vec::<(String, String)>::new())
}

/// A local address on which nothing listens (an instance-role source that is absent).
async fn no_metadata_service() -> InstanceRoleProvider {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    InstanceRoleProvider::new().with_base_url(format!("http://{addr}/meta/"))
}

/// A unique temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("tc-sts-test-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn seconds_from_now(at: SystemTime) -> i64 {
    match at.duration_since(SystemTime::now()) {
        Ok(left) => left.as_secs() as i64,
        Err(past) => -(past.duration().as_secs() as i64),
    }
}

#[tokio::test]
async fn assume_role_is_signed_for_sts_and_returns_temporary_credentials() {
    let sts = stand_in().await;
    let provider =
        AssumeRoleProvider::new(Credentials::new(BASE_ID, BASE_KEY), ROLE, "nightly-sync")
            .with_endpoint(sts.url())
            .with_env(empty_env());
    let creds = provider.provide().await.expect("role assumed");
    assert_eq!(creds.secret_id(), "AKIDsts-1");
    assert_eq!(creds.secret_key(), "sts-key-1");
    assert_eq!(creds.token(), Some("sts-token-1"));
    let left = seconds_from_now(creds.expires_at().expect("expires"));
    assert!((7100..=7200).contains(&left), "{left}");

    let requests = sts.server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.header("x-tc-action"), "AssumeRole");
    assert_eq!(request.header("x-tc-region"), "ap-guangzhou");
    assert!(
        request
            .header("authorization")
            .contains(&format!("Credential={BASE_ID}/"))
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["RoleArn"], ROLE);
    assert_eq!(body["RoleSessionName"], "nightly-sync");
    assert_eq!(body["DurationSeconds"], 7200);
}

#[tokio::test]
async fn assume_role_refused_by_sts_is_an_error_naming_the_source() {
    let sts = stand_in().await;
    let provider = AssumeRoleProvider::new(Credentials::new(BASE_ID, "wrong-key"), ROLE, "s")
        .with_endpoint(sts.url())
        .with_env(empty_env());
    let err = provider.provide().await.expect_err("bad signature");
    assert!(matches!(err, CredentialsError::Invalid { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("sts assume role") && text.contains("AuthFailure.SignatureFailure"),
        "{text}"
    );
    assert!(!text.contains("wrong-key"), "{text}");
}

#[tokio::test]
async fn assumed_role_credentials_are_cached_and_refreshed_before_expiry() {
    let sts = stand_in().await;
    let provider = || {
        AssumeRoleProvider::new(Credentials::new(BASE_ID, BASE_KEY), ROLE, "s")
            .with_endpoint(sts.url())
            .with_env(empty_env())
            .with_duration(Duration::from_secs(900))
    };
    // 15 minutes of validity, refreshed 5 minutes before: reused.
    let cache = CachingProvider::new(provider());
    assert_eq!(cache.provide().await.unwrap().secret_id(), "AKIDsts-1");
    assert_eq!(cache.provide().await.unwrap().secret_id(), "AKIDsts-1");
    // Refreshed 20 minutes before expiry: every call is due for a refresh.
    let cache = CachingProvider::new(provider()).with_refresh_margin(Duration::from_secs(1200));
    assert_eq!(cache.provide().await.unwrap().secret_id(), "AKIDsts-2");
    assert_eq!(cache.provide().await.unwrap().secret_id(), "AKIDsts-3");
    assert_eq!(sts.issued.load(Ordering::SeqCst), 3);
}

/// As Tencent's Python SDK reads the profile: `role_arn` (and
/// `role_session_name`) make the section's key pair assume the role.
#[tokio::test]
async fn profile_with_role_arn_assumes_the_role_in_the_default_chain() {
    let sts = stand_in().await;
    let dir = TempDir::new("profile-role");
    let file = dir.write(
        "credentials",
        &format!(
            "[default]\nsecret_id = {BASE_ID}\nsecret_key = {BASE_KEY}\nrole_arn = {ROLE}\nrole_session_name = from-profile\n"
        ),
    );
    let env = Env::from_map([
        ("TENCENTCLOUD_CREDENTIALS_FILE", file.as_str()),
        ("TENCENTCLOUD_STS_ENDPOINT_URL", sts.url()),
    ]);
    let chain = DefaultChain::from_parts(env, no_metadata_service().await);
    let creds = chain.provide().await.expect("role assumed");
    assert_eq!(creds.secret_id(), "AKIDsts-1");
    let body: serde_json::Value = serde_json::from_slice(&sts.server.requests()[0].body).unwrap();
    assert_eq!(body["RoleSessionName"], "from-profile");
}

/// In a TKE pod: no key pair, no profile, no metadata service; the OIDC
/// token is exchanged, unsigned, for the role's credentials. A client
/// built from the environment then signs with them and sends their token.
#[tokio::test]
async fn tke_web_identity_serves_the_default_chain_of_a_client() {
    let sts = stand_in().await;
    let dir = TempDir::new("tke");
    let token_file = dir.write("token", &format!("{OIDC_TOKEN}\n"));
    let vars = [
        ("HOME", dir.0.display().to_string()),
        ("TKE_REGION", "ap-shanghai".to_owned()),
        ("TKE_PROVIDER_ID", "tke-oidc-provider".to_owned()),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file),
        ("TKE_ROLE_ARN", ROLE.to_owned()),
        ("TENCENTCLOUD_STS_ENDPOINT_URL", sts.url().to_owned()),
    ];
    let chain = DefaultChain::from_parts(Env::from_map(vars.clone()), no_metadata_service().await);
    let service = FaultServer::start(vec![]).await;
    let config = Config::builder()
        .credentials(chain)
        .endpoint(&service.url)
        .no_proxy()
        .env(Env::from_map(vars))
        .build()
        .unwrap();
    let client = ServiceClient::new(SERVICE, config);
    call(&client, &READ).await.expect("the call goes through");

    let exchange = &sts.server.requests()[0];
    assert_eq!(exchange.header("x-tc-action"), "AssumeRoleWithWebIdentity");
    assert_eq!(exchange.header("authorization"), "SKIP");
    assert_eq!(exchange.header("x-tc-region"), "ap-shanghai");
    let body: serde_json::Value = serde_json::from_slice(&exchange.body).unwrap();
    assert_eq!(body["ProviderId"], "tke-oidc-provider");
    assert_eq!(body["WebIdentityToken"], OIDC_TOKEN);
    assert!(
        body["RoleSessionName"]
            .as_str()
            .unwrap()
            .starts_with("tencentcloud-rust-sdk-")
    );

    let sent = &service.requests()[0];
    assert!(
        sent.header("authorization")
            .contains("Credential=AKIDsts-1/"),
        "{}",
        sent.header("authorization")
    );
    assert_eq!(sent.header("x-tc-token"), "sts-token-1");
}

#[tokio::test]
async fn web_identity_with_a_refused_token_is_an_error_naming_the_source() {
    let sts = stand_in().await;
    let dir = TempDir::new("bad-token");
    let token_file = dir.write("token", "not-the-token");
    let provider = WebIdentityProvider::new("ap-guangzhou", "provider", token_file, ROLE)
        .with_endpoint(sts.url())
        .with_env(empty_env());
    let err = provider.provide().await.expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains("web identity") && text.contains("WebIdentityTokenError"),
        "{text}"
    );

    let missing = WebIdentityProvider::new("ap-guangzhou", "provider", dir.0.join("nope"), ROLE)
        .with_endpoint(sts.url())
        .with_env(empty_env());
    let err = missing.provide().await.expect_err("no token file");
    assert!(err.to_string().contains("token file"), "{err}");
}

/// `TKE_IDENTITY_TOKEN_FILE` is accepted for the token file; a token file
/// over the size bound is refused, naming it.
#[tokio::test]
async fn tke_token_file_under_its_short_name_and_bounded_in_size() {
    let sts = stand_in().await;
    let dir = TempDir::new("tke-short");
    let token_file = dir.write("token", OIDC_TOKEN);
    let huge_file = dir.write(
        "huge",
        &"x".repeat(tencentcloud_runtime::credentials::MAX_TOKEN_FILE_BYTES as usize + 1),
    );
    let env = |file: &str| {
        Env::from_map([
            ("TKE_REGION", "ap-guangzhou"),
            ("TKE_PROVIDER_ID", "p"),
            ("TKE_IDENTITY_TOKEN_FILE", file),
            ("TKE_ROLE_ARN", ROLE),
            ("TENCENTCLOUD_STS_ENDPOINT_URL", sts.url()),
        ])
    };
    let creds = WebIdentityProvider::from_tke_env(env(&token_file))
        .provide()
        .await
        .expect("exchanged");
    assert_eq!(creds.secret_id(), "AKIDsts-1");
    let err = WebIdentityProvider::from_tke_env(env(&huge_file))
        .provide()
        .await
        .expect_err("too large");
    assert!(
        err.to_string().contains("larger than") && err.to_string().contains("huge"),
        "{err}"
    );
}
