import { DNNSIM_DEFAULT_PROFILES, profiledCode } from '../quant/fixedPoint';
import { layerMacs, type LayerGeometry, type LayerWork } from '../types';
import { convFootprint } from '../model/footprint';
import { DEFAULT_LOAD_LIMITS } from '../model/types';
import { DEFAULT_MAX_ELEMENTS, npyValues, readNpy, type NpyArray } from './npy';
import {
  dnnsimLayerType,
  parseModelCsv,
  parsePrecisionTxt,
  parseTraceParams,
  TraceFormatError,
  type LayerPrecision,
} from './params';

/**
 * A DNNsim trace folder (docs/dnnsim-parameters.md): `trace_params.csv`, optional `precision.txt`,
 * `act-<layer>-<n>.npy` (N × C × H × W float32, one file per DNNsim batch n) and `wgt-<layer>.npy`
 * (K × C × Kx × Ky float32). The folder is an abstract file map so the browser can hand in dropped files.
 */
export interface TraceFiles {
  /** File names; entries with directory prefixes are matched by their last path component. */
  list(): string[];
  read(name: string): Uint8Array;
}

export interface TraceLoadOptions {
  /**
   * 'profiled' (default, DNNsim's Fixed16 input): per-layer (mag, frac) from precision.txt, DNNsim's generic
   * precisions when the file is absent. 'generic': always the generic precisions.
   */
  precision?: 'profiled' | 'generic';
  /** DNNsim `network_bits`: picks the generic precisions and becomes each layer's `wb` (default 16). */
  networkBits?: 16 | 8;
  /** Which act-<layer>-<n>.npy batches to read (default: every n present for the first layer). */
  batches?: number[];
  /** Keep at most this many images per layer (in batch order, then index within the batch). */
  maxImages?: number;
  /**
   * Element cap per .npy file (see readNpy), also applied to each conv layer's padded or space-to-depth
   * form, which the simulators build (default 2^28).
   */
  maxElements?: number;
  /** Largest accepted conv/FC multiply-accumulates per image over all layers (default 20e9, as for ONNX). */
  maxMacs?: number;
}

export interface TraceFolder {
  layers: LayerWork[];
  warnings: string[];
  /** The (mag, frac) pairs the codes were made with, per layer. */
  precisions: LayerPrecision[];
}

/** DNNsim's precisions when no profile is used (16-bit: 14:2 / 1:15; 8-bit: 7:1 / 1:7). */
export function genericPrecision(networkBits: 16 | 8): LayerPrecision {
  const d = DNNSIM_DEFAULT_PROFILES[networkBits];
  return {
    actMag: d.activations.mag,
    actFrac: d.activations.frac,
    wgtMag: d.weights.mag,
    wgtFrac: d.weights.frac,
  };
}

interface LayerDef {
  name: string;
  where: string; // "trace_params.csv line 3"
  stride: number;
  padding: number;
  csv?: { K: number; Kx: number; Ky: number };
  declaredFc: boolean;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

class FileIndex {
  private readonly byBase = new Map<string, string[]>();
  readonly used = new Set<string>();

  constructor(private readonly files: TraceFiles) {
    for (const full of files.list()) {
      const base = baseName(full);
      const list = this.byBase.get(base);
      if (list) list.push(full);
      else this.byBase.set(base, [full]);
    }
  }

  has(base: string): boolean {
    return this.byBase.has(base);
  }

  names(): string[] {
    return [...this.byBase.keys()];
  }

  read(base: string): Uint8Array {
    const list = this.byBase.get(base);
    if (!list) throw new TraceFormatError(`trace folder: missing ${base}`);
    if (list.length > 1)
      throw new TraceFormatError(`trace folder: ${base} is ambiguous (${list.join(', ')})`);
    this.used.add(base);
    return this.files.read(list[0]);
  }

  text(base: string): string {
    return new TextDecoder('utf-8').decode(this.read(base));
  }
}

function layerDefs(index: FileIndex, warnings: string[]): LayerDef[] {
  if (index.has('trace_params.csv')) {
    return parseTraceParams(index.text('trace_params.csv')).map((r) => {
      const type = dnnsimLayerType(r.name);
      if (type !== 'Convolution' && type !== 'InnerProduct') {
        warnings.push(
          `layer '${r.name}': DNNsim would read it as ${type} (from its name); read here as conv/FC from its tensors`,
        );
      }
      return {
        name: r.name,
        where: `trace_params.csv line ${r.line}`,
        stride: r.stride,
        padding: r.padding,
        csv: { K: r.K, Kx: r.Kx, Ky: r.Ky },
        declaredFc: type === 'InnerProduct',
      };
    });
  }
  if (index.has('model.csv')) {
    return parseModelCsv(index.text('model.csv')).map((r) => {
      if (r.type === 'lstm')
        throw new TraceFormatError(`model.csv line ${r.line}: LSTM layer '${r.name}' is not supported`);
      return {
        name: r.name,
        where: `model.csv line ${r.line}`,
        stride: r.stride,
        padding: r.padding,
        declaredFc: r.type === 'fc',
      };
    });
  }
  throw new TraceFormatError('trace folder: no trace_params.csv (nor DNNsim HEAD model.csv) found');
}

function batchesOf(index: FileIndex, layer: string): number[] {
  const prefix = `act-${layer}-`;
  const found: number[] = [];
  for (const base of index.names()) {
    if (!base.startsWith(prefix) || !base.endsWith('.npy')) continue;
    const n = base.slice(prefix.length, -'.npy'.length);
    if (/^\d+$/.test(n)) found.push(Number(n));
  }
  return found.sort((a, b) => a - b);
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
const shapeText = (dims: readonly number[]) => `(${dims.join(', ')})`;

function toCodes(
  values: ArrayLike<number>,
  start: number,
  length: number,
  mag: number,
  frac: number,
  where: string,
) {
  const out = new Int32Array(length);
  const scale = 2 ** frac;
  const lim = 2 ** (mag - 1 + frac) - 1;
  for (let i = 0; i < length; i++) {
    const x = values[start + i];
    if (Number.isNaN(x)) throw new TraceFormatError(`${where}: element ${start + i} is NaN`);
    out[i] = profiledCode(x, scale, lim);
  }
  return out;
}

interface LayerImages {
  perImage: number[]; // shape of one image (C, H, W) or (C)
  files: Array<{ name: string; array: NpyArray; count: number }>;
}

function readImages(
  index: FileIndex,
  def: LayerDef,
  batches: number[],
  maxImages: number,
  maxElements?: number,
): LayerImages {
  const files: LayerImages['files'] = [];
  let perImage: number[] | undefined;
  let total = 0;
  for (const n of batches) {
    if (total >= maxImages) break;
    const name = `act-${def.name}-${n}.npy`;
    if (!index.has(name)) throw new TraceFormatError(`layer '${def.name}' (${def.where}): missing ${name}`);
    const array = readNpy(index.read(name), { name, maxElements });
    if (array.shape.length !== 4 && array.shape.length !== 2) {
      throw new TraceFormatError(
        `${name}: shape ${shapeText(array.shape)} is not N x C x H x W (or N x C for an FC layer)`,
      );
    }
    const rest = array.shape.slice(1);
    if (perImage && shapeText(rest) !== shapeText(perImage)) {
      throw new TraceFormatError(
        `${name}: images of shape ${shapeText(rest)} differ from the earlier batch's ${shapeText(perImage)}`,
      );
    }
    perImage = rest;
    const count = Math.min(array.shape[0], maxImages - total);
    total += count;
    files.push({ name, array, count });
  }
  if (!perImage || total === 0)
    throw new TraceFormatError(`layer '${def.name}': the activation files hold no images`);
  return { perImage, files };
}

function geometryOf(
  def: LayerDef,
  perImage: number[],
  wgt: NpyArray,
  wgtName: string,
  warnings: string[],
  maxElements: number,
): LayerGeometry {
  const ws = wgt.shape;
  if (ws.length !== 4 && ws.length !== 2) {
    throw new TraceFormatError(
      `${wgtName}: shape ${shapeText(ws)} is not K x C x Kx x Ky (or K x C for an FC layer)`,
    );
  }
  const K = ws[0];
  if (K < 1) throw new TraceFormatError(`${wgtName}: no filters`);
  if (ws.some((d) => d < 1))
    throw new TraceFormatError(`${wgtName}: shape ${shapeText(ws)} has a zero dimension`);
  if (perImage.some((d) => d < 1)) {
    throw new TraceFormatError(
      `layer '${def.name}': activations of shape ${shapeText(perImage)} per image have a zero dimension`,
    );
  }
  const fc =
    def.declaredFc ||
    ws.length === 2 ||
    perImage.length === 1 ||
    (perImage[1] === 1 && perImage[2] === 1 && ws[2] === 1 && ws[3] === 1);
  let g: LayerGeometry;
  if (fc) {
    const C = product(perImage);
    if (product(ws.slice(1)) !== C) {
      throw new TraceFormatError(
        `layer '${def.name}' (FC): ${wgtName} ${shapeText(ws)} does not match the ${C} input features of its activations ${shapeText(perImage)}`,
      );
    }
    if (def.stride !== 1 || def.padding !== 0) {
      warnings.push(
        `layer '${def.name}' (${def.where}): FC layer, stride ${def.stride} / padding ${def.padding} ignored`,
      );
    }
    g = { kind: 'fc', C, H: 1, W: 1, K, Kh: 1, Kw: 1, stride: 1, pad: 0 };
  } else {
    const [C, H, W] = perImage;
    if (ws[1] !== C) {
      throw new TraceFormatError(
        `layer '${def.name}': ${wgtName} has ${ws[1]} input channels, the activations ${C} (grouped/depthwise convolutions are not supported)`,
      );
    }
    g = { kind: 'conv', C, H, W, K, Kh: ws[2], Kw: ws[3], stride: def.stride, pad: def.padding };
    if (H + 2 * g.pad < g.Kh || W + 2 * g.pad < g.Kw) {
      throw new TraceFormatError(
        `layer '${def.name}': ${g.Kh}x${g.Kw} kernel is larger than the padded ${H + 2 * g.pad}x${W + 2 * g.pad} input`,
      );
    }
  }
  const footprint = convFootprint(g);
  if (footprint > maxElements) {
    throw new TraceFormatError(
      `layer '${def.name}' (${def.where}): with padding ${g.pad} and stride ${g.stride} its padded or ` +
        `space-to-depth input or weights would hold ${footprint} elements, more than the limit of ${maxElements} ` +
        '(option maxElements)',
    );
  }
  if (def.csv && (def.csv.K !== g.K || def.csv.Kx !== g.Kh || def.csv.Ky !== g.Kw)) {
    warnings.push(
      `layer '${def.name}' (${def.where}): K,Kx,Ky = ${def.csv.K},${def.csv.Kx},${def.csv.Ky} but the tensors give ` +
        `${g.K},${g.Kh},${g.Kw}; the tensors are used (as DNNsim does)`,
    );
  }
  return g;
}

/**
 * Reads a DNNsim trace folder into LayerWork records: geometry from the tensors and trace_params.csv,
 * codes by DNNsim's profiled fixed point (quantization.md §3) with the layer's (mag, frac).
 */
export function loadTraceFolder(files: TraceFiles, opts: TraceLoadOptions = {}): TraceFolder {
  const warnings: string[] = [];
  const index = new FileIndex(files);
  const networkBits = opts.networkBits ?? 16;
  const maxImages = opts.maxImages ?? Infinity;
  if (!(maxImages >= 1)) throw new TraceFormatError(`maxImages must be >= 1, got ${opts.maxImages}`);
  const defs = layerDefs(index, warnings);
  const names = defs.map((d) => d.name);

  let precisions: LayerPrecision[];
  if (opts.precision !== 'generic' && index.has('precision.txt')) {
    const parsed = parsePrecisionTxt(index.text('precision.txt'), names);
    precisions = parsed.precisions;
    warnings.push(...parsed.warnings);
  } else {
    const g = genericPrecision(networkBits);
    if (opts.precision !== 'generic') {
      warnings.push(
        `precision.txt not found: DNNsim generic precisions for a ${networkBits}-bit network ` +
          `(activations ${g.actMag}:${g.actFrac}, weights ${g.wgtMag}:${g.wgtFrac})`,
      );
    }
    precisions = names.map(() => ({ ...g }));
  }

  const batches = opts.batches ?? batchesOf(index, names[0]);
  if (batches.some((n) => !Number.isSafeInteger(n) || n < 0) || new Set(batches).size !== batches.length) {
    throw new TraceFormatError(`batches must be distinct integers >= 0, got [${batches.join(', ')}]`);
  }
  if (batches.length === 0)
    throw new TraceFormatError(`trace folder: no act-${names[0]}-<n>.npy for the first layer`);

  let firstConv = true;
  let totalMacs = 0;
  const maxMacs = opts.maxMacs ?? DEFAULT_LOAD_LIMITS.maxMacs;
  const layers = defs.map((def, i): LayerWork => {
    const wgtName = `wgt-${def.name}.npy`;
    if (!index.has(wgtName))
      throw new TraceFormatError(`layer '${def.name}' (${def.where}): missing ${wgtName}`);
    const wgt = readNpy(index.read(wgtName), { name: wgtName, maxElements: opts.maxElements });
    const images = readImages(index, def, batches, maxImages, opts.maxElements);
    const geometry = geometryOf(
      def,
      images.perImage,
      wgt,
      wgtName,
      warnings,
      opts.maxElements ?? DEFAULT_MAX_ELEMENTS,
    );
    totalMacs += layerMacs(geometry);
    if (totalMacs > maxMacs) {
      throw new TraceFormatError(
        `layer '${def.name}': the conv/FC work per image reaches ${totalMacs} MACs, more than the limit of ` +
          `${maxMacs} (option maxMacs)`,
      );
    }
    const p = precisions[i];
    const weights = toCodes(npyValues(wgt), 0, wgt.data.length, p.wgtMag, p.wgtFrac, wgtName);
    const perImage = product(images.perImage);
    const acts: Int32Array[] = [];
    for (const f of images.files) {
      const values = npyValues(f.array);
      for (let j = 0; j < f.count; j++)
        acts.push(toCodes(values, j * perImage, perImage, p.actMag, p.actFrac, f.name));
    }
    const isFirst = firstConv && geometry.kind === 'conv';
    if (isFirst) firstConv = false;
    return {
      name: def.name,
      index: i,
      geometry,
      weights,
      acts,
      pa: p.actMag + p.actFrac,
      pw: p.wgtMag + p.wgtFrac,
      wb: networkBits,
      isFirst,
      synthetic: false,
    };
  });

  const counts = new Set(layers.map((l) => l.acts.length));
  if (counts.size > 1) warnings.push(`layers hold different numbers of images (${[...counts].join(', ')})`);
  const unused = index.names().filter((n) => /^(act|wgt)-.*\.npy$/.test(n) && !index.used.has(n));
  if (unused.length > 0) {
    const shown = unused.sort().slice(0, 5).join(', ');
    warnings.push(`${unused.length} trace file(s) not used: ${shown}${unused.length > 5 ? ', …' : ''}`);
  }
  return { layers, warnings, precisions };
}

export { exportTraceFolder, type TraceExportLayer } from './export';
