-- 001: the whole domain of the ledger (台账), modelled at once so that later
-- features add columns and rows, not rewrites. Enumerations are stored as the
-- Chinese words the clerk uses, so the file is readable with any SQLite tool.

-- 届次: one sitting of an upper body, e.g. 州十六届人大二次会议 (2025).
CREATE TABLE sessions (
    id      INTEGER PRIMARY KEY,
    kind    TEXT    NOT NULL CHECK (kind IN ('建议', '提案')),
    level   TEXT    NOT NULL CHECK (level IN ('全国', '省', '州', '县')),
    year    INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    name    TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (kind, level, name)
);

-- 类别: per kind, editable; an item keeps its category when the category is retired.
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('建议', '提案')),
    name       TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    sort_order INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (kind, name)
);

-- 承办单位: county bureaus, townships, the industrial park. Never deleted, only retired.
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    short_name TEXT    NOT NULL DEFAULT '',
    contact    TEXT    NOT NULL DEFAULT '',
    phone      TEXT    NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- 建议/提案: one item (件). Kind and level come from the session.
CREATE TABLE items (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER NOT NULL REFERENCES sessions (id),
    number             TEXT    NOT NULL CHECK (length(number) > 0),
    title              TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    full_text          TEXT    NOT NULL DEFAULT '',
    category_id        INTEGER REFERENCES categories (id),
    county_role        TEXT    NOT NULL CHECK (county_role IN ('主办', '协办', '参考')),
    is_key             INTEGER NOT NULL DEFAULT 0 CHECK (is_key IN (0, 1)),
    supervising_leader TEXT    NOT NULL DEFAULT '',
    assigned_on        TEXT,            -- 交办日期, ISO 8601 date
    signers_total      INTEGER,         -- 联名总人数 when not every co-signer is named
    note               TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    deleted_at         TEXT,            -- set while the item is in the recycle bin (回收站)
    UNIQUE (session_id, number)
);
CREATE INDEX items_category ON items (category_id);

-- 领衔人 (position 0) and co-signers (附议/联名); a collective proposer (a party, a 界别) is allowed.
CREATE TABLE proposers (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    is_collective INTEGER NOT NULL DEFAULT 0 CHECK (is_collective IN (0, 1)),
    delegation    TEXT    NOT NULL DEFAULT '',   -- 代表团 or 界别
    phone         TEXT    NOT NULL DEFAULT '',
    UNIQUE (item_id, position)
);
CREATE INDEX proposers_name ON proposers (name);

-- 交办: which county unit handles the item, as 主办 or 协办.
CREATE TABLE assignments (
    id       INTEGER PRIMARY KEY,
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    role     TEXT    NOT NULL CHECK (role IN ('主办', '协办')),
    leader   TEXT    NOT NULL DEFAULT '',   -- 分管/责任领导
    handler  TEXT    NOT NULL DEFAULT '',   -- 承办人
    phone    TEXT    NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (item_id, unit_id)
);
CREATE INDEX assignments_unit ON assignments (unit_id);

-- The workflow timeline (签收, 面商, 答复, 征求意见 …). A correction is a new row that
-- names the row it replaces; nothing is overwritten, so the history stays readable.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    unit_id     INTEGER REFERENCES units (id),
    step        TEXT    NOT NULL,
    happened_on TEXT    NOT NULL,
    details     TEXT    NOT NULL DEFAULT '{}',  -- JSON: the step's own fields
    note        TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL,
    replaces    INTEGER REFERENCES events (id),
    voided      INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1))
);
CREATE INDEX events_item ON events (item_id, happened_on);

-- Small key/value settings (office name, remembered choices).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The category lists seen in real reports (DOMAIN.md §1).
INSERT INTO categories (kind, name, sort_order) VALUES
    ('建议', '工交财贸', 1), ('建议', '科教文卫', 2), ('建议', '农林水牧', 3),
    ('建议', '社会建设', 4), ('建议', '劳动人事', 5), ('建议', '其它', 6),
    ('提案', '工交邮电', 1), ('提案', '文体宣传', 2), ('提案', '医疗卫生', 3),
    ('提案', '科学技术', 4), ('提案', '资源环境', 5), ('提案', '农业水利', 6),
    ('提案', '教育事业', 7), ('提案', '政治法律', 8), ('提案', '财税金融', 9);
