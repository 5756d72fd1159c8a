//! Run time of generated code against hand-written baselines, in the same run:
//!
//! - `lookup_str/<api>/{errspec,hand_match,hashmap}`: `ErrorCode::from_wire` over every
//!   documented code of the API (shuffled), against a hand-written `match` on `&str` and a
//!   `HashMap<&str, ErrorCode>` (std hasher);
//! - `lookup_u32/<api>/...`: the same with `from_u32` and a `HashMap<u32, ErrorCode>`;
//! - `from_response/<api>/{errspec,serde_derive}`: `Error::from_response` on a documented body
//!   against `serde_json::from_slice` into a hand-written `#[derive(Deserialize)]` struct of the
//!   same envelope (and, to show where the time goes, `serde_value`: `from_slice` into a
//!   `serde_json::Value`, which is what the runtime parser builds first).
//!
//! `<api>` is one of the shipped specs or `bench_int`, a 10,000-code spec the build script
//! generates. Times are per lookup (criterion's throughput in elements) and per body.
//! `benches/report.py` runs this several times and prints the ratios.

use std::collections::HashMap;
use std::hash::Hash;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use errspec::http::{HeaderMap, StatusCode};
use errspec_apis::{hms_sovereign, sinch_numbers, sinch_voice};
use errspec_benches::{bench_int, hand};
use serde::{Deserialize, Serialize};

/// A fixed permutation (no dependency on a random crate): every input once, in an order no
/// branch predictor learns from the documentation's order.
fn shuffled<T: Clone>(items: &[T]) -> Vec<T> {
    let mut out = items.to_vec();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

/// Benchmarks `errspec`, `hand_match` and `hashmap` on the same inputs.
fn lookup_group<K, C, H>(
    c: &mut Criterion,
    group: &str,
    inputs: &[K],
    errspec: impl Fn(&K) -> C,
    hand: impl Fn(&K) -> H,
    map: &HashMap<K, C>,
    unknown: impl Fn(&K) -> C,
) where
    K: Eq + Hash,
    C: Clone,
{
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("errspec", |b| {
        b.iter(|| {
            for k in inputs {
                black_box(errspec(black_box(k)));
            }
        })
    });
    g.bench_function("hand_match", |b| {
        b.iter(|| {
            for k in inputs {
                black_box(hand(black_box(k)));
            }
        })
    });
    g.bench_function("hashmap", |b| {
        b.iter(|| {
            for k in inputs {
                let k = black_box(k);
                black_box(map.get(k).cloned().unwrap_or_else(|| unknown(k)));
            }
        })
    });
    g.finish();
}

macro_rules! str_lookups {
    ($c:expr, $name:literal, $api:ident) => {{
        // Copies, as a parsed body's codes are, not the generated tables' own strings.
        let wires: Vec<&'static str> = $api::ErrorCode::ALL
            .iter()
            .map(|code| &*Box::leak(code.as_str().to_owned().into_boxed_str()))
            .collect();
        let inputs = shuffled(&wires);
        let map: HashMap<&'static str, $api::ErrorCode> = $api::ErrorCode::ALL
            .iter()
            .zip(&wires)
            .map(|(code, wire)| (*wire, code.clone()))
            .collect();
        lookup_group(
            $c,
            concat!("lookup_str/", $name),
            &inputs,
            |w| $api::ErrorCode::from_wire(w),
            |w| hand::$api::HandCode::from_wire(w),
            &map,
            |w| $api::ErrorCode::from_wire(w),
        );
    }};
}

macro_rules! u32_lookups {
    ($c:expr, $name:literal, $api:ident) => {{
        let numbers: Vec<u32> = $api::ErrorCode::ALL
            .iter()
            .map(|code| code.as_u32().expect("an integer API"))
            .collect();
        let inputs = shuffled(&numbers);
        let map: HashMap<u32, $api::ErrorCode> = $api::ErrorCode::ALL
            .iter()
            .zip(&numbers)
            .map(|(code, n)| (*n, code.clone()))
            .collect();
        lookup_group(
            $c,
            concat!("lookup_u32/", $name),
            &inputs,
            |n| $api::ErrorCode::from_u32(*n),
            |n| hand::$api::HandCode::from_u32(*n),
            &map,
            |n| $api::ErrorCode::from_u32(*n),
        );
    }};
}

fn lookups(c: &mut Criterion) {
    str_lookups!(c, "hms_sovereign", hms_sovereign);
    str_lookups!(c, "sinch_voice", sinch_voice);
    str_lookups!(c, "sinch_numbers", sinch_numbers);
    str_lookups!(c, "bench_int", bench_int);
    u32_lookups!(c, "sinch_voice", sinch_voice);
    u32_lookups!(c, "bench_int", bench_int);
}

// Hand-written structs of the documented envelopes, as one would write them for serde.

#[derive(Deserialize)]
#[allow(dead_code)]
struct HmsBody {
    error: HmsError,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HmsError {
    code: String,
    message: String,
    param: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct VoiceBody {
    status: Option<String>,
    #[serde(rename = "errorCode")]
    error_code: u32,
    message: String,
    reference: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct NumbersBody {
    error: NumbersError,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct NumbersError {
    code: u16,
    message: String,
    status: String,
    details: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BenchBody {
    error: BenchError,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BenchError {
    code: u32,
    message: String,
    status: Option<String>,
    details: Option<Vec<serde_json::Value>>,
    retryable: Option<bool>,
    request_id: Option<String>,
}

macro_rules! response_group {
    ($c:expr, $name:literal, $api:ident, $status:expr, $body:expr, $derive:ty) => {{
        let body: &[u8] = $body;
        let status: StatusCode = $status;
        let headers = HeaderMap::new();
        // Both read the body correctly before either is timed.
        let error = $api::Error::from_response(status, &headers, body);
        assert!(
            error.code().is_some_and(|code| !code.is_unknown()),
            "{error:?}"
        );
        serde_json::from_slice::<$derive>(body).expect("the body fits the hand-written struct");
        let mut g = $c.benchmark_group(concat!("from_response/", $name));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("errspec", |b| {
            b.iter(|| {
                black_box($api::Error::from_response(
                    black_box(status),
                    &headers,
                    black_box(body),
                ))
            })
        });
        g.bench_function("serde_derive", |b| {
            b.iter(|| black_box(serde_json::from_slice::<$derive>(black_box(body)).ok()))
        });
        // Not a baseline: what the runtime parser's first step (a `serde_json::Value` tree)
        // costs on its own.
        g.bench_function("serde_value", |b| {
            b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(body)).ok()))
        });
        g.finish();
    }};
}

fn responses(c: &mut Criterion) {
    response_group!(
        c,
        "hms_sovereign",
        hms_sovereign,
        StatusCode::TOO_MANY_REQUESTS,
        br#"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests", "param": "messages", "type": "rate_limit"}}"#,
        HmsBody
    );
    response_group!(
        c,
        "sinch_voice",
        sinch_voice,
        StatusCode::BAD_REQUEST,
        br#"{"status": "400 ParameterValidation", "errorCode": 40001, "message": "Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout`"}"#,
        VoiceBody
    );
    response_group!(
        c,
        "sinch_numbers",
        sinch_numbers,
        StatusCode::BAD_REQUEST,
        br#"{"error": {"code": 400, "message": "parsing field \"type\": \"XXX\" is not a valid value", "status": "INVALID_ARGUMENT", "details": []}}"#,
        NumbersBody
    );
    response_group!(
        c,
        "bench_int",
        bench_int,
        StatusCode::BAD_REQUEST,
        br#"{"error": {"code": 40000002, "message": "Invalid parameter in the request, error number 2", "status": "400 Bad Request", "retryable": false, "request_id": "req-7f3a"}}"#,
        BenchBody
    );
}

#[derive(Serialize)]
struct HmsOut<'a> {
    error: HmsOutError<'a>,
}

#[derive(Serialize)]
struct HmsOutError<'a> {
    code: &'a str,
    message: &'a str,
}

/// `render/hms_sovereign/{errspec_render,serde_derive}`: `ErrorCode::render()` (status, wait
/// and body) against `serde_json::to_vec` of a derived struct giving the same body;
/// `render/hms_sovereign/{errspec,serde_derive_response}`: `ErrorCode::response()` against that
/// body put in an `http::Response` with the same header.
fn renders(c: &mut Criterion) {
    let code = hms_sovereign::ErrorCode::InsufficientCredits;
    let message = code.message().unwrap();
    let derived = HmsOut {
        error: HmsOutError {
            code: code.as_str(),
            message,
        },
    };
    assert_eq!(
        code.response().body(),
        &serde_json::to_vec(&derived).unwrap(),
        "both write the same body"
    );
    let mut g = c.benchmark_group("render/hms_sovereign");
    g.bench_function("errspec", |b| {
        b.iter(|| black_box(black_box(&code).response()))
    });
    g.bench_function("errspec_render", |b| {
        b.iter(|| black_box(black_box(&code).render()))
    });
    g.bench_function("serde_derive", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&derived)).ok()))
    });
    g.bench_function("serde_derive_response", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(black_box(&derived)).unwrap_or_default();
            let mut response = errspec::http::Response::new(body);
            *response.status_mut() = StatusCode::PAYMENT_REQUIRED;
            response.headers_mut().insert(
                errspec::http::header::CONTENT_TYPE,
                errspec::http::HeaderValue::from_static("application/json"),
            );
            black_box(response)
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = lookups, responses, renders
}
criterion_main!(benches);
