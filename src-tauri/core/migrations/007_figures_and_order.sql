-- 1. The figures of the kept progress as columns beside its JSON: the statistics, the units
-- overview, the 承办情况表 and the 往年B类件 list count and list them with grouped queries
-- (from covering indexes) instead of reading each item's JSON, with the item's own counted
-- facts beside them. One writer (queries/work.rs, store) writes the JSON and the columns
-- together; the tests check after every kind of write that they agree. item_work is made
-- again and the kept year forgotten: the next read computes it all.
DROP TABLE item_work;
CREATE TABLE item_work (
    item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    open        INTEGER NOT NULL CHECK (open IN (0, 1)),  -- some step is still pending
    reply_due   TEXT,                                     -- 办理时限 of the formal reply
    progress    TEXT    NOT NULL,                         -- JSON: the whole derived progress
    status      TEXT    NOT NULL,                         -- 待签收, 已办结 …
    class       TEXT,                                     -- A, B or C now (A once a B item is solved)
    reply_class TEXT,                                     -- the formal reply's class
    replied_on  TEXT,
    doc_number  TEXT,
    work_rating   TEXT,                                   -- the last 征求意见: on the work
    result_rating TEXT,                                   -- … and on the result
    met         INTEGER NOT NULL,                         -- a 面商 was recorded
    redo_rounds INTEGER NOT NULL,
    publication TEXT,
    solved_on   TEXT,                                     -- a B item found solved at a 回头看
    -- What the figures count of the item itself (CountedFacts), so a year's figures read
    -- this table alone.
    session_id  INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    county_role TEXT    NOT NULL,
    is_key      INTEGER NOT NULL,
    category_id INTEGER,
    signers     INTEGER NOT NULL,
    collective  INTEGER NOT NULL
);
CREATE INDEX item_work_open ON item_work (item_id) WHERE open = 1;
-- A year's figures read from this index alone, by category (stats.rs): every column they count.
CREATE INDEX item_work_year ON item_work (year, category_id, session_id, county_role, is_key, signers, collective,
    class, replied_on, work_rating, result_rating, met, redo_rounds, publication);
-- The B items of earlier years, still followed or solved lately: counted and listed from here.
CREATE INDEX item_work_b ON item_work (year, solved_on) WHERE reply_class = 'B';
DELETE FROM settings WHERE key = 'kept_work_year';
-- The reminder board reads a page of a part in its order (deadline, item, step) from here.
DROP INDEX pending_steps_due;
CREATE INDEX pending_steps_due ON pending_steps (due_on, item_id, position);
-- A unit's pending steps with their deadlines, read without the table (the units overview,
-- the figures' overdue count per unit).
DROP INDEX pending_steps_unit;
CREATE INDEX pending_steps_unit ON pending_steps (unit_id, item_id, due_on);

-- 2. The ledger's own order (year, newest first; level; kind; session; number) read from
-- indexes: a page is found without sorting every item of every year, and the count of a
-- filter reads the index alone.
CREATE INDEX sessions_ledger ON sessions (year DESC, (CASE level WHEN '全国' THEN 0 WHEN '省' THEN 1 WHEN '州' THEN 2 ELSE 3 END), kind, id);
CREATE INDEX items_ledger ON items (session_id, deleted_at, CAST(number AS INTEGER), number);

-- An item's units by role, in their order, read without the table: the ledger's 主办/协办
-- columns, the figures per unit, the units overview.
CREATE INDEX assignments_item_role ON assignments (item_id, role, position, unit_id);

-- 3. The lead proposer's name on the item (written with its proposers, queries/items.rs), so
-- the ledger sorted by proposer reads an index instead of looking up every item's proposers.
ALTER TABLE items ADD COLUMN lead_proposer TEXT;
UPDATE items SET lead_proposer = (SELECT p.name FROM proposers p WHERE p.item_id = items.id ORDER BY p.position LIMIT 1);
CREATE INDEX items_proposer ON items (lead_proposer);

-- 4. One number, however it was typed (text::number_key, the same rule): 001 and 1 are one
-- number in a session. Uniqueness, the import's duplicates and the search compare this key.
-- Not unique here: two items of an older ledger that now share a key are both kept.
ALTER TABLE items ADD COLUMN number_key TEXT GENERATED ALWAYS AS (
    CASE WHEN number <> '' AND number NOT GLOB '*[^0-9]*' THEN ifnull(nullif(ltrim(number, '0'), ''), '0') ELSE upper(number) END
) VIRTUAL;
CREATE INDEX items_number_key ON items (number_key, session_id);
DROP INDEX items_number;
