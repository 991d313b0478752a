//! The INI credentials-file provider.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use super::env::{ENV_CREDENTIALS_FILE, ENV_PROFILE, Env};
use super::sts::AssumeRoleProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::BoxFuture;

const PROVIDER: &str = "profile file";

/// The largest credentials file read.
pub const MAX_PROFILE_FILE_BYTES: u64 = 256 * 1024;
const DEFAULT_PROFILE: &str = "default";
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Reads credentials from an INI file such as:
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
/// # token = ...   (optional, for temporary credentials)
/// # role_arn = qcs::cam::uin/100000000001:roleName/ops   (optional: assume this role)
/// # role_session_name = nightly-sync                      (optional, with role_arn)
/// ```
///
/// With `role_arn`, the section's key pair only signs an STS `AssumeRole`
/// call for that role (see [`AssumeRoleProvider`]; the session name defaults
/// to `tencentcloud-rust-sdk-` and the time), and the role's temporary
/// credentials are returned.
///
/// The file is, in order of preference: the path given with
/// [`ProfileFileProvider::with_path`], the file named by
/// `TENCENTCLOUD_CREDENTIALS_FILE`, `$HOME/.tencentcloud/credentials`, then
/// `/etc/tencentcloud/credentials`. The section is the one given with
/// [`ProfileFileProvider::with_profile`], else the one named by
/// `TENCENTCLOUD_PROFILE`, else `default`.
///
/// The file is read the way Tencent's Python SDK reads it (Python's
/// `configparser` with its defaults): `=` or `:` separates a key from its
/// value; lines whose first non-blank character is `#` or `;` are comments,
/// but a `#` or `;` later in a line is part of the value, and so are quotes
/// (`secret_id = "AKID..."` is read with its quotes, which then fail to
/// authenticate: write values bare); an indented line continues the value
/// above; keys are case-insensitive, section names are not; a repeated
/// section or key is an error. Names and values are trimmed. Files larger
/// than [`MAX_PROFILE_FILE_BYTES`] are refused.
///
/// A file that exists but cannot be read or parsed, a missing section, or a
/// section without `secret_id` or `secret_key` is an error naming the file,
/// never a reason to fall through to another source.
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

    fn load(&self) -> Result<Profile, CredentialsError> {
        let path = self.locate()?;
        let text = read_bounded(&path).map_err(|e| {
            CredentialsError::invalid(
                PROVIDER,
                format!("cannot read credentials file {}: {e}", path.display()),
            )
        })?;
        let text = zeroize::Zeroizing::new(text);
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
        for (name, value) in [("secret_id", &id), ("secret_key", &key)] {
            if looks_quoted_or_commented(value) {
                tracing::warn!(
                    file = %path.display(),
                    key = name,
                    "the value is read with its quotes or trailing comment, as Tencent's Python SDK reads it"
                );
            }
        }
        let mut credentials = Credentials::new(id, key);
        if let Some(token) = section.get("token").filter(|v| !v.is_empty()) {
            credentials = credentials.with_token(token.clone());
        }
        let role = section
            .get("role_arn")
            .filter(|v| !v.is_empty())
            .map(|arn| {
                let session = section
                    .get("role_session_name")
                    .filter(|v| !v.is_empty())
                    .cloned()
                    .unwrap_or_else(|| {
                        let micros = SystemTime::now()
                            .duration_since(UNIX_EPOCH)
                            .unwrap_or_default()
                            .as_micros();
                        format!("tencentcloud-rust-sdk-{micros}")
                    });
                (arn.clone(), session)
            });
        Ok(Profile { credentials, role })
    }

    async fn provide_now(&self) -> Result<Credentials, CredentialsError> {
        // File-system work goes to the blocking pool when a Tokio runtime
        // is available; otherwise it is small enough to do in place.
        let profile = if tokio::runtime::Handle::try_current().is_ok() {
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
        }?;
        match profile.role {
            None => Ok(profile.credentials),
            Some((role_arn, session_name)) => {
                AssumeRoleProvider::new(profile.credentials, role_arn, session_name)
                    .with_env(self.env.clone())
                    .provide()
                    .await
            }
        }
    }
}

/// What a profile holds: a key pair, and the role it assumes if any.
struct Profile {
    credentials: Credentials,
    role: Option<(String, String)>,
}

fn looks_quoted_or_commented(value: &str) -> bool {
    value.starts_with(['"', '\'']) || value.contains(" #") || value.contains(" ;")
}

/// The file's text, refusing files over [`MAX_PROFILE_FILE_BYTES`].
fn read_bounded(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut text = String::new();
    file.take(MAX_PROFILE_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_PROFILE_FILE_BYTES {
        return Err(format!("it is larger than {MAX_PROFILE_FILE_BYTES} bytes"));
    }
    Ok(text)
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide_now())
    }
}

/// Sections of an INI file: section name to (lower-cased key to value).
type Ini = HashMap<String, HashMap<String, String>>;

/// Parses INI text as Python's `configparser` does with its defaults. On
/// failure returns the 1-based line number and what was expected there;
/// never the line's content, which may hold a secret.
fn parse_ini(text: &str) -> Result<Ini, (usize, &'static str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ini = Ini::new();
    let mut current: Option<String> = None;
    // The key whose value an indented line continues, and its line's indent.
    let mut continuing: Option<(String, usize)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.is_empty() {
            // configparser keeps blank lines inside a multi-line value, but
            // drops them from its end; no credential spans blank lines.
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if let (Some((key, key_indent)), Some(section)) = (&continuing, &current)
            && indent > *key_indent
        {
            let value = ini
                .entry(section.clone())
                .or_default()
                .entry(key.clone())
                .or_default();
            value.push('\n');
            value.push_str(line);
            continue;
        }
        if line.starts_with('[')
            && let Some(end) = line.rfind(']')
        {
            // As configparser: the name runs to the last `]`; the rest of the line is ignored.
            let name = &line[1..end];
            if name.trim().is_empty() {
                return Err((line_no, "section name is empty"));
            }
            if ini.contains_key(name) {
                return Err((line_no, "this section appears twice"));
            }
            ini.insert(name.to_owned(), HashMap::new());
            current = Some(name.to_owned());
            continuing = None;
            continue;
        }
        let split = line.find(['=', ':']).ok_or((
            line_no,
            "expected a `[section]` header or a `key = value` line",
        ))?;
        let key = line[..split].trim();
        let value = line[split + 1..].trim();
        if key.is_empty() {
            return Err((line_no, "`=` with no key before it"));
        }
        let section = current
            .as_ref()
            .ok_or((line_no, "`key = value` line before any `[section]` header"))?;
        let key = key.to_lowercase();
        let entries = ini.entry(section.clone()).or_default();
        if entries.contains_key(&key) {
            return Err((line_no, "this key appears twice in its section"));
        }
        entries.insert(key.clone(), value.to_owned());
        continuing = Some((key, indent));
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
    fn reads_values_as_pythons_configparser_does() {
        let ini = parse_ini(
            "[default] ; the main one\nsecret_id : \"AKIDq\" # note\nsecret_key = k\n  continued\n\t; not a key\n[Other]\nA=1\n",
        )
        .expect("valid ini");
        // Quotes and a trailing comment are part of the value.
        assert_eq!(ini["default"]["secret_id"], "\"AKIDq\" # note");
        assert_eq!(ini["default"]["secret_key"], "k\ncontinued");
        assert_eq!(ini["Other"]["a"], "1");
        assert!(!ini.contains_key("other"), "section names keep their case");
    }

    #[test]
    fn repeated_sections_and_keys_are_errors() {
        assert_eq!(parse_ini("[a]\nk=1\n[a]\n").unwrap_err().0, 3);
        assert_eq!(parse_ini("[a]\nk=1\nK=2\n").unwrap_err().0, 3);
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
