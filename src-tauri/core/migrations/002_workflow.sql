-- 002: what the handling workflow needs beside the events table of 001: the per-year
-- deadline template, the working-day calendar, one item's own deadlines, and snoozed reminders.

-- 办理时限模板: for year and step, a rule as JSON: {"fixed":"2025-03-25"} or
-- {"after":"交办","amount":3,"unit":"月"} (unit 天 / 工作日 / 月).
CREATE TABLE deadline_rules (
    year INTEGER NOT NULL,
    step TEXT    NOT NULL,
    rule TEXT    NOT NULL,
    PRIMARY KEY (year, step)
);

-- 节假日与调休: a date that breaks the weekday rule. 休 = a holiday on a weekday,
-- 班 = a make-up working day (调休) on a weekend.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('休', '班')),
    note TEXT NOT NULL DEFAULT ''
);

-- One item's own deadline for a step (e.g. a key item due earlier).
CREATE TABLE deadline_overrides (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    step    TEXT    NOT NULL,
    due_on  TEXT    NOT NULL,
    note    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, step)
);

-- 暂缓提醒: a reminder the clerk put off until a date, with the reason. It stays visible
-- as snoozed and comes back on its own.
CREATE TABLE snoozes (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    step       TEXT    NOT NULL,
    unit_id    INTEGER REFERENCES units (id),
    until      TEXT    NOT NULL,
    note       TEXT    NOT NULL CHECK (length(trim(note)) > 0),
    created_at TEXT    NOT NULL
);
CREATE INDEX snoozes_item ON snoozes (item_id, step);

-- An undone (撤销) or corrected (更正) event stays in the timeline, marked, with when and why.
ALTER TABLE events ADD COLUMN voided_at TEXT;
ALTER TABLE events ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
