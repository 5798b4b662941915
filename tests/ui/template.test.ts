import { describe, expect, it } from 'vitest';
import type { LayerResult, ModelId } from '../../src/sim/accel/types';
import type { LayerReport, SimReport } from '../../src/sim/report';
import { depthTrend, fillTemplate, fillTemplateText, MISSING, PENDING } from '../../src/ui/tours/template';
import { explainLayer, explainResult, explainTotal } from '../../src/ui/explain/formulas';
import { commonAccels, diffRows, ratio } from '../../src/ui/views/compare/diff';

function result(
  model: ModelId,
  cycles: number,
  baselineCycles: number,
  extra: Partial<LayerResult> = {},
): LayerResult {
  return {
    model,
    layer: '',
    cycles,
    baselineCycles,
    speedup: baselineCycles / Math.max(cycles, 1),
    macs: 1000,
    effectualWork: 300,
    unit: 'mac',
    slotsPerCycle: 10,
    occupancy: 300 / (10 * cycles),
    idleSlots: 0,
    skippedWork: 0,
    ...extra,
  };
}

function layer(name: string, dlac: [number, number], actSparsity: number): LayerReport {
  return {
    name,
    kind: name === 'fc' ? 'fc' : 'conv',
    index: 0,
    geometry: { kind: 'conv', C: 16, H: 8, W: 8, K: 32, Kh: 3, Kw: 3, stride: 1, pad: 1 },
    macs: 1000,
    synthetic: false,
    pa: 16,
    pw: 2,
    wb: 16,
    weightSparsity: 0.25,
    actSparsity,
    meanTermsPerWeight: 1,
    meanTermsPerAct: 2.5,
    termPotential: 40,
    weightScheme: 'twn',
    quantMeta: {},
    results: { dlac: result('dlac', dlac[0], dlac[1]) },
  } as LayerReport;
}

/** Six conv layers whose DLAC speedup grows: 1×, 1×, 2×, 2×, 4×, 3.5×. */
function report(): SimReport {
  const layers = [
    layer('a.1', [100, 100], 0.1),
    layer('a.2', [100, 100], 0.1),
    layer('b.1', [100, 200], 0.3),
    layer('b.2', [100, 200], 0.3),
    layer('c.1', [50, 200], 0.6),
    layer('c.2', [100, 350], 0.6),
  ];
  return {
    tool: 'effectual',
    formatVersion: 1,
    config: { accels: ['dadn', 'dlac'], images: 3 },
    model: { name: 'm', synthetic: false, source: 'm', inputShape: [] },
    accuracy: { images: 3, float: 2 / 3, quantized: 1 / 3 },
    layers,
    totals: {
      macs: 6000,
      results: { dlac: { cycles: 550, baselineCycles: 1150, speedup: 1150 / 550, effectualWork: 0 } },
    },
  } as unknown as SimReport;
}

describe('caption placeholders', () => {
  const r = report();
  it('fill speedups, cycles, ranges and stage means from the report', () => {
    expect(fillTemplateText('net {speedup:dlac}', r)).toBe('net 2.09×');
    expect(fillTemplateText('{speedup:dlac:c.1} {cycles:dlac:c.1} {baseline:dlac:c.1}', r)).toBe(
      '4.00× 50 200',
    );
    expect(fillTemplateText('{range:dlac}', r)).toBe('1.00–4.00×');
    expect(fillTemplateText('{best:dlac} / {worst:dlac}', r)).toBe('c.1 (4.00×) / a.1 (1.00×)');
    // Σ baseline / Σ cycles over b.*: 400 / 200
    expect(fillTemplateText('{mean:dlac:b.}', r)).toBe('2.00×');
    expect(fillTemplateText('{wsparsity:a.1} {asparsity:c.2} {termsa:a.1} {weights:a.1}', r)).toBe(
      '25.0 % 60.0 % 2.5 4,608',
    );
    expect(fillTemplateText('{accuracy:float} on {images}', r)).toBe('66.7 % on 3');
  });

  it('say how a series changes with depth', () => {
    expect(depthTrend(r, 'dlac')).toBe('rises with depth');
    expect(depthTrend(r, 'asparsity')).toBe('rises with depth');
    expect(depthTrend(r, 'wsparsity')).toBe('stays roughly flat with depth');
    const reversed = { ...r, layers: [...r.layers].reverse() };
    expect(depthTrend(reversed, 'dlac')).toBe('falls with depth');
    expect(fillTemplateText('it {trend:dlac}', r)).toBe('it rises with depth');
  });

  it('mark figures, and say n/a for unknown ones and … before the report is there', () => {
    const parts = fillTemplate('x {speedup:dlac} y', r);
    expect(parts).toEqual([
      { text: 'x ', figure: false },
      { text: '2.09×', figure: true },
      { text: ' y', figure: false },
    ]);
    expect(fillTemplateText('{speedup:eie} {nosuch:dlac} {speedup:dlac:nolayer}', r)).toBe(
      `${MISSING} ${MISSING} ${MISSING}`,
    );
    expect(fillTemplateText('{speedup:dlac}!', null)).toBe(`${PENDING}!`);
    expect(fillTemplateText('no placeholders', r)).toBe('no placeholders');
  });
});

describe('explanations', () => {
  it('fill the speedup formula with the live values (the brief’s example)', () => {
    const l = layer('x', [5032, 14112], 0.5);
    const items = explainResult(l, result('dadn', 5032, 14112), 1);
    expect(items.find((i) => i.id === 'speedup')?.formula).toBe(
      'speedup = DaDN cycles / cycles = 14,112 / 5,032 = 2.80×',
    );
    const occ = items.find((i) => i.id === 'occupancy')!;
    expect(occ.formula).toContain('300 / (10 × 5,032)');
    expect(items.some((i) => i.id === 'potential')).toBe(false);
    const withPotential = explainResult(
      l,
      result('laconic', 10, 20, { potential: { bits: 1600, speedup: 160, workReductionPct: 99 } }),
      1,
    );
    expect(withPotential.find((i) => i.id === 'potential')?.formula).toBe(
      'potential = MACs · Wb² / Σ bits per MAC = 1,000 · 16² / 1,600 = 160×',
    );
  });

  it('count zeros for sparsity and sum cycles for the network', () => {
    const l = layer('x', [1, 1], 0.5);
    const [w, a] = explainLayer(l);
    // 32·16·3·3 = 4,608 weights, a quarter zero; 16·8·8 = 1,024 activations, half zero
    expect(w.formula).toBe('weight sparsity = zero weight codes / weights = 1,152 / 4,608 = 25.0 %');
    expect(a.formula).toContain('= 512 / 1,024 = 50.0 %');
    expect(explainTotal(report(), 'dlac')?.formula).toContain('1,150 / 550 = 2.09×');
    expect(explainTotal(report(), 'eie')).toBeNull();
  });
});

describe('compare: per-layer difference', () => {
  it('matches layers by name, A’s first, and gives B / A', () => {
    const a = report();
    const b = {
      ...report(),
      layers: [...report().layers.slice(2), layer('extra', [10, 10], 0)],
    } as SimReport;
    const rows = diffRows(a, b, 'dlac');
    expect(rows.map((r) => r.layer)).toEqual(['a.1', 'a.2', 'b.1', 'b.2', 'c.1', 'c.2', 'extra']);
    expect(rows[0].b).toBeUndefined();
    expect(rows[6].a).toBeUndefined();
    expect(ratio(rows[4].a?.cycles, rows[4].b?.cycles)).toBe(1);
    expect(ratio(50, 100)).toBe(2);
    expect(ratio(undefined, 1)).toBeNull();
    expect(ratio(0, 1)).toBeNull();
    expect(commonAccels(a, b)).toEqual(['dlac']);
  });
});
