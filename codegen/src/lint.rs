//! Spec quality warnings: things a valid spec may hold that are likely transcription gaps or
//! mistakes. A warning never stops generation.
//!
//! | rule | warns about |
//! |---|---|
//! | `missing-solution` | a code without a solution |
//! | `retry-on-client-error` | a retry policy on a 4xx status or code other than 408 and 429: the same request fails the same way again |
//! | `transient-without-retry` | a 429, 502, 503 or 504 status (or a code with one) that nothing retries |
//! | `erratum-without-description` | an erratum whose description is empty |
//! | `inferred-status` | a code whose status is inferred, not stated by the page |
//! | `empty-category` | a category no code is filed under |
//! | `unused-policy` | a retry policy no status, code or other policy refers to |

use std::fmt;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::locate;
use crate::Error;

/// Every rule, with what it is about, in the order warnings are reported within an entry.
pub const RULES: &[(&str, &str)] = &[
    ("missing-solution", "a code without a solution"),
    (
        "retry-on-client-error",
        "a retry policy on a 4xx other than 408 and 429",
    ),
    (
        "transient-without-retry",
        "a 429, 502, 503 or 504 that nothing retries",
    ),
    (
        "erratum-without-description",
        "an erratum with an empty description",
    ),
    (
        "inferred-status",
        "a code whose status the page does not state",
    ),
    ("empty-category", "a category without codes"),
    ("unused-policy", "a retry policy nothing refers to"),
];

/// One warning: a located diagnostic and the rule that raised it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The rule's name, as listed in [`RULES`].
    pub rule: &'static str,
    /// Where and what.
    pub diagnostic: Diagnostic,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: {}", self.rule, self.diagnostic)
    }
}

/// Lints the spec at `path`; an invalid spec is an error, as for generation.
pub fn lint_file(path: &Path) -> Result<Vec<Warning>, Error> {
    let name = path.display().to_string();
    let source = crate::load::read_source(path, &name)?;
    Ok(lint(&source, &name)?)
}

/// Lints a spec from its text. `file` names it in the warnings.
pub fn lint(source: &str, file: &str) -> Result<Vec<Warning>, Diagnostics> {
    let (spec, api) = crate::load::parse_model(source, file)?;
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut found: Vec<(&'static str, String, String, String)> = Vec::new();
    let mut warn = |rule, path: String, message: String, help: &str| {
        found.push((rule, path, message, help.to_owned()));
    };

    let is_client_error = |n: u16| (400..500).contains(&n) && n != 408 && n != 429;
    let is_transient = |n: u16| matches!(n, 429 | 502 | 503 | 504);

    for (i, s) in api.statuses.iter().enumerate() {
        if let Some(p) = s.retry {
            if is_client_error(s.number) {
                warn(
                    "retry-on-client-error",
                    format!("statuses[{i}].retry"),
                    format!(
                        "status {} is retried with `{}`, but a client error fails the same way again",
                        s.number, api.policies[p].name
                    ),
                    "retry only what the page says may pass (408, 429, 5xx), or note why under `description`",
                );
            }
        } else if is_transient(s.number) {
            // Codes may carry policies of their own; the status is covered when all of them do.
            let mut codes = api.codes.iter().filter(|c| c.status == Some(i)).peekable();
            let covered = codes.peek().is_some() && codes.all(|c| c.retry.is_some());
            if !covered {
                warn(
                    "transient-without-retry",
                    format!("statuses[{i}]"),
                    format!("status {} {} has no retry policy", s.number, s.name),
                    "give it `retry: <policy>`, marked `inferred: [retry]` if the page does not say so",
                );
            }
        }
    }

    for (i, c) in api.codes.iter().enumerate() {
        let status = c.status.map(|s| &api.statuses[s]);
        if c.solution.is_none() && c.severity == crate::ir::Severity::Error {
            warn(
                "missing-solution",
                format!("codes[{i}]"),
                format!("code `{}` has no solution", c.wire),
                "add what the page says to do as `solution:`; mark one of your own with `inferred: [solution]`",
            );
        }
        if let (Some(p), Some(status)) = (c.retry, status) {
            if is_client_error(status.number) {
                warn(
                    "retry-on-client-error",
                    format!("codes[{i}].retry"),
                    format!(
                        "code `{}` (status {}) is retried with `{}`, but a client error fails the same way again",
                        c.wire, status.number, api.policies[p].name
                    ),
                    "retry only what the page says may pass (408, 429, 5xx)",
                );
            }
        }
        if let (true, Some(status)) = (c.inferred.iter().any(|f| f == "status"), status) {
            warn(
                "inferred-status",
                format!("codes[{i}].status"),
                format!(
                    "the status of code `{}` ({}) is inferred: the page does not state it",
                    c.wire, status.number
                ),
                "confirm it against real responses, then remove `status` from `inferred`",
            );
        }
    }

    let errata_paths = spec
        .errata
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("errata[{i}]"), e))
        .chain(spec.codes.iter().enumerate().flat_map(|(i, c)| {
            c.errata
                .iter()
                .enumerate()
                .map(move |(j, e)| (format!("codes[{i}].errata[{j}]"), e))
        }));
    for (path, e) in errata_paths {
        if e.description.trim().is_empty() {
            warn(
                "erratum-without-description",
                format!("{path}.description"),
                format!(
                    "the erratum about `{}` does not say what is wrong",
                    e.page_shows
                ),
                "describe the contradiction and what the spec does about it; the docs show it",
            );
        }
    }

    for (k, cat) in api.categories.iter().enumerate() {
        if !api.codes.iter().any(|c| c.category == Some(k)) {
            warn(
                "empty-category",
                format!("categories[{k}]"),
                format!("no code is filed under category `{}`", cat.id),
                "file the page's codes under it with `category:`, or remove it",
            );
        }
    }

    for (p, policy) in api.policies.iter().enumerate() {
        let used = api.statuses.iter().any(|s| s.retry == Some(p))
            || api.codes.iter().any(|c| c.retry == Some(p))
            || spec
                .retry
                .policies
                .values()
                .any(|e| e.extends.as_deref() == Some(policy.name.as_str()));
        if !used {
            warn(
                "unused-policy",
                format!("retry.policies.{}", policy.name),
                format!(
                    "no status, code or policy refers to policy `{}`",
                    policy.name
                ),
                "refer to it with `retry:` on a status or code, or remove it",
            );
        }
    }

    let mut warnings: Vec<Warning> = found
        .into_iter()
        .map(|(rule, path, message, help)| Warning {
            rule,
            diagnostic: Diagnostic {
                file: file.to_owned(),
                line: 0,
                column: 0,
                path,
                message,
                help: Some(help),
            },
        })
        .collect();
    locate::locate(
        source,
        &mut warnings,
        |w| w.diagnostic.path.as_str(),
        |w| &mut w.diagnostic,
    );
    warnings.sort_by_key(|w| (w.diagnostic.line, w.diagnostic.column));
    Ok(warnings)
}
