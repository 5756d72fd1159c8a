//! The specs in `imported/` are what `errspec import` writes for the importers' fixtures today
//! (set `ERRSPEC_BLESS=1` to rewrite them); the crate compiles each, under the workspace's
//! `-D warnings` checks, and each reads a body of its own API back as its code.

use std::path::{Path, PathBuf};

use errspec_codegen::import::{openapi, smithy, table, Draft, ImportError};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn fixture(kind: &str, name: &str) -> PathBuf {
    root()
        .join("../codegen/tests/fixtures/import")
        .join(kind)
        .join(name)
}

type Importer = fn(&Path) -> Result<Draft, ImportError>;

const IMPORTED: &[(Importer, &str, &str, &str)] = &[
    (
        smithy::read,
        "smithy",
        "lambda-2015-03-31.json",
        "aws_lambda",
    ),
    (
        smithy::read,
        "smithy",
        "pricing-2017-10-15.json",
        "aws_price_list_service",
    ),
    (
        smithy::read,
        "smithy",
        "sqs-2012-11-05.json",
        "amazon_simple_queue_service",
    ),
    (
        smithy::read,
        "smithy",
        "sts-2011-06-15.json",
        "aws_security_token_service",
    ),
    (
        openapi::read,
        "openapi",
        "CAMARA_common.yaml",
        "camara_common_data_types",
    ),
    (
        openapi::read,
        "openapi",
        "azure_openai_inference.yaml",
        "azure_open_ai_service_api",
    ),
    (table::read, "table", "webdriver_errors.html", "web_driver"),
    (
        table::read,
        "table",
        "grpc_statuscodes.md",
        "status_codes_and_their_use_in_g_rpc",
    ),
    // The HMS Sovereign documentation page, as the seeds keep it.
    (
        table::read,
        "../seeds",
        "000_d5b9e8de8241fdcb.txt",
        "api_000_d5b9e8de8241fdcb",
    ),
];

#[test]
fn the_imported_specs_are_what_import_writes_today() {
    let bless = std::env::var_os("ERRSPEC_BLESS").is_some_and(|v| v == "1");
    for (read, kind, source, id) in IMPORTED {
        let draft = read(&fixture(kind, source)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&draft.id, id);
        let text = draft.to_yaml();
        let path = root().join("imported").join(format!("{id}.yaml"));
        if bless {
            std::fs::write(&path, &text).unwrap();
        }
        let checked_in = std::fs::read_to_string(&path).unwrap();
        assert!(
            checked_in == text,
            "{} is stale: rerun with ERRSPEC_BLESS=1",
            path.display()
        );
    }
}

#[test]
fn imported_modules_read_their_api_s_bodies() {
    use errspec::http::{HeaderMap, StatusCode};
    use errspec_catalogs::imported::amazon_simple_queue_service as sqs;
    let body = br#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist."}"#;
    let error = sqs::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body);
    // The namespace prefix is one of the decisions the import leaves to a person.
    assert!(error.code().is_some_and(|c| c.is_unknown()), "{error:?}");
    let body =
        br#"{"__type": "QueueDoesNotExist", "message": "The specified queue does not exist."}"#;
    let error = sqs::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body);
    assert_eq!(error.code(), Some(&sqs::ErrorCode::QueueDoesNotExist));
    assert_eq!(
        sqs::ErrorCode::QueueDoesNotExist.as_str(),
        "AWS.SimpleQueueService.NonExistentQueue"
    );
}
