// Bar charts drawn as SVG, without a library and without parsing markup. Every bar carries
// its count and share as text, so the chart reads the same printed in black and white.

const SVG = 'http://www.w3.org/2000/svg';

function node(tag, attrs = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Horizontal bars for parts [{label, count, percent}]; `testid` marks the chart. */
export function barChart(title, parts, testid) {
  const rowHeight = 22;
  // Wide enough for the longest label (a Chinese character is about 13 px at 12 px type).
  const labelWidth = Math.max(80, 12 + 13 * Math.max(...parts.map((p) => [...p.label].length), 0));
  const barWidth = 260;
  const height = 28 + parts.length * rowHeight;
  const max = Math.max(1, ...parts.map((p) => p.count));
  const svg = node('svg', { width: labelWidth + barWidth + 130, height, role: 'img', 'aria-label': title, 'data-testid': testid, class: 'chart' });
  svg.append(node('text', { x: 0, y: 16, class: 'chart-title' }, title));
  parts.forEach((p, i) => {
    const y = 28 + i * rowHeight;
    svg.append(
      node('text', { x: labelWidth - 8, y: y + 14, 'text-anchor': 'end' }, p.label),
      node('rect', { x: labelWidth, y: y + 3, width: Math.max(1, (p.count / max) * barWidth), height: rowHeight - 8, class: `bar bar-${i % 3}` }),
      node('text', { x: labelWidth + (p.count / max) * barWidth + 6, y: y + 14 }, `${p.count}件 ${p.percent}`),
    );
  });
  return svg;
}
