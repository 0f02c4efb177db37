-- 004: data safety. The operation log (操作日志) and the record of backups.

-- One change to the ledger, written in the same transaction as the change itself: when,
-- by which Windows user, what (kind, action, the thing in words, the item if any), and the
-- fields' old and new values as JSON [{"field", "old", "new"}]. Append-only: the triggers
-- refuse to change or delete a row. No foreign key: the log outlives what it describes.
CREATE TABLE operation_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT    NOT NULL,
    user    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    item_id INTEGER,
    changes TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX operation_log_item ON operation_log (item_id);
CREATE INDEX operation_log_at ON operation_log (at);
CREATE TRIGGER operation_log_append_only_update BEFORE UPDATE ON operation_log
BEGIN
    SELECT RAISE(ABORT, '操作日志只能追加，不能修改');
END;
CREATE TRIGGER operation_log_append_only_delete BEFORE DELETE ON operation_log
BEGIN
    SELECT RAISE(ABORT, '操作日志只能追加，不能删除');
END;

-- Every backup the program made and what checking the copy found.
CREATE TABLE backups (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    reason    TEXT    NOT NULL,       -- 自动 / 手动 / 导入前 / 恢复前 / 升级前
    path      TEXT    NOT NULL,
    bytes     INTEGER NOT NULL,
    items     INTEGER NOT NULL,
    check_ok  INTEGER NOT NULL CHECK (check_ok IN (0, 1)),
    check_result TEXT NOT NULL       -- integrity_check's answer: ok, or what it found
);
