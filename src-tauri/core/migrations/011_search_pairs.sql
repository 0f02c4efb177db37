-- 11. A word of two characters (供暖, 教育, a surname and name) found through the search index
-- too, instead of LIKE over every item's title and proposers (17–21 ms at 50,000 items).
-- Each item's words in the index get every pair of neighbouring characters after them, each
-- after a space, as queries/items.rs (search_words) writes them for every change since: the
-- trigram index finds " 供暖" only where 供 and 暖 stand together, and no word of three
-- characters or more in the pairs, which never hold three characters without a space.
-- At 50,000 items this takes 5.7 s, once (2.3 s of it writing the index).
DELETE FROM item_search;

WITH RECURSIVE
words (id, text) AS MATERIALIZED (
    SELECT i.id, i.number || ' ' || i.title || ' '
        || ifnull((SELECT group_concat(name, ' ') FROM (SELECT p.name FROM proposers p WHERE p.item_id = i.id ORDER BY p.position)), '')
    FROM items i
),
places (at) AS (SELECT 1 UNION ALL SELECT at + 1 FROM places WHERE at < (SELECT max(length(text)) FROM words))
INSERT INTO item_search (rowid, words)
SELECT id, text || ifnull((SELECT group_concat(' ' || substr(text, at, 2), '') FROM (SELECT at FROM places
        WHERE at < length(text) AND substr(text, at, 1) <> ' ' AND substr(text, at + 1, 1) <> ' ' ORDER BY at)), '')
FROM words;
