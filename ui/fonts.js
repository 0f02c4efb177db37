// Which of the fonts a printed document asks for this PC has. Fonts come from the PC (the
// program ships none), so the print view says which one it fell back to when the
// preferred one is missing. A font is there when text set in it measures differently from
// the generic families it would otherwise fall back to.

const SAMPLE = 'mmmmmmmmmmlli WwQq 0123456789 《永和》';
const canvas = document.createElement('canvas').getContext('2d');

function width(family) {
  canvas.font = `40px ${family}`;
  return canvas.measureText(SAMPLE).width;
}

export function installed(name) {
  return ['monospace', 'sans-serif', 'serif'].some((generic) => width(`"${name}", ${generic}`) !== width(generic));
}

/**
 * One line about a part of the document: which font prints it. `wanted` lists the fonts in
 * the order of the print stylesheet, the preferred one first.
 */
export function fontLine(part, wanted) {
  const used = wanted.find(installed);
  if (used === wanted[0]) return { fallback: false, text: `${part}：${used}` };
  const missing = wanted.slice(0, used ? wanted.indexOf(used) : wanted.length).join('、');
  return { fallback: true, text: `${part}：本机没有${missing}，改用${used ? `“${used}”` : '系统默认的衬线字体'}` };
}
