/**
 * The text files of a DNNsim trace folder (isakedo/DNNsim, `interface/src/NetReader.cpp` and README, 2019;
 * `base/src/NetReader.cpp` at HEAD):
 *
 * - `trace_params.csv`: one line per layer, `name,K,Kx,Ky,stride,padding`, or with the input layer's name
 *   as second field (7 fields). DNNsim reads no header line; we also accept one.
 * - `model.csv` (DNNsim HEAD's replacement): `name,type(conv|fc|lstm),stride,padding`.
 * - `precision.txt`: a first line that is skipped, then four lines of `;`-separated integers, one entry per
 *   layer in layer order: activation magnitude (incl. the sign bit), activation fraction, weight magnitude,
 *   weight fraction. A layer's precision is magnitude + fraction.
 */

export class TraceFormatError extends Error {}

export interface TraceParamsRow {
  name: string;
  /** Optional input layer name (7-field lines); unused by DNNsim's simulations. */
  input?: string;
  K: number;
  Kx: number;
  Ky: number;
  stride: number;
  padding: number;
  /** 1-based line number in the file. */
  line: number;
}

export interface ModelCsvRow {
  name: string;
  type: 'conv' | 'fc' | 'lstm';
  stride: number;
  padding: number;
  line: number;
}

/** Per-layer (mag, frac) pairs as in precision.txt; `mag` counts the sign bit. */
export interface LayerPrecision {
  actMag: number;
  actFrac: number;
  wgtMag: number;
  wgtFrac: number;
}

/** The largest precision the accelerator models accept (|code| <= 32767, accelerators.md §1.2). */
export const MAX_PRECISION = 16;

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
}

function parseIntField(raw: string): number | undefined {
  const t = raw.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

/** Integers beyond 2^53 lose their exact value; no trace field comes anywhere near. */
function checkSafe(value: number, label: string, where: string): void {
  if (!Number.isSafeInteger(value)) throw new TraceFormatError(`${where}: ${label} ${value} is too large`);
}

function fields(line: string): string[] {
  return line.split(',').map((f) => f.trim());
}

/** Parses trace_params.csv. Errors name the file, the line and the field. */
export function parseTraceParams(text: string, file = 'trace_params.csv'): TraceParamsRow[] {
  const rows: TraceParamsRow[] = [];
  const names = new Set<string>();
  const all = lines(text);
  let seenData = false;
  all.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const f = fields(raw);
    if (f.length !== 6 && f.length !== 7) {
      throw new TraceFormatError(
        `${file} line ${line}: expected 6 fields (name,K,Kx,Ky,stride,padding) or 7 (with the input layer), got ${f.length}`,
      );
    }
    const numeric = f.slice(f.length - 5);
    const values = numeric.map(parseIntField);
    if (!seenData && values.every((v) => v === undefined)) return; // header line
    const labels = ['K', 'Kx', 'Ky', 'stride', 'padding'];
    values.forEach((v, k) => {
      if (v === undefined)
        throw new TraceFormatError(`${file} line ${line}: ${labels[k]} '${numeric[k]}' is not an integer`);
    });
    const [K, Kx, Ky, stride, padding] = values as number[];
    if (f[0] === '') throw new TraceFormatError(`${file} line ${line}: empty layer name`);
    values.forEach((v, k) => checkSafe(v as number, labels[k], `${file} line ${line}`));
    for (const [label, v, min] of [
      ['K', K, 1],
      ['Kx', Kx, 1],
      ['Ky', Ky, 1],
      ['stride', stride, 1],
      ['padding', padding, 0],
    ] as const) {
      if (v < min) throw new TraceFormatError(`${file} line ${line}: ${label} must be >= ${min}, got ${v}`);
    }
    if (names.has(f[0])) {
      throw new TraceFormatError(`${file} line ${line}: layer name '${f[0]}' appears twice`);
    }
    names.add(f[0]);
    seenData = true;
    rows.push({ name: f[0], input: f.length === 7 ? f[1] : undefined, K, Kx, Ky, stride, padding, line });
  });
  if (rows.length === 0) throw new TraceFormatError(`${file}: no layers`);
  return rows;
}

/** Parses DNNsim HEAD's model.csv (`name,type,stride,padding`). */
export function parseModelCsv(text: string, file = 'model.csv'): ModelCsvRow[] {
  const rows: ModelCsvRow[] = [];
  const names = new Set<string>();
  let seenData = false;
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const f = fields(raw);
    if (f.length !== 4) {
      throw new TraceFormatError(
        `${file} line ${line}: expected 4 fields (name,type,stride,padding), got ${f.length}`,
      );
    }
    const stride = parseIntField(f[2]);
    const padding = parseIntField(f[3]);
    if (!seenData && stride === undefined && padding === undefined) return; // header line
    if (f[1] !== 'conv' && f[1] !== 'fc' && f[1] !== 'lstm') {
      throw new TraceFormatError(`${file} line ${line}: type '${f[1]}' is not conv, fc or lstm`);
    }
    if (stride === undefined || stride < 1)
      throw new TraceFormatError(`${file} line ${line}: stride '${f[2]}' is not an integer >= 1`);
    if (padding === undefined || padding < 0) {
      throw new TraceFormatError(`${file} line ${line}: padding '${f[3]}' is not an integer >= 0`);
    }
    if (f[0] === '') throw new TraceFormatError(`${file} line ${line}: empty layer name`);
    checkSafe(stride, 'stride', `${file} line ${line}`);
    checkSafe(padding, 'padding', `${file} line ${line}`);
    if (names.has(f[0]))
      throw new TraceFormatError(`${file} line ${line}: layer name '${f[0]}' appears twice`);
    names.add(f[0]);
    seenData = true;
    rows.push({ name: f[0], type: f[1], stride, padding, line });
  });
  if (rows.length === 0) throw new TraceFormatError(`${file}: no layers`);
  return rows;
}

const PRECISION_LINES = [
  'activation magnitude',
  'activation fraction',
  'weight magnitude',
  'weight fraction',
];

export interface ParsedPrecision {
  precisions: LayerPrecision[];
  warnings: string[];
}

/**
 * Parses precision.txt for `layerNames.length` layers (matched by position, as DNNsim does). Trailing `;`
 * and surrounding spaces are accepted; every precision must satisfy mag − 1 + frac >= 0 and
 * mag + frac <= 16.
 */
export function parsePrecisionTxt(
  text: string,
  layerNames: readonly string[],
  file = 'precision.txt',
): ParsedPrecision {
  const all = lines(text);
  const warnings: string[] = [];
  for (let k = 0; k < 4; k++) {
    if (all[k + 1] === undefined || all[k + 1].trim() === '') {
      throw new TraceFormatError(
        `${file} line ${k + 2}: missing the ${PRECISION_LINES[k]} line (the file needs 5 lines: DNNsim skips the first as a header)`,
      );
    }
  }
  const columns: number[][] = [];
  for (let k = 0; k < 4; k++) {
    const line = k + 2;
    const raw = all[k + 1];
    const tokens = raw.split(';').map((t) => t.trim());
    while (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
    const values = tokens.map((t, j) => {
      const v = parseIntField(t);
      if (v === undefined)
        throw new TraceFormatError(`${file} line ${line}: entry ${j + 1} '${t}' is not an integer`);
      checkSafe(v, `entry ${j + 1}`, `${file} line ${line}`);
      return v;
    });
    if (values.length < layerNames.length) {
      throw new TraceFormatError(
        `${file} line ${line}: ${values.length} ${PRECISION_LINES[k]} entries for ${layerNames.length} layers`,
      );
    }
    if (values.length > layerNames.length) {
      warnings.push(
        `${file} line ${line}: ${values.length - layerNames.length} extra entries ignored (DNNsim ignores them too)`,
      );
    }
    columns.push(values);
  }
  if (all.slice(5).some((l) => l.trim() !== '')) warnings.push(`${file}: lines after line 5 ignored`);
  const precisions = layerNames.map((name, i) => {
    const p: LayerPrecision = {
      actMag: columns[0][i],
      actFrac: columns[1][i],
      wgtMag: columns[2][i],
      wgtFrac: columns[3][i],
    };
    checkPair(p.actMag, p.actFrac, `${file}: layer ${i + 1} '${name}' activations`);
    checkPair(p.wgtMag, p.wgtFrac, `${file}: layer ${i + 1} '${name}' weights`);
    return p;
  });
  return { precisions, warnings };
}

function checkPair(mag: number, frac: number, where: string): void {
  if (mag - 1 + frac < 0)
    throw new TraceFormatError(
      `${where}: mag ${mag} + frac ${frac} leaves no bits (need mag - 1 + frac >= 0)`,
    );
  if (mag + frac > MAX_PRECISION) {
    throw new TraceFormatError(
      `${where}: precision mag + frac = ${mag + frac} exceeds ${MAX_PRECISION} bits`,
    );
  }
}

/** Validates a precision record (used before export). */
export function checkPrecision(p: LayerPrecision, where: string): void {
  for (const v of [p.actMag, p.actFrac, p.wgtMag, p.wgtFrac]) {
    if (!Number.isInteger(v)) throw new TraceFormatError(`${where}: precision entries must be integers`);
  }
  checkPair(p.actMag, p.actFrac, `${where} activations`);
  checkPair(p.wgtMag, p.wgtFrac, `${where} weights`);
}

/** precision.txt in DNNsim's layout, with the README's header line and trailing ';'. */
export function formatPrecisionTxt(precisions: readonly LayerPrecision[]): string {
  const row = (f: (p: LayerPrecision) => number) => precisions.map((p) => `${f(p)};`).join('');
  return [
    'magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction',
    row((p) => p.actMag),
    row((p) => p.actFrac),
    row((p) => p.wgtMag),
    row((p) => p.wgtFrac),
    '',
  ].join('\n');
}

/** trace_params.csv without a header line (DNNsim's reader would fail on one). */
export function formatTraceParams(rows: ReadonlyArray<Omit<TraceParamsRow, 'line' | 'input'>>): string {
  return rows.map((r) => `${r.name},${r.K},${r.Kx},${r.Ky},${r.stride},${r.padding}\n`).join('');
}

/**
 * DNNsim's layer type from the name (trace_params.csv reader): 'decoder' / 'encoder' first, then 'fc',
 * 'inner_prod' or 'Linear' make an InnerProduct layer, 'lstm' an LSTM, anything else a Convolution.
 */
export function dnnsimLayerType(
  name: string,
): 'Decoder' | 'Encoder' | 'InnerProduct' | 'LSTM' | 'Convolution' {
  if (name.includes('decoder')) return 'Decoder';
  if (name.includes('encoder')) return 'Encoder';
  if (name.includes('fc') || name.includes('inner_prod') || name.includes('Linear')) return 'InnerProduct';
  if (name.includes('lstm')) return 'LSTM';
  return 'Convolution';
}
