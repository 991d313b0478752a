//! Client configuration: credentials, region, language, endpoint, HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{DefaultChain, Env, ProvideCredentials};

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

/// How a client talks to Tencent Cloud. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) endpoint: Option<String>,
    pub(crate) http: reqwest::Client,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
    pub(crate) env: Env,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("endpoint", &self.endpoint)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
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

    /// The endpoint URL for `service`: the one set in code, else
    /// `TENCENTCLOUD_<SERVICE>_ENDPOINT_URL`, else `TENCENTCLOUD_ENDPOINT_URL`,
    /// else `https://<default_host>`.
    pub fn endpoint_for(&self, service: &str, default_host: &str) -> String {
        if let Some(endpoint) = &self.endpoint {
            return endpoint.clone();
        }
        let per_service = format!("TENCENTCLOUD_{}_ENDPOINT_URL", service.to_ascii_uppercase());
        self.env
            .get(&per_service)
            .or_else(|| self.env.get(ENV_ENDPOINT_URL))
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
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    env: Option<Env>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Why a [`Config`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint is not an `http://` or `https://` URL.
    #[error("endpoint `{0}` is not an http:// or https:// URL")]
    InvalidEndpoint(String),
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
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
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Limit on establishing a connection (default 10 s; ignored with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Limit on one attempt, from sending to the end of the answer (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The largest answer to read (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
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
        if let Some(endpoint) = &self.endpoint
            && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
        {
            return Err(ConfigError::InvalidEndpoint(endpoint.clone()));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .build()
                .map_err(ConfigError::Http)?,
        };
        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => Arc::new(DefaultChain::from_env(env.clone())),
        };
        Ok(Config {
            credentials,
            region: self.region.or_else(|| env.get(ENV_REGION)),
            language: self.language,
            endpoint: self.endpoint,
            http,
            attempt_timeout: Some(self.attempt_timeout.unwrap_or(Duration::from_secs(30))),
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            env,
        })
    }
}
