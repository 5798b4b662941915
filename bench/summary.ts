/** Every measured figure next to its target (issue 8), and the detail tables. */
import type { PageResult } from './browser/main';
import type { NodeInferenceResult } from './inferNode';
import type { ModelVariant } from './models';
import type { SimNetworkResult } from './sim';
import { fmt, formatTable } from './table';
import type { QuantChange, Skipped, UiResult } from './ui';
import { median } from './stats';

export type Verdict = 'pass' | 'FAIL' | 'n/a';

export interface SummaryRow {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  note?: string;
}

export interface InferenceResults {
  variants: Array<Pick<ModelVariant, 'id' | 'label' | 'ternary' | 'url' | 'derived'>>;
  node: NodeInferenceResult[];
  browser: PageResult | Skipped;
}

const isSkipped = (x: unknown): x is Skipped => typeof x === 'object' && x !== null && 'skipped' in x;
const verdict = (ok: boolean | undefined): Verdict => (ok === undefined ? 'n/a' : ok ? 'pass' : 'FAIL');

function simRows(sim: SimNetworkResult[] | Skipped | undefined): SummaryRow[] {
  const r18 = Array.isArray(sim) ? sim.find((n) => n.model === 'resnet18-synthetic') : undefined;
  if (!r18 || r18.error) {
    const why = isSkipped(sim) ? sim.skipped : (r18?.error ?? 'not run');
    return [
      {
        figure: 'All accelerators, ResNet-18 224x224, Node',
        value: '—',
        target: '≤ 2 s',
        verdict: 'n/a',
        note: why,
      },
    ];
  }
  const rows: SummaryRow[] = [
    {
      figure: `All ${r18.accelerators.length} accelerators, ResNet-18 224x224, Node (wall)`,
      value: `${fmt.s(r18.total.wall)} s`,
      target: '≤ 2 s',
      verdict: verdict(r18.total.wall <= 2),
    },
    {
      figure: '  same, CPU time of the process',
      value: `${fmt.s(r18.total.cpu)} s`,
      target: '≤ 2 s',
      verdict: verdict(r18.total.cpu <= 2),
      note: 'less sensitive to other load on the machine',
    },
  ];
  const agg = r18.referenceAggregate;
  if (agg) {
    rows.push({
      figure: `ResNet-18: speed vs straightforward reference (${agg.accelerators.length} with a reference)`,
      value: `${fmt.x(agg.speedupCpu)} CPU, ${fmt.x(agg.speedupWall)} wall`,
      target: '≥ 20x',
      verdict: verdict(agg.speedupCpu >= 20),
      note: `Σ reference (extrapolated by MACs) / Σ fast; slowest gain: ${agg.minSpeedup.id} ${fmt.x(agg.minSpeedup.speedupCpu)}; no reference: ${r18.referenceMissing.join(', ') || 'none'}`,
    });
    rows.push({
      figure: '  identical cycles, fast vs reference (layers the references ran)',
      value: agg.identical ? 'identical: yes' : 'identical: no',
      target: 'yes',
      verdict: verdict(agg.identical),
    });
  } else
    rows.push({
      figure: 'ResNet-18: speed vs straightforward reference',
      value: '—',
      target: '≥ 20x',
      verdict: 'n/a',
      note: 'no reference ran',
    });
  return rows;
}

function inferenceRows(inf: InferenceResults | Skipped | undefined): SummaryRow[] {
  const none = (why: string): SummaryRow[] => [
    {
      figure: 'Ternary ResNet-20 (ours) / onnxruntime-web float',
      value: '—',
      target: '≥ 1.0x',
      verdict: 'n/a',
      note: why,
    },
    {
      figure: 'Float ResNet-20 (ours) / onnxruntime-web float',
      value: '—',
      target: '≥ 0.7x',
      verdict: 'n/a',
      note: why,
    },
  ];
  if (!inf || isSkipped(inf)) return none(inf?.skipped ?? 'not run');
  if (isSkipped(inf.browser)) return none(`browser: ${inf.browser.skipped}`);
  const page = inf.browser;
  const float = page.models.find((m) => m.id === 'float');
  if (!float?.ort || !float.ours) return none(`float model: ${float?.error ?? 'missing'}`);
  const ortFloat = float.ort.imagesPerSecond;
  const rows: SummaryRow[] = [];
  for (const v of inf.variants.filter((x) => x.ternary)) {
    const m = page.models.find((x) => x.id === v.id);
    if (!m?.ours) {
      rows.push({
        figure: `${v.label} (ours) / onnxruntime-web float`,
        value: '—',
        target: '≥ 1.0x',
        verdict: 'n/a',
        note: m?.error,
      });
      continue;
    }
    const ratio = m.ours.imagesPerSecond / ortFloat;
    rows.push({
      figure: `${v.label} (ours, worker) / onnxruntime-web float`,
      value: `${fmt.x(ratio)} (${m.ours.imagesPerSecond.toFixed(0)} / ${ortFloat.toFixed(0)} img/s)`,
      target: '≥ 1.0x',
      verdict: verdict(ratio >= 1),
      note: v.derived
        ? 'no ternary export ships yet: TWN copy of the float file written by the bench'
        : undefined,
    });
  }
  if (rows.length === 0)
    rows.push({
      figure: 'Ternary ResNet-20 / onnxruntime-web float',
      value: '—',
      target: '≥ 1.0x',
      verdict: 'n/a',
      note: 'no ternary model',
    });
  const ratio = float.ours.imagesPerSecond / ortFloat;
  rows.push({
    figure: 'Float ResNet-20 (ours, worker) / onnxruntime-web float',
    value: `${fmt.x(ratio)} (${float.ours.imagesPerSecond.toFixed(0)} / ${ortFloat.toFixed(0)} img/s)`,
    target: '≥ 0.7x',
    verdict: verdict(ratio >= 0.7),
  });
  return rows;
}

const cachedTask = (q: UiResult['quantChange']) => {
  const c = isSkipped(q) ? undefined : q.changes.find((x) => x.cached);
  return c ? fmt.ms(c.longestTaskMs) : '—';
};

/** Thread CPU time of the uncached changes (medians), when the trace recorded it. */
function cpuNote(changes: QuantChange[]): string {
  const cpu = changes.filter((c) => !c.cached && c.cpu).map((c) => c.cpu!);
  if (cpu.length === 0) return '';
  return `; CPU per change (median): main thread ${fmt.ms(median(cpu.map((c) => c.mainMs)))} ms, workers ${fmt.ms(median(cpu.map((c) => c.workersMs)))} ms`;
}

function longestCpuNote(q: UiResult['quantChange']): string {
  if (isSkipped(q)) return '';
  const cpu = q.changes.filter((c) => !c.cached && c.cpu).map((c) => c.cpu!);
  if (cpu.length === 0) return '';
  const longest = cpu.reduce((a, b) => (b.longestTaskMs > a.longestTaskMs ? b : a));
  return `; the longest task in the trace: ${fmt.ms(longest.longestTaskMs)} ms wall, ${fmt.ms(longest.longestTaskCpuMs)} ms CPU`;
}

function uiRows(ui: UiResult | Skipped | undefined): SummaryRow[] {
  const skippedRows = (why: string): SummaryRow[] => [
    {
      figure: 'Quantisation change -> updated overview (ResNet-20)',
      value: '—',
      target: '≤ 300 ms',
      verdict: 'n/a',
      note: why,
    },
    {
      figure: 'PE-grid animation frame time p95 (32x32 PEs)',
      value: '—',
      target: '≤ 20 ms',
      verdict: 'n/a',
      note: why,
    },
    {
      figure: 'Longest main-thread task during a full simulation',
      value: '—',
      target: '≤ 50 ms',
      verdict: 'n/a',
      note: why,
    },
  ];
  if (!ui || isSkipped(ui)) return skippedRows(ui?.skipped ?? 'not run');
  const rows: SummaryRow[] = [];
  const q = ui.quantChange;
  rows.push(
    isSkipped(q)
      ? {
          figure: 'Quantisation change -> updated overview (ResNet-20)',
          value: '—',
          target: '≤ 300 ms',
          verdict: 'n/a',
          note: q.skipped,
        }
      : {
          figure: 'Quantisation change -> updated overview (ResNet-20, median)',
          value: `${fmt.ms(q.medianUncachedMs)} ms`,
          target: '≤ 300 ms',
          verdict: verdict(q.medianUncachedMs <= 300),
          note: `${q.changes
            .filter((c) => !c.cached)
            .map((c) => `${c.scheme} ${fmt.ms(c.ms)}`)
            .join(
              ', ',
            )} ms; back to a cached report ${q.cachedMs === undefined ? '—' : fmt.ms(q.cachedMs)} ms${cpuNote(q.changes)}`,
        },
  );
  const a = ui.animation;
  rows.push(
    isSkipped(a)
      ? {
          figure: 'PE-grid animation frame time p95 (32x32 PEs)',
          value: '—',
          target: '≤ 20 ms',
          verdict: 'n/a',
          note: a.skipped,
        }
      : {
          figure: `PE-grid animation frame time p95 (${a.peGrid} PEs)`,
          value: `${fmt.ms(a.p95Ms)} ms`,
          target: '≤ 20 ms',
          verdict: a.peGrid === '32x32' ? verdict(a.p95Ms <= 20) : 'n/a',
          note: `median ${fmt.ms(a.medianMs)} ms, max ${fmt.ms(a.maxMs)} ms over ${a.frames} frames; same page at rest: median ${fmt.ms(a.idleMedianMs)} ms, p95 ${fmt.ms(a.idleP95Ms)} ms${a.mainCpuPerFrameMs === undefined ? '' : `; main-thread CPU per frame ${a.mainCpuPerFrameMs.toFixed(1)} ms playing, ${(a.idleMainCpuPerFrameMs ?? NaN).toFixed(1)} ms at rest`}`,
        },
  );
  const t = ui.longTask;
  rows.push(
    isSkipped(t)
      ? {
          figure: 'Longest main-thread task during a full simulation',
          value: '—',
          target: '≤ 50 ms',
          verdict: 'n/a',
          note: t.skipped,
        }
      : {
          figure: 'Longest main-thread task during a full simulation',
          value: t.supported ? `${fmt.ms(t.longestMs)} ms` : '—',
          target: '≤ 50 ms',
          verdict: t.supported ? verdict(t.longestMs <= 50) : 'n/a',
          note: t.supported
            ? `over ${t.simulations} re-simulations after a quantisation change; showing a cached report: ${cachedTask(q)} ms; first page load: ${fmt.ms(ui.longestTaskDuringLoadMs ?? NaN)} ms${longestCpuNote(q)}`
            : 'PerformanceObserver longtask not supported',
        },
  );
  return rows;
}

export function summaryRows(
  sim: SimNetworkResult[] | Skipped | undefined,
  inference: InferenceResults | Skipped | undefined,
  ui: UiResult | Skipped | undefined,
): SummaryRow[] {
  return [...simRows(sim), ...inferenceRows(inference), ...uiRows(ui)];
}

export function summaryTable(rows: SummaryRow[]): string {
  const body = formatTable(
    ['figure', 'measured', 'target', 'verdict'],
    rows.map((r) => [r.figure, r.value, r.target, r.verdict]),
  );
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.figure.trim()}: ${r.note}`);
  return notes.length ? `${body}\n\nNotes:\n${notes.join('\n')}` : body;
}

export function simTable(n: SimNetworkResult): string {
  const rows = n.accelerators.map((a) => {
    const ref = a.reference;
    return [
      a.id,
      a.layers,
      fmt.mmac(a.macs),
      fmt.s(a.time.wall),
      fmt.s(a.time.cpu),
      fmt.rate(a.macsPerSecondWall),
      fmt.rate(a.macsPerSecondCpu),
      ref ? `${ref.layersRun}/${ref.layersTotal}${ref.extrapolated ? '*' : ''}` : '—',
      ref ? fmt.x(ref.speedupCpu) : '—',
      ref ? fmt.x(ref.speedupWall) : '—',
      ref ? (ref.identical ? 'yes' : 'no') : '—',
    ];
  });
  rows.push([
    'total',
    '',
    fmt.mmac(n.accelerators.reduce((s, a) => s + a.macs, 0)),
    fmt.s(n.total.wall),
    fmt.s(n.total.cpu),
    '',
    '',
    '',
    n.referenceAggregate ? fmt.x(n.referenceAggregate.speedupCpu) : '—',
    n.referenceAggregate ? fmt.x(n.referenceAggregate.speedupWall) : '—',
    n.referenceAggregate ? (n.referenceAggregate.identical ? 'yes' : 'no') : '—',
  ]);
  const head = `${n.label}: ${n.layers} layers, ${fmt.mmac(n.macs)} MMAC per image, ${n.images} image(s); preparation ${fmt.s(n.prepare.wall)} s wall (not counted)`;
  const table = formatTable(
    [
      'accelerator',
      'layers',
      'MMAC',
      'wall s',
      'CPU s',
      'MAC/s wall',
      'MAC/s CPU',
      'ref layers',
      'vs ref CPU',
      'vs ref wall',
      'identical',
    ],
    rows,
    [false, true, true, true, true, true, true, true, true, true, false],
  );
  const notes: string[] = [];
  if (n.accelerators.some((a) => a.reference?.extrapolated))
    notes.push(
      '  * the reference ran on the cheapest layers within its budget; "vs ref" compares both on exactly those layers',
    );
  if (n.referenceMissing.length)
    notes.push(`  no reference implementation yet: ${n.referenceMissing.join(', ')}`);
  for (const a of n.accelerators)
    if (a.referenceError) notes.push(`  reference of ${a.id} failed: ${a.referenceError}`);
  for (const a of n.accelerators)
    for (const m of a.reference?.mismatches ?? [])
      notes.push(`  MISMATCH ${a.id} ${m.layer}: fast ${m.fast} cycles, reference ${m.reference}`);
  return [head, table, ...notes].join('\n');
}

export function inferenceTable(inf: InferenceResults): string {
  const rows = inf.variants.map((v) => {
    const node = inf.node.find((x) => x.variant === v.id);
    const page = isSkipped(inf.browser) ? undefined : inf.browser.models.find((x) => x.id === v.id);
    const ratio = page?.ours && page.ort ? page.ours.imagesPerSecond / page.ort.imagesPerSecond : NaN;
    return [
      v.label + (v.derived ? ' †' : ''),
      node ? `${node.imagesPerSecondWall.toFixed(0)} (${node.imagesPerSecondCpu.toFixed(0)} CPU)` : '—',
      page?.ours ? page.ours.imagesPerSecond.toFixed(0) : '—',
      page?.ort ? page.ort.imagesPerSecond.toFixed(0) : '—',
      fmt.x(ratio),
      page?.agreement
        ? `${page.agreement.sameClass}/${page.agreement.n}, ${page.agreement.maxAbsLogitDiff.toExponential(1)}`
        : (page?.error ?? '—'),
    ];
  });
  const table = formatTable(
    [
      'model',
      'ours Node img/s',
      'ours worker img/s',
      'ort-web img/s',
      'ours/ort',
      'same top-1, max |Δlogit|',
    ],
    rows,
    [false, true, true, true, true, false],
  );
  const lines = [table];
  if (!isSkipped(inf.browser))
    lines.unshift(
      `Batch ${inf.browser.batch}, median of ${inf.browser.rounds} rounds, ${inf.browser.threads} thread each; ${inf.browser.userAgent}`,
    );
  else lines.push(`  browser part skipped: ${inf.browser.skipped}`);
  if (inf.variants.some((v) => v.derived))
    lines.push(
      '  † written by the bench: TWN-ternarised weights of the float file (no ternary export ships yet)',
    );
  return lines.join('\n');
}
