-- The ledger's search over numbers, titles and proposers' names: an FTS5 index with the
-- trigram tokenizer, which finds any piece of three characters or more (as LIKE did)
-- without reading every item. Triggers keep it in the same transaction as every write.
CREATE VIRTUAL TABLE item_search USING fts5 (words, tokenize = 'trigram');
-- A number typed as on paper (第214号 → 214) is matched exactly, through this index.
CREATE INDEX items_number ON items (number);

INSERT INTO item_search (rowid, words)
SELECT i.id, i.number || ' ' || i.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = i.id), '')
FROM items i;

CREATE TRIGGER item_search_add AFTER INSERT ON items BEGIN
    INSERT INTO item_search (rowid, words) VALUES (new.id, new.number || ' ' || new.title);
END;
CREATE TRIGGER item_search_edit AFTER UPDATE OF number, title ON items BEGIN
    DELETE FROM item_search WHERE rowid = old.id;
    INSERT INTO item_search (rowid, words)
    SELECT new.id, new.number || ' ' || new.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = new.id), '');
END;
CREATE TRIGGER item_search_drop AFTER DELETE ON items BEGIN
    DELETE FROM item_search WHERE rowid = old.id;
END;
-- The proposers of an item are written after it, and rewritten when it is edited.
CREATE TRIGGER item_search_proposer_add AFTER INSERT ON proposers BEGIN
    DELETE FROM item_search WHERE rowid = new.item_id;
    INSERT INTO item_search (rowid, words)
    SELECT i.id, i.number || ' ' || i.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = i.id), '')
    FROM items i WHERE i.id = new.item_id;
END;
CREATE TRIGGER item_search_proposer_drop AFTER DELETE ON proposers BEGIN
    DELETE FROM item_search WHERE rowid = old.item_id;
    INSERT INTO item_search (rowid, words)
    SELECT i.id, i.number || ' ' || i.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = i.id), '')
    FROM items i WHERE i.id = old.item_id;
END;
CREATE TRIGGER item_search_proposer_edit AFTER UPDATE OF name, item_id ON proposers BEGIN
    DELETE FROM item_search WHERE rowid IN (old.item_id, new.item_id);
    INSERT INTO item_search (rowid, words)
    SELECT i.id, i.number || ' ' || i.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = i.id), '')
    FROM items i WHERE i.id IN (old.item_id, new.item_id);
END;
