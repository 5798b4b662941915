import type { LayerGeometry } from '../types';
import { writeNpy } from './npy';
import {
  checkPrecision,
  formatPrecisionTxt,
  formatTraceParams,
  TraceFormatError,
  type LayerPrecision,
} from './params';

export interface TraceExportLayer {
  name: string;
  geometry: LayerGeometry;
  /** One C*H*W float tensor per image (layer input, unpadded, NCHW). */
  actsFloat: Float32Array[];
  /** K*C*Kh*Kw float weights (PyTorch order). */
  weightsFloat: Float32Array;
  precision: LayerPrecision;
}

/**
 * Writes layers as a DNNsim trace folder: trace_params.csv (no header), precision.txt, act-<name>-0.npy
 * (all images as one batch, N × C × H × W; FC layers N × C × 1 × 1) and wgt-<name>.npy (K × C × Kh × Kw).
 */
export function exportTraceFolder(layers: readonly TraceExportLayer[]): Map<string, Uint8Array> {
  if (layers.length === 0) throw new TraceFormatError('exportTraceFolder: no layers');
  const out = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  for (const layer of layers) {
    const { name, geometry: g } = layer;
    if (!/^[^,;/\\\r\n]+$/.test(name) || name.trim() !== name) {
      throw new TraceFormatError(
        `exportTraceFolder: layer name '${name}' cannot be written (no , ; / \\ newlines or outer spaces)`,
      );
    }
    if (seen.has(name)) throw new TraceFormatError(`exportTraceFolder: layer name '${name}' appears twice`);
    seen.add(name);
    checkPrecision(layer.precision, `exportTraceFolder: layer '${name}'`);
    const H = g.kind === 'fc' ? 1 : g.H;
    const W = g.kind === 'fc' ? 1 : g.W;
    const perImage = g.C * H * W;
    if (layer.actsFloat.length === 0)
      throw new TraceFormatError(`exportTraceFolder: layer '${name}' has no images`);
    layer.actsFloat.forEach((a, n) => {
      if (a.length !== perImage) {
        throw new TraceFormatError(
          `exportTraceFolder: layer '${name}' image ${n} has ${a.length} values, geometry needs ${perImage}`,
        );
      }
    });
    const wgtCount = g.K * g.C * g.Kh * g.Kw;
    if (layer.weightsFloat.length !== wgtCount) {
      throw new TraceFormatError(
        `exportTraceFolder: layer '${name}' has ${layer.weightsFloat.length} weights, geometry needs ${wgtCount}`,
      );
    }
    const acts = new Float32Array(perImage * layer.actsFloat.length);
    layer.actsFloat.forEach((a, n) => acts.set(a, n * perImage));
    out.set(`act-${name}-0.npy`, writeNpy({ data: acts, shape: [layer.actsFloat.length, g.C, H, W] }));
    out.set(`wgt-${name}.npy`, writeNpy({ data: layer.weightsFloat, shape: [g.K, g.C, g.Kh, g.Kw] }));
  }
  const rows = layers.map(({ name, geometry: g }) => ({
    name,
    K: g.K,
    Kx: g.Kh,
    Ky: g.Kw,
    stride: g.stride,
    padding: g.pad,
  }));
  const encoder = new TextEncoder();
  out.set('trace_params.csv', encoder.encode(formatTraceParams(rows)));
  out.set('precision.txt', encoder.encode(formatPrecisionTxt(layers.map((l) => l.precision))));
  return out;
}
