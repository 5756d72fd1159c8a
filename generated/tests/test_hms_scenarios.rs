//! The HMS Sovereign retry scenarios through each adapter's documented recipe, against a real
//! HTTP server on 127.0.0.1, with tokio's clock paused: each wait is what the spec says, to the
//! millisecond, and the suite does not sleep the 60 s default.
//!
//! The server answers from its own thread (wiremock), so the paused clock moves only by the
//! adapters' sleeps; the waits are read from `tokio::time::Instant`. The clients keep no idle
//! connection: a paused clock jumps to the next timer while the runtime waits on a socket, and
//! a pooled connection's idle timer would be one.

use std::time::Duration;

use backon::Retryable;
use errspec::StopReason;
use errspec_apis::hms_sovereign as hms;
use tokio::time::Instant;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn hms_body(code: &str, message: &str) -> String {
    format!(r#"{{"error":{{"code":"{code}","message":"{message}","type":"error_type"}}}}"#)
}

/// A reqwest client with no timer of its own (see the module docs).
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client")
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(r#"{"data":[]}"#)
}

/// One documented situation: the answers the server gives in turn, and what the client must do.
struct Scenario {
    what: &'static str,
    answers: Vec<ResponseTemplate>,
    /// Requests made in all.
    requests: usize,
    /// The time waited between them, in all.
    waited: Duration,
    /// The status the caller ends with.
    status: u16,
}

fn scenarios() -> Vec<Scenario> {
    let limited = |retry_after: Option<&str>| {
        let answer = ResponseTemplate::new(429)
            .set_body_string(hms_body("rate_limit_exceeded", "Too many requests"));
        match retry_after {
            Some(value) => answer.insert_header("Retry-After", value),
            None => answer,
        }
    };
    let html = || {
        ResponseTemplate::new(503)
            .insert_header("Content-Type", "text/html")
            .set_body_string("<html><body>Service Unavailable</body></html>")
    };
    vec![
        Scenario {
            what: "429 with Retry-After: 3: one retry after 3 s",
            answers: vec![limited(Some("3")), ok()],
            requests: 2,
            waited: Duration::from_secs(3),
            status: 200,
        },
        Scenario {
            what: "429 without Retry-After: the documented 60 s",
            answers: vec![limited(None), ok()],
            requests: 2,
            waited: Duration::from_secs(60),
            status: 200,
        },
        Scenario {
            what: "402 insufficient credits: no retry",
            answers: vec![
                ResponseTemplate::new(402).set_body_string(hms_body(
                    "insufficient_credits",
                    "Insufficient credits balance",
                )),
                ok(),
            ],
            requests: 1,
            waited: Duration::ZERO,
            status: 402,
        },
        Scenario {
            what: "503 HTML page: 1 s, 2 s, then the typed error",
            answers: vec![html(), html(), html(), ok()],
            requests: 3,
            waited: Duration::from_secs(3),
            status: 503,
        },
        Scenario {
            what: "503 carrying insufficient_credits: the code's policy says no retry",
            answers: vec![
                ResponseTemplate::new(503).set_body_string(hms_body(
                    "insufficient_credits",
                    "Insufficient credits balance",
                )),
                ok(),
            ],
            requests: 1,
            waited: Duration::ZERO,
            status: 503,
        },
    ]
}

async fn serve(answers: Vec<ResponseTemplate>) -> MockServer {
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

/// Runs every scenario through `client`, which returns the final status.
async fn check<F, Fut>(adapter: &str, client: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = u16>,
{
    let mut wrong = Vec::new();
    for s in scenarios() {
        let server = serve(s.answers).await;
        let started = Instant::now();
        let status = client(format!("{}/calls", server.uri())).await;
        let waited = started.elapsed();
        let requests = server.received_requests().await.map_or(0, |r| r.len());
        let waited_right = waited >= s.waited && waited < s.waited + Duration::from_millis(50);
        if status != s.status || requests != s.requests || !waited_right {
            wrong.push(format!(
                "{adapter}: {}: got status {status}, {requests} requests, waited {waited:?}; \
                 expected {}, {}, {:?}",
                s.what, s.status, s.requests, s.waited
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `SpecRetry` alone, and with another body-reading middleware before and after it: the
/// same decisions whatever the order.
#[tokio::test(start_paused = true)]
async fn the_reqwest_middleware_follows_the_spec() {
    use errspec::reqwest::{ReadErrorBody, SpecRetry};
    let builder = || reqwest_middleware::ClientBuilder::new(http_client());
    let clients = [
        (
            "SpecRetry",
            builder().with(SpecRetry::<hms::Error>::new()).build(),
        ),
        (
            "ReadErrorBody, then SpecRetry",
            builder()
                .with(ReadErrorBody::<hms::Error>::new())
                .with(SpecRetry::<hms::Error>::new())
                .build(),
        ),
        (
            "SpecRetry, then ReadErrorBody",
            builder()
                .with(SpecRetry::<hms::Error>::new())
                .with(ReadErrorBody::<hms::Error>::new())
                .build(),
        ),
    ];
    for (order, client) in clients {
        check_reqwest(order, client).await;
    }
}

async fn check_reqwest(order: &str, client: reqwest_middleware::ClientWithMiddleware) {
    check(&format!("reqwest {order}"), |url| {
        let client = client.clone();
        async move {
            let response = client.get(url).send().await.expect("the server answers");
            let status = response.status();
            if !status.is_success() {
                // The typed error, and why it was not retried, come with the response.
                let error =
                    errspec::reqwest::api_error::<hms::Error>(&response).expect("the typed error");
                assert_eq!(error.status(), hms::Status::from(status));
                assert!(matches!(
                    errspec::reqwest::stop_reason(&response),
                    Some(StopReason::NotRetryable | StopReason::AttemptsExhausted)
                ));
            }
            status.as_u16()
        }
    })
    .await;
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<u16, hms::Error> {
    let response = client.get(url).send().await.expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("a body");
    if status.is_success() {
        Ok(status.as_u16())
    } else {
        Err(hms::Error::from_response(status, &headers, &body))
    }
}

#[tokio::test(start_paused = true)]
async fn the_backon_recipe_follows_the_spec() {
    let client = http_client();
    check("backon", |url| {
        let client = client.clone();
        async move {
            let result = (|| fetch(&client, &url))
                .retry(errspec::backon::PolicyBackoff::new(&hms::retry::RATE_LIMITED).with_seed(1))
                .when(errspec::backon::is_retryable::<hms::Error>)
                .adjust(errspec::backon::spec_delay::<hms::Error>())
                .await;
            match result {
                Ok(status) => status,
                Err(error) => errspec::ApiError::http_status(&error).as_u16(),
            }
        }
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn the_tower_policy_follows_the_spec() {
    use tower::ServiceExt;
    let client = http_client();
    check("tower SpecPolicy", |url| {
        let client = client.clone();
        async move {
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
            let service =
                tower::retry::Retry::new(errspec::tower::SpecPolicy::<hms::Error>::new(), inner);
            let request = errspec::http::Request::get(url)
                .body(String::new())
                .unwrap();
            let response = service.oneshot(request).await.expect("the server answers");
            if !response.status().is_success() {
                assert!(matches!(
                    response.extensions().get::<StopReason>(),
                    Some(StopReason::NotRetryable | StopReason::AttemptsExhausted)
                ));
            }
            response.status().as_u16()
        }
    })
    .await;
}
