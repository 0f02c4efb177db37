//! Errors of the core. Every variant the clerk can meet carries a Chinese message that says
//! what is wrong and what to do; the shell maps them to `{code, message}` for the UI.

use serde::Serialize;

/// One form field that failed validation: `field` names the input (`title`,
/// `proposers.0.name`, `assignments`), `message` says in Chinese why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A form failed validation; nothing was written.
    #[error("填写有误：{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Invalid(Vec<FieldError>),

    /// Something the clerk referred to is gone (e.g. deleted by another window).
    #[error("{0}")]
    NotFound(String),

    /// The database file was written by a newer version of the program.
    #[error("数据文件的版本（{found}）比本程序支持的版本（{supported}）新，本程序不能打开它。请安装新版本的程序后再打开；数据文件没有被改动。")]
    NewerDatabase { found: i64, supported: i64 },

    /// The ledger file failed its check (`quick_check`); it was not opened or changed.
    #[error("{0}")]
    Damaged(String),

    /// The file is not a SQLite database of this program.
    #[error("{0}")]
    NotOurDatabase(String),

    #[error("数据库出错：{0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("数据库升级失败：{0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("生成 Excel 文件出错：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    #[error("生成 Word 文件出错：{0}")]
    Docx(String),

    #[error("文件读写出错：{}", crate::text::io_reason(.0))]
    Io(#[from] std::io::Error),

    /// The clerk stopped a long task (reading or importing a list); nothing was written.
    #[error("已取消，台账没有改动。")]
    Cancelled,

    /// The program met a fault of its own (a panic); the step was not done and SQLite rolled
    /// back what it had begun. Names the log file where the fault is written.
    #[error("程序内部出错，这一步没有完成，台账没有改动。出错经过已记入“{0}”，请把这个文件交给技术人员。")]
    Panicked(String),
}

impl Error {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

pub type Result<T> = std::result::Result<T, Error>;
