//! Which new members look like secrets: the report suggests marking them
//! `sensitive`, and a person decides (the importer never sets the flag, and a
//! flag set by hand survives every re-import, as the rest of a member does).

use codegen::names;
use codegen::spec::MemberSpec;

use super::report::{Group, Report};

/// Words of a member name that usually mean its value is a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "token",
    "secret",
    "key",
    "sig",
    "signature",
    "credential",
    "credentials",
];

/// True when a word of the wire name (`ClientSecret`: client, secret) names a secret.
pub fn looks_secret(name: &str) -> bool {
    names::snake(name)
        .split('_')
        .any(|word| SECRET_WORDS.contains(&word))
}

/// Adds a report line for each of `members` that looks secret but is not marked.
pub fn suggest(owner: &str, members: &[MemberSpec], report: &mut Report) {
    for m in members
        .iter()
        .filter(|m| !m.sensitive && looks_secret(&m.name))
    {
        report.add(Group::Sensitive, format!("{owner} `{}`", m.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_secret_word_look_secret() {
        for name in [
            "Password",
            "ClientSecret",
            "Token",
            "BearerToken",
            "APIKey",
            "UserSig",
            "SecretKey",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        // Whole words only: a `Keyword` or a `Passthrough` flag is no secret.
        for name in [
            "SdkAppId",
            "SearchKeyword",
            "CallerFormatPassthrough",
            "Signal",
            "Monkey",
            "RequestId",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }
}
