import { loadTraceFolder, exportTraceFolder, type TraceExportLayer } from '../sim/traces/folder';
import { prepareNetwork, simulateNetwork, type PreparedNetwork } from '../sim/pipeline';
import type { SimConfig } from '../sim/config';
import type { SimReport } from '../sim/report';
import { readTraceDir, writeTraceDir } from './traceFolder';
import { loadInputs } from './assets';

/** Simulates a DNNsim trace folder: layers named as in its trace_params.csv. */
export function runTraces(dir: string, config: SimConfig): SimReport {
  const folder = loadTraceFolder(readTraceDir(dir), { maxImages: config.images });
  for (const w of folder.warnings) process.stderr.write(`effectual: warning: ${w}\n`);
  const prepared: PreparedNetwork = {
    config,
    model: { name: `traces:${dir}`, synthetic: false, source: dir, inputShape: [] },
    layers: folder.layers,
    floatWeights: [],
    quantized: [],
    actProfiles: folder.precisions.map((p) => ({ mag: p.actMag, frac: p.actFrac })),
  };
  return simulateNetwork(prepared, { ...config, model: `traces:${dir}` });
}

/** Bits (incl. sign) needed to hold every code of a tensor as a signed fixed-point integer. */
function bitsFor(codes: Int32Array): number {
  let m = 0;
  for (let i = 0; i < codes.length; i++) m = Math.max(m, Math.abs(codes[i]));
  return Math.max(2, Math.ceil(Math.log2(m + 1)) + 1);
}

/**
 * Writes the model's quantised per-layer tensors as a DNNsim trace folder. Values are written as
 * code·2^−frac with the (mag, frac) the codes were made with, so reading the folder back with the
 * profiled rule gives the same codes (weights whose scheme has no fixed-point profile use frac 0).
 */
export function exportTraces(dir: string, config: SimConfig): void {
  const prepared = prepareNetwork(config, loadInputs(config.model));
  const layers: TraceExportLayer[] = prepared.layers.map((w, i) => {
    const meta = prepared.quantized[i]?.meta ?? {};
    const fixed = typeof meta.mag === 'number' && typeof meta.frac === 'number';
    const wgtMag = fixed ? (meta.mag as number) : bitsFor(w.weights);
    const wgtFrac = fixed ? (meta.frac as number) : 0;
    const act = prepared.actProfiles[i];
    const scaleA = 2 ** -act.frac;
    const scaleW = 2 ** -wgtFrac;
    return {
      name: w.name,
      geometry: w.geometry,
      actsFloat: w.acts.map((a) => Float32Array.from(a, (v) => v * scaleA)),
      weightsFloat: Float32Array.from(w.weights, (v) => v * scaleW),
      precision: { actMag: act.mag, actFrac: act.frac, wgtMag, wgtFrac },
    };
  });
  writeTraceDir(dir, exportTraceFolder(layers));
}
