//! Looking up a documented code allocates nothing: `from_wire`, `lookup`, `from_u32`, `FromStr`
//! and the accessors a client calls next, for every code of the shipped specs and of the
//! 10,000-code synthetic spec. A counting global allocator shows it. Unknown codes do allocate
//! (they keep the raw value), which the last test checks, so that the counter is known to work.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use errspec_apis::{hms_sovereign, sinch_numbers, sinch_voice};
use errspec_benches::bench_int;

/// Counts the allocations of the current thread (tests run on several threads).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers every call to `System`, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (value, ALLOCATIONS.with(Cell::get) - before)
}

/// Every documented wire value of an API, copied out first so that copying is not counted.
macro_rules! assert_lookups_do_not_allocate {
    ($api:ident) => {{
        use $api::ErrorCode;
        let wires: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        assert!(!wires.is_empty());
        let ((), n) = allocations(|| {
            for (code, wire) in ErrorCode::ALL.iter().zip(&wires) {
                let found = ErrorCode::from_wire(wire);
                assert!(&found == code, "{wire}");
                assert!(!ErrorCode::lookup(wire).1);
                let parsed: ErrorCode = wire.parse().unwrap_or_else(|never| match never {});
                assert!(parsed == found);
                std::hint::black_box((found.status(), found.message(), found.retry_policy()));
                std::hint::black_box(found.as_str());
            }
        });
        assert_eq!(
            n,
            0,
            "{} lookups of known codes allocated",
            stringify!($api)
        );
    }};
}

macro_rules! assert_numeric_lookups_do_not_allocate {
    ($api:ident) => {{
        use $api::ErrorCode;
        let numbers: Vec<u32> = ErrorCode::ALL
            .iter()
            .filter_map(ErrorCode::as_u32)
            .collect();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
        let ((), n) = allocations(|| {
            for (code, number) in ErrorCode::ALL.iter().zip(&numbers) {
                assert!(&ErrorCode::from_u32(*number) == code, "{number}");
            }
        });
        assert_eq!(
            n,
            0,
            "{} numeric lookups of known codes allocated",
            stringify!($api)
        );
    }};
}

#[test]
fn string_lookups_of_known_codes_do_not_allocate() {
    assert_lookups_do_not_allocate!(hms_sovereign);
    assert_lookups_do_not_allocate!(sinch_voice);
    assert_lookups_do_not_allocate!(sinch_numbers);
    assert_lookups_do_not_allocate!(bench_int);
}

#[test]
fn numeric_lookups_of_known_codes_do_not_allocate() {
    assert_numeric_lookups_do_not_allocate!(sinch_voice);
    assert_numeric_lookups_do_not_allocate!(bench_int);
}

#[test]
fn aliases_do_not_allocate() {
    let ((code, alias), n) = allocations(|| sinch_voice::ErrorCode::lookup("50500"));
    assert_eq!(
        (code, alias, n),
        (sinch_voice::ErrorCode::TemporaryDown, true, 0)
    );
    let (code, n) = allocations(|| sinch_voice::ErrorCode::from_u32(50500));
    assert_eq!((code, n), (sinch_voice::ErrorCode::TemporaryDown, 0));
}

#[test]
fn unknown_codes_allocate_so_the_counter_counts() {
    let (code, n) = allocations(|| bench_int::ErrorCode::from_wire("49999"));
    assert!(code.is_unknown());
    assert!(n >= 1, "the counting allocator saw no allocation");
}

/// Rendering a documented response allocates the body once (it is sized up front) and what
/// its headers take, nothing per field or key: the same headers built alone take one
/// allocation fewer.
#[test]
fn rendering_a_response_allocates_only_the_body_besides_its_headers() {
    use errspec::http::{header, HeaderMap, HeaderValue};
    for code in hms_sovereign::ErrorCode::ALL {
        let (response, n) = allocations(|| code.response());
        assert!(!response.body().is_empty());
        let wait = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
        let (_, headers) = allocations(|| {
            let mut map = HeaderMap::with_capacity(2);
            map.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Some(wait) = wait {
                map.insert(header::RETRY_AFTER, HeaderValue::from(wait));
            }
            map
        });
        assert_eq!(
            n,
            headers + 1,
            "{code:?}: {n} allocations, the headers alone {headers}"
        );
    }
}

/// Rendering a documented response as its parts allocates exactly once, the body, for every
/// code of every shipped API, whether or not it sends a wait header; its bytes are those of
/// the `http::Response` it converts to.
#[test]
fn rendering_allocates_only_the_body() {
    fn check<C: Clone + std::fmt::Debug>(
        codes: &[C],
        render: impl Fn(&C) -> errspec::Rendered,
        response: impl Fn(&C) -> errspec::http::Response<Vec<u8>>,
    ) {
        for code in codes {
            let (rendered, n) = allocations(|| render(code));
            assert!(!rendered.body().is_empty(), "{code:?}");
            assert_eq!(n, 1, "{code:?}: {n} allocations");
            let expected = response(code);
            let converted = rendered.into_response();
            assert_eq!(converted.status(), expected.status());
            assert_eq!(converted.headers(), expected.headers());
            assert_eq!(converted.body(), expected.body());
        }
    }
    check(
        hms_sovereign::ErrorCode::ALL,
        |c| c.render(),
        |c| c.response(),
    );
    check(
        sinch_voice::ErrorCode::ALL,
        |c| c.render(),
        |c| c.response(),
    );
    check(
        sinch_numbers::ErrorCode::ALL,
        |c| c.render(),
        |c| c.response(),
    );
    let waits = hms_sovereign::ErrorCode::ALL
        .iter()
        .filter(|c| c.render().retry_after().is_some())
        .count();
    assert!(
        waits > 0,
        "no HMS code sends a wait: the case is not covered"
    );
}
