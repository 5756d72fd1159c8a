//! Feature `axum`: a real axum server on 127.0.0.1 answers with the documented responses, and a
//! client reads each back as the code, status, message and wait the server meant.

use std::future::IntoFuture;

use axum::routing::get;
use axum::Router;
use errspec::http::StatusCode;
use errspec_apis::{hms_sovereign as hms, sinch_voice as voice};

async fn credits() -> Result<&'static str, hms::ErrorCode> {
    Err(hms::ErrorCode::InsufficientCredits)
}

async fn throttled() -> Result<&'static str, hms::ErrorCode> {
    Err(hms::ErrorCode::RateLimitExceeded)
}

async fn timeout() -> Result<&'static str, hms::Error> {
    Err(hms::Error::new(
        StatusCode::GATEWAY_TIMEOUT,
        Some(hms::ErrorCode::ProviderTimeout),
        Some("The provider took 30 s".to_owned()),
    ))
}

async fn no_code() -> Result<&'static str, hms::Error> {
    Err(hms::Error::new(StatusCode::BAD_GATEWAY, None, None))
}

async fn voice_credit() -> Result<&'static str, voice::ErrorCode> {
    Err(voice::ErrorCode::PaymentRequired)
}

/// Serves the routes on a free port of 127.0.0.1; the server runs until the test ends.
async fn serve() -> String {
    let app = Router::new()
        .route("/credits", get(credits))
        .route("/throttled", get(throttled))
        .route("/timeout", get(timeout))
        .route("/no-code", get(no_code))
        .route("/voice", get(voice_credit));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, app).into_future());
    format!("http://{address}")
}

async fn fetch(url: String) -> (StatusCode, errspec::http::HeaderMap, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn a_server_answers_with_the_documented_response_and_a_client_reads_it_back() {
    let base = serve().await;

    let (status, headers, body) = fetch(format!("{base}/credits")).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(headers["content-type"], "application/json");
    let read = hms::Error::from_response(status, &headers, &body);
    assert_eq!(read.code(), Some(&hms::ErrorCode::InsufficientCredits));
    assert_eq!(
        read.message(),
        hms::ErrorCode::InsufficientCredits.message()
    );
    assert_eq!(
        body,
        hms::ErrorCode::InsufficientCredits
            .response()
            .body()
            .clone()
    );

    // The code's policy honours Retry-After: the server sends the documented default.
    let (status, headers, body) = fetch(format!("{base}/throttled")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "60");
    let read = hms::Error::from_response(status, &headers, &body);
    assert_eq!(read.code(), Some(&hms::ErrorCode::RateLimitExceeded));
    assert_eq!(
        read.retry_delay(1),
        Some(std::time::Duration::from_secs(60))
    );

    // An Error answers with its own status and message.
    let (status, headers, body) = fetch(format!("{base}/timeout")).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    let read = hms::Error::from_response(status, &headers, &body);
    assert_eq!(read.code(), Some(&hms::ErrorCode::ProviderTimeout));
    assert_eq!(read.message(), Some("The provider took 30 s"));

    // Without a code: the status alone.
    let (status, _, body) = fetch(format!("{base}/no-code")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(body.is_empty());

    // An integer API writes its code as a JSON number.
    let (status, headers, body) = fetch(format!("{base}/voice")).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["errorCode"], 40200);
    let read = voice::Error::from_response(status, &headers, &body);
    assert_eq!(read.code(), Some(&voice::ErrorCode::PaymentRequired));
}
