//! The ecosystem adapters against a real HTTP server on 127.0.0.1 that answers with the pages'
//! error bodies: retries happen exactly as the spec says, classified by the body's code.

use std::time::{Duration, Instant};

use backon::Retryable;
use errspec::reqwest::ParsedError;
use errspec_apis::hms_sovereign as hms;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn hms_body(code: &str, message: &str) -> String {
    format!(r#"{{"error":{{"code":"{code}","message":"{message}","type":"error_type"}}}}"#)
}

/// A server answering requests to `/calls`, whatever their method, with `answers` in turn.
async fn server_answering(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    for answer in answers {
        Mock::given(path("/calls"))
            .respond_with(answer)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(r#"{"data":[]}"#)
}

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503)
        .set_body_string(hms_body("provider_error", "External provider error"))
}

#[tokio::test]
async fn spec_retry_503_then_200_makes_two_requests() {
    let server = server_answering(vec![unavailable(), ok()]).await;
    let response = spec_client()
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn spec_retry_400_makes_one_request() {
    let bad =
        ResponseTemplate::new(400).set_body_string(hms_body("invalid_uuid", "Invalid UUID format"));
    let server = server_answering(vec![bad, ok()]).await;
    let response = spec_client()
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(requests(&server).await, 1);
    let parsed = response
        .extensions()
        .get::<ParsedError<hms::Error>>()
        .unwrap()
        .0
        .clone();
    assert_eq!(parsed.code(), Some(&hms::ErrorCode::InvalidUuid));
    // The body is still there for the caller after it was read for classification.
    assert!(response.text().await.unwrap().contains("invalid_uuid"));
}

#[tokio::test]
async fn spec_retry_honours_max_attempts() {
    let server = server_answering(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
        ok(),
    ])
    .await;
    let response = spec_client()
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(
        requests(&server).await,
        hms::retry::TRANSIENT.max_attempts as usize
    );
}

#[tokio::test]
async fn the_body_code_decides_not_only_the_status() {
    // 503 is retried by status, but the documented code says billing: no retry.
    let billing = ResponseTemplate::new(503).set_body_string(hms_body(
        "insufficient_credits",
        "Insufficient credits balance",
    ));
    let server = server_answering(vec![billing, ok()]).await;
    let response = spec_client()
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (response.status().as_u16(), requests(&server).await),
        (503, 1)
    );

    // 400 is never retried by status, but a provider timeout is transient.
    let timeout = ResponseTemplate::new(400)
        .set_body_string(hms_body("provider_timeout", "Provider request timeout"));
    let server = server_answering(vec![timeout, ok()]).await;
    let response = spec_client()
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (response.status().as_u16(), requests(&server).await),
        (200, 2)
    );
}

async fn call(client: &reqwest::Client, url: &str) -> Result<String, hms::Error> {
    let response = client
        .get(url)
        .send()
        .await
        .expect("the test server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .expect("the test server sends a body");
    if status.is_success() {
        Ok(String::from_utf8_lossy(&body).into_owned())
    } else {
        Err(hms::Error::from_response(status, &headers, &body))
    }
}

async fn call_with_backon(server: &MockServer) -> Result<String, hms::Error> {
    let client = reqwest::Client::new();
    let url = format!("{}/calls", server.uri());
    (|| call(&client, &url))
        .retry(errspec::backon::PolicyBackoff::new(&hms::retry::TRANSIENT).with_seed(1))
        .when(errspec::backon::is_retryable::<hms::Error>)
        .adjust(errspec::backon::spec_delay::<hms::Error>())
        .await
}

#[tokio::test]
async fn backon_waits_what_retry_after_says() {
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "2")
        .set_body_string(hms_body("rate_limit_exceeded", "Too many requests"));
    let server = server_answering(vec![limited, ok()]).await;
    let started = Instant::now();
    let body = call_with_backon(&server).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(body, r#"{"data":[]}"#);
    assert_eq!(requests(&server).await, 2);
    assert!(waited >= Duration::from_secs(2), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
}

#[tokio::test]
async fn backon_stops_at_max_attempts_and_on_client_errors() {
    let server = server_answering(vec![unavailable(), unavailable(), unavailable(), ok()]).await;
    let error = call_with_backon(&server).await.unwrap_err();
    assert_eq!(error.code(), Some(&hms::ErrorCode::ProviderError));
    assert_eq!(requests(&server).await, 3);

    let missing =
        ResponseTemplate::new(404).set_body_string(hms_body("call_not_found", "Call not found"));
    let server = server_answering(vec![missing, ok()]).await;
    let error = call_with_backon(&server).await.unwrap_err();
    assert_eq!(error.code(), Some(&hms::ErrorCode::CallNotFound));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn miette_shows_code_and_solution() {
    use miette::Diagnostic as _;

    let payment = ResponseTemplate::new(402).set_body_string(hms_body(
        "insufficient_credits",
        "Insufficient credits balance",
    ));
    let server = server_answering(vec![payment]).await;
    let error = call(&reqwest::Client::new(), &format!("{}/calls", server.uri()))
        .await
        .unwrap_err();
    let diagnostic = errspec::miette::Diagnostic(error);
    assert_eq!(
        diagnostic.code().unwrap().to_string(),
        "insufficient_credits"
    );
    assert_eq!(
        diagnostic.help().unwrap().to_string(),
        "Add credits in the billing dashboard"
    );
    assert_eq!(
        diagnostic.to_string(),
        "402 Payment Required [insufficient_credits]: Insufficient credits balance"
    );
}

#[tokio::test]
async fn serde_reads_codes_from_a_server_body() {
    let list = ResponseTemplate::new(200).set_body_string(r#"["not_found", "brand_new_code"]"#);
    let server = server_answering(vec![list]).await;
    let body = call(&reqwest::Client::new(), &format!("{}/calls", server.uri()))
        .await
        .unwrap();
    let codes: Vec<hms::ErrorCode> = serde_json::from_str(&body).unwrap();
    assert_eq!(codes[0], hms::ErrorCode::NotFound);
    assert!(codes[1].is_unknown());
}

/// A client test built only from the spec's fixtures: the documented 429 of
/// `rate_limit_exceeded` (its wait shortened from the documented 60 s to 2 s through the
/// builder), then 200. backon waits what the fixture's `Retry-After` says.
#[tokio::test]
async fn a_retry_test_from_the_fixtures_alone_waits_the_documented_delay() {
    let limited = hms::ErrorCode::RateLimitExceeded
        .response_builder()
        .retry_after(Some(Duration::from_secs(2)))
        .build();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "2");
    // The documented response itself carries the policy's default wait.
    assert_eq!(
        hms::ErrorCode::RateLimitExceeded.response().headers()["retry-after"],
        "60"
    );
    let server = server_answering(vec![errspec::wiremock::template(limited), ok()]).await;
    let started = Instant::now();
    let body = call_with_backon(&server).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(body, r#"{"data":[]}"#);
    assert_eq!(requests(&server).await, 2);
    assert!(waited >= Duration::from_secs(2), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
}

/// Every documented code served from its fixture reads back, over HTTP, as itself.
#[tokio::test]
async fn every_fixture_served_over_http_reads_back_as_its_code() {
    let server = MockServer::start().await;
    let client = reqwest::Client::new();
    for (i, (code, response)) in hms::ErrorCode::examples().enumerate() {
        let route = format!("/code/{i}");
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .respond_with(errspec::wiremock::template(response))
            .mount(&server)
            .await;
        let error = call(&client, &format!("{}{route}", server.uri()))
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some(&code));
        assert_eq!(Some(error.status()), code.status());
    }
}

fn spec_client() -> reqwest_middleware::ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(errspec::reqwest::SpecRetry::<hms::Error>::new())
        .build()
}

async fn get(
    client: &reqwest_middleware::ClientWithMiddleware,
    server: &MockServer,
) -> reqwest::Response {
    client
        .get(format!("{}/calls", server.uri()))
        .send()
        .await
        .expect("the test server answers")
}

/// `SpecRetry` waits what `Retry-After` says (2 s here), where a reqwest-retry client waited
/// its fixed backoff.
#[tokio::test]
async fn spec_retry_waits_what_retry_after_says() {
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "2")
        .set_body_string(hms_body("rate_limit_exceeded", "Too many requests"));
    let server = server_answering(vec![limited, ok()]).await;
    let started = Instant::now();
    let response = get(&spec_client(), &server).await;
    let waited = started.elapsed();
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);
    assert!(waited >= Duration::from_secs(2), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
}

/// The code's own policy wins over the status's: a 503 carrying `insufficient_credits` is not
/// retried; the caller gets the typed error and the body, still readable.
#[tokio::test]
async fn spec_retry_decides_by_the_code_and_hands_back_the_typed_error() {
    let body = hms_body("insufficient_credits", "Insufficient credits balance");
    let server = server_answering(vec![
        ResponseTemplate::new(503).set_body_string(body.clone()),
        ok(),
    ])
    .await;
    let response = get(&spec_client(), &server).await;
    assert_eq!(requests(&server).await, 1);
    assert_eq!(response.status(), 503);
    let error = errspec::reqwest::api_error::<hms::Error>(&response).expect("parsed");
    assert_eq!(error.code(), Some(&hms::ErrorCode::InsufficientCredits));
    assert_eq!(response.text().await.unwrap(), body);
}

/// Transient errors are retried up to the policy's attempt limit, then the last one is handed
/// back; a success needs no parsing.
#[tokio::test]
async fn spec_retry_stops_at_the_attempt_limit() {
    let server = server_answering(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
        ok(),
    ])
    .await;
    let response = get(&spec_client(), &server).await;
    let error = errspec::reqwest::api_error::<hms::Error>(&response).expect("parsed");
    assert_eq!(error.code(), Some(&hms::ErrorCode::ProviderError));
    let policy = error.retry_policy().expect("provider_error is retried");
    assert_eq!(requests(&server).await, policy.max_attempts as usize);

    let server = server_answering(vec![ok()]).await;
    let response = get(&spec_client(), &server).await;
    assert!(errspec::reqwest::api_error::<hms::Error>(&response).is_none());
    assert_eq!(response.text().await.unwrap(), r#"{"data":[]}"#);
}

/// A tower `http` service (here: a reqwest call to the local server, its body buffered) behind
/// `tower::retry::Retry` with the spec's policy.
async fn tower_get(server: &MockServer) -> errspec::http::Response<Vec<u8>> {
    use tower::ServiceExt;
    let client = reqwest::Client::new();
    let inner = tower::service_fn(move |request: errspec::http::Request<String>| {
        let client = client.clone();
        async move {
            let response = client.get(request.uri().to_string()).send().await?;
            let mut out = errspec::http::Response::new(Vec::new());
            *out.status_mut() = response.status();
            *out.headers_mut() = response.headers().clone();
            *out.body_mut() = response.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>(out)
        }
    });
    let service = tower::retry::Retry::new(errspec::tower::SpecPolicy::<hms::Error>::new(), inner);
    let request = errspec::http::Request::get(format!("{}/calls", server.uri()))
        .body(String::new())
        .unwrap();
    service
        .oneshot(request)
        .await
        .expect("the test server answers")
}

#[tokio::test]
async fn tower_policy_waits_what_retry_after_says_and_decides_by_the_code() {
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "2")
        .set_body_string(hms_body("rate_limit_exceeded", "Too many requests"));
    let server = server_answering(vec![limited, ok()]).await;
    let started = Instant::now();
    let response = tower_get(&server).await;
    let waited = started.elapsed();
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);
    assert!(waited >= Duration::from_secs(2), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");

    let credits = ResponseTemplate::new(503).set_body_string(hms_body(
        "insufficient_credits",
        "Insufficient credits balance",
    ));
    let server = server_answering(vec![credits, ok()]).await;
    let response = tower_get(&server).await;
    assert_eq!(response.status(), 503);
    assert_eq!(requests(&server).await, 1);

    let server = server_answering(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
        ok(),
    ])
    .await;
    let response = tower_get(&server).await;
    let error = hms::Error::from_response(response.status(), response.headers(), response.body());
    let policy = error.retry_policy().expect("provider_error is retried");
    assert_eq!(requests(&server).await, policy.max_attempts as usize);
}

/// A `POST` may be applied twice only with an `Idempotency-Key`: without one, neither adapter
/// resends it, whatever the error's policy says.
#[tokio::test]
async fn a_post_is_resent_only_with_an_idempotency_key() {
    let client = spec_client();
    let server = server_answering(vec![unavailable(), ok()]).await;
    let response = client
        .post(format!("{}/calls", server.uri()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(requests(&server).await, 1);

    let server = server_answering(vec![unavailable(), ok()]).await;
    let response = client
        .post(format!("{}/calls", server.uri()))
        .header("Idempotency-Key", "call-1")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);

    // tower: the policy's decision for the request it would resend.
    use tower::retry::Policy;
    let failure = || {
        let mut response = errspec::http::Response::new(
            hms_body("provider_error", "External provider error").into_bytes(),
        );
        *response.status_mut() = errspec::http::StatusCode::SERVICE_UNAVAILABLE;
        Ok::<_, ()>(response)
    };
    let mut policy = errspec::tower::SpecPolicy::<hms::Error>::new();
    let mut post = errspec::http::Request::post("/calls")
        .body(String::new())
        .unwrap();
    assert!(policy.retry(&mut post, &mut failure()).is_none());
    let mut keyed = errspec::http::Request::post("/calls")
        .header("Idempotency-Key", "call-1")
        .body(String::new())
        .unwrap();
    assert!(policy.retry(&mut keyed, &mut failure()).is_some());
}

/// A storm: 60 concurrent calls through one client whose `SpecRetry` has the AWS standard
/// budget, against a server that fails every one (503 `provider_error`, retried by HMS's
/// transient policy, 1 s then 2 s): 120 retries wanted, and the budget pays 100 (500 tokens, 5
/// each) and no more; every call ends with the typed error and why it was not retried. (The
/// 1,000-caller storm on the decision itself is in the runtime's `tests/test_signals.rs`. Here
/// the calls stay under the 128 connections a listener queues by default: beyond that, the
/// kernel drops connection attempts and the client waits seconds to try again.)
#[tokio::test]
async fn a_storm_of_failing_calls_never_exceeds_the_retry_budget() {
    use errspec::{BudgetParams, RetryBudget, StopReason};
    let server = MockServer::start().await;
    Mock::given(path("/calls"))
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let budget = RetryBudget::new(BudgetParams::AWS_STANDARD);
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(errspec::reqwest::SpecRetry::<hms::Error>::new().with_budget(budget.clone()))
        .build();
    let url = format!("{}/calls", server.uri());
    let calls = (0..60).map(|_| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let response = client.get(url).send().await.expect("the server answers");
            let error =
                errspec::reqwest::api_error::<hms::Error>(&response).expect("the typed error");
            assert_eq!(error.code(), Some(&hms::ErrorCode::ProviderError));
            errspec::reqwest::stop_reason(&response)
        })
    });
    let mut reasons = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        reasons.push(call.await.expect("the call task"));
    }
    // 100 retries paid for; a call stops when the budget refuses, or after HMS's 3 attempts.
    assert_eq!(requests(&server).await, 60 + 100);
    assert_eq!(budget.tokens(), 0.0);
    let refused = reasons
        .iter()
        .filter(|r| **r == Some(StopReason::BudgetExhausted))
        .count();
    let spent = reasons
        .iter()
        .filter(|r| **r == Some(StopReason::AttemptsExhausted))
        .count();
    assert_eq!(refused + spent, 60, "{reasons:?}");
}

/// `send` gives the outcome as a value: the typed error with why it was not retried, or the
/// transport failure.
#[tokio::test]
async fn send_hands_back_a_failure_to_match_on() {
    use errspec::reqwest::{send, Failure};
    use errspec::StopReason;
    let missing =
        ResponseTemplate::new(404).set_body_string(hms_body("call_not_found", "Call not found"));
    let server = server_answering(vec![missing, ok()]).await;
    let client = spec_client();
    let url = format!("{}/calls", server.uri());
    match send::<hms::Error>(client.get(&url)).await {
        Err(Failure::Api(failure)) => {
            assert_eq!(failure.error.code(), Some(&hms::ErrorCode::CallNotFound));
            assert_eq!(failure.stop, Some(StopReason::NotRetryable));
            assert_eq!(failure.response.status(), 404);
            let text = failure.response.text().await.unwrap();
            assert!(text.contains("call_not_found"), "{text}");
        }
        other => panic!("expected the API's error, got {other:?}"),
    }
    assert_eq!(
        send::<hms::Error>(client.get(&url)).await.unwrap().status(),
        200
    );
    // Nothing listens on a port just released (wiremock keeps its servers in a pool).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gone = format!("http://127.0.0.1:{port}/calls");
    let failure = send::<hms::Error>(client.get(&gone)).await.unwrap_err();
    assert!(matches!(failure, Failure::Transport(_)), "{failure}");
    assert!(failure.api_error().is_none());
}

/// backon with a budget: a call's retry is paid for, and its success gives the cost back.
#[tokio::test]
async fn backon_pays_retries_from_the_budget_and_refunds_them_on_success() {
    use errspec::{BudgetParams, RetryBudget};
    let budget = RetryBudget::new(BudgetParams::AWS_STANDARD);
    let server = server_answering(vec![unavailable(), ok()]).await;
    let client = reqwest::Client::new();
    let url = format!("{}/calls", server.uri());
    let call = errspec::backon::BudgetedCall::new(&budget);
    let during = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&during);
    let watched = budget.clone();
    let result = (|| call_watching(&client, &url, &watched, &seen))
        .retry(errspec::backon::PolicyBackoff::new(&hms::retry::TRANSIENT).with_seed(1))
        .when(errspec::backon::is_retryable::<hms::Error>)
        .adjust(call.spec_delay::<hms::Error>())
        .await;
    assert!(result.is_ok());
    call.succeeded();
    assert_eq!(requests(&server).await, 2);
    // The second attempt ran on 495 tokens; the success refunded the 5.
    assert_eq!(*during.lock().unwrap(), [500.0, 495.0]);
    assert_eq!(budget.tokens(), 500.0);
}

async fn call_watching(
    client: &reqwest::Client,
    url: &str,
    budget: &errspec::RetryBudget,
    seen: &std::sync::Mutex<Vec<f64>>,
) -> Result<String, hms::Error> {
    seen.lock().unwrap().push(budget.tokens());
    call(client, url).await
}
