//! The one retry decision over every wait signal an API can declare, and retry budgets, with
//! `tests/specs/signals.yaml`: a table of header and body inputs, each with the delay or the
//! reason not to retry the decision must give.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use errspec::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use errspec::{BudgetParams, JitterRng, RetryBudget, RetryCost, RetryDecision, StopReason};

mod signals {
    errspec::include_spec!("tests/specs/signals.yaml");
}

/// When every response of the table is received.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> signals::Error {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    let status = StatusCode::from_u16(status).unwrap();
    signals::Error::from_response(status, &map, body.as_bytes())
}

fn decide(status: u16, headers: &[(&str, &str)], body: &str, attempt: u32) -> RetryDecision {
    error(status, headers, body).retry_decision_at(
        attempt,
        now(),
        &mut JitterRng::with_seed(1),
        None,
    )
}

const fn ms(n: u64) -> Expect {
    Expect::Wait(Duration::from_millis(n))
}

const fn secs(n: u64) -> Expect {
    Expect::Wait(Duration::from_secs(n))
}

/// What the row is, status, headers, body, failed attempt, expected decision.
type Row<'a> = (&'a str, u16, &'a [(&'a str, &'a str)], &'a str, u32, Expect);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Wait(Duration),
    Stop(StopReason),
}

use Expect::Stop;
use StopReason::{AttemptsExhausted, NotRetryable, ServerSaidNo};

fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

#[test]
fn every_signal_input_gives_its_documented_decision() {
    let soon = http_date(now() + Duration::from_secs(20));
    let past = http_date(now() - Duration::from_secs(3_600));
    let body_ms = r#"{"error": {"code": "overloaded", "retry_in_ms": 750}}"#;
    let body_s_text = r#"{"error": {"code": "overloaded", "retry_in_s": "2.5"}}"#;
    let body_negative = r#"{"error": {"code": "overloaded", "retry_in_ms": -3}}"#;
    let body_huge = r#"{"error": {"code": "overloaded", "retry_in_s": 1e10}}"#;
    let body_both = r#"{"error": {"code": "overloaded", "retry_in_ms": 100, "retry_in_s": 9}}"#;
    #[rustfmt::skip]
    let table: &[Row<'_>] = &[
        // The policies alone: transient backoff 1 s × 2 up to 4 attempts; 429 Retry-After.
        ("no signal: backoff", 503, &[], "", 1, secs(1)),
        ("no signal: third backoff", 503, &[], "", 3, secs(4)),
        ("no signal: attempts spent", 503, &[], "", 4, Stop(AttemptsExhausted)),
        ("no policy for 400", 400, &[], "", 1, Stop(NotRetryable)),
        // Should-retry overrides.
        ("should-retry true on 400: the signal's policy", 400, &[("x-should-retry", "true")], "", 1, secs(1)),
        ("should-retry false on 503", 503, &[("x-should-retry", "false")], "", 1, Stop(ServerSaidNo)),
        ("should-retry FALSE, any case", 503, &[("x-should-retry", "FALSE")], "", 1, Stop(ServerSaidNo)),
        ("should-retry malformed: ignored", 503, &[("x-should-retry", "maybe")], "", 1, secs(1)),
        ("should-retry true still counts attempts", 409, &[("x-should-retry", "true")], "", 4, Stop(AttemptsExhausted)),
        ("should-retry true with a delay signal", 409, &[("x-should-retry", "true"), ("retry-after-ms", "250")], "", 1, ms(250)),
        // gRPC pushback.
        ("pushback", 503, &[("grpc-retry-pushback-ms", "1500")], "", 1, ms(1500)),
        ("pushback negative: do not retry", 503, &[("grpc-retry-pushback-ms", "-1")], "", 1, Stop(ServerSaidNo)),
        ("pushback unreadable: do not retry", 503, &[("grpc-retry-pushback-ms", "soon")], "", 1, Stop(ServerSaidNo)),
        ("pushback huge: its cap", 503, &[("grpc-retry-pushback-ms", "99999999999999999999999")], "", 1, secs(60)),
        ("should-retry true before a bad pushback: the first verdict wins", 503, &[("x-should-retry", "true"), ("grpc-retry-pushback-ms", "-1")], "", 1, secs(1)),
        ("pushback on 400: no policy to retry by", 400, &[("grpc-retry-pushback-ms", "200")], "", 1, Stop(NotRetryable)),
        // Milliseconds and seconds headers.
        ("retry-after-ms", 503, &[("retry-after-ms", "250")], "", 1, ms(250)),
        ("retry-after-ms with a fraction", 503, &[("retry-after-ms", "1.5")], "", 1, Expect::Wait(Duration::from_micros(1500))),
        ("retry-after-ms negative: ignored", 503, &[("retry-after-ms", "-5")], "", 1, secs(1)),
        ("retry-after-ms empty: ignored", 503, &[("retry-after-ms", "")], "", 1, secs(1)),
        ("retry-after-ms exponent: ignored", 503, &[("retry-after-ms", "1e3")], "", 1, secs(1)),
        ("retry-after-ms huge: its cap", 503, &[("retry-after-ms", "999999999999")], "", 1, secs(120)),
        ("seconds, combined by max: the backoff is longer", 503, &[("x-wait-seconds", "0.5")], "", 1, secs(1)),
        ("seconds, combined by max: the signal is longer", 503, &[("x-wait-seconds", "5")], "", 1, secs(5)),
        ("ms before seconds: the first usable delay", 503, &[("x-wait-seconds", "5"), ("retry-after-ms", "40")], "", 1, ms(40)),
        // The policy's Retry-After, after the declared signals.
        ("429 without a signal: Retry-After default", 429, &[], "", 1, secs(30)),
        ("Retry-After seconds", 429, &[("retry-after", "3")], "", 1, secs(3)),
        ("Retry-After date ahead", 429, &[("retry-after", &soon)], "", 1, secs(20)),
        ("Retry-After date past: now", 429, &[("retry-after", &past)], "", 1, secs(0)),
        ("Retry-After date before 1970: now", 429, &[("retry-after", "Thu, 01 Jan 1948 00:00:00 GMT")], "", 1, secs(0)),
        ("Retry-After huge: the policy's cap", 429, &[("retry-after", "86400")], "", 1, secs(300)),
        ("Retry-After garbage: default", 429, &[("retry-after", "later")], "", 1, secs(30)),
        ("a declared signal over Retry-After", 429, &[("retry-after", "3"), ("retry-after-ms", "100")], "", 1, ms(100)),
        // IETF RateLimit.
        ("RateLimit exhausted: wait the reset", 429, &[("ratelimit", "\"default\";r=0;t=12")], "", 1, secs(12)),
        ("RateLimit with quota left: no wait from it", 429, &[("ratelimit", "\"default\";r=5;t=12")], "", 1, secs(30)),
        ("RateLimit negative reset: no wait from it", 429, &[("ratelimit", "\"default\";r=0;t=-1")], "", 1, secs(30)),
        ("RateLimit two exhausted policies: the later reset", 429, &[("ratelimit", "\"a\";r=0;t=5, \"b\";r=0;t=50")], "", 1, secs(50)),
        ("RateLimit over two field lines", 429, &[("ratelimit", "\"a\";r=3;t=1"), ("ratelimit", "\"b\";r=0;t=7")], "", 1, secs(7)),
        ("RateLimit huge reset: its cap", 429, &[("ratelimit", "\"default\";r=0;t=99999999")], "", 1, secs(3600)),
        ("RateLimit malformed: ignored whole", 429, &[("ratelimit", "\"default;r=0;t=5")], "", 1, secs(30)),
        ("RateLimit trailing comma: ignored whole", 429, &[("ratelimit", "\"default\";r=0;t=5,")], "", 1, secs(30)),
        ("RateLimit with date and display-string parameters", 429, &[("ratelimit", "\"default\";r=0;t=9;at=@1659578233;note=%\"caf%c3%a9\"")], "", 1, secs(9)),
        ("RateLimit with a malformed display string: ignored whole", 429, &[("ratelimit", "\"default\";r=0;t=9;note=%\"caf%C3\"")], "", 1, secs(30)),
        // Delays in the body.
        ("body milliseconds, a documented field", 503, &[], body_ms, 1, ms(750)),
        ("body seconds as text, an undocumented field", 503, &[], body_s_text, 1, ms(2500)),
        ("body negative: ignored", 503, &[], body_negative, 1, secs(1)),
        ("body huge: its cap", 503, &[], body_huge, 1, secs(90)),
        ("body: the first declared field", 503, &[], body_both, 1, ms(100)),
        ("a header signal over a body one", 503, &[("retry-after-ms", "60")], body_ms, 1, ms(60)),
        ("an unreadable body keeps its header signals", 503, &[("retry-after-ms", "300")], "<html>busy</html>", 1, ms(300)),
    ];
    assert!(table.len() >= 30);
    let mut wrong = Vec::new();
    for (what, status, headers, body, attempt, expected) in table {
        let got = match decide(*status, headers, body, *attempt) {
            RetryDecision::Retry { delay, grant } => {
                assert_eq!(grant, None, "{what}: no budget was given");
                Expect::Wait(delay)
            }
            RetryDecision::Stop(reason) => Expect::Stop(reason),
        };
        if got != *expected {
            wrong.push(format!("{what}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_rate_limit_state_is_exposed() {
    let e = error(
        429,
        &[
            ("ratelimit", "\"burst\";r=0;t=4, \"daily\";r=900;t=3600"),
            (
                "ratelimit-policy",
                "\"burst\";q=10;w=1, \"daily\";q=1000;w=86400",
            ),
        ],
        "",
    );
    let state = e.rate_limit().expect("a RateLimit field");
    assert_eq!(state.policy, "burst");
    assert_eq!(state.quota, Some(10));
    assert_eq!(state.window, Some(Duration::from_secs(1)));
    assert_eq!(state.remaining, Some(0));
    assert_eq!(state.reset, Some(Duration::from_secs(4)));
    assert_eq!(error(429, &[], "").rate_limit(), None);
    // A policy field that does not parse loses only the quota and window.
    let e = error(
        429,
        &[
            ("ratelimit", "\"burst\";r=2;t=4"),
            ("ratelimit-policy", "burst;q="),
        ],
        "",
    );
    let state = e.rate_limit().unwrap();
    assert_eq!((state.remaining, state.quota), (Some(2), None));
}

#[test]
fn no_signal_header_value_panics_or_waits_unbounded() {
    let names = [
        "x-should-retry",
        "grpc-retry-pushback-ms",
        "retry-after-ms",
        "x-wait-seconds",
        "ratelimit",
        "ratelimit-policy",
        "retry-after",
    ];
    let values = [
        "",
        " ",
        "0",
        "-0",
        "18446744073709551616",
        "1.",
        ".5",
        "1.2.3",
        "\"",
        "\"a\";r=0;t=",
        "a;r=0;t=1;t=2",
        "*;r=0;t=3",
        "a;R=0",
        "a;r=?1",
        "a;r=:AQ==:;t=2",
        "a,,b",
        "\t5\t",
        "999999999999999999999.999999999",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "true ",
    ];
    for name in names {
        for value in values {
            let e = error(503, &[(name, value)], "");
            for attempt in 1..=4 {
                if let Some(delay) = e
                    .retry_decision_at(attempt, now(), &mut JitterRng::with_seed(2), None)
                    .delay()
                {
                    assert!(
                        delay <= Duration::from_secs(3600),
                        "{name}: {value:?} gave {delay:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_spec_declares_the_budget_and_signals() {
    use errspec::Api;
    assert_eq!(
        <signals::ErrorCode as Api>::BUDGET,
        Some(BudgetParams::AWS_STANDARD)
    );
    assert_eq!(<signals::ErrorCode as Api>::SIGNALS.len(), 7);
}

#[test]
fn a_storm_of_a_thousand_concurrent_failures_never_exceeds_the_budget() {
    let budget = RetryBudget::new(BudgetParams::AWS_STANDARD);
    let failure = error(503, &[], "");
    let granted = std::sync::atomic::AtomicU32::new(0);
    let refused = std::sync::atomic::AtomicU32::new(0);
    let spent = std::sync::atomic::AtomicU32::new(0);
    std::thread::scope(|scope| {
        for t in 0..1_000u64 {
            let (budget, failure, granted, refused, spent) =
                (&budget, &failure, &granted, &refused, &spent);
            scope.spawn(move || {
                let mut rng = JitterRng::with_seed(t);
                for attempt in 1.. {
                    match failure.retry_decision_at(attempt, now(), &mut rng, Some(budget)) {
                        RetryDecision::Retry { grant, .. } => {
                            assert!(grant.is_some());
                            granted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        RetryDecision::Stop(reason) => {
                            let counter = match reason {
                                StopReason::BudgetExhausted => refused,
                                StopReason::AttemptsExhausted => spent,
                                other => panic!("stopped by {other}"),
                            };
                            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            break;
                        }
                    }
                }
            });
        }
    });
    // 500 tokens at 5 a retry: exactly 100 retries among all callers; every caller then stops,
    // refused by the budget, or (having had its 3 retries) by the policy's 4 attempts.
    assert_eq!(granted.into_inner(), 100);
    let (refused, spent) = (refused.into_inner(), spent.into_inner());
    assert_eq!(refused + spent, 1_000);
    assert!(spent <= 100 / 3, "{spent}");
    assert_eq!(budget.tokens(), 0.0);
}

#[test]
fn the_aws_standard_preset_has_the_published_numbers() {
    // AWS SDKs' standard retry mode: 500 tokens, 5 a retry, 10 after a timeout, a success
    // gives back what its retry took, or 1 when it needed none.
    let budget = RetryBudget::new(BudgetParams::AWS_STANDARD);
    assert_eq!(budget.tokens(), 500.0);
    let throttled = budget.try_retry(RetryCost::Throttling).unwrap();
    assert_eq!(budget.tokens(), 495.0);
    budget.try_retry(RetryCost::Timeout).unwrap();
    assert_eq!(budget.tokens(), 485.0);
    budget.on_success(Some(throttled));
    assert_eq!(budget.tokens(), 490.0);
    budget.on_success(None);
    assert_eq!(budget.tokens(), 491.0);
    for _ in 0..100 {
        budget.on_success(None);
    }
    assert_eq!(budget.tokens(), 500.0, "never above capacity");
    // A timeout retry needs 10 tokens: with 5 left only a plain retry is possible.
    let nearly_empty = RetryBudget::new(BudgetParams::Quota {
        capacity: 5.0,
        throttling_cost: 5.0,
        transient_cost: 5.0,
        timeout_cost: 10.0,
        success_refill: 1.0,
        refund: true,
    });
    assert_eq!(nearly_empty.try_retry(RetryCost::Timeout), None);
    assert!(nearly_empty.try_retry(RetryCost::Transient).is_some());
}

#[test]
fn the_grpc_preset_throttles_as_a6_says() {
    // gRFC A6: maxTokens 10, tokenRatio 0.1; each failure takes 1, retries while > 5 remain.
    let budget = RetryBudget::new(BudgetParams::grpc(10.0, 0.1));
    let allowed: Vec<bool> = (0..6)
        .map(|_| budget.try_retry(RetryCost::Transient).is_some())
        .collect();
    assert_eq!(allowed, [true, true, true, true, false, false]);
    assert_eq!(budget.tokens(), 4.0);
    // Twenty-one successes at 0.1 bring it to 6.1: one failure leaves 5.1, above half.
    for _ in 0..21 {
        budget.on_success(None);
    }
    assert!((budget.tokens() - 6.1).abs() < 1e-9, "{}", budget.tokens());
    assert!(budget.try_retry(RetryCost::Transient).is_some());
    assert!(budget.try_retry(RetryCost::Transient).is_none());
}

#[test]
fn a_budget_is_shared_by_its_clones_and_says_when_it_is_spent() {
    let budget = RetryBudget::new(BudgetParams::Quota {
        capacity: 10.0,
        throttling_cost: 5.0,
        transient_cost: 5.0,
        timeout_cost: 5.0,
        success_refill: 1.0,
        refund: false,
    });
    let clone = budget.clone();
    let failure = error(503, &[], "");
    let rng = &mut JitterRng::with_seed(3);
    assert!(failure
        .retry_decision_at(1, now(), rng, Some(&budget))
        .delay()
        .is_some());
    assert!(failure
        .retry_decision_at(1, now(), rng, Some(&clone))
        .delay()
        .is_some());
    assert_eq!(
        failure.retry_decision_at(1, now(), rng, Some(&budget)),
        RetryDecision::Stop(StopReason::BudgetExhausted)
    );
    assert_eq!(
        StopReason::BudgetExhausted.to_string(),
        "the retry budget is exhausted"
    );
    // A response that is not retried costs nothing.
    assert_eq!(
        error(400, &[], "").retry_decision_at(1, now(), rng, Some(&clone)),
        RetryDecision::Stop(StopReason::NotRetryable)
    );
}

#[test]
fn a_request_is_sent_again_only_when_it_may_be_applied_twice() {
    use errspec::http::Method;
    let keyed = {
        let mut h = HeaderMap::new();
        h.insert("idempotency-key", HeaderValue::from_static("k-1"));
        h
    };
    let none = HeaderMap::new();
    let overloaded = r#"{"error": {"code": "overloaded"}}"#;
    let not_applied = r#"{"error": {"code": "not_applied"}}"#;
    #[rustfmt::skip]
    let table: &[(&str, u16, &str, Method, &HeaderMap, Expect)] = &[
        ("GET: idempotent", 503, overloaded, Method::GET, &none, secs(1)),
        ("PUT: idempotent", 503, overloaded, Method::PUT, &none, secs(1)),
        ("POST: not idempotent", 503, overloaded, Method::POST, &none, Stop(StopReason::NotIdempotent)),
        ("PATCH: not idempotent", 503, overloaded, Method::PATCH, &none, Stop(StopReason::NotIdempotent)),
        ("POST with an Idempotency-Key", 503, overloaded, Method::POST, &keyed, secs(1)),
        ("POST refused before it was processed", 503, not_applied, Method::POST, &none, secs(1)),
        ("POST under a policy that may resend it", 502, "", Method::POST, &none, secs(1)),
        ("PUT under a policy that lists only POST and GET", 502, "", Method::PUT, &none, Stop(StopReason::NotIdempotent)),
        ("not retryable whatever the method", 400, "", Method::GET, &none, Stop(StopReason::NotRetryable)),
    ];
    for (what, status, body, method, headers, expected) in table {
        let e = error(*status, &[], body);
        let got = match e.retry_decision_for(
            (method, headers),
            1,
            now(),
            &mut JitterRng::with_seed(4),
            None,
        ) {
            RetryDecision::Retry { delay, .. } => Expect::Wait(delay),
            RetryDecision::Stop(reason) => Expect::Stop(reason),
        };
        assert_eq!(got, *expected, "{what}");
    }
    assert!(error(503, &[], not_applied).request_not_processed());
    assert!(signals::ErrorCode::NotApplied.is_not_processed());
    assert!(!signals::ErrorCode::Overloaded.is_not_processed());
    assert_eq!(
        signals::retry::RESEND_POSTS.methods,
        errspec::Methods::GET.with(errspec::Methods::POST)
    );
    assert_eq!(
        signals::retry::TRANSIENT.methods,
        errspec::Methods::IDEMPOTENT
    );
}

#[test]
fn a_throttling_budget_counts_retryable_failures_that_are_not_retried() {
    // gRFC A6 counts every retryable failure: one whose attempts are spent, that the server
    // said not to retry, or that may not be sent again takes its token too.
    let budget = RetryBudget::new(BudgetParams::grpc(10.0, 0.1));
    let rng = &mut JitterRng::with_seed(5);
    let spent = error(503, &[], "").retry_decision_at(4, now(), rng, Some(&budget));
    assert_eq!(spent, RetryDecision::Stop(StopReason::AttemptsExhausted));
    let refused = error(503, &[("x-should-retry", "false")], "");
    assert_eq!(
        refused.retry_decision_at(1, now(), rng, Some(&budget)),
        RetryDecision::Stop(StopReason::ServerSaidNo)
    );
    let post = (&errspec::http::Method::POST, &HeaderMap::new());
    assert_eq!(
        error(503, &[], "").retry_decision_for(post, 1, now(), rng, Some(&budget)),
        RetryDecision::Stop(StopReason::NotIdempotent)
    );
    assert_eq!(budget.tokens(), 7.0);
    // A failure no policy retries is no retryable failure: it costs nothing.
    error(400, &[], "").retry_decision_at(1, now(), rng, Some(&budget));
    assert_eq!(budget.tokens(), 7.0);
    // A quota charges retries only.
    let quota = RetryBudget::new(BudgetParams::AWS_STANDARD);
    error(503, &[], "").retry_decision_at(4, now(), rng, Some(&quota));
    assert_eq!(quota.tokens(), 500.0);
}
