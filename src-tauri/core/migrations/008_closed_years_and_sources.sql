-- 1. Years whose handling the clerk has closed (办理工作结束): their unfinished steps stop
-- reminding and stop counting as overdue (a B item still goes on to each later year's
-- 回头看). Nothing of a closed year is deleted; re-opening removes the row.
CREATE TABLE closed_years (
    year      INTEGER PRIMARY KEY,
    closed_at TEXT    NOT NULL,
    closed_by TEXT    NOT NULL
);

-- 2. Where a recorded step came from: empty when the clerk typed it; otherwise what brought
-- it in, e.g. 补录：2024年建议台账.xlsx (an earlier year's ledger taken in with its results,
-- dated as the file says).
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- A year before the work year without a template of its own now has no deadlines (it was
-- given the default template's dates), and the progress lists what a closed year left
-- unrecorded: the kept progress is computed again on the next read.
DELETE FROM settings WHERE key = 'kept_work_year';

-- 3. The 办理情况反馈表 sent to units (queries/feedback.rs): what each export held, so a file
-- that comes back is known (which ledger, which export, which items) and its locked cells
-- are checked against what was sent.
CREATE TABLE feedback_exports (
    id      INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    made_at TEXT    NOT NULL,
    made_on TEXT    NOT NULL,  -- the day the program counted from (a unit's 4月18日 is of its year)
    items   TEXT    NOT NULL   -- JSON: each row's item and its locked cells as exported
);
CREATE INDEX feedback_exports_unit ON feedback_exports (unit_id, id);

-- 4. The weights of the units' yearly evaluation (督考, evaluation.rs), kept per year: a year
-- gets its rows when the clerk first changes one of its weights (the defaults until then),
-- so last year's scores stay as they were when this year's rules change.
CREATE TABLE evaluation_weights (
    year   INTEGER NOT NULL,
    rule   TEXT    NOT NULL,
    weight REAL    NOT NULL,
    PRIMARY KEY (year, rule)
);
