//! The SDK configuration from the global options, resolved exactly as the SDK
//! resolves it (environment, profile file, instance role), options first.

use ccc_api::Config;
use clap::ArgMatches;
use tencentcloud_runtime::credentials::{CachingProvider, ProfileFileProvider};

use crate::failure::Failure;

/// `--profile`, `--region` and `--endpoint` over the SDK's defaults.
pub fn config(matches: &ArgMatches) -> Result<Config, Failure> {
    let mut builder = Config::builder();
    if let Some(profile) = matches.get_one::<String>("profile") {
        // An explicit profile is the one source: environment credentials must not win over it.
        builder = builder.credentials(CachingProvider::new(
            ProfileFileProvider::new().with_profile(profile),
        ));
    }
    if let Some(region) = matches.get_one::<String>("region") {
        builder = builder.region(region);
    }
    if let Some(endpoint) = matches.get_one::<String>("endpoint") {
        builder = builder.endpoint(endpoint);
    }
    builder
        .build()
        .map_err(|e| Failure::Other(format!("configuration: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_from(args: &[&str]) -> Result<Config, Failure> {
        let matches = crate::app::command()
            .try_get_matches_from(["ccc"].iter().chain(args).chain(&["completions", "bash"]))
            .expect("valid arguments");
        let (_, sub) = matches.subcommand().expect("a subcommand");
        config(sub)
    }

    #[test]
    fn options_override_the_sdks_defaults() {
        let config = config_from(&[
            "--region",
            "ap-singapore",
            "--endpoint",
            "http://127.0.0.1:9",
        ])
        .unwrap();
        assert_eq!(config.region(), Some("ap-singapore"));
        assert_eq!(
            config.endpoint_for("ccc", "ccc.tencentcloudapi.com"),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn a_bad_endpoint_is_refused_before_any_call() {
        let Err(Failure::Other(message)) = config_from(&["--endpoint", "ccc.example"]) else {
            panic!("accepted");
        };
        assert!(message.contains("ccc.example"), "{message}");
    }
}
