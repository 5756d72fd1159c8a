//! `#[errspec(...)]` attributes, parsed with the span of every key and value kept for
//! diagnostics.

use proc_macro2::Span;
use syn::parse::ParseStream;
use syn::{
    Attribute, Error, Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, Path, Result, Token,
    UnOp,
};

/// A code's wire value as written: a string or an integer literal.
#[derive(Clone)]
pub enum CodeLit {
    Str(LitStr),
    Int(LitInt),
}

impl CodeLit {
    pub fn span(&self) -> Span {
        match self {
            CodeLit::Str(l) => l.span(),
            CodeLit::Int(l) => l.span(),
        }
    }
}

/// The attributes of the enum.
#[derive(Default)]
pub struct EnumAttrs {
    pub api: Option<LitStr>,
    pub retry: Option<Path>,
}

/// The attributes of one variant.
#[derive(Default)]
pub struct VariantAttrs {
    /// The first `#[errspec]` attribute, for errors about what is missing.
    pub span: Option<Span>,
    pub code: Option<CodeLit>,
    pub status: Option<LitInt>,
    pub message: Option<LitStr>,
    pub solution: Option<LitStr>,
    pub category: Option<LitStr>,
    pub retry: Option<Path>,
    pub no_retry: Option<Ident>,
    pub aliases: Vec<CodeLit>,
}

const ENUM_KEYS: &str = "`api`, `retry`";
const VARIANT_KEYS: &str =
    "`code`, `status`, `message`, `solution`, `category`, `retry`, `no_retry`, `alias`";

pub fn enum_attrs(attrs: &[Attribute], errors: &mut Vec<Error>) -> EnumAttrs {
    let mut out = EnumAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("errspec")) {
        let result = attr.parse_args_with(|input: ParseStream| {
            while !input.is_empty() {
                let key: Ident = input.parse()?;
                match key.to_string().as_str() {
                    "api" => set(&mut out.api, &key, value_str(input)?, errors),
                    "retry" => set(&mut out.retry, &key, value_path(input)?, errors),
                    other => {
                        return Err(Error::new(
                            key.span(),
                            format!(
                            "unknown errspec attribute `{other}` on an enum; expected {ENUM_KEYS}"
                        ),
                        ))
                    }
                }
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    out
}

pub fn variant_attrs(attrs: &[Attribute], errors: &mut Vec<Error>) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("errspec")) {
        out.span
            .get_or_insert_with(|| attr.path().segments[0].ident.span());
        let result = attr.parse_args_with(|input: ParseStream| {
            while !input.is_empty() {
                let key: Ident = input.parse()?;
                match key.to_string().as_str() {
                    "code" => set(&mut out.code, &key, value_code(input)?, errors),
                    "status" => set(&mut out.status, &key, value_int(input)?, errors),
                    "message" => set(&mut out.message, &key, value_str(input)?, errors),
                    "solution" => set(&mut out.solution, &key, value_str(input)?, errors),
                    "category" => set(&mut out.category, &key, value_str(input)?, errors),
                    "retry" => set(&mut out.retry, &key, value_path(input)?, errors),
                    "no_retry" => set(&mut out.no_retry, &key, key.clone(), errors),
                    "alias" => out.aliases.push(value_code(input)?),
                    other => {
                        return Err(Error::new(
                            key.span(),
                            format!("unknown errspec attribute `{other}`; expected {VARIANT_KEYS}"),
                        ))
                    }
                }
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    out
}

fn set<T>(slot: &mut Option<T>, key: &Ident, value: T, errors: &mut Vec<Error>) {
    if slot.is_some() {
        errors.push(Error::new(
            key.span(),
            format!("duplicate errspec attribute `{key}`"),
        ));
    } else {
        *slot = Some(value);
    }
}

fn value(input: ParseStream) -> Result<Expr> {
    input.parse::<Token![=]>()?;
    input.parse()
}

fn value_str(input: ParseStream) -> Result<LitStr> {
    match value(input)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(Error::new_spanned(other, "expected a string literal")),
    }
}

fn value_int(input: ParseStream) -> Result<LitInt> {
    match value(input)? {
        Expr::Lit(ExprLit {
            lit: Lit::Int(n), ..
        }) => Ok(n),
        other => Err(Error::new_spanned(
            other,
            "expected an integer literal, e.g. `status = 404`",
        )),
    }
}

fn value_code(input: ParseStream) -> Result<CodeLit> {
    match value(input)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(CodeLit::Str(s)),
        Expr::Lit(ExprLit {
            lit: Lit::Int(n), ..
        }) => Ok(CodeLit::Int(n)),
        negative @ Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => Err(Error::new_spanned(negative, "a code cannot be negative")),
        other => Err(Error::new_spanned(
            other,
            "expected a string or integer literal",
        )),
    }
}

fn value_path(input: ParseStream) -> Result<Path> {
    match value(input)? {
        Expr::Path(p) if p.qself.is_none() => Ok(p.path),
        other => Err(Error::new_spanned(
            other,
            "expected the path of a `RetryPolicy` constant, e.g. `retry = api::retry::TRANSIENT`",
        )),
    }
}
