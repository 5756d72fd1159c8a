//! Documented responses as [`wiremock`] answers, so that a client test is one line per
//! scenario, built from the spec's own fixtures:
//!
//! ```no_run
//! # mod hms { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! # async fn run(server: &wiremock::MockServer) {
//! use wiremock::{matchers::method, Mock};
//!
//! Mock::given(method("GET"))
//!     .respond_with(errspec::wiremock::template(hms::ErrorCode::RateLimitExceeded.response()))
//!     .mount(server)
//!     .await;
//! # }
//! ```

/// A [`wiremock::ResponseTemplate`] sending `response` as it is: its status, headers and body
/// (from [`ErrorCode::response`](crate::ResponseBuilder) or a builder).
pub fn template(response: http::Response<Vec<u8>>) -> ::wiremock::ResponseTemplate {
    let (parts, body) = response.into_parts();
    let mut template = ::wiremock::ResponseTemplate::new(parts.status.as_u16());
    for (name, value) in &parts.headers {
        if name != http::header::CONTENT_TYPE {
            template = template.insert_header(name.clone(), value.clone());
        }
    }
    let mime = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or(crate::Rendered::CONTENT_TYPE)
        .to_owned();
    template.set_body_raw(body, &mime)
}
