//! Members the spec marks `sensitive` never show in `Debug` output: not in
//! requests, builders, answers or models. The other members still do.

use ccc_api::actions::{CreateSDKLoginTokenResponse, ResetExtensionPasswordResponse};
use ccc_api::models::{
    BasicAuth, BearerAuth, HeaderParams, HttpCallbackConfig, HttpParams, OauthConfig,
};
use ccc_api::runtime::{Error, envelope};
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
    // The builder shows the request it holds, through the request's own `Debug`.
    assert!(shown.contains("password: ** redacted **"), "{shown}");
    assert!(
        shown.contains("agent@example.com"),
        "other members still show: {shown}"
    );
    assert!(shown.contains("Required { unset: [] }"), "{shown}");

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
fn an_unset_secret_shows_as_unset() {
    // A required one: its slot holds nothing yet, and the builder lists it as unset.
    let builder = Client::from_stub(NoService)
        .modify_staff_password()
        .sdk_app_id(1);
    let shown = format!("{builder:?}");
    assert!(shown.contains("password: ** redacted **"), "{shown}");
    assert!(shown.contains(r#"unset: ["Email", "Password"]"#), "{shown}");
    // An optional one: `None`; whether a secret is set is not itself a secret.
    let builder = Client::from_stub(NoService).create_ai_call();
    let shown = format!("{builder:?}");
    assert!(shown.contains("custom_tts_config: None"), "{shown}");
    let set = builder.custom_tts_config(PASSWORD);
    let shown = format!("{set:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        shown.contains("custom_tts_config: Some(** redacted **)"),
        "{shown}"
    );
}

#[test]
fn answers_carrying_secrets_hide_them() {
    let body = format!(r#"{{"Response":{{"Password":"{PASSWORD}","RequestId":"r-1"}}}}"#);
    let (reset, _) =
        envelope::decode::<ResetExtensionPasswordResponse>(200, body.as_bytes()).unwrap();
    assert_eq!(reset.password, PASSWORD);
    let shown = format!("{reset:?}");
    assert!(
        !shown.contains(PASSWORD) && shown.contains("r-1"),
        "{shown}"
    );

    let body = format!(
        r#"{{"Response":{{"Token":"{PASSWORD}","ExpiredTime":1,"SdkURL":"https://sdk","RequestId":"r-2"}}}}"#
    );
    let (login, _) = envelope::decode::<CreateSDKLoginTokenResponse>(200, body.as_bytes()).unwrap();
    let shown = format!("{login:?}");
    assert!(
        !shown.contains(PASSWORD) && shown.contains("https://sdk"),
        "{shown}"
    );
}

#[test]
fn a_secret_member_that_does_not_fit_is_not_quoted() {
    // A password sent as a number: the error names the member and its type, not its value.
    let body = br#"{"Response":{"Password":987654321,"RequestId":"r-1"}}"#;
    let err = envelope::decode::<ResetExtensionPasswordResponse>(200, body).unwrap_err();
    let Error::Decode { path, message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("Password", "invalid type: integer, expected a string")
    );
    // The same value in a member that holds no secret is quoted, as serde would.
    let body = br#"{"Response":{"Password":"p","RequestId":987654321}}"#;
    let err = envelope::decode::<ResetExtensionPasswordResponse>(200, body).unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("987654321")),
        "{err:?}"
    );
}

#[test]
fn callback_credentials_hide_in_models_and_through_nesting() {
    let secret = || Some(PASSWORD.to_owned());
    let text = |s: &str| Some(s.to_owned());
    let mut header = HeaderParams::default();
    (header.key, header.value) = (text("Authorization"), secret());
    let mut basic = BasicAuth::default();
    basic.basic_token = secret();
    let mut bearer = BearerAuth::default();
    bearer.bearer_token = secret();
    let mut custom = HttpParams::default();
    (custom.key, custom.value) = (text("X-Api-Key"), secret());
    let mut oauth = OauthConfig::default();
    (oauth.token_url, oauth.client_id, oauth.client_secret) = (
        text("https://auth.example.com/token"),
        text("client-1"),
        secret(),
    );
    let mut config = HttpCallbackConfig::default();
    config.url = text("https://hooks.example.com/x");
    config.header_params = Some(vec![header]);
    config.auth_type = Some(1);
    config.basic_auth = Some(basic);
    config.bearer_auth = Some(bearer);
    config.custom_auth = Some(custom);
    config.oauth2_auth = Some(oauth);
    let shown = format!("{config:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        shown.contains("hooks.example.com")
            && shown.contains("client-1")
            && shown.contains("Authorization"),
        "{shown}"
    );
    assert!(
        shown.contains("custom_auth: Some(** redacted **)"),
        "the whole custom key-value pair is the secret: {shown}"
    );
}

#[test]
fn call_records_hide_the_links_to_recordings_and_transcripts() {
    // Links to a recording or its transcript open it without credentials, so
    // they count as secrets; the customer's own bucket address does not.
    let link = |what: &str| format!("https://record.example.com/{what}?sign={PASSWORD}");
    let mut cdr = ccc_api::models::TelCdrInfo::default();
    cdr.caller = "008613800000000".to_owned();
    cdr.record_url = link("call");
    cdr.asr_url = link("transcript");
    cdr.voicemail_record_url = vec![link("voicemail")];
    cdr.voicemail_asr_url = Some(vec![link("voicemail-transcript")]);
    cdr.custom_record_url = "https://my-bucket.example.com/call.mp3".to_owned();
    let shown = format!("{cdr:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        shown.contains("008613800000000") && shown.contains("my-bucket.example.com"),
        "{shown}"
    );
}
