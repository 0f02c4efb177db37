-- Each item's progress, kept current with every write that can change it (queries/work.rs),
-- so the screens read the open work instead of recomputing every item of every year. An
-- older ledger gets it computed on first use (no kept_work_year in settings yet).
CREATE TABLE item_work (
    item_id   INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    open      INTEGER NOT NULL CHECK (open IN (0, 1)),  -- some step is still pending
    status    TEXT    NOT NULL,                         -- 待签收, 已办结 …
    reply_class TEXT,                                   -- the formal reply's A, B or C
    solved_on TEXT,                                     -- a B item found solved at a 回头看
    reply_due TEXT,                                     -- 办理时限 of the formal reply
    progress  TEXT    NOT NULL                          -- JSON: the whole derived progress
);
CREATE INDEX item_work_reply_class ON item_work (reply_class) WHERE reply_class IS NOT NULL;
CREATE INDEX item_work_open ON item_work (item_id) WHERE open = 1;

-- The steps each item waits for, with their deadlines.
CREATE TABLE pending_steps (
    item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    step       TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    unit_id    INTEGER REFERENCES units (id),
    due_on     TEXT,
    overridden INTEGER NOT NULL CHECK (overridden IN (0, 1)),
    PRIMARY KEY (item_id, position)
);
CREATE INDEX pending_steps_due ON pending_steps (due_on);
CREATE INDEX pending_steps_unit ON pending_steps (unit_id, item_id);

