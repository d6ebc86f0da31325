/** One line of a chart: its label and its points. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [x: number, y: number])[];
}

const COLOURS = ['#2a7ab0', '#d2553a', '#3a9d5d', '#8a5ab8'];

/**
 * A small line chart as SVG text: logarithmic axes (the suite's curves span decades: 10 to 100,000 resting
 * orders, 100 to 5,000 connections), a point and its value at every measurement, a legend. No dependency: the
 * SVG is a few dozen elements.
 */
export function lineChart(options: {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly format: (y: number) => string;
}): string {
  const W = 640;
  const H = 360;
  const m = { left: 70, right: 20, top: 40, bottom: 50 };
  const all = options.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]).filter((x) => x > 0);
  const ys = all.map((p) => p[1]).filter((y) => y > 0);
  if (xs.length === 0 || ys.length === 0) return '';
  const lx = (v: number): number => Math.log10(v);
  const [x0, x1] = [Math.floor(lx(Math.min(...xs))), Math.ceil(lx(Math.max(...xs)))];
  const [y0, y1] = [Math.floor(lx(Math.min(...ys))), Math.ceil(lx(Math.max(...ys)))];
  const px = (x: number): number => m.left + ((lx(x) - x0) / Math.max(1, x1 - x0)) * (W - m.left - m.right);
  const py = (y: number): number =>
    H - m.bottom - ((lx(y) - y0) / Math.max(1, y1 - y0)) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${xmlText(options.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${xmlText(options.title)}</text>`,
  ];
  for (let e = x0; e <= x1; e++) {
    const x = px(10 ** e);
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${H - m.bottom}" stroke="#eee"/>`);
    out.push(
      `<text x="${x}" y="${H - m.bottom + 16}" text-anchor="middle">${(10 ** e).toLocaleString('en-US')}</text>`,
    );
  }
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${m.left}" y1="${y}" x2="${W - m.right}" y2="${y}" stroke="#eee"/>`);
    out.push(
      `<text x="${m.left - 6}" y="${y + 4}" text-anchor="end">${xmlText(options.format(10 ** e))}</text>`,
    );
  }
  out.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${xmlText(options.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${xmlText(options.yLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length] as string;
    const pts = s.points.filter((p) => p[0] > 0 && p[1] > 0);
    out.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of pts) {
      out.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3.5" fill="${c}"/>`);
      out.push(
        `<text x="${(px(p[0]) + 6).toFixed(1)}" y="${(py(p[1]) - 6).toFixed(1)}" fill="${c}">${xmlText(options.format(p[1]))}</text>`,
      );
    }
    out.push(`<rect x="${m.left + 10}" y="${m.top + 6 + i * 18}" width="12" height="12" fill="${c}"/>`);
    out.push(`<text x="${m.left + 28}" y="${m.top + 16 + i * 18}">${xmlText(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function xmlText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
