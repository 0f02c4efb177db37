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
