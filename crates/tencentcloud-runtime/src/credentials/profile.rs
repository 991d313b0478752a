//! The INI credentials-file provider.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::env::{ENV_CREDENTIALS_FILE, ENV_PROFILE, Env};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

const PROVIDER: &str = "profile file";
const DEFAULT_PROFILE: &str = "default";
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Reads credentials from an INI file such as:
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
/// # token = ...   (optional, for temporary credentials)
/// ```
///
/// The file is, in order of preference: the path given with
/// [`ProfileFileProvider::with_path`], the file named by
/// `TENCENTCLOUD_CREDENTIALS_FILE`, `$HOME/.tencentcloud/credentials`, then
/// `/etc/tencentcloud/credentials`. The section is the one given with
/// [`ProfileFileProvider::with_profile`], else the one named by
/// `TENCENTCLOUD_PROFILE`, else `default`.
///
/// Lines starting with `#` or `;` are comments; blank lines are ignored;
/// names and values are trimmed; key names are case-insensitive.
#[derive(Debug, Clone, Default)]
pub struct ProfileFileProvider {
    env: Env,
    path: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileFileProvider {
    /// A provider locating its file and profile through the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// A provider locating its file and profile through the given environment.
    pub fn from_env(env: Env) -> Self {
        Self {
            env,
            ..Self::default()
        }
    }

    /// Reads this file, whatever the environment says.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads this profile (INI section), whatever the environment says.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn profile_name(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.env.get(ENV_PROFILE))
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
    }

    /// Picks the file to read. Touches the file system, so runs off the
    /// async executor.
    fn locate(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        if let Some(path) = self.env.get(ENV_CREDENTIALS_FILE) {
            return Ok(PathBuf::from(path));
        }
        let mut candidates = Vec::with_capacity(2);
        if let Some(home) = self.env.get("HOME").or_else(|| self.env.get("USERPROFILE")) {
            candidates.push(Path::new(&home).join(".tencentcloud").join("credentials"));
        }
        candidates.push(PathBuf::from(SYSTEM_FILE));
        if let Some(found) = candidates.iter().find(|p| p.is_file()) {
            return Ok(found.clone());
        }
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        Err(CredentialsError::not_configured(
            PROVIDER,
            format!(
                "{ENV_CREDENTIALS_FILE} is not set and no credentials file exists (looked at {})",
                looked.join(", ")
            ),
        ))
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = self.locate()?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            CredentialsError::invalid(
                PROVIDER,
                format!("cannot read credentials file {}: {e}", path.display()),
            )
        })?;
        let ini = parse_ini(&text).map_err(|(line, reason)| CredentialsError::Malformed {
            provider: PROVIDER.to_owned(),
            path: path.clone(),
            line,
            reason: reason.to_owned(),
        })?;
        let profile = self.profile_name();
        let section = ini.get(&profile).ok_or_else(|| {
            CredentialsError::invalid(
                PROVIDER,
                format!(
                    "credentials file {} has no section [{profile}]",
                    path.display()
                ),
            )
        })?;
        let required = |key: &str| {
            section
                .get(key)
                .filter(|v| !v.is_empty())
                .cloned()
                .ok_or_else(|| {
                    CredentialsError::invalid(
                        PROVIDER,
                        format!(
                            "credentials file {}, section [{profile}]: key `{key}` is missing or empty",
                            path.display()
                        ),
                    )
                })
        };
        let id = required("secret_id")?;
        let key = required("secret_key")?;
        let mut credentials = Credentials::new(id, key);
        if let Some(token) = section.get("token").filter(|v| !v.is_empty()) {
            credentials = credentials.with_token(token.clone());
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // File-system work goes to the blocking pool when a Tokio runtime
            // is available; otherwise it is small enough to do in place.
            if tokio::runtime::Handle::try_current().is_ok() {
                let this = self.clone();
                match tokio::task::spawn_blocking(move || this.load()).await {
                    Ok(result) => result,
                    Err(e) => Err(CredentialsError::invalid(
                        PROVIDER,
                        format!("reading the credentials file did not complete: {e}"),
                    )),
                }
            } else {
                self.load()
            }
        })
    }
}

/// Sections of an INI file: section name to (lower-cased key to value).
type Ini = HashMap<String, HashMap<String, String>>;

/// Parses INI text. On failure returns the 1-based line number and what was
/// expected there; never the line's content, which may hold a secret.
fn parse_ini(text: &str) -> Result<Ini, (usize, &'static str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ini = Ini::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or((line_no, "section header is missing its closing `]`"))?
                .trim();
            if name.is_empty() {
                return Err((line_no, "section name is empty"));
            }
            ini.entry(name.to_owned()).or_default();
            current = Some(name.to_owned());
            continue;
        }
        let (key, value) = line.split_once('=').ok_or((
            line_no,
            "expected a `[section]` header or a `key = value` line",
        ))?;
        let key = key.trim();
        if key.is_empty() {
            return Err((line_no, "`=` with no key before it"));
        }
        let section = current
            .as_ref()
            .ok_or((line_no, "`key = value` line before any `[section]` header"))?;
        ini.entry(section.clone())
            .or_default()
            .insert(key.to_ascii_lowercase(), value.trim().to_owned());
    }
    Ok(ini)
}

#[cfg(test)]
mod tests {
    use super::parse_ini;

    #[test]
    fn parses_sections_comments_and_whitespace() {
        let ini = parse_ini(
            "\u{feff}# top comment\n\n  [default] \nsecret_id= a \n; note\nSECRET_KEY =b=c\n[other]\nx=\n",
        )
        .expect("valid ini");
        assert_eq!(ini["default"]["secret_id"], "a");
        assert_eq!(ini["default"]["secret_key"], "b=c");
        assert_eq!(ini["other"]["x"], "");
    }

    #[test]
    fn reports_line_numbers() {
        assert_eq!(parse_ini("[a]\nok=1\nbad\n").unwrap_err().0, 3);
        assert_eq!(parse_ini("k=v\n").unwrap_err().0, 1);
        assert_eq!(parse_ini("\n[a\n").unwrap_err().0, 2);
        assert_eq!(parse_ini("[ ]\n").unwrap_err().0, 1);
        assert_eq!(parse_ini("[a]\n = v\n").unwrap_err().0, 2);
    }
}
