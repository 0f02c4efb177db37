-- 1. The figures of the kept progress as columns: the statistics, the units overview and the
-- 往年B类件 list count and list them with grouped queries instead of reading each item's
-- JSON, with the item's own counted facts beside them. The columns are generated from the JSON and stored, so they can never say anything
-- else than the progress does. Generated stored columns cannot be added to a table, so
-- item_work is made again, and the kept year forgotten: the next read computes it all.
DROP TABLE item_work;
CREATE TABLE item_work (
    item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    open        INTEGER NOT NULL CHECK (open IN (0, 1)),  -- some step is still pending
    reply_due   TEXT,                                     -- 办理时限 of the formal reply
    progress    TEXT    NOT NULL,                         -- JSON: the whole derived progress
    status      TEXT GENERATED ALWAYS AS (json_extract(progress, '$.status')) STORED,
    class       TEXT GENERATED ALWAYS AS (json_extract(progress, '$.class')) STORED,        -- A once a B item is solved
    reply_class TEXT GENERATED ALWAYS AS (json_extract(progress, '$.reply.class')) STORED,  -- the formal reply's class
    replied_on  TEXT GENERATED ALWAYS AS (json_extract(progress, '$.reply.replied_on')) STORED,
    doc_number  TEXT GENERATED ALWAYS AS (json_extract(progress, '$.reply.doc_number')) STORED,
    work_rating   TEXT GENERATED ALWAYS AS (json_extract(progress, '$.opinion.work')) STORED,
    result_rating TEXT GENERATED ALWAYS AS (json_extract(progress, '$.opinion.result')) STORED,
    met         INTEGER GENERATED ALWAYS AS (json_extract(progress, '$.met')) STORED,
    redo_rounds INTEGER GENERATED ALWAYS AS (json_extract(progress, '$.redo_rounds')) STORED,
    publication TEXT GENERATED ALWAYS AS (json_extract(progress, '$.publication')) STORED,
    solved_on   TEXT GENERATED ALWAYS AS (json_extract(progress, '$.solved_on')) STORED,
    -- What the figures count of the item itself, kept with it (queries/work.rs, CountedFacts),
    -- so a year's figures read this table alone.
    session_id  INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    county_role TEXT    NOT NULL,
    is_key      INTEGER NOT NULL,
    category_id INTEGER,
    signers     INTEGER NOT NULL,
    collective  INTEGER NOT NULL
);
CREATE INDEX item_work_open ON item_work (item_id) WHERE open = 1;
CREATE INDEX item_work_year ON item_work (year, category_id);
-- The B items of earlier years, still followed or solved lately: counted and listed from here.
CREATE INDEX item_work_b ON item_work (year, solved_on) WHERE reply_class = 'B';
DELETE FROM settings WHERE key = 'kept_work_year';
-- The reminder board reads a page of a part in its order (deadline, item, step) from here.
DROP INDEX pending_steps_due;
CREATE INDEX pending_steps_due ON pending_steps (due_on, item_id, position);

-- 2. The ledger's own order (year, newest first; level; kind; session; number) read from
-- indexes: a page is found without sorting every item of every year, and the count of a
-- filter reads the index alone.
CREATE INDEX sessions_ledger ON sessions (year DESC, (CASE level WHEN '全国' THEN 0 WHEN '省' THEN 1 WHEN '州' THEN 2 ELSE 3 END), kind, id);
CREATE INDEX items_ledger ON items (session_id, deleted_at, CAST(number AS INTEGER), number);
