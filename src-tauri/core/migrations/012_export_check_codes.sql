-- 12. Each 办理情况反馈表 carries a check code beside its export number, kept here: a returned
-- file whose hidden identity names an export must also carry that export's code, so a unit's
-- file edited to name another unit's export is refused instead of recording steps for the
-- other unit. Exports made before this have none and are checked by the unit in the title.
ALTER TABLE feedback_exports ADD COLUMN check_code TEXT;
