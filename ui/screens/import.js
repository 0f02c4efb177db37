// 导入交办清单: pick the spreadsheet or Word list (through the native dialog, in Rust), see
// every row as it will be stored with every problem by sheet, row, column and reason, map
// unknown columns by hand, choose what to do with duplicates and unknown units, then import:
// all rows or none. A clerk's own ledger of several years comes in whole: each sheet, each
// row to the session its 类型 and 届次 say, the sessions the ledger lacks added once agreed.

import { api } from '../api.js';
import { el, fill, newestOnly, select, toast, showError, reportSaved, formatDate } from '../dom.js';
import { sessionLabel } from '../choices.js';
import { appInfo } from '../app.js';

export async function render(container) {
  const sessions = await api.listSessions();
  // Empty: each row goes to the session its 类型 and 届次 (and its sheet's year) say.
  const session = select({ testid: 'import-session' }, [['', '按每行的类型和届次分到各届次'], ...sessions.map((s) => [s.id, sessionLabel(s)])], '');
  const createSessions = el('input', { type: 'checkbox', testid: 'import-create-sessions' });
  // The sheets the clerk leaves out, by name.
  const leftOut = new Set();
  const updateDuplicates = el('input', { type: 'checkbox', testid: 'import-update' });
  const createUnits = el('input', { type: 'checkbox', testid: 'import-create-units' });
  // The 交办日期 of rows that have none: found in the title rows, or set here by the clerk.
  const listDate = el('input', { testid: 'import-date', class: 'short', placeholder: '如 2025-03-17' });
  const mapping = {};
  // The clerk's class for each 办理结果 written in words (已经解决 → A).
  const outcomeWords = {};
  // The clerk's word on each 回头看 phrase: does it say the B item was solved?
  const lookbackWords = {};
  // The clerk's word on each pair of unit names proposed as one unit (州发改委 ↔ 州发展和改革委员会).
  const unitMatches = {};
  // The proposals of the similar items the clerk took, by row (for rows that leave the category or units empty).
  const taken = {};
  const result = el('div', { testid: 'import-result' });

  const options = () => ({
    session_id: session.value ? Number(session.value) : null,
    create_sessions: createSessions.checked,
    left_out_sheets: [...leftOut],
    mapping,
    update_duplicates: updateDuplicates.checked,
    create_units: createUnits.checked,
    assigned_on: listDate.value,
    outcome_words: outcomeWords,
    lookback_words: lookbackWords,
    unit_matches: unitMatches,
    taken,
  });
  const progress = el('section', { class: 'card import-progress', testid: 'import-progress', hidden: true });
  const show = (preview) => {
    listDate.placeholder = preview.list_date ? `标题中为${formatDate(preview.list_date)}` : '如 2025-03-17';
    fill(result, previewNodes(preview, { mapping, outcomeWords, lookbackWords, unitMatches, taken, leftOut, createSessions }, refresh, runImport));
  };
  const turn = newestOnly();
  async function refresh() {
    const current = turn();
    try {
      const preview = await withProgress(progress, api.previewImport(options()));
      if (current()) show(preview);
    } catch (error) {
      showError(error);
    }
  }
  async function runImport() {
    try {
      const done = await withProgress(progress, api.importItems(options()));
      const added = done.rows.filter((r) => r.action === '新增').length;
      const updated = done.rows.filter((r) => r.action === '更新').length;
      const recorded = done.result_steps ? `，补录办理环节 ${done.result_steps} 条` : '';
      toast(`导入完成：新增 ${added} 件，更新 ${updated} 件，跳过 ${done.rows.length - added - updated} 件${recorded}。`);
      location.hash = '#/ledger';
    } catch (error) {
      showError(error);
    }
  }
  for (const box of [updateDuplicates, createUnits, createSessions]) box.addEventListener('change', () => result.childElementCount && refresh());
  session.addEventListener('change', () => result.childElementCount && refresh());
  listDate.addEventListener('change', () => result.childElementCount && refresh());

  container.append(
    el('header', { class: 'screen-head' }, [
      el('a', { class: 'button', href: '#/intake', text: '返回登记' }),
      el('h1', { text: '导入交办清单' }),
      el('div', { class: 'spacer' }),
      el('button', { type: 'button', text: '导出空白模板', testid: 'import-template', on: { click: () => reportSaved(api.exportImportTemplate()) } }),
    ]),
    el('section', { class: 'card' }, [
      el('p', { class: 'muted', text: '支持 .xlsx、.xls、.csv（UTF-8 或 GBK）和表格形式的 Word 文档（.docx）；工作簿的每张工作表都读。先预览，确认无误后再导入；导入时要么全部成功，要么一行也不写入。' }),
      el('div', { class: 'inline-fields' }, [
        el('label', {}, ['这份清单属于哪个届次', session]),
        el('label', { class: 'check' }, [updateDuplicates, '已登记的件用文件中的内容更新（不勾选则跳过）']),
        el('label', { class: 'check' }, [createUnits, '自动添加名录中没有的单位']),
        el('label', { title: '清单中没有写交办日期的行，按这个日期登记；不填则用清单标题中写的日期' }, ['没写交办日期的按', listDate]),
        el('button', { type: 'button', class: 'primary', text: '选择文件并预览', testid: 'import-choose', on: { click: async () => {
          try {
            const preview = await withProgress(progress, api.chooseImportFile(options()));
            if (preview) show(preview);
          } catch (error) {
            showError(error);
          }
        } } }),
      ]),
    ]),
    progress,
    result,
  );
}

/**
 * Shows how far reading, checking or importing the list has come while `work` runs, with a
 * button to stop it (nothing is written then); resolves or rejects as `work` does.
 */
async function withProgress(box, work) {
  const bar = el('progress', { max: 1, value: 0, testid: 'import-progress-bar' });
  const words = el('span', { class: 'muted', text: '正在读取文件……' });
  box.replaceChildren(words, bar, el('button', { type: 'button', text: '取消', testid: 'import-cancel',
    on: { click: () => api.cancelImport().catch(showError) } }));
  const shown = setTimeout(() => { box.hidden = false; }, 300); // a quick check needs no bar
  let running = true;
  const poll = async () => {
    while (running) {
      const now = await api.importProgress().catch(() => null);
      if (now && now.stage) {
        bar.max = Math.max(now.total, 1);
        bar.value = now.done;
        words.textContent = `正在${now.stage}：${now.done} / ${now.total} 行`;
      }
      await new Promise((resolve) => { setTimeout(resolve, 200); });
    }
  };
  poll();
  try {
    return await work;
  } finally {
    running = false;
    clearTimeout(shown);
    box.hidden = true;
  }
}

/** How many preview rows and problems are listed at most; the rest are counted. */
const LISTED = 300;

/**
 * 办理结果的写法: each word the file uses for a result, with the class it is taken for; the
 * clerk confirms or changes it (a word no class is proposed for stops its rows).
 */
function outcomeCard(preview, outcomeWords, refresh) {
  if (preview.outcome_words.length === 0) return null;
  const classes = [['', '（请选择）'], ...appInfo.vocabulary.classes];
  return el('section', { class: 'card', testid: 'outcome-words' }, [
    el('h2', { text: '办理结果的写法' }),
    el('p', { class: 'muted', text: '文件中的办理结果是用文字写的。请核对每种写法对应的类别，导入时按此补录正式答复的类别：' }),
    el('div', { class: 'column-map' }, preview.outcome_words.map((w) => {
      const choice = select({ testid: 'outcome-word', 'data-word': w.word }, classes, w.class);
      choice.addEventListener('change', () => {
        outcomeWords[w.word] = choice.value;
        refresh();
      });
      return el('label', { class: w.class ? '' : 'unmapped' }, [`“${w.word}”（${w.rows} 行）${w.class && !w.by_hand ? '，按文字推断' : ''}`, choice]);
    })),
  ]);
}

/**
 * 回头看的写法: each phrase of the 回头看情况 column, with whether it is taken to say the B
 * item was solved (it then becomes A on that day); the clerk confirms or changes it.
 */
function lookbackCard(preview, lookbackWords, refresh) {
  if (preview.lookback_words.length === 0) return null;
  const meanings = [['true', '已解决（转为A类）'], ['false', '仍在办理（记一次回头看）']];
  return el('section', { class: 'card', testid: 'lookback-words' }, [
    el('h2', { text: '回头看的写法' }),
    el('p', { class: 'muted', text: '文件中的回头看情况是用文字写的。请核对每种写法的意思，导入时按此补录回头看（已解决的B类件自那天起算A类）：' }),
    el('div', { class: 'column-map' }, preview.lookback_words.map((w) => {
      const choice = select({ testid: 'lookback-word', 'data-word': w.word }, meanings, String(w.solved));
      choice.addEventListener('change', () => {
        lookbackWords[w.word] = choice.value === 'true';
        refresh();
      });
      return el('label', {}, [`“${w.word}”（${w.rows} 行）${w.by_hand ? '' : '，按文字推断'}`, choice]);
    })),
  ]);
}

/**
 * 工作表: each sheet of a workbook with its year and rows, ticked to be imported; the clerk
 * leaves one out by unticking it. A sheet without a header cannot be imported.
 */
function sheetsCard(preview, leftOut, refresh) {
  if (preview.sheets.length < 2) return null;
  return el('section', { class: 'card', testid: 'import-sheets' }, [
    el('h2', { text: '工作表' }),
    el('p', { class: 'muted', text: '勾选的工作表都导入（每行按它的类型和届次归入届次）。不要导入的，取消勾选。' }),
    el('div', { class: 'check-list' }, preview.sheets.map((s) => {
      const noHeader = s.header_row === 0;
      const box = el('input', { type: 'checkbox', checked: !s.left_out, disabled: noHeader, testid: 'import-sheet', 'data-sheet': s.name });
      box.addEventListener('change', () => {
        if (box.checked) leftOut.delete(s.name); else leftOut.add(s.name);
        refresh();
      });
      const about = noHeader ? '没有找到表头，不导入' : `${s.year ? `${s.year}年的，` : ''}${s.rows} 行${s.other_header ? '；表头与第一张不同，按识别出的列导入' : ''}`;
      return el('label', { class: 'check', testid: 'import-sheet-row' }, [box, `“${s.name}”：${about}`]);
    })),
  ]);
}

/**
 * 要添加的届次: sessions the rows name that the ledger lacks, with how many rows go to each;
 * added with the import once the clerk ticks the box.
 */
function sessionsCard(preview, createSessions) {
  if (preview.new_sessions.length === 0) return null;
  return el('section', { class: 'card', testid: 'import-new-sessions' }, [
    el('h2', { text: '要添加的届次' }),
    el('p', { class: 'muted', text: '下列届次台账中还没有。请核对年份、类型和名称；勾选后，导入时一并添加。' }),
    el('ul', {}, preview.new_sessions.map((s) => el('li', { testid: 'import-new-session', text: `${sessionLabel(s)}，${s.rows} 行` }))),
    el('label', { class: 'check' }, [createSessions, '添加这些届次']),
  ]);
}

/**
 * 单位名称的对应: names of the list the directory does not know, each proposed as the same
 * unit as a name it abbreviates (or that abbreviates it), ticked until the clerk says no.
 */
function unitMatchCard(preview, unitMatches, refresh) {
  if (preview.unit_matches.length === 0) return null;
  return el('section', { class: 'card', testid: 'unit-matches' }, [
    el('h2', { text: '单位名称的对应' }),
    el('p', { class: 'muted', text: '下列名称像是同一个单位的简称和全称。勾选的按同一个单位导入（简称记为该单位的简称）；不是同一个单位的，请取消勾选。' }),
    el('div', { class: 'column-map' }, preview.unit_matches.map((m) => {
      const box = el('input', { type: 'checkbox', checked: m.accepted, testid: 'unit-match', 'data-name': m.name });
      box.addEventListener('change', () => {
        unitMatches[m.name] = box.checked;
        refresh();
      });
      return el('label', { class: 'check', testid: 'unit-match-row' }, [box, `“${m.name}”就是${m.in_directory ? '名录中的' : '清单中的'}“${m.same_as}”`]);
    })),
  ]);
}

/** The words of a row's proposal: 类别 科教文卫 · 主办 县教育局 · 协办 …. */
const proposalWords = (p) => [p.category && `类别 ${p.category}`, p.lead_unit && `主办 ${p.lead_unit}`,
  p.assist_units.length && `协办 ${p.assist_units.join('、')}`].filter(Boolean).join(' · ');

/**
 * A row's title cell: the title, then the most similar items of the ledger and, for a row
 * that leaves its category or units empty, what they propose, taken with a tick (Space on
 * the box). The table keeps its columns, so it still fits the screen.
 */
function titleCell(r, taken, refresh) {
  const lines = r.similar.map((s) => el('div', { class: 'similar-line', testid: 'row-similar', text: `相似：${s}` }));
  if (r.proposal) {
    const box = el('input', { type: 'checkbox', checked: r.taken, testid: 'take-row-proposal', 'data-row': String(r.key) });
    box.addEventListener('change', () => {
      if (box.checked) taken[r.key] = r.proposal; else delete taken[r.key];
      refresh();
    });
    lines.push(el('label', { class: 'check row-proposal', testid: 'row-proposal' }, [box, `采用：${proposalWords(r.proposal)}`]));
  }
  return el('td', {}, [r.title, ...lines]);
}

function previewNodes(preview, { mapping, outcomeWords, lookbackWords, unitMatches, taken, leftOut, createSessions }, refresh, runImport) {
  const bad = preview.rows.filter((r) => r.action === '有误').length;
  const headerProblem = preview.problems.some((p) => p.column === '表头' && p.blocks);
  // A long list shows its rows with problems first; the rest are counted, not drawn.
  const rows = preview.rows.length <= LISTED ? preview.rows
    : [...preview.rows.filter((r) => r.action !== '新增'), ...preview.rows.filter((r) => r.action === '新增')].slice(0, LISTED);
  const notListed = (total, listed, what) => (total > listed ? el('p', { class: 'muted', testid: 'import-more', text: `另有 ${total - listed} ${what}未列出。` }) : null);
  const columns = el('div', { class: 'column-map', testid: 'import-columns' }, preview.columns.map((c) => {
    const choice = select({ testid: `map-${c.index}` }, [['', '（未识别）'], ...preview.fields.map((f) => [f, f])], c.field || '');
    choice.addEventListener('change', () => {
      mapping[c.index] = choice.value || '不导入';
      refresh();
    });
    return el('label', { class: c.field ? '' : 'unmapped' }, [`第${c.index + 1}列“${c.header}”`, choice]);
  }));
  const withResults = preview.rows.some((r) => r.results);
  const severalSheets = preview.sheets.length > 1;
  const routed = preview.rows.some((r) => r.session) && new Set(preview.rows.map((r) => r.session)).size > 1;
  const headers = [...(severalSheets ? ['工作表'] : []), '行号', '处理', ...(routed ? ['届次'] : []), '编号', '标题（及台账中的相似件）', '领衔人', '类别', '主办单位', '协办单位', '交办日期', ...(withResults ? ['补录结果'] : [])];
  const proposed = preview.rows.filter((r) => r.proposal && !r.taken);
  const cells = (r) => [...(severalSheets ? [r.sheet] : []), String(r.row), r.action, ...(routed ? [r.session] : []), r.number, null, r.proposers, r.category, r.lead_unit, r.assist_units, r.assigned_on, ...(withResults ? [r.results] : [])];
  const writable = preview.rows.filter((r) => r.action === '新增' || r.action === '更新').length;
  const recorded = preview.result_steps ? `，补录办理环节 ${preview.result_steps} 条` : '';
  return [
    el('section', { class: 'card' }, [
      el('h2', { text: `${preview.file_name}：${preview.sheets.length > 1 ? `${preview.sheets.length} 张工作表，第一张的` : ''}表头在第 ${preview.header_row} 行，共 ${preview.rows.length} 行` }),
      preview.default_date ? el('p', { testid: 'import-default-date', text: `没写交办日期的行按${formatDate(preview.default_date)}登记${preview.list_date && preview.list_date === preview.default_date ? '（清单标题中的日期）' : ''}。` }) : null,
      el('p', { class: 'muted', text: '各列对应的内容（未识别的列请选择，或选“不导入”）：' }),
      columns,
    ]),
    sheetsCard(preview, leftOut, refresh),
    sessionsCard(preview, createSessions),
    unitMatchCard(preview, unitMatches, refresh),
    outcomeCard(preview, outcomeWords, refresh),
    lookbackCard(preview, lookbackWords, refresh),
    preview.problems.length === 0 ? el('div', { class: 'notice', testid: 'import-ok', text: '没有发现问题。' })
      : el('section', { class: 'card error-summary', testid: 'import-problems' }, [
        el('strong', { text: `发现 ${preview.problems.length} 个问题：` }),
        el('ul', {}, preview.problems.slice(0, LISTED).map((p) => el('li', { testid: 'import-problem', text: `${p.sheet ? `“${p.sheet}”` : ''}第 ${p.row} 行「${p.column}」：${p.message}` }))),
        notListed(preview.problems.length, LISTED, '个问题'),
      ]),
    el('div', { class: 'table-wrap' }, el('table', { class: 'grid compact', testid: 'import-rows' }, [
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h })))),
      el('tbody', {}, rows.map((r) => el('tr', { testid: 'import-row', class: r.action === '有误' ? 'late' : '' },
        cells(r).map((t) => (t === null ? titleCell(r, taken, refresh) : el('td', { text: t })))))),
    ])),
    proposed.length ? el('div', { class: 'row-actions' }, [
      el('span', { class: 'muted', text: `${proposed.length} 行没有填写类别或承办单位，相似件有建议（勾选即采用，导入时按建议登记）。` }),
      el('button', { type: 'button', class: 'small', text: '全部采用建议', testid: 'take-all-proposals', on: { click: () => {
        proposed.forEach((r) => { taken[r.key] = r.proposal; });
        refresh();
      } } }),
    ]) : null,
    notListed(preview.rows.length, rows.length, '行（都将新增）'),
    el('div', { class: 'form-actions' }, [
      el('button', { type: 'button', class: 'primary', text: headerProblem ? '表头缺少必需的列，不能导入' : bad ? `还有 ${bad} 行有误，不能导入` : `导入 ${writable} 件${recorded}`,
        disabled: bad > 0 || headerProblem, testid: 'import-run', on: { click: runImport } }),
      preview.new_sessions.length ? el('span', { class: 'muted', text: '（要先勾选上面的“添加这些届次”）' }) : null,
    ]),
  ];
}
