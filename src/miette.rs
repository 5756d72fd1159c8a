//! Generated errors as [`miette`] diagnostics: the error code as the diagnostic's code, the
//! documented solution as its help.

use std::fmt;

use crate::{ApiError, ApiErrorCode};

/// Wraps an API error so that miette renders its code and documented solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic<E>(pub E);

impl<E: ApiError> fmt::Display for Diagnostic<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<E: ApiError> std::error::Error for Diagnostic<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl<E: ApiError> ::miette::Diagnostic for Diagnostic<E> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = self.0.error_code()?;
        Some(Box::new(code.as_str().to_owned()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.0.solution()?;
        Some(Box::new(help))
    }

    fn severity(&self) -> Option<::miette::Severity> {
        Some(::miette::Severity::Error)
    }
}
