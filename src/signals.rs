//! The wait signals a server sends besides `Retry-After`, as an API's spec declares them
//! (`retry.signals`): millisecond headers, gRPC's pushback, "should retry" overrides, a delay
//! in the error body and the IETF `RateLimit` fields.
//!
//! Signals are read once, with the response ([`SignalsRead::read`]), and weighed by the one
//! retry decision ([`Error::retry_decision`](crate::Error::retry_decision)). They answer two
//! questions, each by the first signal in the spec's order that has an answer:
//!
//! * **whether** to retry: `x-should-retry: true|false` (and its kin), or a gRPC pushback
//!   (a delay: yes; negative or unreadable: no). "No" stops the retries whatever the policy
//!   says; "yes" retries an error no policy would (with the signal's `policy`).
//! * **how long** to wait: the first signal holding a usable delay, cut to its cap and
//!   combined with the policy's own delay as the signal says ([`Combine`]).
//!
//! A malformed signal is ignored (RFC 9651: a field that does not parse is ignored as a
//! whole), never a panic and never an unbounded wait.

use std::time::{Duration, SystemTime};

use crate::{RetryAfterValue, RetryPolicy};

/// How a wait signal is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignalKind {
    /// A header written like `Retry-After`: seconds or an HTTP-date.
    RetryAfter,
    /// A header holding a number of seconds (a decimal fraction allowed).
    Seconds,
    /// A header holding a number of milliseconds (`retry-after-ms`, `x-ms-retry-after-ms`,
    /// `x-amz-retry-after`; a decimal fraction allowed).
    Milliseconds,
    /// gRPC's `grpc-retry-pushback-ms`: a non-negative whole number of milliseconds to wait;
    /// a negative or unreadable value means "do not retry" (gRPC A6).
    Pushback,
    /// A server override: `true` or `false` (`x-should-retry`, `Stripe-Should-Retry`);
    /// anything else is ignored.
    ShouldRetry,
    /// The IETF `RateLimit` field (draft-ietf-httpapi-ratelimit-headers-12), read with
    /// `RateLimit-Policy`: a policy with no quota left (`r=0`) means wait its reset (`t`).
    RateLimit,
    /// A number of seconds in a field of the error body.
    BodySeconds,
    /// A number of milliseconds in a field of the error body.
    BodyMilliseconds,
}

/// How a signal's delay meets the delay the retry policy computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Combine {
    /// The signal's delay is the delay.
    #[default]
    Replace,
    /// The longer of the signal's delay and the policy's.
    Max,
}

/// One wait signal an API sends, as its spec declares it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitSignal {
    /// How the signal is written.
    pub kind: SignalKind,
    /// The header it is read from, or for the body kinds the field of the error body.
    pub name: &'static str,
    /// The longest delay taken from the signal; longer ones are cut to it.
    pub cap: Duration,
    /// How its delay meets the policy's.
    pub combine: Combine,
    /// For [`SignalKind::ShouldRetry`]: the policy a "yes" retries by when neither the code nor
    /// the status has one. Without it, a "yes" on such an error is not acted on.
    pub policy: Option<&'static RetryPolicy>,
}

/// What the server said about retrying, read from one response by an API's declared signals.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SignalsRead {
    /// The first answer to "whether": the signal's index and its answer.
    pub verdict: Option<(usize, bool)>,
    /// The first usable delay: the signal's index and the value, resolved at decision time
    /// (a date is counted from then).
    pub wait: Option<(usize, RetryAfterValue)>,
    /// The rate-limit state, when a [`SignalKind::RateLimit`] signal is declared and sent.
    pub rate_limit: Option<RateLimit>,
}

impl SignalsRead {
    /// Reads every signal of `signals` from a response's headers, and the body kinds from
    /// `field` (the value of a top-level field of the error's envelope, by name). `None` when
    /// the response carries none of them.
    pub fn read(
        signals: &[WaitSignal],
        headers: &http::HeaderMap,
        mut field: impl FnMut(&str) -> Option<serde_json::Value>,
    ) -> Option<Self> {
        let mut read = SignalsRead::default();
        for (i, signal) in signals.iter().enumerate() {
            let header = || {
                headers
                    .get_all(signal.name)
                    .iter()
                    .next()
                    .map(http::HeaderValue::as_bytes)
            };
            let (verdict, wait) = match signal.kind {
                SignalKind::RetryAfter => (
                    None,
                    header()
                        .map(RetryAfterValue::parse)
                        .filter(RetryAfterValue::is_valid),
                ),
                SignalKind::Seconds => (None, header().and_then(|v| decimal(v, 1_000_000_000))),
                SignalKind::Milliseconds => (None, header().and_then(|v| decimal(v, 1_000_000))),
                SignalKind::Pushback => match header() {
                    None => (None, None),
                    Some(value) => match whole(trim(value)) {
                        Some(ms) => (
                            Some(true),
                            Some(RetryAfterValue::Delay(delay_of(ms, 1_000_000))),
                        ),
                        None => (Some(false), None),
                    },
                },
                SignalKind::ShouldRetry => {
                    let verdict = header().and_then(|v| match trim(v) {
                        v if v.eq_ignore_ascii_case(b"true") => Some(true),
                        v if v.eq_ignore_ascii_case(b"false") => Some(false),
                        _ => None,
                    });
                    (verdict, None)
                }
                SignalKind::RateLimit => {
                    let joined = joined(headers, signal.name);
                    let state = joined
                        .as_deref()
                        .and_then(|v| RateLimit::parse(v, joined_policy(headers).as_deref()));
                    let wait = state.as_ref().and_then(RateLimit::wait);
                    if read.rate_limit.is_none() {
                        read.rate_limit = state;
                    }
                    (None, wait.map(RetryAfterValue::Delay))
                }
                SignalKind::BodySeconds => (None, field(signal.name).and_then(|v| json(&v, 1_000))),
                SignalKind::BodyMilliseconds => {
                    (None, field(signal.name).and_then(|v| json(&v, 1)))
                }
            };
            if read.verdict.is_none() {
                read.verdict = verdict.map(|v| (i, v));
            }
            if read.wait.is_none() {
                read.wait = wait.map(|w| (i, w));
            }
        }
        (read != SignalsRead::default()).then_some(read)
    }

    /// The delay the first usable signal gives at `now`, cut to its cap, with how it meets the
    /// policy's delay.
    pub fn delay(&self, signals: &[WaitSignal], now: SystemTime) -> Option<(Duration, Combine)> {
        let (i, value) = self.wait?;
        let signal = signals.get(i)?;
        let delay = match value {
            RetryAfterValue::Delay(delay) => delay,
            RetryAfterValue::Date(date) => date.duration_since(now).unwrap_or_default(),
            RetryAfterValue::Invalid => return None,
        };
        Some((delay.min(signal.cap), signal.combine))
    }
}

/// The rate-limit state a server reports with the IETF `RateLimit` and `RateLimit-Policy`
/// fields (draft-ietf-httpapi-ratelimit-headers-12), for the policy with the least quota left.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// The policy's name (`"default"` in `"default";r=0;t=30`).
    pub policy: String,
    /// The quota of the policy (`q`), when `RateLimit-Policy` states it.
    pub quota: Option<u64>,
    /// The window the quota applies to (`w`), when `RateLimit-Policy` states it.
    pub window: Option<Duration>,
    /// The quota left (`r`).
    pub remaining: Option<u64>,
    /// The time until the quota is restored (`t`).
    pub reset: Option<Duration>,
}

impl RateLimit {
    /// Reads a `RateLimit` field value (the header's lines joined by `,`) and, if sent, the
    /// `RateLimit-Policy` one. `None` when `ratelimit` is not a valid structured-field list
    /// (RFC 9651) or names no policy; an invalid `RateLimit-Policy` only loses the quota and
    /// window.
    ///
    /// ```
    /// use errspec::RateLimit;
    /// use std::time::Duration;
    ///
    /// let state = RateLimit::parse(b"\"default\";r=0;t=30", Some(b"\"default\";q=100;w=60")).unwrap();
    /// assert_eq!(state.remaining, Some(0));
    /// assert_eq!(state.reset, Some(Duration::from_secs(30)));
    /// assert_eq!(state.quota, Some(100));
    /// assert_eq!(state.wait(), Some(Duration::from_secs(30)));
    /// // Not a structured-field list: ignored whole.
    /// assert_eq!(RateLimit::parse(b"default;r=0;t=5,", None), None);
    /// // A parameter that is not a non-negative integer is unknown.
    /// assert_eq!(RateLimit::parse(b"default;r=-1", None).unwrap().remaining, None);
    /// ```
    pub fn parse(ratelimit: &[u8], policy: Option<&[u8]>) -> Option<Self> {
        let items = sf::list(ratelimit)?;
        // The policy that binds: the least quota left, and of those the latest reset (a
        // client that waits for it waits for every exhausted policy).
        let key = |item: &sf::Item| {
            let remaining = item.param_uint("r").map_or(u64::MAX, |r| r);
            (
                std::cmp::Reverse(remaining),
                item.param_uint("t").unwrap_or(0),
            )
        };
        let mut best: Option<&sf::Item> = None;
        for item in &items {
            if best.is_none_or(|held| key(item) > key(held)) {
                best = Some(item);
            }
        }
        let item = best?;
        let remaining = item.param_uint("r");
        let mut state = RateLimit {
            policy: item.name.clone(),
            quota: None,
            window: None,
            remaining,
            reset: item.param_uint("t").map(Duration::from_secs),
        };
        if let Some(policies) = policy.and_then(sf::list) {
            if let Some(p) = policies.iter().find(|p| p.name == state.policy) {
                state.quota = p.param_uint("q");
                state.window = p.param_uint("w").map(Duration::from_secs);
            }
        }
        Some(state)
    }

    /// How long to wait before a request can succeed: the reset of a policy with no quota left
    /// (`r=0`), else nothing.
    pub fn wait(&self) -> Option<Duration> {
        (self.remaining == Some(0)).then_some(self.reset).flatten()
    }
}

/// The field lines of `name` joined by `,` (RFC 9110 5.3), or `None` when it is absent.
fn joined(headers: &http::HeaderMap, name: &str) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for value in headers.get_all(name) {
        let line = value.as_bytes();
        match &mut out {
            None => out = Some(line.to_vec()),
            Some(out) => {
                out.push(b',');
                out.extend_from_slice(line);
            }
        }
    }
    out
}

fn joined_policy(headers: &http::HeaderMap) -> Option<Vec<u8>> {
    joined(headers, "RateLimit-Policy")
}

fn trim(value: &[u8]) -> &[u8] {
    value.trim_ascii()
}

/// A whole non-negative number: ASCII digits only, saturating.
fn whole(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// `count` units of `nanos_per_unit` nanoseconds, saturating at [`Duration::MAX`].
fn delay_of(count: u64, nanos_per_unit: u64) -> Duration {
    let nanos = u128::from(count) * u128::from(nanos_per_unit);
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    if secs == u64::MAX {
        return Duration::MAX;
    }
    Duration::new(secs, (nanos % 1_000_000_000) as u32)
}

/// A non-negative decimal (`12`, `1.5`, `.5` refused) of units of `nanos_per_unit`
/// nanoseconds, as a delay; digits past the nanosecond are dropped.
fn decimal(value: &[u8], nanos_per_unit: u64) -> Option<RetryAfterValue> {
    let value = trim(value);
    let (int, frac) = match value.iter().position(|&b| b == b'.') {
        Some(dot) => (&value[..dot], Some(&value[dot + 1..])),
        None => (value, None),
    };
    let whole_units = whole(int)?;
    let mut delay = delay_of(whole_units, nanos_per_unit);
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // The fraction of a unit, in nanoseconds: digits / 10^len × nanos_per_unit.
        let mut nanos: u128 = 0;
        let mut scale: u128 = 1;
        for &d in frac.iter().take(18) {
            nanos = nanos * 10 + u128::from(d - b'0');
            scale *= 10;
        }
        let part = nanos * u128::from(nanos_per_unit) / scale;
        delay = delay.saturating_add(Duration::from_nanos(u64::try_from(part).unwrap_or(0)));
    }
    Some(RetryAfterValue::Delay(delay))
}

/// A JSON number (or a string holding one) of units of `millis_per_unit` milliseconds.
fn json(value: &serde_json::Value, millis_per_unit: u64) -> Option<RetryAfterValue> {
    let nanos_per_unit = millis_per_unit * 1_000_000;
    match value {
        serde_json::Value::Number(n) => {
            if let Some(units) = n.as_u64() {
                Some(RetryAfterValue::Delay(delay_of(units, nanos_per_unit)))
            } else {
                let units = n.as_f64().filter(|f| f.is_finite() && *f >= 0.0)?;
                let secs = units * millis_per_unit as f64 / 1_000.0;
                Some(RetryAfterValue::Delay(
                    Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX),
                ))
            }
        }
        serde_json::Value::String(s) => decimal(s.as_bytes(), nanos_per_unit),
        _ => None,
    }
}

/// The part of RFC 9651 (structured field values) the `RateLimit` fields use: a list of items,
/// each a string or token with parameters. A value that does not parse is refused whole.
mod sf {
    pub(super) struct Item {
        /// The item's string or token.
        pub(super) name: String,
        /// Its parameters: key and value, `None` for a value that is not a non-negative
        /// integer (kept so that a repeated key still overrides).
        params: Vec<(String, Option<u64>)>,
    }

    impl Item {
        /// The last value of parameter `key`, when it is a non-negative integer.
        pub(super) fn param_uint(&self, key: &str) -> Option<u64> {
            self.params
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| *v)
        }
    }

    /// Items at most, against hostile fields.
    const MAX_ITEMS: usize = 64;

    pub(super) fn list(input: &[u8]) -> Option<Vec<Item>> {
        let mut p = Parser { input, pos: 0 };
        let mut items = Vec::new();
        p.skip(b' ');
        if p.at_end() {
            return None;
        }
        loop {
            items.push(p.item()?);
            if items.len() > MAX_ITEMS {
                return None;
            }
            p.skip_ows();
            if p.at_end() {
                return Some(items);
            }
            if !p.eat(b',') {
                return None;
            }
            p.skip_ows();
            if p.at_end() {
                return None;
            }
        }
    }

    struct Parser<'a> {
        input: &'a [u8],
        pos: usize,
    }

    impl Parser<'_> {
        fn at_end(&self) -> bool {
            self.pos >= self.input.len()
        }
        fn peek(&self) -> Option<u8> {
            self.input.get(self.pos).copied()
        }
        fn eat(&mut self, b: u8) -> bool {
            let hit = self.peek() == Some(b);
            self.pos += usize::from(hit);
            hit
        }
        fn skip(&mut self, b: u8) {
            while self.eat(b) {}
        }
        fn skip_ows(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
        }

        fn item(&mut self) -> Option<Item> {
            let name = match self.peek()? {
                b'"' => self.string()?,
                b if b.is_ascii_alphabetic() || b == b'*' => self.token(),
                _ => return None,
            };
            let mut params = Vec::new();
            while self.eat(b';') {
                self.skip(b' ');
                let key = self.key()?;
                let value = if self.eat(b'=') {
                    self.bare_item()?
                } else {
                    // A key without a value is the boolean true: not an integer.
                    None
                };
                params.push((key, value));
                if params.len() > MAX_ITEMS {
                    return None;
                }
            }
            Some(Item { name, params })
        }

        /// A bare item; `Some(Some(n))` for a non-negative integer, `Some(None)` for any other
        /// valid one.
        fn bare_item(&mut self) -> Option<Option<u64>> {
            match self.peek()? {
                b'-' | b'0'..=b'9' => self.number(),
                b'"' => self.string().map(|_| None),
                // A date (RFC 9651 3.3.7): `@` and an integer.
                b'@' => {
                    self.pos += 1;
                    let start = self.pos;
                    let n = self.number()?;
                    let text = &self.input[start..self.pos];
                    (n.is_some() || text.starts_with(b"-") && !text.contains(&b'.')).then_some(None)
                }
                // A display string (RFC 9651 3.3.8): `%"`, printable ASCII and `%xx` escapes
                // (lowercase hex), `"`.
                b'%' => {
                    self.pos += 1;
                    if !self.eat(b'"') {
                        return None;
                    }
                    loop {
                        match self.peek()? {
                            b'"' => {
                                self.pos += 1;
                                return Some(None);
                            }
                            b'%' => {
                                let hex = self.input.get(self.pos + 1..self.pos + 3)?;
                                let lower_hex =
                                    |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
                                if !hex.iter().all(lower_hex) {
                                    return None;
                                }
                                self.pos += 3;
                            }
                            0x20..=0x7e => self.pos += 1,
                            _ => return None,
                        }
                    }
                }
                b'?' => {
                    self.pos += 1;
                    matches!(self.peek(), Some(b'0' | b'1')).then(|| {
                        self.pos += 1;
                        None
                    })
                }
                b':' => {
                    self.pos += 1;
                    while let Some(b) = self.peek() {
                        self.pos += 1;
                        if b == b':' {
                            return Some(None);
                        }
                        if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
                            return None;
                        }
                    }
                    None
                }
                b if b.is_ascii_alphabetic() || b == b'*' => {
                    self.token();
                    Some(None)
                }
                _ => None,
            }
        }

        /// An integer (at most 15 digits) or decimal.
        fn number(&mut self) -> Option<Option<u64>> {
            let negative = self.eat(b'-');
            let start = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            let digits = &self.input[start..self.pos];
            if digits.is_empty() || digits.len() > 15 {
                return None;
            }
            if self.eat(b'.') {
                let frac = self.pos;
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
                let frac = self.pos - frac;
                return (digits.len() <= 12 && (1..=3).contains(&frac)).then_some(None);
            }
            let n = super::whole(digits)?;
            Some((!negative).then_some(n))
        }

        fn string(&mut self) -> Option<String> {
            self.pos += 1;
            let mut out = String::new();
            loop {
                match self.peek()? {
                    b'"' => {
                        self.pos += 1;
                        return Some(out);
                    }
                    b'\\' => {
                        self.pos += 1;
                        let next = self.peek().filter(|b| matches!(b, b'"' | b'\\'))?;
                        out.push(char::from(next));
                        self.pos += 1;
                    }
                    b @ 0x20..=0x7e => {
                        out.push(char::from(b));
                        self.pos += 1;
                    }
                    _ => return None,
                }
            }
        }

        fn token(&mut self) -> String {
            let start = self.pos;
            while let Some(b) = self.peek() {
                let tchar = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&b);
                if !tchar {
                    break;
                }
                self.pos += 1;
            }
            String::from_utf8_lossy(&self.input[start..self.pos]).into_owned()
        }

        fn key(&mut self) -> Option<String> {
            let first = self.peek()?;
            if !(first.is_ascii_lowercase() || first == b'*') {
                return None;
            }
            let start = self.pos;
            while let Some(b) = self.peek() {
                if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.*".contains(&b)) {
                    break;
                }
                self.pos += 1;
            }
            Some(String::from_utf8_lossy(&self.input[start..self.pos]).into_owned())
        }
    }
}
