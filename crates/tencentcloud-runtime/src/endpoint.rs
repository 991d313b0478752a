//! Checking endpoint URLs, whether set in code or read from the environment.
//!
//! A signed request carries the signature, the session token and the body, so
//! where it goes is checked once, when the [`Config`](crate::Config) is built,
//! and as strictly for an environment variable as for a value set in code: a
//! typo must fail loudly at start-up rather than send credentials somewhere
//! unexpected (or in the clear) later.

use reqwest::Url;

/// Why an endpoint URL is refused; `None` when it is acceptable.
///
/// Accepted: `https://host[:port]` or `http://host[:port]`, with at most a
/// trailing `/`. Refused: anything else, in particular a missing scheme
/// (`ccc.tencentcloudapi.com`, which is never taken to mean plain http),
/// spaces or control characters, a path, a query, a fragment, or a user name
/// and password.
pub(crate) fn problem(url: &str) -> Option<&'static str> {
    if url.is_empty() {
        return Some("it is empty");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains a space or a control character");
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Some(
            "it must start with https:// (or http:// for a plain-text endpoint such as a local emulator)",
        );
    }
    let Ok(parsed) = Url::parse(url) else {
        return Some("it is not a valid URL");
    };
    if parsed.host_str().is_none_or(str::is_empty) {
        return Some("it has no host");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Some("it must not contain a user name or password");
    }
    if parsed.path() != "/" {
        return Some("it must not have a path: the API is served at `/`");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Some("it must not have a query or a fragment");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn plain_hosts_with_a_scheme_are_accepted() {
        for good in [
            "https://ccc.tencentcloudapi.com",
            "https://ccc.tencentcloudapi.com/",
            "http://127.0.0.1:8080",
            "http://[::1]:9000/",
            "https://ccc.ap-guangzhou.tencentcloudapi.com:443",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        for (bad, reason) in [
            ("", "empty"),
            ("ccc.tencentcloudapi.com", "must start with https://"),
            ("ftp://ccc.tencentcloudapi.com", "must start with https://"),
            ("https://ccc.tencentcloudapi.com /", "space"),
            ("https://ccc.tencentcloud\napi.com", "control"),
            ("https://ccc.tencentcloudapi.com/v3", "path"),
            ("https://ccc.tencentcloudapi.com/?a=b", "query"),
            ("https://ccc.tencentcloudapi.com/#x", "query or a fragment"),
            ("https://user:pw@ccc.tencentcloudapi.com", "user name"),
            ("https://", "not a valid URL"),
        ] {
            let found = problem(bad).unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(found.contains(reason), "{bad:?}: {found}");
        }
    }
}
