-- 13. The year states (设置 → 年度办理工作) read the work at hand, not every item of every year:
-- the items of a year from the kept counts (year_figures), its open items through
-- item_work_open, and the items the county leads still without a formal reply through this
-- index of those alone.
CREATE INDEX item_work_unreplied ON item_work (year) WHERE county_role = '主办' AND replied_on IS NULL;
