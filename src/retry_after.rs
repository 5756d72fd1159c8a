//! Parsing of the `Retry-After` header (RFC 9110, section 10.2.3).

use std::time::{Duration, SystemTime};

/// A parsed `Retry-After` header value.
///
/// RFC 9110 allows either a number of seconds (`delay-seconds`) or an HTTP-date. Anything else
/// is kept as [`Invalid`](Self::Invalid) rather than rejected, so that a policy can fall back to
/// its default delay; turn a value into a delay with [`RetryAfter::resolve`].
///
/// [`RetryAfter::resolve`]: crate::RetryAfter::resolve
///
/// ```
/// use errspec::RetryAfterValue;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// assert_eq!(RetryAfterValue::parse(b"120"), RetryAfterValue::Delay(Duration::from_secs(120)));
/// assert_eq!(
///     RetryAfterValue::parse(b"Sun, 06 Nov 1994 08:49:37 GMT"),
///     RetryAfterValue::Date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
/// );
/// assert_eq!(RetryAfterValue::parse(b"1.5"), RetryAfterValue::Invalid);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryAfterValue {
    /// A number of seconds to wait, counted from when the response was received.
    ///
    /// A number too large for a `u64` is kept as [`Duration::MAX`]: it still means "a very long
    /// time", which a policy then cuts to its cap.
    Delay(Duration),
    /// The point in time after which the request may be retried.
    Date(SystemTime),
    /// A value that is neither a number of seconds nor an HTTP-date.
    Invalid,
}

impl RetryAfterValue {
    /// Parses one header value.
    ///
    /// Optional whitespace (spaces and horizontal tabs) around the value is ignored. Accepted are:
    ///
    /// * `delay-seconds`: one or more ASCII digits and nothing else, so `-1`, `+5`, `1.5` and
    ///   `1e3` are invalid; a number too large for a `u64` saturates to [`Duration::MAX`];
    /// * an HTTP-date in any of its three forms: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
    ///   the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and C's asctime form
    ///   (`Sun Nov  6 08:49:37 1994`). A valid date before 1970, which a `SystemTime` may not
    ///   hold on every platform, is read as the Unix epoch: any date in the past means "retry
    ///   now" (RFC 9110), whatever its year.
    ///
    /// Everything else, an empty value and bytes that are not UTF-8 included, is
    /// [`Invalid`](Self::Invalid). Never panics.
    pub fn parse(value: &[u8]) -> Self {
        let value = trim_ows(value);
        if value.is_empty() {
            return Self::Invalid;
        }
        if value.iter().all(u8::is_ascii_digit) {
            return Self::Delay(parse_delay_seconds(value));
        }
        match std::str::from_utf8(value) {
            Ok(text) if text.is_ascii() => match httpdate::parse_http_date(text) {
                Ok(date) => Self::Date(date),
                Err(_) if is_date_before_1970(text) => Self::Date(SystemTime::UNIX_EPOCH),
                Err(_) => Self::Invalid,
            },
            _ => Self::Invalid,
        }
    }

    /// Reads the header `header_name` (matched without regard to case) from `headers`.
    ///
    /// Returns `None` when the header is missing (or `header_name` is not a valid header
    /// name). When the header occurs several times, the first occurrence is parsed and the
    /// others are ignored.
    ///
    /// ```
    /// use errspec::http::{HeaderMap, HeaderValue};
    /// use errspec::RetryAfterValue;
    /// use std::time::Duration;
    ///
    /// let mut headers = HeaderMap::new();
    /// assert_eq!(RetryAfterValue::from_headers(&headers, "Retry-After"), None);
    ///
    /// headers.insert("retry-after", HeaderValue::from_static("30"));
    /// assert_eq!(
    ///     RetryAfterValue::from_headers(&headers, "Retry-After"),
    ///     Some(RetryAfterValue::Delay(Duration::from_secs(30))),
    /// );
    /// ```
    pub fn from_headers(headers: &http::HeaderMap, header_name: &str) -> Option<Self> {
        headers
            .get_all(header_name)
            .iter()
            .next()
            .map(|value| Self::parse(value.as_bytes()))
    }

    /// Whether the value is a number of seconds or an HTTP-date.
    pub fn is_valid(&self) -> bool {
        !matches!(self, Self::Invalid)
    }
}

/// Whether `text` is a valid HTTP-date (weekday included) in a year before 1970, which
/// `httpdate` refuses. The Gregorian calendar repeats every 400 years, weekdays included, so
/// the date is checked with its year moved forward by 400-year steps into the range `httpdate`
/// reads. Only the two forms with a four-digit year can hold one; RFC 850's two-digit years
/// are read as 1970 or later.
fn is_date_before_1970(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut years = bytes
        .split(|b| !b.is_ascii_digit())
        .filter(|run| run.len() == 4);
    let (Some(year), None) = (years.next(), years.next()) else {
        return false;
    };
    let value = year.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    if value >= 1970 {
        return false;
    }
    let shifted = value + 400 * (1970 - value).div_ceil(400);
    let start = year.as_ptr() as usize - bytes.as_ptr() as usize;
    let moved = format!("{}{shifted}{}", &text[..start], &text[start + 4..]);
    httpdate::parse_http_date(&moved).is_ok()
}

/// Strips optional whitespace (`OWS`: spaces and horizontal tabs) from both ends.
fn trim_ows(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = value {
        value = rest;
    }
    value
}

/// Reads a non-empty string of ASCII digits as seconds, saturating to [`Duration::MAX`].
fn parse_delay_seconds(digits: &[u8]) -> Duration {
    let mut secs: u64 = 0;
    for &digit in digits {
        match secs
            .checked_mul(10)
            .and_then(|s| s.checked_add(u64::from(digit - b'0')))
        {
            Some(next) => secs = next,
            None => return Duration::MAX,
        }
    }
    Duration::from_secs(secs)
}
