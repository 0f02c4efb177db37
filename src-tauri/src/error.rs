//! The one shape of an error that crosses to the UI: `{code, message, fields}`. The UI
//! switches on `code` and shows `message` (Chinese) as it is; `fields` marks form inputs.

use ledger_core::{Error, FieldError};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: Vec::new() }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let code = match &error {
            Error::Invalid(_) => "invalid",
            Error::NotFound(_) => "not_found",
            Error::NewerDatabase { .. } => "newer_database",
            Error::NotOurDatabase(_) => "not_our_database",
            Error::Damaged(_) => "damaged",
            Error::Cancelled => "cancelled",
            Error::NoLedger(_) => "no_database",
            Error::Sqlite(_) | Error::Migration(_) | Error::Io(_) | Error::Xlsx(_) | Error::Docx(_) | Error::Panicked(_) => "internal",
        };
        let message = error.to_string();
        let fields = match error {
            Error::Invalid(fields) => fields,
            _ => Vec::new(),
        };
        Self { code, message, fields }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
