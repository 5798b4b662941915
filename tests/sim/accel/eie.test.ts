import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eie, EIE_PARAMS, eieMatvec } from '../../../src/sim/accel/eie';
import {
  buildEieCsc,
  cscEntriesPerPE,
  cscNnz,
  cscPadding,
  cscPointers,
  cscPointersPerPE,
  cscStorageBits,
  encodeSlice,
} from '../../../src/sim/accel/eieFormat';
import { UnitState, type AccelLayerInput, type Params } from '../../../src/sim/accel/types';
import { mulberry32 } from '../../../src/sim/prng';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { arbLayer, withActs } from './reference/arbitrary';
import { matvecBounds, naiveEieCycles, naiveMatvecCycles, referenceEntries } from './reference/eie';
import { paddedView } from './reference/padded';
import { conv, fc as fcGeometry, layerInput, randomLayer } from './reference/synthetic';
import { target } from './reference/validation';

const arbParams: fc.Arbitrary<Params> = fc.record({
  pes: fc.integer({ min: 1, max: 9 }),
  queueDepth: fc.integer({ min: 1, max: 5 }),
  relBits: fc.integer({ min: 1, max: 4 }),
  loweredConv: fc.constant(true),
});

function microLayer(): { layer: AccelLayerInput; t: ReturnType<typeof target> } {
  const t = target('eie.cycles.micro');
  const { M, Nin } = t.inputs as { M: number; Nin: number };
  const wgt = new Int32Array(M * Nin);
  for (const [row, col] of t.inputs.nonZeros as [number, number][]) wgt[row * Nin + col] = 1;
  return { layer: layerInput('micro', fcGeometry(Nin, M), Int32Array.from(t.inputs.a as number[]), wgt), t };
}

describe('eie validation targets', () => {
  it('peak = PEs × 2 ops × clock with the default parameters', () => {
    const t = target('eie.peak');
    const inputs = t.inputs as Record<string, number>;
    const def = (name: string) => EIE_PARAMS.find((p) => p.name === name)?.default;
    expect(def('pes')).toBe(inputs.PEs);
    expect(def('clockMHz')).toBe(inputs.clockGHz * 1000);
    const r = eie.simulate(randomLayer('fc', fcGeometry(64, 64), 0.5, 0.5, 1), {});
    expect(Math.abs((r.extra?.peakGops ?? 0) - (t.expected.GOPS as number))).toBeLessThanOrEqual(
      t.tolerance.value ?? 0,
    );
    expect(r.extra?.peakGops).toBe((inputs.PEs * inputs.opsPerCyclePerPE * inputs.clockGHz * 1000) / 1000);
    expect(Math.floor(r.extra?.peakGops ?? 0)).toBe(t.expected.abstractValue);
  });

  it('one 48-row slice with non-zeros at 0, 17, 40 (r = 4): gaps 0, 16, 22, 2 padding entries, 5 entries', () => {
    const t = target('eie.csc.padding');
    const { localRows, nonZeroLocalRows, relBits } = t.inputs as {
      localRows: number;
      nonZeroLocalRows: number[];
      relBits: number;
    };
    const slice = encodeSlice(nonZeroLocalRows, relBits);
    expect(slice.gaps).toEqual(t.expected.gaps);
    expect(slice.padding).toBe(t.expected.paddingEntries);
    expect(slice.entries).toBe(t.expected.entries);
    expect(slice.storedIndices).toEqual(t.expected.storedIndices);
    const column = new Int32Array(localRows);
    for (const r of nonZeroLocalRows) column[r] = 7;
    const csc = buildEieCsc(column, localRows, 1, 1, relBits);
    expect([csc.entries[0], cscPadding(csc), cscNnz(csc)]).toEqual([
      t.expected.entries,
      t.expected.paddingEntries,
      nonZeroLocalRows.length,
    ]);
  });

  it('8 × 4 on 4 PEs: entries per PE and column, bounds 5..6, Q = 1 -> 6 cycles, Q = 8 -> 5 cycles', () => {
    const { layer, t } = microLayer();
    const { PEs, relBits } = t.inputs as { PEs: number; relBits: number };
    const exp = t.expected as {
      entriesPerPEperColumn: number[][];
      lowerBound: number;
      upperBound: number;
      cyclesQ1: number;
      cyclesQ8: number;
    };
    const csc = buildEieCsc(layer.wgt, 8, 4, PEs, relBits);
    const perPE = exp.entriesPerPEperColumn.map((row, k) => row.map((_, j) => csc.entries[k * 4 + j]));
    expect(perPE).toEqual(exp.entriesPerPEperColumn);
    const params = { pes: PEs, relBits };
    const q1 = eie.simulate(layer, { ...params, queueDepth: 1 });
    const q8 = eie.simulate(layer, { ...params, queueDepth: 8 });
    expect(q1.cycles).toBe(exp.cyclesQ1);
    expect(q8.cycles).toBe(exp.cyclesQ8);
    for (const r of [q1, q8]) {
      expect(r.extra?.lowerBound).toBe(exp.lowerBound);
      expect(r.extra?.upperBound).toBe(exp.upperBound);
    }
    expect(naiveMatvecCycles(exp.entriesPerPEperColumn, [0, 2, 3], 1)).toBe(exp.cyclesQ1);
    expect(naiveMatvecCycles(exp.entriesPerPEperColumn, [0, 2, 3], 8)).toBe(exp.cyclesQ8);
  });

  it('padding of large random 64-row slices matches the expected-padding formula and the published values', () => {
    const t = target('eie.padding.expected');
    const { densities, sliceRows, relBits } = t.inputs as {
      densities: number[];
      sliceRows: number;
      relBits: number;
    };
    const exp = t.expected as { perNonZero64Rows: number[]; perNonZeroLongColumn: number[] };
    const tol = t.tolerance.value ?? 0;
    const R = 2 ** relBits;
    const pes = 64;
    const cols = 400;
    densities.forEach((d, i) => {
      // Formula of accelerators.md §15, written out: E[pad] = d Σ_{l < n} Σ_{m=1}^{floor(l/R)} (1−d)^{mR}.
      let expected = 0;
      for (let l = 0; l < sliceRows; l++)
        for (let m = 1; m <= Math.floor(l / R); m++) expected += d * (1 - d) ** (m * R);
      const perNonZero = expected / (sliceRows * d);
      expect(Math.abs(perNonZero - exp.perNonZero64Rows[i])).toBeLessThanOrEqual(tol);
      const q = (1 - d) ** R;
      expect(Math.abs(q / (1 - q) - exp.perNonZeroLongColumn[i])).toBeLessThanOrEqual(tol);

      // pes·cols slices of 64 local rows each, i.i.d. Bernoulli(d) from the seeded PRNG.
      const rnd = mulberry32(1000 + i);
      const M = pes * sliceRows;
      const matrix = new Int32Array(M * cols);
      for (let x = 0; x < matrix.length; x++) matrix[x] = rnd() < d ? 1 : 0;
      const csc = buildEieCsc(matrix, M, cols, pes, relBits);
      const ratio = csc.padding / csc.nnz;
      // Ratio estimator over n slices: SE ≈ sqrt(Σ (pad_s − ratio·nnz_s)² / n²) / mean nnz.
      const n = pes * cols;
      let sq = 0;
      for (let s = 0; s < n; s++) {
        const nnz = csc.nonZeros[s];
        sq += (csc.entries[s] - nnz - ratio * nnz) ** 2;
      }
      const se = Math.sqrt(sq) / n / (csc.nnz / n);
      expect(Math.abs(ratio - perNonZero)).toBeLessThanOrEqual(5 * se + tol);
      expect(se).toBeLessThan(0.05); // enough slices for the check to mean something
    });
  });
});

describe('eie cycle model against the literal §12.2 loop', () => {
  it('FC and lowered conv layers: cycles equal the cycle-by-cycle loop; bounds hold for every Q', () => {
    fc.assert(
      fc.property(arbLayer({ maxC: 4, maxK: 20, maxHW: 4, fcRate: 0.4 }), arbParams, (layer, params) => {
        const r = eie.simulate(layer, params);
        expect(r.cycles).toBe(naiveEieCycles(layer, params));
        expect(r.extra?.lowerBound).toBeLessThanOrEqual(r.cycles);
        expect(r.cycles).toBeLessThanOrEqual(r.extra?.upperBound ?? -1);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('matvec bounds equal the reference bounds and enclose the cycles for Q = 1 .. 12', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (M, Nin, pes, relBits, density, seed) => {
          const rnd = mulberry32(seed);
          const matrix = Int32Array.from({ length: M * Nin }, () => (rnd() < density ? 1 : 0));
          const nz = Array.from({ length: Nin }, (_, j) => j).filter(() => rnd() < 0.6);
          const csc = buildEieCsc(matrix, M, Nin, pes, relBits);
          const entries = referenceEntries(matrix, M, Nin, pes, relBits);
          expect(Array.from(csc.entries)).toEqual(entries.flat());
          const bounds = matvecBounds(entries, nz);
          for (let Q = 1; Q <= 12; Q++) {
            const r = eieMatvec(csc, nz, nz.length, Q);
            expect(r.cycles).toBe(naiveMatvecCycles(entries, nz, Q));
            expect([r.lower, r.upper]).toEqual([bounds.lower, bounds.upper]);
            expect(r.lower).toBeLessThanOrEqual(r.cycles);
            expect(r.cycles).toBeLessThanOrEqual(r.upper);
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe('eie invariants and format helpers', () => {
  it('cycles >= cdiv(effectual, N), 0 <= occupancy <= 1, work and baseline as §12 defines them', () => {
    fc.assert(
      fc.property(arbLayer({ maxC: 4, maxK: 20, maxHW: 4, fcRate: 0.4 }), arbParams, (layer, params) => {
        const r = eie.simulate(layer, params);
        const v = paddedView(layer);
        const D = v.C * v.Kh * v.Kw;
        expect(r.slotsPerCycle).toBe(params.pes);
        expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
        expect(r.occupancy).toBeGreaterThanOrEqual(0);
        expect(r.occupancy).toBeLessThanOrEqual(1);
        expect(r.baselineCycles).toBe(v.Oh * v.Ow * cdiv(v.K * D, params.pes as number));
        expect(r.extra?.theoreticalCycles).toBe(cdiv(r.effectualWork, params.pes as number));
        let effectual = 0;
        for (let n = 0; n < v.Oh * v.Ow; n++)
          for (let c = 0; c < v.C; c++)
            for (let i = 0; i < v.Kh; i++)
              for (let j = 0; j < v.Kw; j++) {
                if (v.a(c, v.s * (n % v.Oh) + i, v.s * Math.floor(n / v.Oh) + j) === 0) continue;
                for (let f = 0; f < v.K; f++) if (v.w(f, c, i, j) !== 0) effectual++;
              }
        expect(r.effectualWork).toBe(effectual);
        expect(r.skippedWork).toBe(layerMacs(layer.geometry) - effectual);
        // Executed entries (real + padding) and broadcasts, Σ over windows.
        const entries = referenceEntries(layer.wgt, v.K, D, params.pes as number, params.relBits as number);
        let executed = 0;
        let broadcasts = 0;
        for (let n = 0; n < v.Oh * v.Ow; n++)
          for (let j = 0; j < D; j++) {
            const c = Math.floor(j / (v.Kh * v.Kw));
            const i = Math.floor(j / v.Kw) % v.Kh;
            if (v.a(c, v.s * (n % v.Oh) + i, v.s * Math.floor(n / v.Oh) + (j % v.Kw)) === 0) continue;
            broadcasts++;
            for (const row of entries) executed += row[j];
          }
        expect(r.extra?.executedWork).toBe(executed);
        expect(r.extra?.broadcasts).toBe(broadcasts);
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('all-zero activations take 0 cycles (the minimum; degenerate)', () => {
    const layer = randomLayer('z', fcGeometry(50, 30), 0, 0.5, 4);
    const r = eie.simulate(withActs(layer, new Int32Array(50)), {});
    expect(r.cycles).toBe(0);
    expect(r.degenerate).toBe(true);
  });

  it('applies to FC layers, and to conv layers only with loweredConv', () => {
    const convLayer = randomLayer('c', conv(3, 4, 2, 3, 1, 1), 0.3, 0.3, 2);
    const fcLayer = randomLayer('f', fcGeometry(10, 3), 0.3, 0.3, 2);
    expect(eie.appliesTo(fcLayer, {})).toBe(true);
    expect(eie.appliesTo(convLayer, {})).toBe(false);
    expect(eie.appliesTo(convLayer, { loweredConv: true })).toBe(true);
  });

  it('pointers, per-PE entries and §15 storage bits agree with the entry counts', () => {
    const { layer } = microLayer();
    const csc = buildEieCsc(layer.wgt, 8, 4, 4, 4);
    const perPE = cscEntriesPerPE(csc);
    for (let k = 0; k < 4; k++) {
      const p = cscPointers(csc, k);
      expect(p.length).toBe(cscPointersPerPE(csc));
      expect(p[4]).toBe(perPE[k]);
    }
    expect(perPE.reduce((a, b) => a + b, 0)).toBe(cscNnz(csc) + cscPadding(csc));
    expect(cscStorageBits(csc, 4)).toBe((10 + 0) * 8 + 4 * 5 * 16 + 16 * 16);
  });
});

describe('eie trace', () => {
  it('cycles equal the product, effectual unit-cycles equal its effectual entries, busy cycles its costs', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 4, maxK: 20, maxHW: 3, fcRate: 0.5 }),
        arbParams,
        fc.nat(),
        (layer, params, pick) => {
          const v = paddedView(layer);
          const n = pick % (v.Oh * v.Ow);
          const tr = eie.trace!(layer, params, { filterBlock: 0, windowBlock: n, maxCycles: 1e6 });
          const D = v.C * v.Kh * v.Kw;
          const entries = referenceEntries(layer.wgt, v.K, D, params.pes as number, params.relBits as number);
          const nz: number[] = [];
          for (let c = 0; c < v.C; c++)
            for (let i = 0; i < v.Kh; i++)
              for (let j = 0; j < v.Kw; j++)
                if (v.a(c, v.s * (n % v.Oh) + i, v.s * Math.floor(n / v.Oh) + j) !== 0)
                  nz.push((c * v.Kh + i) * v.Kw + j);
          expect(tr.cycles).toBe(naiveMatvecCycles(entries, nz, params.queueDepth as number));
          let effectual = 0;
          for (const j of nz) for (let f = 0; f < v.K; f++) if (layer.wgt[f * D + j] !== 0) effectual++;
          const counts = [0, 0, 0, 0];
          for (const s of tr.states) counts[s]++;
          expect(counts[UnitState.Effectual]).toBe(effectual);
          const busy = entries.reduce((sum, row) => sum + nz.reduce((s, j) => s + Math.max(1, row[j]), 0), 0);
          expect(counts[UnitState.Effectual] + counts[UnitState.Ineffectual]).toBe(busy);
          if (tr.cycles > 0) expect(tr.skippedPerCycle.reduce((a, b) => a + b, 0)).toBe(v.K * D - effectual);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
