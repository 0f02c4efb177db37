-- 13. Two lists that screens show on opening read the work at hand, not every item of every
-- year.
--
-- The year states (设置 → 年度办理工作): the items of a year come from the kept counts
-- (year_figures), its open items through item_work_open, and the items the county leads still
-- without a formal reply through this index of those alone.
CREATE INDEX item_work_unreplied ON item_work (year) WHERE county_role = '主办' AND replied_on IS NULL;

-- The numbers held twice (台账: one number typed two ways in an earlier ledger, 1 and 001):
-- how many items not in the recycle bin hold each number of each session, kept by triggers,
-- and the numbers held more than once found through an index of those alone.
CREATE TABLE number_keys (
    session_id INTEGER NOT NULL,
    number_key TEXT NOT NULL,
    items      INTEGER NOT NULL,
    PRIMARY KEY (session_id, number_key)
) WITHOUT ROWID;
CREATE INDEX number_keys_twice ON number_keys (session_id) WHERE items > 1;
INSERT INTO number_keys (session_id, number_key, items)
    SELECT session_id, number_key, count(*) FROM items WHERE deleted_at IS NULL AND number <> '' GROUP BY session_id, number_key;
CREATE TRIGGER number_keys_added AFTER INSERT ON items WHEN NEW.deleted_at IS NULL AND NEW.number <> '' BEGIN
    INSERT INTO number_keys (session_id, number_key, items) VALUES (NEW.session_id, NEW.number_key, 1)
    ON CONFLICT DO UPDATE SET items = items + 1;
END;
CREATE TRIGGER number_keys_removed AFTER DELETE ON items WHEN OLD.deleted_at IS NULL AND OLD.number <> '' BEGIN
    UPDATE number_keys SET items = items - 1 WHERE session_id = OLD.session_id AND number_key = OLD.number_key;
    DELETE FROM number_keys WHERE session_id = OLD.session_id AND number_key = OLD.number_key AND items = 0;
END;
-- A changed item counts as the old one taken out and the new one put in.
CREATE TRIGGER number_keys_changed AFTER UPDATE OF session_id, number, deleted_at ON items BEGIN
    UPDATE number_keys SET items = items - 1
        WHERE OLD.deleted_at IS NULL AND OLD.number <> '' AND session_id = OLD.session_id AND number_key = OLD.number_key;
    DELETE FROM number_keys WHERE session_id = OLD.session_id AND number_key = OLD.number_key AND items = 0;
    INSERT INTO number_keys (session_id, number_key, items)
        SELECT NEW.session_id, NEW.number_key, 1 WHERE NEW.deleted_at IS NULL AND NEW.number <> ''
    ON CONFLICT DO UPDATE SET items = items + 1;
END;
