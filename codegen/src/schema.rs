//! The JSON Schema of the spec format, generated from the serde model in [`crate::spec`], for
//! editors (`# yaml-language-server: $schema=errspec.schema.json`) and other tools.
//!
//! The schema checks what an editor can check as the spec is typed: keys, types, enums, number
//! ranges and the shape of durations. Whatever needs the whole spec (references between
//! entries, duplicates, aliases) is left to the validator, which also says where and how to fix
//! it.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::spec::{Scalar, Spec};

/// The file name the shipped specs refer to.
pub const FILE_NAME: &str = "errspec.schema.json";

/// The schema as a JSON value.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Spec).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), "errspec spec".into());
    }
    sort_keys(&mut schema);
    schema
}

/// The schema as a pretty-printed JSON document ending in a newline, byte-identical across
/// runs and builds.
pub fn json() -> String {
    // Serializing a `Value` cannot fail: its keys are strings.
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Sorts every object's keys, so that the output does not depend on whether serde_json keeps
/// insertion order in the build at hand (a feature any crate in the graph may turn on).
fn sort_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A YAML scalar: a string, a number or a boolean.",
            "type": ["string", "integer", "number", "boolean"]
        })
    }
}

pub(crate) fn api_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^[a-z][a-z0-9_]*$" })
}

pub(crate) fn version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "enum": [1, 2] })
}

pub(crate) fn status(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 100, "maximum": 999 })
}

pub(crate) fn status_list(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": status(generator) })
}

pub(crate) fn code(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "integer"],
        "minLength": 1,
        "minimum": 0,
        "maximum": 4_294_967_295_u64
    })
}

pub(crate) fn code_list(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": code(generator) })
}

pub(crate) fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^\\s*[0-9]+\\s*(ms|s|m|h)\\s*$",
        "examples": ["500ms", "1s", "1m", "1h"]
    })
}

pub(crate) fn multiplier(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number", "minimum": 1, "maximum": 1000 })
}

pub(crate) fn attempts(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 1, "maximum": 4_294_967_295_u64 })
}

pub(crate) fn tokens(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number", "minimum": 0 })
}

pub(crate) fn positive(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 1, "maximum": 4_294_967_295_u64 })
}

use crate::validate;

fn inferred(fields: &[&str]) -> Schema {
    json_schema!({
        "type": "array",
        "items": { "type": "string", "enum": fields }
    })
}

pub(crate) fn inferred_status(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::STATUS_FIELDS)
}

pub(crate) fn inferred_policy(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::POLICY_FIELDS)
}

pub(crate) fn inferred_category(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::CATEGORY_FIELDS)
}

pub(crate) fn inferred_code(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::CODE_FIELDS)
}

pub(crate) fn inferred_limit(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::LIMIT_FIELDS)
}

pub(crate) fn inferred_common_error(_: &mut SchemaGenerator) -> Schema {
    inferred(validate::COMMON_ERROR_FIELDS)
}
