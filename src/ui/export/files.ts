import type { SimReport } from '../../sim/report';
import { toCsv } from '../../sim/reportFormat';

/**
 * The report files, written exactly as the CLI writes them (`npm run sim -- --format csv|json`), so the
 * same configuration gives byte-identical files (columns: docs/output-format.md).
 */
export function reportCsv(report: SimReport): string {
  return toCsv(report);
}

export function reportJson(report: SimReport): string {
  return JSON.stringify(report, null, 1) + '\n';
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; the object URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** An SVG document drawn into a canvas at `scale` × its size, as a PNG. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** File-name friendly text: letters, digits, dots and dashes. */
export function fileStem(...parts: string[]): string {
  return parts
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9.-]+/g, '_');
}
