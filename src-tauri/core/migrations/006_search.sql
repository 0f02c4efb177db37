-- The ledger's search over numbers, titles and proposers' names: an FTS5 index with the
-- trigram tokenizer, which finds any piece of three characters or more (as LIKE did)
-- without reading every item. Written with an item's proposers (queries/items.rs,
-- write_people), in the same transaction.
CREATE VIRTUAL TABLE item_search USING fts5 (words, tokenize = 'trigram');
-- A number typed as on paper (第214号 → 214) is matched exactly, through this index.
CREATE INDEX items_number ON items (number);

INSERT INTO item_search (rowid, words)
SELECT i.id, i.number || ' ' || i.title || ' ' || ifnull((SELECT group_concat(p.name, ' ') FROM proposers p WHERE p.item_id = i.id), '')
FROM items i;
