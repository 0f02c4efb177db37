-- 14. The operation log searched through an index, as the ledger is (migrations 6 and 11),
-- instead of LIKE over every entry: a word found nowhere read the whole log (161 ms at
-- 359,000 entries), and so did a kind with few entries (设置: 190 ms at 583,000). The words of each entry (queries/log.rs, log_words) are written with the
-- entry, in its transaction; those of the entries before this migration by its hook
-- (index_earlier_entries), through the same function.
--
-- Contentless, without positions or sizes: the log is never changed or deleted, so no entry
-- has to be taken out of the index; a word is looked for as all its trigrams, and the entries
-- they find are checked with LIKE. Measured on the benchmark's log (583,133 entries at 50,000
-- items): 23.5 MB for 100,000 entries, where the index with its text and positions took 170.
CREATE VIRTUAL TABLE log_search USING fts5 (words, tokenize = 'trigram', content = '', detail = none, columnsize = 0);

-- The entries of one kind, newest first (the log's kind filter without words).
CREATE INDEX operation_log_kind ON operation_log (kind);
