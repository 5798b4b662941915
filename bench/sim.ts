/**
 * Part 1: how fast the accelerator models simulate whole networks in Node, and how much faster they are than
 * the straightforward reference implementations kept with the tests (same layers, same process, same run).
 */
import { loadInputs } from '../src/cli/assets';
import {
  ACCELERATORS,
  MODEL_IDS,
  layerInput,
  paramsFor,
  simulateLayer,
  withDefaults,
} from '../src/sim/accel';
import type { ModelId, Params } from '../src/sim/accel/types';
import { defaultConfig } from '../src/sim/config';
import { prepareNetwork, type PreparedNetwork } from '../src/sim/pipeline';
import { layerMacs, type LayerWork } from '../src/sim/types';
import type { ReferenceCycles, ReferenceSet } from './references';
import { addElapsed, median, startClock, ZERO_ELAPSED, type Elapsed } from './stats';

export interface SimNetworkPlan {
  /** Built-in model name, e.g. 'resnet18-synthetic'. */
  model: string;
  label: string;
  /** Timed passes of every accelerator over the network; per-layer times are the median over passes. */
  repeats: number;
  /** CPU seconds each reference may spend on this network (layers in ascending MAC order); 0 skips it. */
  referenceBudgetSeconds: number;
}

export interface ReferenceComparison {
  file: string;
  layersRun: number;
  layersTotal: number;
  macsCovered: number;
  macsTotal: number;
  /** Time of the reference on the layers it ran, and of the fast model on exactly those layers. */
  reference: Elapsed;
  fastOnSameLayers: Elapsed;
  /** reference / fast on the same layers (wall and CPU). */
  speedupWall: number;
  speedupCpu: number;
  /** Reference wall seconds for the whole network, extrapolated by MACs when only a subset ran. */
  referenceWholeNetworkWall: number;
  extrapolated: boolean;
  identical: boolean;
  mismatches: Array<{ layer: string; fast: number; reference: number }>;
}

export interface SimAcceleratorResult {
  id: ModelId;
  name: string;
  layers: number;
  /** MACs of the layers this model applies to, times the simulated images. */
  macs: number;
  cycles: number;
  time: Elapsed;
  macsPerSecondWall: number;
  macsPerSecondCpu: number;
  reference?: ReferenceComparison;
  /** The reference implementation threw (it is then left out of the comparison). */
  referenceError?: string;
}

export interface SimNetworkResult {
  model: string;
  label: string;
  layers: number;
  images: number;
  macs: number;
  prepare: Elapsed;
  repeats: number;
  accelerators: SimAcceleratorResult[];
  total: Elapsed;
  /** Σ over accelerators that have a reference: reference time (extrapolated to the network) / fast time. */
  referenceAggregate?: {
    accelerators: ModelId[];
    referenceWall: number;
    fastWall: number;
    speedupWall: number;
    speedupCpu: number;
    minSpeedup: { id: ModelId; speedupCpu: number };
    identical: boolean;
  };
  referenceMissing: ModelId[];
  error?: string;
}

interface AcceleratorRun {
  id: ModelId;
  params: Params;
  layers: number[];
  perLayer: Elapsed[];
  cycles: number[];
}

function applicableLayers(prepared: PreparedNetwork, id: ModelId, params: Params): number[] {
  const model = ACCELERATORS[id];
  return prepared.layers.flatMap((work, i) => (model.appliesTo(work, params) ? [i] : []));
}

function medianElapsed(samples: Elapsed[]): Elapsed {
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/** Times every layer of every accelerator `repeats` times; a pass runs all accelerators before the next pass. */
function timeAccelerators(
  prepared: PreparedNetwork,
  ids: readonly ModelId[],
  repeats: number,
): AcceleratorRun[] {
  const runs: AcceleratorRun[] = ids.map((id) => {
    const params = withDefaults(ACCELERATORS[id], paramsFor(id, prepared.config.params));
    return { id, params, layers: applicableLayers(prepared, id, params), perLayer: [], cycles: [] };
  });
  const samples = runs.map((r) => r.layers.map(() => [] as Elapsed[]));
  for (let pass = 0; pass < repeats; pass++)
    runs.forEach((run, a) => {
      const model = ACCELERATORS[run.id];
      run.layers.forEach((layer, k) => {
        const stop = startClock();
        const result = simulateLayer(model, prepared.layers[layer], run.params);
        samples[a][k].push(stop());
        run.cycles[k] = result.cycles;
      });
    });
  runs.forEach((run, a) => (run.perLayer = samples[a].map(medianElapsed)));
  return runs;
}

function compareWithReference(
  prepared: PreparedNetwork,
  run: AcceleratorRun,
  ref: { fn: ReferenceCycles; file: string },
  budgetSeconds: number,
): ReferenceComparison {
  const macsOf = (i: number) => layerMacs(prepared.layers[i].geometry);
  // Ascending MACs: a time budget then covers as many layers (and layer kinds) as it can.
  const order = run.layers
    .map((layer, k) => ({ layer, k }))
    .sort((a, b) => macsOf(a.layer) - macsOf(b.layer));
  let referenceTime: Elapsed = ZERO_ELAPSED;
  let fastTime: Elapsed = ZERO_ELAPSED;
  let macsCovered = 0;
  let layersRun = 0;
  const mismatches: ReferenceComparison['mismatches'] = [];
  for (const { layer, k } of order) {
    if (layersRun > 0 && referenceTime.cpu >= budgetSeconds) break;
    const work: LayerWork = prepared.layers[layer];
    // One image per configuration (defaultConfig), so the fast model's mean equals its image-0 cycles.
    const stop = startClock();
    const refCycles = ref.fn(layerInput(work, 0), run.params);
    referenceTime = addElapsed(referenceTime, stop());
    fastTime = addElapsed(fastTime, run.perLayer[k]);
    macsCovered += macsOf(layer);
    layersRun++;
    if (refCycles !== run.cycles[k])
      mismatches.push({ layer: work.name, fast: run.cycles[k], reference: refCycles });
  }
  const macsTotal = run.layers.reduce((s, i) => s + macsOf(i), 0);
  return {
    file: ref.file,
    layersRun,
    layersTotal: run.layers.length,
    macsCovered,
    macsTotal,
    reference: referenceTime,
    fastOnSameLayers: fastTime,
    speedupWall: referenceTime.wall / Math.max(fastTime.wall, 1e-9),
    speedupCpu: referenceTime.cpu / Math.max(fastTime.cpu, 1e-9),
    referenceWholeNetworkWall: referenceTime.wall * (macsTotal / Math.max(macsCovered, 1)),
    extrapolated: layersRun < run.layers.length,
    identical: mismatches.length === 0,
    mismatches,
  };
}

function aggregate(results: SimAcceleratorResult[]): SimNetworkResult['referenceAggregate'] {
  const withRef = results.filter((r) => r.reference);
  if (withRef.length === 0) return undefined;
  let referenceWall = 0;
  let fastWall = 0;
  let referenceCpu = 0;
  let fastCpu = 0;
  for (const r of withRef) {
    const c = r.reference!;
    const scale = c.macsTotal / Math.max(c.macsCovered, 1);
    referenceWall += c.reference.wall * scale;
    referenceCpu += c.reference.cpu * scale;
    fastWall += r.time.wall;
    fastCpu += r.time.cpu;
  }
  const min = withRef.reduce((a, b) => (b.reference!.speedupCpu < a.reference!.speedupCpu ? b : a));
  return {
    accelerators: withRef.map((r) => r.id),
    referenceWall,
    fastWall,
    speedupWall: referenceWall / Math.max(fastWall, 1e-9),
    speedupCpu: referenceCpu / Math.max(fastCpu, 1e-9),
    minSpeedup: { id: min.id, speedupCpu: min.reference!.speedupCpu },
    identical: withRef.every((r) => r.reference!.identical),
  };
}

export function benchNetwork(
  plan: SimNetworkPlan,
  references: ReferenceSet,
  log: (line: string) => void,
  ids: readonly ModelId[] = MODEL_IDS,
): SimNetworkResult {
  const config = defaultConfig(plan.model);
  log(`  preparing ${plan.label} (${plan.model}: forward pass / synthetic tensors, quantisation)`);
  const prepareStop = startClock();
  const prepared = prepareNetwork(config, loadInputs(plan.model));
  const prepare = prepareStop();
  const images = config.images;
  log(`  simulating ${ids.length} accelerators x ${prepared.layers.length} layers, ${plan.repeats} pass(es)`);
  const runs = timeAccelerators(prepared, ids, plan.repeats);
  const accelerators: SimAcceleratorResult[] = runs.map((run) => {
    const time = run.perLayer.reduce(addElapsed, ZERO_ELAPSED);
    const macs = run.layers.reduce((s, i) => s + layerMacs(prepared.layers[i].geometry), 0) * images;
    return {
      id: run.id,
      name: ACCELERATORS[run.id].name,
      layers: run.layers.length,
      macs,
      cycles: run.cycles.reduce((s, c) => s + c, 0),
      time,
      macsPerSecondWall: macs / Math.max(time.wall, 1e-9),
      macsPerSecondCpu: macs / Math.max(time.cpu, 1e-9),
    };
  });
  if (plan.referenceBudgetSeconds > 0)
    runs.forEach((run, a) => {
      const ref = references.found[run.id];
      if (!ref || run.layers.length === 0) return;
      const budget = Number.isFinite(plan.referenceBudgetSeconds)
        ? `budget ${plan.referenceBudgetSeconds} CPU s`
        : 'all layers';
      log(`  reference ${run.id} (${ref.file}), ${budget}`);
      try {
        accelerators[a].reference = compareWithReference(prepared, run, ref, plan.referenceBudgetSeconds);
      } catch (e) {
        accelerators[a].referenceError = e instanceof Error ? e.message : String(e);
        log(`    the reference failed: ${accelerators[a].referenceError}`);
      }
    });
  return {
    model: plan.model,
    label: plan.label,
    layers: prepared.layers.length,
    images,
    macs: prepared.layers.reduce((s, w) => s + layerMacs(w.geometry), 0) * images,
    prepare,
    repeats: plan.repeats,
    accelerators,
    total: accelerators.reduce((s, r) => addElapsed(s, r.time), ZERO_ELAPSED),
    referenceAggregate: plan.referenceBudgetSeconds > 0 ? aggregate(accelerators) : undefined,
    referenceMissing: plan.referenceBudgetSeconds > 0 ? ids.filter((id) => !references.found[id]) : [],
  };
}
