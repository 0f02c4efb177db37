//! The commands the UI calls. Each is one call into the core plus error mapping; the
//! names here are the only ones `ui/api.js` knows.

use crate::error::ApiResult;
use crate::state::Ledger;
use ledger_core::model::{
    Category, ItemDetail, ItemInput, ItemRow, Kind, Session, SessionInput, Unit, UnitInput,
};
use ledger_core::ItemQuery;
use serde::Serialize;
use tauri::State;

/// What the window needs to know at start.
#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    schema_version: i64,
    startup_error: Option<String>,
}

#[tauri::command(async)]
pub fn app_info(ledger: State<Ledger>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: ledger.data_dir.display().to_string(),
        schema_version: ledger_core::db::schema_version(),
        startup_error: ledger.startup_error().map(str::to_string),
    }
}

#[tauri::command(async)]
pub fn list_items(ledger: State<Ledger>, query: ItemQuery) -> ApiResult<Vec<ItemRow>> {
    ledger.with(|db| db.list_items(&query))
}

#[tauri::command(async)]
pub fn list_years(ledger: State<Ledger>) -> ApiResult<Vec<i32>> {
    ledger.with(|db| db.list_years())
}

#[tauri::command(async)]
pub fn get_item(ledger: State<Ledger>, id: i64) -> ApiResult<ItemDetail> {
    ledger.with(|db| db.get_item(id))
}

#[tauri::command(async)]
pub fn create_item(ledger: State<Ledger>, input: ItemInput) -> ApiResult<i64> {
    ledger.with(|db| db.create_item(&input))
}

#[tauri::command(async)]
pub fn update_item(ledger: State<Ledger>, id: i64, input: ItemInput) -> ApiResult<()> {
    ledger.with(|db| db.update_item(id, &input))
}

#[tauri::command(async)]
pub fn delete_item(ledger: State<Ledger>, id: i64) -> ApiResult<()> {
    ledger.with(|db| db.delete_item(id))
}

#[tauri::command(async)]
pub fn restore_item(ledger: State<Ledger>, id: i64) -> ApiResult<()> {
    ledger.with(|db| db.restore_item(id))
}

#[tauri::command(async)]
pub fn list_units(ledger: State<Ledger>) -> ApiResult<Vec<Unit>> {
    ledger.with(|db| db.list_units())
}

#[tauri::command(async)]
pub fn create_unit(ledger: State<Ledger>, input: UnitInput) -> ApiResult<i64> {
    ledger.with(|db| db.create_unit(&input))
}

#[tauri::command(async)]
pub fn update_unit(ledger: State<Ledger>, id: i64, input: UnitInput) -> ApiResult<()> {
    ledger.with(|db| db.update_unit(id, &input))
}

#[tauri::command(async)]
pub fn set_unit_active(ledger: State<Ledger>, id: i64, active: bool) -> ApiResult<()> {
    ledger.with(|db| db.set_unit_active(id, active))
}

#[tauri::command(async)]
pub fn list_categories(ledger: State<Ledger>) -> ApiResult<Vec<Category>> {
    ledger.with(|db| db.list_categories())
}

#[tauri::command(async)]
pub fn create_category(ledger: State<Ledger>, kind: Kind, name: String) -> ApiResult<i64> {
    ledger.with(|db| db.create_category(kind, &name))
}

#[tauri::command(async)]
pub fn rename_category(ledger: State<Ledger>, id: i64, name: String) -> ApiResult<()> {
    ledger.with(|db| db.rename_category(id, &name))
}

#[tauri::command(async)]
pub fn set_category_active(ledger: State<Ledger>, id: i64, active: bool) -> ApiResult<()> {
    ledger.with(|db| db.set_category_active(id, active))
}

#[tauri::command(async)]
pub fn list_sessions(ledger: State<Ledger>) -> ApiResult<Vec<Session>> {
    ledger.with(|db| db.list_sessions())
}

#[tauri::command(async)]
pub fn create_session(ledger: State<Ledger>, input: SessionInput) -> ApiResult<i64> {
    ledger.with(|db| db.create_session(&input))
}

#[tauri::command(async)]
pub fn update_session(ledger: State<Ledger>, id: i64, input: SessionInput) -> ApiResult<()> {
    ledger.with(|db| db.update_session(id, &input))
}
