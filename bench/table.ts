/** Plain-text tables for the terminal. */

export type Cell = string | number;

export function formatTable(headers: string[], rows: Cell[][], rightAlign: boolean[] = []): string {
  const text = rows.map((r) => r.map(String));
  const widths = headers.map((h, c) => Math.max(h.length, ...text.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

export const fmt = {
  s: (seconds: number) => (Number.isFinite(seconds) ? seconds.toFixed(seconds < 10 ? 3 : 1) : '—'),
  ms: (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 1 : 0) : '—'),
  x: (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(ratio < 10 ? 2 : 1)}x` : '—'),
  rate: (perSecond: number) => {
    if (!Number.isFinite(perSecond)) return '—';
    if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G`;
    if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M`;
    if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
    return perSecond.toFixed(1);
  },
  mmac: (macs: number) => (macs / 1e6).toFixed(1),
};
