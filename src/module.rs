//! What a generated module is made of besides its own facts: the code table it fills in, and
//! the macros that write the methods and impls of its `ErrorCode`, `Status` and `Category`.
//!
//! A generated module declares its enums (one documented variant per code, status or
//! category), the static tables of their facts, and one invocation of each macro here. The
//! accessors the macros write are one-line reads of those tables through [`CodeTable`], whose
//! methods are compiled once, in this crate. Inherent methods (not a trait the caller has to
//! import) keep `code.message()` working as it does on a hand-written enum.
//!
//! Nothing here is a public API: the layout may change with any release of the generator.

use crate::{Limit, RetryPolicy};

/// Strings packed into one literal: `text` holds them one after the other, `ends[i]` is where
/// string `i` ends. One literal and one array compile far faster than a `&str` per entry.
#[derive(Clone, Copy, Debug)]
pub struct Packed {
    /// The strings, concatenated.
    pub text: &'static str,
    /// Where each string ends in `text`.
    pub ends: &'static [u32],
}

impl Packed {
    /// No strings.
    pub const EMPTY: Packed = Packed {
        text: "",
        ends: &[],
    };

    /// String `i`; `""` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> &'static str {
        crate::table::packed(self.text, self.ends, i)
    }
}

/// A column of small indices, one per code, stored in the narrowest unsigned type that holds
/// them.
#[derive(Debug)]
pub enum Column {
    /// Indices below 256.
    U8(&'static [u8]),
    /// Indices below 65,536.
    U16(&'static [u16]),
    /// Any other index.
    U32(&'static [u32]),
}

impl Column {
    /// Entry `i`; `0` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> usize {
        match self {
            Column::U8(v) => v.get(i).map_or(0, |&x| usize::from(x)),
            Column::U16(v) => v.get(i).map_or(0, |&x| usize::from(x)),
            Column::U32(v) => v.get(i).map_or(0, |&x| x as usize),
        }
    }

    /// Entry `i` of a column of optional indices, stored as `0` for none and `k + 1` for `k`.
    #[inline]
    pub fn optional(&self, i: usize) -> Option<usize> {
        self.get(i).checked_sub(1)
    }
}

/// How an API's codes are found from their wire values.
#[derive(Debug)]
pub enum Lookup {
    /// A small string API: the generated `from_wire` is one `match`.
    Match,
    /// A string hash table of `2^bits` slots, each `0` or a key's index plus one.
    Strings {
        /// log2 of the number of slots.
        bits: u32,
        /// The slots.
        slots: &'static [u32],
    },
    /// A numeric hash table (see [`find_u32`](crate::__private::find_u32)) and each code's
    /// number, for integer APIs, with a string table of the keys that are no numbers (aliases
    /// such as the name `INVALID_ARGUMENT` of code `3`).
    Numbers {
        /// log2 of the number of slots.
        bits: u32,
        /// The slots.
        slots: &'static [u64],
        /// Each code's number, in the documentation's order.
        numbers: &'static [u32],
        /// log2 of the number of slots of `names`.
        name_bits: u32,
        /// A string hash table of the keys that are not numbers; empty when there are none.
        names: &'static [u32],
    },
}

/// The facts of an API's codes, one entry per code in the documentation's order.
///
/// The lookup keys are every code's own wire value, in that order, then the aliases; a key's
/// position past the last code is an alias, and `alias_of` names its code.
#[derive(Debug)]
pub struct CodeTable {
    /// The wire values: the codes', then the aliases'.
    pub keys: Packed,
    /// The code of each alias.
    pub alias_of: &'static [u32],
    /// The variant names, for `Debug` (empty for a derive, whose `Debug` is the user's).
    pub names: Packed,
    /// The anchors of the codes' entries in the reference docs.
    pub anchors: Packed,
    /// The documented messages.
    pub messages: Packed,
    /// The documented solutions, of the codes that have one.
    pub solutions: Packed,
    /// Each code's solution in `solutions` (optional).
    pub solution_of: Column,
    /// Each code's status, as an index into the API's status table (optional: a code may
    /// come with whatever status the response carries).
    pub status_of: Column,
    /// The facts most APIs do not document.
    pub optional: OptionalFacts,
    /// Each code's category, as an index into the API's categories (optional).
    pub category_of: Column,
    /// Each code's retry policy in `policies` (optional).
    pub retry_of: Column,
    /// Each code's limit in `limits` (optional).
    pub limit_of: Column,
    /// The retry policies codes refer to.
    pub policies: &'static [&'static RetryPolicy],
    /// The limits codes refer to.
    pub limits: &'static [&'static Limit],
    /// How codes are found.
    pub lookup: Lookup,
    /// Whether the wire codes are numbers (serialized as JSON numbers).
    pub integer: bool,
}

impl CodeTable {
    /// The number of codes.
    #[inline]
    pub fn len(&self) -> usize {
        self.keys.ends.len() - self.alias_of.len()
    }

    /// Whether the API documents no code.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code a lookup key belongs to, and whether the key is an alias.
    #[inline]
    pub fn code_of_key(&self, key: usize) -> (usize, bool) {
        match key.checked_sub(self.len()) {
            Some(alias) => (self.alias_of.get(alias).map_or(0, |&i| i as usize), true),
            None => (key, false),
        }
    }

    /// The key holding `raw` in the hash table; `None` for a `Match` API (whose `match` is the
    /// lookup) and for values no key holds.
    #[inline]
    pub fn find(&self, raw: &str) -> Option<usize> {
        match self.lookup {
            Lookup::Match => None,
            Lookup::Strings { bits, slots } => {
                crate::table::find_str(raw, bits, slots, self.keys.text, self.keys.ends)
            }
            Lookup::Numbers {
                bits,
                slots,
                name_bits,
                names,
                ..
            } => match crate::table::canonical_u32(raw) {
                Some(n) => crate::table::find_u32(n, bits, slots),
                None if names.is_empty() => None,
                None => {
                    crate::table::find_str(raw, name_bits, names, self.keys.text, self.keys.ends)
                }
            },
        }
    }

    /// The key holding number `n` in a numeric hash table.
    #[inline]
    pub fn find_u32(&self, n: u32) -> Option<usize> {
        match self.lookup {
            Lookup::Numbers { bits, slots, .. } => crate::table::find_u32(n, bits, slots),
            _ => None,
        }
    }

    /// The number of code `i` of an integer API.
    #[inline]
    pub fn number(&self, i: usize) -> Option<u32> {
        match self.lookup {
            Lookup::Numbers { numbers, .. } => numbers.get(i).copied(),
            _ => None,
        }
    }

    /// The numeric wire value of a code: a documented code's number, else the number `wire`
    /// (an unknown code's value) is written as, if it is one.
    #[inline]
    pub fn as_u32(&self, code: Option<usize>, wire: &str) -> Option<u32> {
        match code {
            Some(i) => self.number(i),
            None => wire.parse().ok(),
        }
    }

    // The facts of one code, by its position (`None`: an unknown code, which has none). They
    // take the position as an `Option` so that each generated accessor is this one call, with
    // no `?` or closure of its own to type-check in the user's crate.

    /// Code `i`'s own wire value.
    #[inline]
    pub fn wire(&self, i: usize) -> &'static str {
        self.keys.get(i)
    }

    /// The code's own wire value; `""` for none.
    #[inline]
    pub fn wire_of(&self, code: Option<usize>) -> &'static str {
        code.map_or("", |i| self.keys.get(i))
    }

    /// Whether `raw`, which found the code, is one of its aliases rather than its own value.
    #[inline]
    pub fn is_alias(&self, code: Option<usize>, raw: &str) -> bool {
        code.is_some_and(|i| self.keys.get(i) != raw)
    }

    /// The code's variant name; `""` for none.
    #[inline]
    pub fn name(&self, code: Option<usize>) -> &'static str {
        code.map_or("", |i| self.names.get(i))
    }

    /// The anchor of the code's entry in the reference docs.
    #[inline]
    pub fn anchor(&self, code: Option<usize>) -> Option<&'static str> {
        Some(self.anchors.get(code?))
    }

    /// The code's documented message.
    #[inline]
    pub fn message(&self, code: Option<usize>) -> Option<&'static str> {
        Some(self.messages.get(code?))
    }

    /// The code's status, as a position in the API's status table.
    #[inline]
    pub fn status(&self, code: Option<usize>) -> Option<usize> {
        self.status_of.optional(code?)
    }

    /// The code's category, as a position in the API's categories.
    #[inline]
    pub fn category(&self, code: Option<usize>) -> Option<usize> {
        self.category_of.optional(code?)
    }

    /// The code's documented solution.
    #[inline]
    pub fn solution(&self, code: Option<usize>) -> Option<&'static str> {
        Some(self.solutions.get(self.solution_of.optional(code?)?))
    }

    /// The code's retry policy.
    #[inline]
    pub fn retry_policy(&self, code: Option<usize>) -> Option<&'static RetryPolicy> {
        self.policies.get(self.retry_of.optional(code?)?).copied()
    }

    /// The code's limit.
    #[inline]
    pub fn limit(&self, code: Option<usize>) -> Option<&'static Limit> {
        self.limits.get(self.limit_of.optional(code?)?).copied()
    }

    /// The code's severity; an unknown code is an error.
    #[inline]
    pub fn severity(&self, code: Option<usize>) -> Severity {
        match code.map(|i| self.optional.severity_of.get(i)) {
            Some(1) => Severity::Warning,
            Some(2) => Severity::Info,
            Some(3) => Severity::Success,
            _ => Severity::Error,
        }
    }

    /// Whether the code means the request was not processed.
    #[inline]
    pub fn not_processed(&self, code: Option<usize>) -> bool {
        code.is_some_and(|i| self.optional.not_processed.get(i) == 1)
    }

    /// The code's documented causes.
    #[inline]
    pub fn causes(&self, code: Option<usize>) -> Causes {
        let Some(i) = code else {
            return Causes::none();
        };
        let end = self.optional.causes_end.get(i);
        let start = i
            .checked_sub(1)
            .map_or(0, |p| self.optional.causes_end.get(p));
        Causes {
            texts: self.optional.causes,
            at: start,
            end: end.max(start),
        }
    }

    /// The address of the code's documentation: its own, else the template with the wire
    /// value percent-encoded for `{code}`.
    pub fn docs_url(&self, code: Option<usize>) -> Option<std::borrow::Cow<'static, str>> {
        let i = code?;
        if let Some(own) = self.optional.docs_url_of.optional(i) {
            return Some(std::borrow::Cow::Borrowed(self.optional.docs_urls.get(own)));
        }
        let template = self.optional.docs_url?;
        let mut out = String::with_capacity(template.len() + 16);
        let mut parts = template.split("{code}");
        out.push_str(parts.next().unwrap_or(""));
        for part in parts {
            errspec_core::push_percent_encoded(&mut out, self.wire(i));
            out.push_str(part);
        }
        Some(std::borrow::Cow::Owned(out))
    }

    /// The code's deprecation note: `Some("")` for a code deprecated without one, `None` for a
    /// code that is not deprecated.
    #[inline]
    pub fn deprecation(&self, code: Option<usize>) -> Option<&'static str> {
        Some(
            self.optional
                .deprecations
                .get(self.optional.deprecated_of.optional(code?)?),
        )
    }

    /// The position of the code that replaces the deprecated code.
    #[inline]
    pub fn replacement(&self, code: Option<usize>) -> Option<usize> {
        self.optional.replaced_by.optional(code?)
    }
}

/// The code of `codes` (in the table's order) that `raw` is the wire value of, and whether
/// it is an alias; `unknown` makes the code of a value no key holds.
#[doc(hidden)]
#[inline]
pub fn lookup_wire<C: Clone>(
    codes: &[C],
    table: &CodeTable,
    raw: &str,
    unknown: impl FnOnce(crate::UnknownCode) -> C,
) -> (C, bool) {
    match table.find(raw) {
        Some(key) => code_at(codes, table, key),
        None => (unknown(crate::UnknownCode::new(raw)), false),
    }
}

/// [`lookup_wire`] for a numeric wire value.
#[doc(hidden)]
#[inline]
pub fn lookup_number<C: Clone>(
    codes: &[C],
    table: &CodeTable,
    n: u32,
    unknown: impl FnOnce(crate::UnknownCode) -> C,
) -> (C, bool) {
    match table.find_u32(n) {
        Some(key) => code_at(codes, table, key),
        None => (unknown(crate::UnknownCode::from_number(n)), false),
    }
}

/// The code at a lookup key's position (a code's own wire value, or an alias), and whether
/// the key is an alias.
#[inline]
fn code_at<C: Clone>(codes: &[C], table: &CodeTable, key: usize) -> (C, bool) {
    let (i, alias) = table.code_of_key(key);
    (codes[i].clone(), alias)
}

/// `Debug` of a generated `ErrorCode`: its variant's name, from the code table, or
/// `Unknown("<wire value>")`.
#[doc(hidden)]
#[inline]
pub fn debug_code<C: crate::Api>(code: &C, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match code.__unknown() {
        Some(raw) => f.debug_tuple("Unknown").field(raw).finish(),
        None => f.write_str(C::__CODES.name(code.__index())),
    }
}

/// Entry `i` of `items`, for a generated accessor that maps a table position to its enum.
#[doc(hidden)]
#[inline]
pub fn pick<T: Clone>(items: &[T], i: Option<usize>) -> Option<T> {
    items.get(i?).cloned()
}

/// How serious a documented code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The request failed.
    Error,
    /// The request succeeded, with a warning.
    Warning,
    /// Information.
    Info,
    /// The request succeeded: the code is not an error.
    Success,
}

impl Severity {
    /// The severity's name: `error`, `warning`, `info` or `success`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Success => "success",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The documented causes of a code, in the documentation's order.
#[derive(Clone, Debug)]
pub struct Causes {
    texts: Packed,
    at: usize,
    end: usize,
}

impl Causes {
    /// No causes: those of an unknown code.
    pub const fn none() -> Self {
        Causes {
            texts: Packed {
                text: "",
                ends: &[],
            },
            at: 0,
            end: 0,
        }
    }
}

impl Iterator for Causes {
    type Item = &'static str;

    #[inline]
    fn next(&mut self) -> Option<&'static str> {
        (self.at < self.end).then(|| {
            self.at += 1;
            self.texts.get(self.at - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.at;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Causes {}

/// The facts of an API's codes that most APIs do not document: severities, causes,
/// documentation addresses and deprecations. [`OptionalFacts::NONE`] for an API without any.
#[derive(Debug)]
pub struct OptionalFacts {
    /// Each code's [`Severity`] (`0` error, `1` warning, `2` info, `3` success); empty when
    /// every code is an error.
    pub severity_of: Column,
    /// The documented causes of every code, one code's after the other's.
    pub causes: Packed,
    /// How many causes the codes up to each one have, in all; empty when no code has any.
    pub causes_end: Column,
    /// The address of each code's documentation, `{code}` standing for its wire value.
    pub docs_url: Option<&'static str>,
    /// The codes' own documentation addresses.
    pub docs_urls: Packed,
    /// Each code's own address in `docs_urls` (optional).
    pub docs_url_of: Column,
    /// The deprecation notes (`""`: deprecated without a note).
    pub deprecations: Packed,
    /// Each code's note in `deprecations` (optional: only deprecated codes have one).
    pub deprecated_of: Column,
    /// Each deprecated code's replacement, as an index into the codes (optional).
    pub replaced_by: Column,
    /// `1` for each code whose response means the request was not processed.
    pub not_processed: Column,
}

impl OptionalFacts {
    /// No code has any of these facts.
    pub const NONE: OptionalFacts = OptionalFacts {
        severity_of: Column::U8(&[]),
        causes: Packed::EMPTY,
        causes_end: Column::U8(&[]),
        docs_url: None,
        docs_urls: Packed::EMPTY,
        docs_url_of: Column::U8(&[]),
        deprecations: Packed::EMPTY,
        deprecated_of: Column::U8(&[]),
        replaced_by: Column::U8(&[]),
        not_processed: Column::U8(&[]),
    };
}

/// The methods and impls of a generated `ErrorCode` over its [`CodeTable`].
///
/// The caller has written the enum (with an `Unknown(UnknownCode)` variant), `ALL`, a private
/// `index(&self) -> Option<usize>`, the table, and, for a `match` API, `from_wire`.
#[doc(hidden)]
#[macro_export]
macro_rules! __code_impls {
    (
        $Code:ident, $table:path,
        status: $StatusTy:ty = $statuses:expr,
        category: $CategoryTy:ty = $categories:expr,
        lookup: $lookup:ident $(,)?
    ) => {
        impl $Code {
            /// The code as it appears on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $Code::Unknown(raw) => raw.as_str(),
                    known => $table.wire_of(known.index()),
                }
            }

            /// The anchor of the code's entry in the generated reference docs, such as
            /// `code-40001`: link to it as `<docs page>#<anchor>`.
            #[inline]
            pub fn docs_anchor(&self) -> ::core::option::Option<&'static str> {
                $table.anchor(self.index())
            }

            /// Whether the documentation does not list this code.
            #[inline]
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, $Code::Unknown(_))
            }

            /// The HTTP status the documentation gives the code; `None` for an unknown code, and
            /// for a code documented without one (it comes with whatever status the response
            /// carries).
            #[inline]
            pub fn status(&self) -> ::core::option::Option<$StatusTy> {
                $crate::__private::pick(&$statuses, $table.status(self.index()))
            }

            /// The group the documentation lists the code in.
            #[inline]
            pub fn category(&self) -> ::core::option::Option<$CategoryTy> {
                $crate::__private::pick(&$categories, $table.category(self.index()))
            }

            /// The documented message.
            #[inline]
            pub fn message(&self) -> ::core::option::Option<&'static str> {
                $table.message(self.index())
            }

            /// The documented solution.
            #[inline]
            pub fn solution(&self) -> ::core::option::Option<&'static str> {
                $table.solution(self.index())
            }

            /// The retry policy for this code (its own, else its status's); `None`: do not
            /// retry.
            #[inline]
            pub fn retry_policy(&self) -> ::core::option::Option<&'static $crate::RetryPolicy> {
                $table.retry_policy(self.index())
            }

            /// The documented limit this code reports, if any.
            #[inline]
            pub fn limit(&self) -> ::core::option::Option<&'static $crate::Limit> {
                $table.limit(self.index())
            }

            /// How serious the code is; an unknown code is an error.
            #[inline]
            pub fn severity(&self) -> $crate::Severity {
                $table.severity(self.index())
            }

            /// Whether the code reports an error: every code but those the documentation
            /// lists as success (an unknown code is an error).
            #[inline]
            pub fn is_error(&self) -> bool {
                self.severity() != $crate::Severity::Success
            }

            /// What the documentation says can cause the error, in its order.
            #[inline]
            pub fn causes(&self) -> $crate::Causes {
                $table.causes(self.index())
            }

            /// The address of the code's documentation, if the spec gives one.
            #[inline]
            pub fn docs_url(&self) -> ::core::option::Option<::std::borrow::Cow<'static, str>> {
                $table.docs_url(self.index())
            }

            /// Whether the documentation says a response with this code means the request was
            /// not processed, so that it may be sent again whatever its method.
            #[inline]
            pub fn is_not_processed(&self) -> bool {
                $table.not_processed(self.index())
            }

            /// Whether the documentation deprecates the code.
            #[inline]
            pub fn is_deprecated(&self) -> bool {
                $table.deprecation(self.index()).is_some()
            }

            /// Why the code is deprecated (`Some("")` when the documentation does not say);
            /// `None` for a code that is not.
            #[inline]
            pub fn deprecation(&self) -> ::core::option::Option<&'static str> {
                $table.deprecation(self.index())
            }

            /// The code the documentation says to use instead of this deprecated one.
            #[inline]
            pub fn replacement(&self) -> ::core::option::Option<Self> {
                $crate::__private::pick(&$Code::ALL, $table.replacement(self.index()))
            }
        }

        $crate::__code_impls!(@lookup $lookup $Code, $table);

        impl ::core::fmt::Display for $Code {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $Code {
            type Err = ::core::convert::Infallible;

            #[inline]
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($Code::from_wire(s))
            }
        }

        impl $crate::serde::Serialize for $Code {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_code(self.as_str(), $table.integer, serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $Code {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_code(deserializer)
            }
        }

    };

    // A small string API: `from_wire` is the caller's `match`.
    (@lookup matched $Code:ident, $table:path) => {
        impl $Code {
            /// The code for a wire value, and whether the value is one of the code's other
            /// documented wire values (an alias) rather than its own.
            #[inline]
            pub fn lookup(raw: &str) -> (Self, bool) {
                let code = $Code::from_wire(raw);
                let alias = $table.is_alias(code.index(), raw);
                (code, alias)
            }
        }
    };

    // An API looked up through its hash table.
    (@lookup strings $Code:ident, $table:path) => {
        impl $Code {
            /// The code for a wire value; a value the documentation does not list becomes
            /// `Unknown`. Never fails.
            #[inline]
            pub fn from_wire(raw: &str) -> Self {
                $Code::lookup(raw).0
            }

            /// The code for a wire value, and whether the value is one of the code's other
            /// documented wire values (an alias) rather than its own.
            #[inline]
            pub fn lookup(raw: &str) -> (Self, bool) {
                $crate::__private::lookup_wire($Code::ALL, &$table, raw, $Code::Unknown)
            }
        }
    };

    // An integer API: found through its hash table as a string API is (`find` reads numbers
    // written in plain digits), and also by number.
    (@lookup numbers $Code:ident, $table:path) => {
        $crate::__code_impls!(@lookup strings $Code, $table);

        impl $Code {
            /// The code for a numeric wire value, and whether the value is a documented alias.
            #[inline]
            pub fn lookup_u32(n: u32) -> (Self, bool) {
                $crate::__private::lookup_number($Code::ALL, &$table, n, $Code::Unknown)
            }

            /// The code for a numeric wire value; a number the documentation does not list
            /// becomes `Unknown`. Never fails.
            #[inline]
            pub fn from_u32(n: u32) -> Self {
                $Code::lookup_u32(n).0
            }

            /// The numeric wire value; for an unknown code, its value if it is a number.
            #[inline]
            pub fn as_u32(&self) -> ::core::option::Option<u32> {
                $table.as_u32(self.index(), self.as_str())
            }
        }
    };
}

/// The items of a generated `impl Api for ErrorCode` through which the runtime reads a code's
/// facts: its table, its position in it, and an unknown code's wire value. Invoked inside the
/// impl, so that every module's `Api` impl says the same thing in one line.
#[doc(hidden)]
#[macro_export]
macro_rules! __api_code_items {
    ($Code:ident, $table:path) => {
        const __CODES: &'static $crate::__private::CodeTable = &$table;

        #[inline]
        fn __index(&self) -> ::core::option::Option<usize> {
            self.index()
        }

        #[inline]
        fn __unknown(&self) -> ::core::option::Option<&$crate::UnknownCode> {
            match self {
                $Code::Unknown(raw) => ::core::option::Option::Some(raw),
                _ => ::core::option::Option::None,
            }
        }
    };
}

/// `ApiErrorCode` for a `#[derive(ErrorCode)]` enum, over its inherent methods. (A spec
/// module's `ErrorCode` gets it from its `Api` impl, through the runtime's blanket impl.)
#[doc(hidden)]
#[macro_export]
macro_rules! __code_api_error_code {
    ($Code:ident, http_status: |$s:ident| $http:expr $(,)?) => {
        impl $crate::ApiErrorCode for $Code {
            #[inline]
            fn from_wire(raw: &str) -> Self {
                $Code::from_wire(raw)
            }
            #[inline]
            fn as_str(&self) -> &str {
                $Code::as_str(self)
            }
            #[inline]
            fn is_unknown(&self) -> bool {
                $Code::is_unknown(self)
            }
            #[inline]
            fn http_status(&self) -> ::core::option::Option<$crate::http::StatusCode> {
                let $s = self.status();
                $http
            }
            #[inline]
            fn message(&self) -> ::core::option::Option<&'static str> {
                $Code::message(self)
            }
            #[inline]
            fn solution(&self) -> ::core::option::Option<&'static str> {
                $Code::solution(self)
            }
            #[inline]
            fn retry_policy(&self) -> ::core::option::Option<&'static $crate::RetryPolicy> {
                $Code::retry_policy(self)
            }
            #[inline]
            fn is_not_processed(&self) -> bool {
                $Code::is_not_processed(self)
            }
        }
    };
}

/// `Debug` for a generated `ErrorCode`: the variant's name, from the code table.
#[doc(hidden)]
#[macro_export]
macro_rules! __code_debug {
    ($Code:ident) => {
        impl ::core::fmt::Debug for $Code {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::__private::debug_code(self, f)
            }
        }
    };
}

/// The methods and impls of a generated `Status` enum, given its documented variants with
/// their numbers, in the order of the status table `$table`. The enum has one more variant,
/// `Other(http::StatusCode)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __status_impls {
    ($Status:ident, $table:path; $($Variant:ident = $number:literal @ $pos:literal),* $(,)?) => {
        impl $Status {
            /// Every documented status, in the documentation's order.
            pub const ALL: &'static [$Status] = &[$($Status::$Variant),*];

            /// The status's entry in the status table; `Err` with the status for `Other`.
            #[inline]
            const fn __desc(
                self,
            ) -> ::core::result::Result<&'static $crate::StatusDesc, $crate::http::StatusCode> {
                match self {
                    $($Status::$Variant => ::core::result::Result::Ok(&$table[$pos]),)*
                    $Status::Other(code) => ::core::result::Result::Err(code),
                }
            }

            /// The status for a number: a documented one, else `Other`; `None` for numbers that
            /// are no HTTP status (outside 100–999).
            #[inline]
            pub fn from_u16(n: u16) -> ::core::option::Option<Self> {
                $crate::http::StatusCode::from_u16(n).ok().map(Self::from)
            }

            /// The status number.
            #[inline]
            pub fn as_u16(self) -> u16 {
                self.code().as_u16()
            }

            /// The status as an `http::StatusCode`.
            #[inline]
            pub const fn code(self) -> $crate::http::StatusCode {
                match self.__desc() {
                    ::core::result::Result::Ok(desc) => desc.code,
                    ::core::result::Result::Err(code) => code,
                }
            }

            /// Whether the documentation lists this status.
            #[inline]
            pub const fn is_documented(self) -> bool {
                !::core::matches!(self, $Status::Other(_))
            }

            /// The documentation's name of the status.
            #[inline]
            pub const fn name(self) -> ::core::option::Option<&'static str> {
                match self.__desc() {
                    ::core::result::Result::Ok(desc) => ::core::option::Option::Some(desc.name),
                    ::core::result::Result::Err(_) => ::core::option::Option::None,
                }
            }

            /// The documentation's description of the status.
            #[inline]
            pub const fn description(self) -> ::core::option::Option<&'static str> {
                match self.__desc() {
                    ::core::result::Result::Ok(desc) => desc.description,
                    ::core::result::Result::Err(_) => ::core::option::Option::None,
                }
            }

            /// The retry policy for responses with this status; `None`: do not retry.
            #[inline]
            pub const fn retry_policy(
                self,
            ) -> ::core::option::Option<&'static $crate::RetryPolicy> {
                match self.__desc() {
                    ::core::result::Result::Ok(desc) => desc.retry,
                    ::core::result::Result::Err(_) => ::core::option::Option::None,
                }
            }
        }

        impl ::core::convert::From<$crate::http::StatusCode> for $Status {
            #[inline]
            fn from(code: $crate::http::StatusCode) -> Self {
                match code.as_u16() {
                    $($number => $Status::$Variant,)*
                    _ => $Status::Other(code),
                }
            }
        }

        impl ::core::convert::From<$Status> for $crate::http::StatusCode {
            #[inline]
            fn from(status: $Status) -> Self {
                status.code()
            }
        }

        impl ::core::fmt::Display for $Status {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::StatusDesc::fmt_status(self.__desc().ok(), self.code(), f)
            }
        }
    };
}

/// The methods and impls of a generated `Category` enum, given its variants with their ids and
/// titles.
#[doc(hidden)]
#[macro_export]
macro_rules! __category_impls {
    ($Category:ident; $($Variant:ident = $id:literal, $title:literal);* $(;)?) => {
        impl $Category {
            /// Every category, in the documentation's order.
            pub const ALL: &'static [$Category] = &[$($Category::$Variant),*];

            /// The category's identifier in the spec.
            #[inline]
            pub const fn id(self) -> &'static str {
                match self {
                    $($Category::$Variant => $id,)*
                }
            }

            /// The category's title.
            #[inline]
            pub const fn title(self) -> &'static str {
                match self {
                    $($Category::$Variant => $title,)*
                }
            }
        }

        impl ::core::fmt::Display for $Category {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.title())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_every_width_and_optional_entries() {
        assert_eq!(Column::U8(&[0, 3]).get(1), 3);
        assert_eq!(Column::U16(&[300]).get(0), 300);
        assert_eq!(Column::U32(&[70_000]).get(0), 70_000);
        assert_eq!(Column::U8(&[0, 3]).optional(0), None);
        assert_eq!(Column::U8(&[0, 3]).optional(1), Some(2));
        assert_eq!(Column::U8(&[]).get(5), 0);
    }

    #[test]
    fn keys_past_the_codes_are_aliases_of_their_code() {
        static TABLE: CodeTable = CodeTable {
            keys: Packed {
                text: "abcb2",
                ends: &[1, 2, 3, 5],
            },
            alias_of: &[1],
            names: Packed {
                text: "",
                ends: &[],
            },
            anchors: Packed {
                text: "",
                ends: &[],
            },
            messages: Packed {
                text: "",
                ends: &[],
            },
            solutions: Packed {
                text: "",
                ends: &[],
            },
            solution_of: Column::U8(&[]),
            status_of: Column::U8(&[]),
            optional: OptionalFacts::NONE,
            category_of: Column::U8(&[]),
            retry_of: Column::U8(&[]),
            limit_of: Column::U8(&[]),
            policies: &[],
            limits: &[],
            lookup: Lookup::Match,
            integer: false,
        };
        assert_eq!(TABLE.len(), 3);
        assert_eq!(TABLE.code_of_key(2), (2, false));
        assert_eq!(TABLE.code_of_key(3), (1, true));
        assert_eq!(TABLE.wire(1), "b");
        assert_eq!(TABLE.solution(Some(0)), None);
        assert_eq!(TABLE.message(None), None);
        assert_eq!(TABLE.severity(None), Severity::Error);
        assert_eq!(TABLE.find("a"), None);
    }
}
