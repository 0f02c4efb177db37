-- 1. Links the clerk makes between items (similar.rs): 同类 (handled together, one 主办 unit
-- for all, replies that refer to each other) or 重复提出 (the same matter raised again, in
-- another year or by another proposer). One link per pair, stored with the smaller id first;
-- making it again with the other kind changes the kind. Every change is logged.
CREATE TABLE item_links (
    first_id  INTEGER NOT NULL REFERENCES items (id),
    second_id INTEGER NOT NULL REFERENCES items (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('同类', '重复提出')),
    made_at   TEXT    NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
) WITHOUT ROWID;
CREATE INDEX item_links_second ON item_links (second_id);

-- 2. The similarity index (similar.rs) is held in memory and built from the items' words; it
-- is built again only when a title, a text, a lead proposer, a session or the recycle bin
-- changes: these triggers count such changes, so one read tells whether it is current.
CREATE TABLE item_words_changes (changes INTEGER NOT NULL);
INSERT INTO item_words_changes VALUES (0);
CREATE TRIGGER item_words_added AFTER INSERT ON items BEGIN
    UPDATE item_words_changes SET changes = changes + 1;
END;
CREATE TRIGGER item_words_changed AFTER UPDATE OF title, full_text, lead_proposer, session_id, deleted_at ON items BEGIN
    UPDATE item_words_changes SET changes = changes + 1;
END;
CREATE TRIGGER item_words_removed AFTER DELETE ON items BEGIN
    UPDATE item_words_changes SET changes = changes + 1;
END;

-- 3. The kept progress (queries/work.rs) also holds what the units' evaluation (evaluation.rs)
-- reads, so a year's scores are grouped reads instead of the year's workflow computed again:
-- when each item's units' own steps (签收, 面商, 协办意见) were due, and how often its reply
-- draft was returned. Computed for every item on the next read.
ALTER TABLE item_work ADD COLUMN receipt_due TEXT;   -- 签收
ALTER TABLE item_work ADD COLUMN meeting_due TEXT;   -- 面商
ALTER TABLE item_work ADD COLUMN assist_due TEXT;    -- 协办意见
ALTER TABLE item_work ADD COLUMN draft_returns INTEGER NOT NULL DEFAULT 0;
-- A year's evaluation reads these from the index alone, not the wide rows with their JSON.
CREATE INDEX item_work_evaluation ON item_work (year, item_id, county_role, reply_due, replied_on, reply_class, work_rating,
    result_rating, redo_rounds, draft_returns, receipt_due, meeting_due, assist_due);
-- The first day each unit recorded each of its own steps, read from this index alone.
CREATE INDEX events_item_step ON events (item_id, step, voided, unit_id, happened_on);
DELETE FROM settings WHERE key = 'kept_work_year';
