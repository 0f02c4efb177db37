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

    #[error("{}", sqlite_reason(.0))]
    Sqlite(#[from] rusqlite::Error),

    #[error("台账数据结构升级失败，台账没有改动。请联系技术人员。")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("{}", xlsx_reason(.0))]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    #[error("生成 Word 文件出错：{0}")]
    Docx(String),

    #[error("文件读写出错：{}", crate::text::io_reason(.0))]
    Io(#[from] std::io::Error),

    /// The ledger did not open at start; says why (the window shows only that).
    #[error("{0}")]
    NoLedger(String),

    /// The clerk stopped a long task (reading or importing a list); nothing was written.
    #[error("已取消，台账没有改动。")]
    Cancelled,

    /// The program met a fault of its own (a panic); the step was not done and SQLite rolled
    /// back what it had begun. Names the log file where the fault is written.
    #[error("程序内部出错，这一步没有完成，台账没有改动。出错经过已记入“{0}”，请把这个文件交给技术人员。")]
    Panicked(String),
}

impl Error {
    /// Whether SQLite refused a write because the connection was read-only (the store's
    /// `read_only`).
    pub fn is_read_only(&self) -> bool {
        matches!(self, Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly)
    }

    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// The same error with its fields named inside a row of a list (`steps.3.` + field).
    pub fn within(self, row: &str) -> Self {
        match self {
            Error::Invalid(fields) => Error::Invalid(fields.into_iter().map(|f| FieldError::new(format!("{row}.{}", f.field), f.message)).collect()),
            other => other,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Collects the wrong fields of a form in the order they are found, so a form is answered
/// with every mistake at once; every validation of the core uses it.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// A choice that must have been made: says "请选择…" when it was not.
    pub fn chosen<T>(&mut self, field: &str, label: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.add(field, format!("请选择{label}。"));
        }
        value
    }

    /// Takes in the fields of another check's validation error; any other error is returned.
    pub fn merge(&mut self, checked: Result<()>) -> Result<()> {
        match checked {
            Err(Error::Invalid(fields)) => {
                self.0.extend(fields);
                Ok(())
            }
            other => other,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when no field was wrong, else the validation error naming them all.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}

/// What a workbook error means for the clerk. The ones the machine causes (the temporary
/// file a table sheet is written through, the disk) are said in her words; the rest are the
/// program's own faults and keep rust_xlsxwriter's words for the technician.
fn xlsx_reason(error: &rust_xlsxwriter::XlsxError) -> String {
    use rust_xlsxwriter::XlsxError;
    match error {
        XlsxError::TempFileError(dir, _) => format!("生成 Excel 文件时无法在临时文件夹（{}）中写入临时文件，文件没有生成；请检查磁盘空间后再试。", dir.display()),
        XlsxError::IoError(io) => format!("生成 Excel 文件时{}，文件没有生成。", crate::text::io_reason(io)),
        other => format!("生成 Excel 文件出错：{other}"),
    }
}

/// What a database error means for the clerk. SQLite's own words are English and name
/// tables and constraints; the clerk gets what happened and that nothing was saved.
fn sqlite_reason(error: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    let what = match error.sqlite_error_code() {
        Some(ConstraintViolation) => "这次修改不符合台账的规则（如名称为空或重复），没有保存",
        Some(DatabaseBusy | DatabaseLocked) => "台账文件正被另一个程序占用，没有保存；请稍后再试",
        Some(DiskFull) => "磁盘已满，没有保存；请清理磁盘后再试",
        Some(ReadOnly) => "台账文件是只读的，没有保存",
        Some(CannotOpen | PermissionDenied) => "台账文件打不开（可能没有权限或已被移走）",
        Some(DatabaseCorrupt | NotADatabase) => "台账文件已损坏；请到“设置”中从备份恢复",
        Some(SystemIoFailure) => "读写台账文件时出错（磁盘或U盘可能有问题），没有保存",
        _ => "台账数据库出错，这一步没有完成",
    };
    format!("{what}。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_the_machine_could_not_write_is_said_in_chinese() {
        let denied = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let temp = Error::from(rust_xlsxwriter::XlsxError::TempFileError("C:\\Temp".into(), denied())).to_string();
        assert_eq!(temp, "生成 Excel 文件时无法在临时文件夹（C:\\Temp）中写入临时文件，文件没有生成；请检查磁盘空间后再试。");
        let io = Error::from(rust_xlsxwriter::XlsxError::IoError(denied())).to_string();
        assert_eq!(io, "生成 Excel 文件时没有读写这个文件的权限，或文件正被别的程序打开，文件没有生成。");
    }
}
