//! Members the spec marks `sensitive` never show in `Debug` output: not in
//! requests, builders, answers or models. The other members still do.

use ccc_api::actions::{CreateSDKLoginTokenResponse, ResetExtensionPasswordResponse};
use ccc_api::models::{BasicAuth, BearerAuth, HeaderParams, HttpCallbackConfig, HttpParams, OauthConfig};
use ccc_api::runtime::envelope;
use ccc_api::{Client, Stub};

const PASSWORD: &str = "Hunter2-Secret";

#[derive(Debug)]
struct NoService;

impl Stub for NoService {}

#[test]
fn a_password_change_request_and_its_builder_hide_the_password() {
    let builder = Client::from_stub(NoService)
        .modify_staff_password()
        .sdk_app_id(1400000000)
        .email("agent@example.com")
        .password(PASSWORD);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains("password: Some(** redacted **)"), "{shown}");
    assert!(shown.contains("agent@example.com"), "other members still show: {shown}");

    let request = builder.build().unwrap();
    assert_eq!(request.password, PASSWORD, "the value itself is kept");
    let shown = format!("{request:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains("password: ** redacted **"), "{shown}");
    assert!(shown.contains("sdk_app_id: 1400000000"), "{shown}");
    // `{:#?}` goes through the same impl.
    assert!(!format!("{request:#?}").contains(PASSWORD));
}

#[test]
fn an_unset_secret_shows_as_none() {
    let builder = Client::from_stub(NoService).modify_staff_password().sdk_app_id(1);
    assert!(format!("{builder:?}").contains("password: None"), "{builder:?}");
}

#[test]
fn answers_carrying_secrets_hide_them() {
    let body = format!(r#"{{"Response":{{"Password":"{PASSWORD}","RequestId":"r-1"}}}}"#);
    let (reset, _) = envelope::decode::<ResetExtensionPasswordResponse>(200, body.as_bytes()).unwrap();
    assert_eq!(reset.password, PASSWORD);
    let shown = format!("{reset:?}");
    assert!(!shown.contains(PASSWORD) && shown.contains("r-1"), "{shown}");

    let body = format!(r#"{{"Response":{{"Token":"{PASSWORD}","ExpiredTime":1,"SdkURL":"https://sdk","RequestId":"r-2"}}}}"#);
    let (login, _) = envelope::decode::<CreateSDKLoginTokenResponse>(200, body.as_bytes()).unwrap();
    let shown = format!("{login:?}");
    assert!(!shown.contains(PASSWORD) && shown.contains("https://sdk"), "{shown}");
}

#[test]
fn callback_credentials_hide_in_models_and_through_nesting() {
    let secret = || Some(PASSWORD.to_owned());
    let text = |s: &str| Some(s.to_owned());
    let config = HttpCallbackConfig {
        url: text("https://hooks.example.com/x"),
        header_params: Some(vec![HeaderParams { key: text("Authorization"), value: secret() }]),
        params: None,
        returns: None,
        r#async: None,
        auth_type: Some(1),
        basic_auth: Some(BasicAuth { basic_token: secret() }),
        bearer_auth: Some(BearerAuth { bearer_token: secret() }),
        custom_auth: Some(HttpParams { key: text("X-Api-Key"), value: secret(), value_type: None }),
        oauth2_auth: Some(OauthConfig { token_url: text("https://auth.example.com/token"), client_id: text("client-1"), client_secret: secret() }),
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains("hooks.example.com") && shown.contains("client-1") && shown.contains("Authorization"), "{shown}");
    assert!(shown.contains("custom_auth: Some(** redacted **)"), "the whole custom key-value pair is the secret: {shown}");
}
