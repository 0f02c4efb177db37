-- 10. The figures of the years kept, so the statistics of a year (and of all years) read a
-- few dozen counted rows instead of counting the year's items again (stats.rs).

-- 1. A year's figures by session and category (0: 未分类), kept by queries/work.rs in the
-- transaction that writes the kept progress (item_work is written there alone): the counts
-- of the items the progress is stored for are taken out before and put back after.
CREATE TABLE year_figures (
    year        INTEGER NOT NULL,
    session_id  INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    items       INTEGER NOT NULL,
    lead        INTEGER NOT NULL,
    assist      INTEGER NOT NULL,
    reference   INTEGER NOT NULL,
    key_items   INTEGER NOT NULL,
    personal    INTEGER NOT NULL,
    joint       INTEGER NOT NULL,
    collective  INTEGER NOT NULL,
    class_a     INTEGER NOT NULL,
    class_b     INTEGER NOT NULL,
    class_c     INTEGER NOT NULL,
    answering   INTEGER NOT NULL,
    replied     INTEGER NOT NULL,
    opinions    INTEGER NOT NULL,
    work_satisfied     INTEGER NOT NULL,
    work_basic         INTEGER NOT NULL,
    work_unsatisfied   INTEGER NOT NULL,
    result_satisfied   INTEGER NOT NULL,
    result_basic       INTEGER NOT NULL,
    result_unsatisfied INTEGER NOT NULL,
    met         INTEGER NOT NULL,
    redo_rounds INTEGER NOT NULL,
    published   INTEGER NOT NULL,
    PRIMARY KEY (year, session_id, category_id)
) WITHOUT ROWID;

-- 2. Each unit's items of a year by session: led, assisted, and led with a formal reply. The
-- assignments change outside the kept progress, so triggers on both keep these: a count is
-- the pairs of an item's kept row and its assignments.
CREATE TABLE unit_figures (
    year       INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL,
    lead       INTEGER NOT NULL,
    assist     INTEGER NOT NULL,
    replied    INTEGER NOT NULL,
    PRIMARY KEY (year, session_id, unit_id)
) WITHOUT ROWID;
CREATE TRIGGER unit_figures_work_added AFTER INSERT ON item_work BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT NEW.year, NEW.session_id, a.unit_id, a.role = '主办', a.role = '协办', a.role = '主办' AND NEW.replied_on IS NOT NULL
    FROM assignments a WHERE a.item_id = NEW.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;
CREATE TRIGGER unit_figures_work_removed AFTER DELETE ON item_work BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT OLD.year, OLD.session_id, a.unit_id, -(a.role = '主办'), -(a.role = '协办'), -(a.role = '主办' AND OLD.replied_on IS NOT NULL)
    FROM assignments a WHERE a.item_id = OLD.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;
CREATE TRIGGER unit_figures_unit_added AFTER INSERT ON assignments BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT w.year, w.session_id, NEW.unit_id, NEW.role = '主办', NEW.role = '协办', NEW.role = '主办' AND w.replied_on IS NOT NULL
    FROM item_work w WHERE w.item_id = NEW.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;
CREATE TRIGGER unit_figures_unit_removed AFTER DELETE ON assignments BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT w.year, w.session_id, OLD.unit_id, -(OLD.role = '主办'), -(OLD.role = '协办'), -(OLD.role = '主办' AND w.replied_on IS NOT NULL)
    FROM item_work w WHERE w.item_id = OLD.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;
-- A changed row counts as the old one taken out and the new one put in.
CREATE TRIGGER unit_figures_unit_changed AFTER UPDATE OF item_id, unit_id, role ON assignments BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT w.year, w.session_id, OLD.unit_id, -(OLD.role = '主办'), -(OLD.role = '协办'), -(OLD.role = '主办' AND w.replied_on IS NOT NULL)
    FROM item_work w WHERE w.item_id = OLD.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT w.year, w.session_id, NEW.unit_id, NEW.role = '主办', NEW.role = '协办', NEW.role = '主办' AND w.replied_on IS NOT NULL
    FROM item_work w WHERE w.item_id = NEW.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;
CREATE TRIGGER unit_figures_work_changed AFTER UPDATE OF item_id, year, session_id, replied_on ON item_work BEGIN
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT OLD.year, OLD.session_id, a.unit_id, -(a.role = '主办'), -(a.role = '协办'), -(a.role = '主办' AND OLD.replied_on IS NOT NULL)
    FROM assignments a WHERE a.item_id = OLD.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
    INSERT INTO unit_figures (year, session_id, unit_id, lead, assist, replied)
    SELECT NEW.year, NEW.session_id, a.unit_id, a.role = '主办', a.role = '协办', a.role = '主办' AND NEW.replied_on IS NOT NULL
    FROM assignments a WHERE a.item_id = NEW.item_id
    ON CONFLICT DO UPDATE SET lead = lead + excluded.lead, assist = assist + excluded.assist, replied = replied + excluded.replied;
END;

-- 3. A pending step knows its item's year and session, so each unit's overdue items of a
-- year are read from one index, in the order they are counted (only the year's open work),
-- not found item by item.
ALTER TABLE pending_steps ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pending_steps ADD COLUMN session_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX pending_steps_year ON pending_steps (year, unit_id, item_id, due_on, session_id);

-- 4. The B items of earlier years still followed (or solved lately) found by when they were
-- solved, from the index alone: the long solved ones, most of the history, are not read.
-- It replaces the index by year, which read every B item of every earlier year.
CREATE INDEX item_work_b_solved ON item_work (solved_on, year, reply_class) WHERE reply_class = 'B';
DROP INDEX item_work_b;

-- The open items know their year in their index: the units overview counts this year's
-- items from the kept counts and the earlier years' still open ones from here.
DROP INDEX item_work_open;
CREATE INDEX item_work_open ON item_work (item_id, year) WHERE open = 1;

-- 5. The returned opinion's channel, day and comments kept beside the ratings, so the
-- 承办情况表 reads columns instead of the progress JSON of each of the year's items.
ALTER TABLE item_work ADD COLUMN opinion_channel TEXT;
ALTER TABLE item_work ADD COLUMN opinion_on TEXT;
ALTER TABLE item_work ADD COLUMN opinion_comments TEXT;

-- 6. When each unit first recorded its own steps (签收, 协办意见) and when an item was first
-- met (面商), kept with the progress, so a year's evaluation reads the pairs of items and
-- units in one pass of an index instead of looking up each item's units and events.
CREATE TABLE unit_work (
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    role        TEXT    NOT NULL,
    received_on TEXT,
    assisted_on TEXT,
    PRIMARY KEY (item_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX unit_work_year ON unit_work (year, item_id, unit_id, role, received_on, assisted_on);
-- The index the evaluation read the events' days from is no longer read.
DROP INDEX events_item_step;
ALTER TABLE item_work ADD COLUMN met_on TEXT;
DROP INDEX item_work_evaluation;
CREATE INDEX item_work_evaluation ON item_work (year, item_id, county_role, reply_due, replied_on, reply_class, work_rating,
    result_rating, redo_rounds, draft_returns, receipt_due, meeting_due, assist_due, met_on);

-- Everything is computed once again on the next read, the kept figures with it.
DELETE FROM settings WHERE key = 'kept_work_year';
