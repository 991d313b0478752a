//! The environment abstraction and the environment-variable provider.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

/// Variable holding the `SecretId`.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Variable holding the `SecretKey`.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Alternative name for the session token (used by Tencent Cloud's CLI);
/// [`ENV_SESSION_TOKEN`] wins when both are set.
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Variable naming the credentials file read by [`super::ProfileFileProvider`].
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Variable naming the profile (INI section) read by [`super::ProfileFileProvider`].
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";

const PROVIDER: &str = "environment";

/// Where providers read environment variables from: the real process
/// environment by default, or a fixed map (for tests and embedding).
///
/// Values are trimmed; empty or blank values, and values that are not valid
/// Unicode, count as unset. `Debug` lists only variable names, never values.
#[derive(Clone, Default)]
pub struct Env {
    map: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The environment of the current process.
    pub fn process() -> Self {
        Self { map: None }
    }

    /// A fixed environment made of the given name/value pairs; the process
    /// environment is not consulted at all.
    pub fn from_map<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self {
            map: Some(Arc::new(map)),
        }
    }

    /// The trimmed value of `name`, or `None` if it is unset or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        let raw = match &self.map {
            None => std::env::var(name).ok()?,
            Some(map) => map.get(name)?.clone(),
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == raw.len() {
            Some(raw)
        } else {
            Some(trimmed.to_owned())
        }
    }
}

impl Env {
    /// Every set variable whose name starts with `prefix`, trimmed as by
    /// [`get`](Self::get), sorted by name.
    pub fn vars_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        let names: Vec<String> = match &self.map {
            None => std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .collect(),
            Some(map) => map.keys().cloned().collect(),
        };
        let mut found: Vec<(String, String)> = names
            .into_iter()
            .filter(|name| name.starts_with(prefix))
            .filter_map(|name| self.get(&name).map(|value| (name, value)))
            .collect();
        found.sort();
        found
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.map {
            None => f.write_str("Env::Process"),
            Some(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_tuple("Env::Map").field(&names).finish()
            }
        }
    }
}

/// Reads credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`
/// and, optionally, `TENCENTCLOUD_SESSION_TOKEN` (or `TENCENTCLOUD_TOKEN`).
///
/// Fails with [`CredentialsError::NotConfigured`] when neither the id nor the
/// key is set, and with [`CredentialsError::Invalid`] (naming the missing
/// variable) when only one of them is.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// A provider reading the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// A provider reading the given environment.
    pub fn from_env(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ENV_SECRET_ID);
        let key = self.env.get(ENV_SECRET_KEY);
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) => {
                return Err(CredentialsError::not_configured(
                    PROVIDER,
                    format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
                ));
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!("{ENV_SECRET_ID} is set but {ENV_SECRET_KEY} is missing or empty"),
                ));
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid(
                    PROVIDER,
                    format!("{ENV_SECRET_KEY} is set but {ENV_SECRET_ID} is missing or empty"),
                ));
            }
        };
        let mut credentials = Credentials::new(id, key);
        if let Some(token) = self
            .env
            .get(ENV_SESSION_TOKEN)
            .or_else(|| self.env.get(ENV_TOKEN))
        {
            credentials = credentials.with_token(token);
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.load();
        Box::pin(async move { result })
    }
}
