/**
 * A view as a standalone SVG document, built from what is on screen: the view's own SVG charts are copied
 * with their computed styles inlined, canvases (PE grid, heatmap) are embedded as PNG images, and the HTML
 * around them becomes SVG text, boxes and lines at the same positions. Enough for slides and papers; not a
 * general HTML renderer (no gradients, shadows or clipping).
 */
export interface Snapshot {
  svg: string;
  width: number;
  height: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEADER_H = 36;

/** Presentation properties copied from the computed style onto each element of an inlined chart. */
const SVG_STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-size',
  'font-family',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function visibleColour(c: string): boolean {
  return c !== '' && c !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(c);
}

function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

interface Frame {
  /** Viewport position of the snapshot's origin. */
  left: number;
  top: number;
  out: string[];
}

function fontAttrs(cs: CSSStyleDeclaration): string {
  return `font-family="${escapeXml(cs.fontFamily)}" font-size="${cs.fontSize}" font-weight="${cs.fontWeight}"${
    cs.fontStyle === 'italic' ? ' font-style="italic"' : ''
  } fill="${cs.color}"`;
}

function transformText(text: string, cs: CSSStyleDeclaration): string {
  if (cs.textTransform === 'uppercase') return text.toUpperCase();
  if (cs.textTransform === 'lowercase') return text.toLowerCase();
  return text;
}

function emitText(f: Frame, x: number, rect: DOMRect, text: string, cs: CSSStyleDeclaration): void {
  const t = text.trim();
  if (!t) return;
  f.out.push(
    `<text x="${num(x - f.left)}" y="${num(rect.top + rect.height / 2 - f.top)}" dominant-baseline="central" ${fontAttrs(cs)}>${escapeXml(transformText(t, cs))}</text>`,
  );
}

/** A text node line by line: words are grouped by the line box they landed in. */
function textNode(f: Frame, node: Text): void {
  const parent = node.parentElement;
  if (!parent) return;
  const raw = node.data.replace(/\s+/g, ' ');
  if (!raw.trim()) return;
  const cs = getComputedStyle(parent);
  // Measure only the visible characters: leading and trailing spaces would shift the text.
  const first = node.data.search(/\S/);
  const last = node.data.length - (node.data.length - node.data.trimEnd().length);
  const range = document.createRange();
  range.setStart(node, first);
  range.setEnd(node, last);
  const lines = range.getClientRects();
  if (lines.length === 0) return;
  if (lines.length === 1) {
    emitText(f, lines[0].left, lines[0], raw, cs);
    return;
  }
  let line: { x: number; rect: DOMRect; words: string[] } | null = null;
  const re = /\S+/g;
  for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const rect = range.getClientRects()[0];
    if (!rect) continue;
    if (line && Math.abs(rect.top - line.rect.top) < rect.height / 2) line.words.push(m[0]);
    else {
      if (line) emitText(f, line.x, line.rect, line.words.join(' '), cs);
      line = { x: rect.left, rect, words: [m[0]] };
    }
  }
  if (line) emitText(f, line.x, line.rect, line.words.join(' '), cs);
}

function box(f: Frame, rect: DOMRect, cs: CSSStyleDeclaration): void {
  const x = rect.left - f.left;
  const y = rect.top - f.top;
  const rx = parseFloat(cs.borderTopLeftRadius) || 0;
  if (visibleColour(cs.backgroundColor)) {
    f.out.push(
      `<rect x="${num(x)}" y="${num(y)}" width="${num(rect.width)}" height="${num(rect.height)}" rx="${num(Math.min(rx, rect.height / 2))}" fill="${cs.backgroundColor}"/>`,
    );
  }
  const sides = [
    ['Top', x, y, x + rect.width, y],
    ['Right', x + rect.width, y, x + rect.width, y + rect.height],
    ['Bottom', x, y + rect.height, x + rect.width, y + rect.height],
    ['Left', x, y, x, y + rect.height],
  ] as const;
  const widths = sides.map(([s]) => parseFloat(cs.getPropertyValue(`border-${s.toLowerCase()}-width`)) || 0);
  const colours = sides.map(([s]) => cs.getPropertyValue(`border-${s.toLowerCase()}-color`));
  const styles = sides.map(([s]) => cs.getPropertyValue(`border-${s.toLowerCase()}-style`));
  const drawn = widths.map((w, i) => w > 0 && styles[i] !== 'none' && visibleColour(colours[i]));
  if (drawn.every(Boolean) && new Set(colours).size === 1) {
    const w = widths[0];
    f.out.push(
      `<rect x="${num(x + w / 2)}" y="${num(y + w / 2)}" width="${num(rect.width - w)}" height="${num(rect.height - w)}" rx="${num(rx)}" fill="none" stroke="${colours[0]}" stroke-width="${num(w)}"${styles[0] === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    return;
  }
  sides.forEach(([, x1, y1, x2, y2], i) => {
    if (!drawn[i]) return;
    f.out.push(
      `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${colours[i]}" stroke-width="${num(widths[i])}"/>`,
    );
  });
}

function inlineSvg(f: Frame, svg: SVGSVGElement, rect: DOMRect): void {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((orig, i) => {
    const copy = copies[i];
    if (!(orig instanceof SVGElement) || !copy) return;
    const cs = getComputedStyle(orig);
    for (const p of SVG_STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      if (v && v !== 'auto' && v !== 'normal') copy.setAttribute(p, v);
    }
    if (cs.display === 'none' || cs.visibility === 'hidden') copy.setAttribute('display', 'none');
    copy.removeAttribute('class');
    copy.removeAttribute('style');
  });
  clone.setAttribute('x', num(rect.left - f.left));
  clone.setAttribute('y', num(rect.top - f.top));
  clone.setAttribute('width', num(rect.width));
  clone.setAttribute('height', num(rect.height));
  if (!clone.getAttribute('viewBox'))
    clone.setAttribute('viewBox', `0 0 ${num(rect.width)} ${num(rect.height)}`);
  clone.setAttribute('overflow', 'visible');
  f.out.push(new XMLSerializer().serializeToString(clone));
}

function image(f: Frame, href: string, rect: DOMRect): void {
  f.out.push(
    `<image x="${num(rect.left - f.left)}" y="${num(rect.top - f.top)}" width="${num(rect.width)}" height="${num(rect.height)}" preserveAspectRatio="none" href="${escapeXml(href)}"/>`,
  );
}

function formControl(f: Frame, el: HTMLElement, rect: DOMRect, cs: CSSStyleDeclaration): void {
  const x = rect.left - f.left;
  const y = rect.top - f.top;
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
    const accent = '#0369a1';
    const r = Math.min(rect.width, rect.height) / 2;
    const shape =
      el.type === 'radio'
        ? `<circle cx="${num(x + r)}" cy="${num(y + r)}" r="${num(r - 1)}" fill="white" stroke="#475569"/>` +
          (el.checked
            ? `<circle cx="${num(x + r)}" cy="${num(y + r)}" r="${num(r / 2)}" fill="${accent}"/>`
            : '')
        : `<rect x="${num(x + 0.5)}" y="${num(y + 0.5)}" width="${num(rect.width - 1)}" height="${num(rect.height - 1)}" rx="2" fill="${el.checked ? accent : 'white'}" stroke="#475569"/>` +
          (el.checked
            ? `<path d="M${num(x + rect.width * 0.22)} ${num(y + rect.height * 0.5)} l${num(rect.width * 0.2)} ${num(rect.height * 0.22)} l${num(rect.width * 0.38)} ${num(-rect.height * 0.44)}" fill="none" stroke="white" stroke-width="2"/>`
            : '');
    f.out.push(shape);
    return;
  }
  if (el instanceof HTMLInputElement && el.type === 'range') {
    const min = Number(el.min || 0);
    const max = Number(el.max || 100);
    const t = max > min ? (Number(el.value) - min) / (max - min) : 0;
    const cy = y + rect.height / 2;
    f.out.push(
      `<line x1="${num(x)}" y1="${num(cy)}" x2="${num(x + rect.width)}" y2="${num(cy)}" stroke="#94a3b8" stroke-width="4"/><circle cx="${num(x + t * rect.width)}" cy="${num(cy)}" r="7" fill="#0369a1"/>`,
    );
    return;
  }
  box(f, rect, cs);
  const text =
    el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : (el as HTMLInputElement).value;
  emitText(f, rect.left + (parseFloat(cs.paddingLeft) || 4), rect, text, cs);
}

function isScreenReaderOnly(el: HTMLElement, cs: CSSStyleDeclaration): boolean {
  return cs.position === 'absolute' && el.offsetWidth <= 1 && el.offsetHeight <= 1;
}

function walk(f: Frame, node: Node): void {
  if (node.nodeType === Node.TEXT_NODE) {
    textNode(f, node as Text);
    return;
  }
  if (!(node instanceof Element)) return;
  const cs = getComputedStyle(node);
  if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return;
  const rect = node.getBoundingClientRect();
  if (node instanceof SVGSVGElement) {
    if (rect.width > 0 && rect.height > 0) inlineSvg(f, node, rect);
    return;
  }
  if (!(node instanceof HTMLElement)) return;
  if (isScreenReaderOnly(node, cs)) return;
  if (node instanceof HTMLCanvasElement) {
    if (rect.width > 0 && rect.height > 0 && node.width > 0) image(f, node.toDataURL('image/png'), rect);
    return;
  }
  if (node instanceof HTMLImageElement) {
    if (node.src) image(f, node.src, rect);
    return;
  }
  if (
    node instanceof HTMLInputElement ||
    node instanceof HTMLSelectElement ||
    node instanceof HTMLTextAreaElement
  ) {
    formControl(f, node, rect, cs);
    return;
  }
  if (node instanceof HTMLDetailsElement && !node.open) {
    const summary = node.querySelector(':scope > summary');
    if (summary) walk(f, summary);
    return;
  }
  if (rect.width > 0 && rect.height > 0) box(f, rect, cs);
  for (const child of node.childNodes) walk(f, child);
}

/** `root` (a view panel, possibly scrolled) as an SVG document with a title band on top. */
export function snapshotElement(root: HTMLElement, title: string): Snapshot {
  const rootRect = root.getBoundingClientRect();
  const width = Math.ceil(Math.max(root.clientWidth, root.scrollWidth) || rootRect.width);
  const contentH = Math.ceil(Math.max(root.scrollHeight, rootRect.height));
  const height = contentH + HEADER_H;
  const frame: Frame = {
    left: rootRect.left - root.scrollLeft,
    top: rootRect.top - root.scrollTop - HEADER_H,
    out: [],
  };
  for (const child of root.childNodes) walk(frame, child);
  const font = escapeXml(getComputedStyle(root).fontFamily);
  const svg =
    `<svg xmlns="${SVG_NS}" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    `<rect width="${width}" height="${HEADER_H}" fill="#0f172a"/>` +
    `<text x="12" y="${HEADER_H / 2}" dominant-baseline="central" font-family="${font}" font-size="18" font-weight="700" fill="#ffffff">${escapeXml(title)}</text>` +
    frame.out.join('') +
    `</svg>`;
  return { svg, width, height };
}
