//! Client configuration: credentials, region, language, endpoint, HTTP
//! client, timeouts, proxy, retries and rate limiting.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::ServiceClock;
use crate::credentials::{DefaultChain, Env, ProvideCredentials};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::RetryConfig;

/// Language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// Environment variable naming the region.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// Environment variable overriding the endpoint of every service.
pub const ENV_ENDPOINT_URL: &str = "TENCENTCLOUD_ENDPOINT_URL";

/// The largest answer read by default (bytes); larger ones fail with
/// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) instead of being buffered.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default limit on one attempt, from sending to the end of the answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// What this SDK sends in `X-TC-RequestClient`: `SDK_RUST_` and the runtime's version.
/// An application suffix set with [`ConfigBuilder::app_id_suffix`] follows after `_`.
pub const REQUEST_CLIENT: &str = concat!("SDK_RUST_", env!("CARGO_PKG_VERSION"));
/// The longest `X-TC-RequestClient` value accepted, suffix included.
pub const MAX_REQUEST_CLIENT_LEN: usize = 64;

/// State every client built from one [`Config`] shares, whichever clone it came from.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Pacing of each action: the service's limits are per account, not per client object.
    pub(crate) limiter: RateLimiter,
    /// The correction learned from `AuthFailure.SignatureExpire`: it is this host's clock that is off.
    pub(crate) clock: ServiceClock,
}

/// How a client talks to Tencent Cloud. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) endpoint: Option<String>,
    /// Endpoints from `TENCENTCLOUD_<SERVICE>_ENDPOINT_URL`, by upper-cased
    /// service name, and from `TENCENTCLOUD_ENDPOINT_URL` (key `""`), all checked at build time.
    pub(crate) env_endpoints: BTreeMap<String, String>,
    pub(crate) http: reqwest::Client,
    /// Known only when this crate built the HTTP client; used to report which limit fired.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
    pub(crate) request_client: String,
    pub(crate) retry: RetryConfig,
    pub(crate) shared: Arc<Shared>,
    /// Send `Authorization: SKIP` instead of a signature (STS's web-identity call only).
    pub(crate) unsigned: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("request_client", &self.request_client)
            .field("retry", &self.retry)
            .field("rate_limit", &self.shared.limiter.mode())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder starting from the defaults: the default credentials chain,
    /// region and endpoint from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region sent in `X-TC-Region`, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The `X-TC-RequestClient` value: [`REQUEST_CLIENT`], then the application suffix if any.
    pub fn request_client(&self) -> &str {
        &self.request_client
    }

    /// The limit on one attempt.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The limit on a whole call, retries and waits included, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// How failed attempts are repeated.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// How calls are paced.
    pub fn rate_limit(&self) -> RateLimit {
        self.shared.limiter.mode()
    }

    /// The seconds added to the local clock when signing, learned from the
    /// service after `AuthFailure.SignatureExpire` (0 until then).
    pub fn clock_offset_seconds(&self) -> i64 {
        self.shared.clock.offset()
    }

    /// The clock requests are signed with (shared by every clone).
    pub fn clock(&self) -> &ServiceClock {
        &self.shared.clock
    }

    /// The endpoint URL for `service`: the one set in code, else
    /// `TENCENTCLOUD_<SERVICE>_ENDPOINT_URL`, else `TENCENTCLOUD_ENDPOINT_URL`,
    /// else `https://<default_host>`.
    ///
    /// Every endpoint but the default was checked by [`ConfigBuilder::build`].
    pub fn endpoint_for(&self, service: &str, default_host: &str) -> String {
        if let Some(endpoint) = &self.endpoint {
            return endpoint.clone();
        }
        self.env_endpoints
            .get(&service.to_ascii_uppercase())
            .or_else(|| self.env_endpoints.get(""))
            .cloned()
            .unwrap_or_else(|| format!("https://{default_host}"))
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    region: Option<String>,
    language: Option<Language>,
    endpoint: Option<String>,
    http: Option<reqwest::Client>,
    proxy: Option<String>,
    no_proxy: bool,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    app_id_suffix: Option<String>,
    retry: Option<RetryConfig>,
    rate_limit: Option<RateLimit>,
    clock: Option<ServiceClock>,
    env: Option<Env>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            // A proxy URL may carry a user name and password: say only whether one is set.
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .field("no_proxy", &self.no_proxy)
            .field("app_id_suffix", &self.app_id_suffix)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

/// Why a [`Config`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An endpoint URL, set in code or in the environment, is not acceptable.
    #[error("invalid endpoint `{url}` ({origin}): {reason}")]
    InvalidEndpoint {
        /// Where it was set: `set in code` or the variable's name.
        origin: String,
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The region, set in code or in `TENCENTCLOUD_REGION`, is not a region name.
    #[error(
        "invalid region {region:?} ({origin}): only ASCII letters, digits, `-` and `_` are allowed"
    )]
    InvalidRegion {
        /// Where it was set: `set in code` or the variable's name.
        origin: &'static str,
        /// The region given.
        region: String,
    },
    /// A SOCKS proxy was asked for; this build supports only HTTP(S) proxies.
    #[error(
        "{origin} names a SOCKS proxy, which this SDK does not support: use an http:// or https:// proxy, or `no_proxy`"
    )]
    UnsupportedProxy {
        /// Where it was set: `proxy` or the environment variable's name.
        origin: String,
    },
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// The proxy URL is not usable. The URL itself is not repeated: it may hold a password.
    #[error("the proxy URL is invalid: it must be an http:// or https:// URL")]
    InvalidProxy,
    /// A setting applies to an HTTP client this crate builds, but the caller brought its own.
    #[error(
        "`{0}` cannot be combined with `http_client`: configure the reqwest::Client given instead"
    )]
    ConflictsWithHttpClient(&'static str),
    /// The application suffix of `X-TC-RequestClient` is not acceptable.
    #[error("invalid app_id_suffix `{suffix}`: {reason}")]
    InvalidAppIdSuffix {
        /// The suffix given.
        suffix: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A timeout is zero, which would fail every call.
    #[error("`{0}` must be longer than zero")]
    ZeroTimeout(&'static str),
    /// [`RateLimit::PerSecond`] was given 0.
    #[error(
        "a custom rate limit must allow at least 1 call per second; use RateLimit::Disabled to turn pacing off"
    )]
    ZeroRateLimit,
}

impl ConfigBuilder {
    /// Where credentials come from (default: environment, profile file, instance role).
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The region, sent as `X-TC-Region` (default: `TENCENTCLOUD_REGION`, else none).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The language of the service's messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// A full endpoint URL such as `http://127.0.0.1:8080`, overriding the
    /// service's default host and the environment.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Use this HTTP client (its proxy, TLS and pool settings) instead of a new one.
    ///
    /// [`proxy`](Self::proxy) and [`no_proxy`](Self::no_proxy) then cannot be used;
    /// [`connect_timeout`](Self::connect_timeout) is ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Send every request through this proxy (`http://` or `https://` URL,
    /// optionally with `user:password@`). SOCKS proxies are not supported:
    /// [`build`](Self::build) refuses a `socks4://`, `socks5://` or
    /// `socks5h://` URL here or in the proxy variables below.
    ///
    /// Without it, the proxy named by the `HTTPS_PROXY` / `HTTP_PROXY` /
    /// `ALL_PROXY` environment variables is used, except for hosts in `NO_PROXY`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Connect directly, ignoring the proxy environment variables.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Limit on establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`];
    /// ignored with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Limit on one attempt, from connecting to the end of the answer
    /// (default [`DEFAULT_ATTEMPT_TIMEOUT`]).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Limit on a whole call: waiting for the rate limiter, every attempt and
    /// the waits between them (default: none, so a call is bounded by the
    /// attempts times the attempt timeout plus the backoff). When it is
    /// reached the call fails with [`Error::Timeout`](crate::Error::Timeout);
    /// no retry is started that could not finish its backoff before it.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Identifies the application to Tencent Cloud: `X-TC-RequestClient`
    /// becomes `SDK_RUST_<version>_<suffix>`. Only ASCII letters, digits,
    /// `_`, `.` and `-` are accepted, and the whole value must fit in
    /// [`MAX_REQUEST_CLIENT_LEN`] characters; [`build`](Self::build) says otherwise.
    pub fn app_id_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.app_id_suffix = Some(suffix.into());
        self
    }

    /// How failed attempts are repeated (default [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How calls are paced (default [`RateLimit::ServiceLimits`]).
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// The largest answer to read (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Sign with this clock, e.g. one shared with a
    /// [`CachingProvider`](crate::credentials::CachingProvider) of your own
    /// (default: a new one, shared with the default credentials chain).
    pub fn clock(mut self, clock: ServiceClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Read environment settings from `env` instead of the process environment (for tests).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Checks the settings and creates the HTTP client.
    pub fn build(self) -> Result<Config, ConfigError> {
        let env = self.env.unwrap_or_else(Env::process);
        if let Some(endpoint) = &self.endpoint {
            check_endpoint("set in code", endpoint)?;
        }
        let env_endpoints = env_endpoints(&env)?;
        let region = match self.region {
            Some(region) => Some(check_region("set in code", region)?),
            None => env
                .get(ENV_REGION)
                .map(|region| check_region(ENV_REGION, region))
                .transpose()?,
        };
        for (name, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("attempt_timeout", self.attempt_timeout),
            ("operation_timeout", self.operation_timeout),
        ] {
            if timeout == Some(Duration::ZERO) {
                return Err(ConfigError::ZeroTimeout(name));
            }
        }
        if self.rate_limit == Some(RateLimit::PerSecond(0)) {
            return Err(ConfigError::ZeroRateLimit);
        }
        let request_client = request_client(self.app_id_suffix.as_deref())?;
        let (http, connect_timeout) = match self.http {
            Some(http) => {
                if self.proxy.is_some() {
                    return Err(ConfigError::ConflictsWithHttpClient("proxy"));
                }
                if self.no_proxy {
                    return Err(ConfigError::ConflictsWithHttpClient("no_proxy"));
                }
                // Its redirect policy is the caller's: see `http_client`.
                (http, None)
            }
            None => {
                let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                // Never follow redirects: the signed request, its token and its
                // body must go nowhere but the endpoint (and never to plain http).
                let mut builder = reqwest::Client::builder()
                    .connect_timeout(connect_timeout)
                    .redirect(reqwest::redirect::Policy::none());
                if self.no_proxy {
                    builder = builder.no_proxy();
                } else if self.proxy.is_none() {
                    refuse_socks_in_env(&env)?;
                }
                if let Some(url) = &self.proxy {
                    if is_socks(url) {
                        return Err(ConfigError::UnsupportedProxy {
                            origin: "proxy".to_owned(),
                        });
                    }
                    // reqwest's error may quote the URL, password included: keep it out.
                    builder = builder
                        .proxy(reqwest::Proxy::all(url).map_err(|_| ConfigError::InvalidProxy)?);
                }
                (
                    builder.build().map_err(ConfigError::Http)?,
                    Some(connect_timeout),
                )
            }
        };
        let clock = self.clock.unwrap_or_default();
        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => Arc::new(DefaultChain::from_env_with_clock(
                env.clone(),
                clock.clone(),
            )),
        };
        Ok(Config {
            credentials,
            region,
            language: self.language,
            endpoint: self.endpoint,
            env_endpoints,
            http,
            connect_timeout,
            attempt_timeout: Some(self.attempt_timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT)),
            operation_timeout: self.operation_timeout,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            request_client,
            retry: self.retry.unwrap_or_default(),
            shared: Arc::new(Shared {
                limiter: RateLimiter::new(self.rate_limit.unwrap_or_default()),
                clock,
            }),
            unsigned: false,
        })
    }
}

fn check_endpoint(origin: &str, url: &str) -> Result<(), ConfigError> {
    match crate::endpoint::problem(url) {
        None => Ok(()),
        Some(reason) => Err(ConfigError::InvalidEndpoint {
            origin: origin.to_owned(),
            url: url.to_owned(),
            reason,
        }),
    }
}

/// The endpoints named by the environment, each checked: the per-service
/// variables by upper-cased service name, and the global one under `""`.
fn env_endpoints(env: &Env) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut endpoints = BTreeMap::new();
    for (name, url) in env.vars_with_prefix("TENCENTCLOUD_") {
        let service = if name == ENV_ENDPOINT_URL {
            String::new()
        } else if let Some(service) = name
            .strip_prefix("TENCENTCLOUD_")
            .and_then(|rest| rest.strip_suffix("_ENDPOINT_URL"))
        {
            service.to_owned()
        } else {
            continue;
        };
        check_endpoint(&name, &url)?;
        endpoints.insert(service, url);
    }
    Ok(endpoints)
}

/// A region is a short name such as `ap-guangzhou`; anything else (notably a
/// control character, which would forge another header) is refused.
fn check_region(origin: &'static str, region: String) -> Result<String, ConfigError> {
    let valid = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if valid {
        Ok(region)
    } else {
        Err(ConfigError::InvalidRegion { origin, region })
    }
}

fn is_socks(url: &str) -> bool {
    let scheme = url
        .trim()
        .split_once("://")
        .map_or("", |(scheme, _)| scheme);
    scheme.to_ascii_lowercase().starts_with("socks")
}

/// The proxy variables reqwest reads; a SOCKS URL in one of them would make
/// every request fail at connection time, so it is refused up front.
fn refuse_socks_in_env(env: &Env) -> Result<(), ConfigError> {
    for name in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        if env.get(name).is_some_and(|url| is_socks(&url)) {
            return Err(ConfigError::UnsupportedProxy {
                origin: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// The `X-TC-RequestClient` value for an optional application suffix.
fn request_client(suffix: Option<&str>) -> Result<String, ConfigError> {
    let Some(suffix) = suffix else {
        return Ok(REQUEST_CLIENT.to_owned());
    };
    let invalid = |reason: String| ConfigError::InvalidAppIdSuffix {
        suffix: suffix.to_owned(),
        reason,
    };
    if suffix.is_empty() {
        return Err(invalid("it is empty; leave it unset instead".to_owned()));
    }
    if let Some(bad) = suffix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Err(invalid(format!(
            "{bad:?} is not allowed; use only ASCII letters, digits, `_`, `.` and `-`"
        )));
    }
    let value = format!("{REQUEST_CLIENT}_{suffix}");
    if value.len() > MAX_REQUEST_CLIENT_LEN {
        return Err(invalid(format!(
            "`{value}` is {} characters long; the limit is {MAX_REQUEST_CLIENT_LEN}, so the suffix may have at most {}",
            value.len(),
            MAX_REQUEST_CLIENT_LEN - REQUEST_CLIENT.len() - 1
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    fn builder() -> ConfigBuilder {
        Config::builder()
            .credentials(Credentials::new("AKIDtest", "secret-key-for-tests"))
            .env(Env::from_map([("X", "y")]))
    }

    #[test]
    fn request_client_names_the_sdk_and_the_app() {
        let config = builder().build().unwrap();
        assert_eq!(config.request_client(), REQUEST_CLIENT);
        assert!(REQUEST_CLIENT.starts_with("SDK_RUST_"));
        let config = builder()
            .app_id_suffix("billing-sync_v2.1")
            .build()
            .unwrap();
        assert_eq!(
            config.request_client(),
            format!("{REQUEST_CLIENT}_billing-sync_v2.1")
        );
    }

    #[test]
    fn bad_suffixes_are_refused_with_a_reason() {
        for (suffix, reason) in [
            ("", "empty"),
            ("my app", "' '"),
            ("app/1", "'/'"),
            ("café", "'é'"),
        ] {
            let err = builder().app_id_suffix(suffix).build().unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidAppIdSuffix { .. }),
                "{err:?}"
            );
            assert!(err.to_string().contains(reason), "{err}");
        }
        let longest = "a".repeat(MAX_REQUEST_CLIENT_LEN - REQUEST_CLIENT.len() - 1);
        assert_eq!(
            builder()
                .app_id_suffix(&longest)
                .build()
                .unwrap()
                .request_client()
                .len(),
            MAX_REQUEST_CLIENT_LEN
        );
        let err = builder()
            .app_id_suffix(format!("{longest}a"))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("limit is 64"), "{err}");
    }

    #[test]
    fn proxy_is_checked_and_never_shown() {
        let builder_with_proxy = builder().proxy("http://user:hunter2@proxy.example:3128");
        assert!(!format!("{builder_with_proxy:?}").contains("hunter2"));
        let config = builder_with_proxy.build().unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        let err = builder().proxy("::not a url hunter2").build().unwrap_err();
        assert!(matches!(err, ConfigError::InvalidProxy));
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn settings_for_an_own_http_client_conflict() {
        let err = builder()
            .http_client(reqwest::Client::new())
            .proxy("http://proxy:1")
            .build()
            .unwrap_err();
        assert!(
            matches!(err, ConfigError::ConflictsWithHttpClient("proxy")),
            "{err:?}"
        );
        assert!(
            builder()
                .http_client(reqwest::Client::new())
                .build()
                .is_ok()
        );
    }

    #[test]
    fn zero_limits_are_refused() {
        let err = builder()
            .attempt_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(matches!(err, ConfigError::ZeroTimeout("attempt_timeout")));
        let err = builder()
            .operation_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(matches!(err, ConfigError::ZeroTimeout("operation_timeout")));
        let err = builder()
            .rate_limit(RateLimit::PerSecond(0))
            .build()
            .unwrap_err();
        assert!(matches!(err, ConfigError::ZeroRateLimit));
    }

    #[test]
    fn defaults() {
        let config = builder().build().unwrap();
        assert_eq!(config.attempt_timeout(), Some(DEFAULT_ATTEMPT_TIMEOUT));
        assert_eq!(config.operation_timeout(), None);
        assert_eq!(config.retry(), &RetryConfig::default());
        assert_eq!(config.rate_limit(), RateLimit::ServiceLimits);
        assert_eq!(config.clock_offset_seconds(), 0);
        let debug = format!("{config:?}");
        assert!(!debug.contains("secret-key-for-tests"), "{debug}");
    }

    #[test]
    fn endpoints_from_the_environment_are_checked_at_build() {
        for (name, url, reason) in [
            (
                ENV_ENDPOINT_URL,
                "ccc.tencentcloudapi.com",
                "must start with https://",
            ),
            (
                "TENCENTCLOUD_CCC_ENDPOINT_URL",
                "https://ccc.tencentcloudapi.com /",
                "space",
            ),
            (
                "TENCENTCLOUD_CCC_ENDPOINT_URL",
                "https://evil.example/steal",
                "path",
            ),
        ] {
            let err = builder()
                .env(Env::from_map([(name, url)]))
                .build()
                .unwrap_err();
            let text = err.to_string();
            assert!(
                matches!(err, ConfigError::InvalidEndpoint { .. }),
                "{err:?}"
            );
            assert!(text.contains(name) && text.contains(reason), "{text}");
        }
        let err = builder().endpoint("127.0.0.1:8080").build().unwrap_err();
        assert!(err.to_string().contains("set in code"), "{err}");
        let err = builder()
            .endpoint("https://ccc.tencentcloudapi.com/v2")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("path"), "{err}");
    }

    #[test]
    fn regions_with_control_characters_are_refused() {
        let err = builder()
            .region("ap-guangzhou\r\nX-Evil: 1")
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::InvalidRegion {
                    origin: "set in code",
                    ..
                }
            ),
            "{err:?}"
        );
        let err = builder()
            .env(Env::from_map([(ENV_REGION, "ap guangzhou")]))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains(ENV_REGION), "{err}");
        let config = builder()
            .env(Env::from_map([(ENV_REGION, "ap-guangzhou")]))
            .build()
            .unwrap();
        assert_eq!(config.region(), Some("ap-guangzhou"));
    }

    #[test]
    fn socks_proxies_are_refused_rather_than_failing_later() {
        let err = builder()
            .proxy("socks5://127.0.0.1:1080")
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, ConfigError::UnsupportedProxy { origin } if origin == "proxy"),
            "{err:?}"
        );
        let err = builder()
            .env(Env::from_map([("ALL_PROXY", "socks5h://proxy:1080")]))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("ALL_PROXY"), "{err}");
        // Ignoring the environment's proxies ignores its SOCKS proxy too.
        assert!(
            builder()
                .env(Env::from_map([("ALL_PROXY", "socks5://proxy:1080")]))
                .no_proxy()
                .build()
                .is_ok()
        );
        assert!(builder().proxy("http://proxy:3128").build().is_ok());
    }

    #[test]
    fn per_service_endpoint_wins_over_the_global_one() {
        let env = Env::from_map([
            ("TENCENTCLOUD_CCC_ENDPOINT_URL", "http://ccc.local:1"),
            (ENV_ENDPOINT_URL, "http://all.local:2"),
        ]);
        let config = builder().env(env).build().unwrap();
        assert_eq!(
            config.endpoint_for("ccc", "ccc.tencentcloudapi.com"),
            "http://ccc.local:1"
        );
        assert_eq!(
            config.endpoint_for("cvm", "cvm.tencentcloudapi.com"),
            "http://all.local:2"
        );
        let config = builder().env(Env::from_map([("X", "y")])).build().unwrap();
        assert_eq!(
            config.endpoint_for("ccc", "ccc.tencentcloudapi.com"),
            "https://ccc.tencentcloudapi.com"
        );
        let config = builder()
            .endpoint("http://code.local:3")
            .env(Env::from_map([(ENV_ENDPOINT_URL, "http://all.local:2")]))
            .build()
            .unwrap();
        assert_eq!(
            config.endpoint_for("ccc", "ccc.tencentcloudapi.com"),
            "http://code.local:3"
        );
    }
}
