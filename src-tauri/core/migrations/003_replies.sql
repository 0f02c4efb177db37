-- 003: reply drafts (答复样稿). Templates with named placeholders, editable by the clerk,
-- and every saved draft kept as a version of its own, so the clerk can go back to any one.

-- 答复模板: one per kind (建议/提案) and purpose (主办答复 to the proposer, 协办意见 to the
-- lead unit). Each part may hold placeholders such as {领衔人}; see reply.rs for the list.
CREATE TABLE reply_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind       TEXT    NOT NULL CHECK (kind IN ('建议', '提案')),
    purpose    TEXT    NOT NULL CHECK (purpose IN ('主办答复', '协办意见')),
    title      TEXT    NOT NULL,
    salutation TEXT    NOT NULL,
    opening    TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    closing    TEXT    NOT NULL,
    cc         TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL
);

-- One saved version of a draft. A thread is (item, purpose, unit): the lead unit's reply,
-- or one assisting unit's opinion; versions count 1, 2, 3 … within a thread. Never updated:
-- saving writes a new version. The 正式答复 step names the version that went out.
CREATE TABLE reply_drafts (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('主办答复', '协办意见')),
    unit_id     INTEGER REFERENCES units (id),
    version     INTEGER NOT NULL CHECK (version > 0),
    template_id INTEGER REFERENCES reply_templates (id),
    content     TEXT    NOT NULL,  -- JSON: the letter's parts (reply.rs ReplyContent)
    note        TEXT    NOT NULL DEFAULT '',
    saved_at    TEXT    NOT NULL
);
CREATE UNIQUE INDEX reply_drafts_thread ON reply_drafts (item_id, purpose, ifnull(unit_id, 0), version);

INSERT INTO reply_templates (name, kind, purpose, title, salutation, opening, body, closing, cc, updated_at) VALUES
    ('建议主办答复', '建议', '主办答复',
     '关于{届次}第{编号}号建议的答复', '{称呼}：',
     '您提出的《{标题}》收悉。现答复如下：', '',
     '感谢您对{承办单位}工作的关心和支持。', '县人大常委会办公室', '2025-01-01 00:00:00'),
    ('提案主办答复', '提案', '主办答复',
     '关于{全体称呼}提出的《{标题}》的答复', '{称呼}：',
     '您提出的《{标题}》收悉。现答复如下：', '',
     '感谢您对{承办单位}工作的关心和支持。', '县政协办公室', '2025-01-01 00:00:00'),
    ('建议协办意见', '建议', '协办意见',
     '关于{届次}第{编号}号建议的协办意见', '{主办单位}：',
     '{全体称呼}提出的《{标题}》收悉。经研究，现将我单位协办意见函告如下：', '',
     '以上意见，请在答复时统筹考虑。', '', '2025-01-01 00:00:00'),
    ('提案协办意见', '提案', '协办意见',
     '关于{届次}第{编号}号提案的协办意见', '{主办单位}：',
     '{全体称呼}提出的《{标题}》收悉。经研究，现将我单位协办意见函告如下：', '',
     '以上意见，请在答复时统筹考虑。', '', '2025-01-01 00:00:00');
