import { memo, useDeferredValue, useMemo, useState } from 'react';
import { axisBottom, axisLeft, format, scaleBand, scaleLog } from 'd3';
import type { ModelId } from '../../sim/accel/types';
import type { SimReport } from '../../sim/report';
import { useApp } from '../state/store';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { selectLayer } from '../components/LayerNavigator';
import { Axis } from '../components/Axis';
import { accelName } from '../state/catalog';
import { ACCEL_COLOURS } from '../lib/palette';
import { BASELINE_OF, baselineShort } from '../lib/baselines';
import { fmtCount, fmtX, logTicks, speedupFormula } from '../lib/format';

type Metric = 'speedup' | 'cycles';

const LABEL_W = 220;
const AXIS_W = 48;
const ROW_H = 76;
const PAD = { top: 6, bottom: 6 };

function totalFormula(report: SimReport, id: ModelId): string {
  const t = report.totals.results[id];
  if (!t) return '';
  return `network ${speedupFormula(t.baselineCycles, t.cycles, t.speedup, `Σ ${baselineShort(id)}`)} (Σ over ${report.layers.length} layers; baseline: ${BASELINE_OF[id]})`;
}

function Totals({ report, accels }: { report: SimReport; accels: ModelId[] }) {
  const max = Math.max(1, ...accels.map((id) => report.totals.results[id]?.speedup ?? 0));
  return (
    <section aria-labelledby="totals-h" className="mb-4">
      <h3 id="totals-h" className="mb-2 text-lg font-semibold">
        Whole network: speedup over each accelerator’s baseline
      </h3>
      <table className="w-full text-base">
        <tbody>
          {accels.map((id) => {
            const t = report.totals.results[id];
            if (!t) return null;
            return (
              <tr key={id}>
                <th scope="row" className="w-56 py-0.5 pr-2 text-left font-normal">
                  {accelName(id)}
                  <span className="ml-1 text-sm text-slate-500">vs {baselineShort(id)}</span>
                </th>
                <td className="py-0.5">
                  <div className="flex items-center gap-2">
                    <div
                      className="h-4 rounded-sm"
                      style={{
                        width: `${(70 * Math.max(t.speedup, 0)) / max}%`,
                        background: ACCEL_COLOURS[id],
                      }}
                    />
                    <span
                      className="tabular-nums font-semibold"
                      data-testid={`total-${id}`}
                      title={totalFormula(report, id)}
                    >
                      {fmtX(t.speedup)}
                    </span>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

interface RowProps {
  report: SimReport;
  id: ModelId;
  metric: Metric;
  width: number;
  selected: string | null;
  x: ReturnType<typeof scaleBand<string>>;
}

/** Each row has its own log scale: speedups of different accelerators span very different ranges. */
function rowScale(report: SimReport, id: ModelId, metric: Metric) {
  const values: number[] = [];
  for (const l of report.layers) {
    const r = l.results[id];
    if (!r) continue;
    if (metric === 'speedup') values.push(r.speedup);
    else values.push(Math.max(r.cycles, 1), Math.max(r.baselineCycles, 1));
  }
  const positive = values.filter((v) => v > 0);
  const lo = metric === 'speedup' ? Math.min(0.8, ...positive) / 1.1 : Math.min(...positive) / 2;
  const hi = metric === 'speedup' ? Math.max(1.25, ...values) * 1.1 : Math.max(...values) * 1.2;
  // No .nice(): on a log scale it widens to whole decades and flattens the bars.
  return scaleLog()
    .domain([lo, hi])
    .range([ROW_H - PAD.bottom, PAD.top]);
}

function AccelRow({ report, id, metric, width, selected, x }: RowProps) {
  const y = useMemo(() => rowScale(report, id, metric), [report, id, metric]);
  const base = metric === 'speedup' ? y(1) : ROW_H - PAD.bottom;
  const axis = useMemo(
    () =>
      axisLeft(y)
        .tickValues(logTicks(y.domain() as [number, number], 3))
        .tickFormat(format(metric === 'speedup' ? '~g' : '~s'))
        .tickSizeOuter(0),
    [y, metric],
  );
  return (
    <svg
      width={width + AXIS_W}
      height={ROW_H}
      role="img"
      aria-label={`${accelName(id)}: per-layer ${metric}`}
      className="block"
    >
      <Axis axis={axis} transform={`translate(${AXIS_W - 2},0)`} className="text-xs" />
      <g transform={`translate(${AXIS_W},0)`}>
        {report.layers.map((layer) => {
          const r = layer.results[id];
          const x0 = x(layer.name) ?? 0;
          const isSel = layer.name === selected;
          const v = r ? (metric === 'speedup' ? r.speedup : Math.max(r.cycles, 1)) : null;
          const top = v === null ? base : y(v);
          const title = r
            ? metric === 'speedup'
              ? `${layer.name}: ${speedupFormula(r.baselineCycles, r.cycles, r.speedup, baselineShort(id))}`
              : `${layer.name}: ${fmtCount(r.cycles)} cycles (baseline ${fmtCount(r.baselineCycles)})`
            : `${layer.name}: ${accelName(id)} does not apply to this layer`;
          return (
            <g key={layer.name} onClick={() => selectLayer(layer.name)} className="cursor-pointer">
              <title>{title}</title>
              <rect x={x0} y={0} width={x.step()} height={ROW_H} fill={isSel ? '#E0F2FE' : 'transparent'} />
              {v !== null ? (
                <rect
                  x={x0 + x.bandwidth() * 0.1}
                  y={Math.min(top, base)}
                  width={x.bandwidth() * 0.8}
                  height={Math.max(1, Math.abs(base - top))}
                  fill={ACCEL_COLOURS[id]}
                  stroke={isSel ? '#0C4A6E' : 'none'}
                  strokeWidth={2}
                />
              ) : (
                <text
                  x={x0 + x.bandwidth() / 2}
                  y={base - 4}
                  textAnchor="middle"
                  fontSize={12}
                  fill="#64748B"
                >
                  n/a
                </text>
              )}
              {metric === 'cycles' && r && (
                <line
                  x1={x0}
                  x2={x0 + x.bandwidth()}
                  y1={y(Math.max(r.baselineCycles, 1))}
                  y2={y(Math.max(r.baselineCycles, 1))}
                  stroke="#111827"
                  strokeWidth={2}
                />
              )}
            </g>
          );
        })}
        {metric === 'speedup' && (
          <line x1={0} x2={width} y1={base} y2={base} stroke="#334155" strokeDasharray="4 3" />
        )}
      </g>
    </svg>
  );
}

/**
 * The per-layer rows of the overview. They render from a deferred copy of the report: when a new report
 * arrives the network totals update at once, and React renders these rows (hundreds of SVG elements and
 * D3 axes) afterwards in the background, yielding to the browser, instead of in one long task.
 */
const LayerRows = memo(function LayerRows({
  report,
  accels,
  metric,
  width,
  selected,
}: {
  report: SimReport;
  accels: ModelId[];
  metric: Metric;
  width: number;
  selected: string | null;
}) {
  const shown = useMemo(() => accels.filter((id) => report.totals.results[id]), [report, accels]);
  // DaDN's speedup over itself is 1× everywhere: its row only says something in cycles.
  const rows = metric === 'speedup' ? shown.filter((id) => id !== 'dadn') : shown;
  const plotW = Math.max(200, width - LABEL_W - AXIS_W - 8);
  // Keyed by the layer names, not the report: a new report of the same model keeps the x axis as it is.
  const names = report.layers.map((l) => l.name).join('\n');
  const x = useMemo(
    () =>
      scaleBand<string>()
        .domain(names === '' ? [] : names.split('\n'))
        .range([0, plotW])
        .paddingInner(0.1),
    [names, plotW],
  );
  const xAxis = useMemo(() => axisBottom(x).tickSizeOuter(0), [x]);
  return (
    <>
      {rows.map((id) => {
        const t = report.totals.results[id]!;
        return (
          <div key={id} className="flex items-center border-b border-slate-100">
            <div className="shrink-0 pr-2" style={{ width: LABEL_W }}>
              <div className="font-medium">{accelName(id)}</div>
              <div className="text-sm text-slate-600" title={totalFormula(report, id)}>
                total {fmtX(t.speedup)} vs {baselineShort(id)}
              </div>
            </div>
            <div className="flex items-center">
              <AccelRow report={report} id={id} metric={metric} width={plotW} selected={selected} x={x} />
            </div>
          </div>
        );
      })}
      <svg width={width} height={120} aria-hidden className="block">
        <Axis axis={xAxis} transform={`translate(${LABEL_W + AXIS_W},0)`} className="text-xs" rotate={-40} />
      </svg>
    </>
  );
});

/** Per-layer speedup (or cycles) of each selected accelerator, one row per accelerator, plus network totals. */
export function OverviewView() {
  const report = useApp((s) => s.report);
  const accels = useApp((s) => s.link.accels);
  const selected = useSelectedLayer();
  const [metric, setMetric] = useState<Metric>('speedup');
  const [ref, width] = useWidth<HTMLDivElement>();
  const rowsReport = useDeferredValue(report);
  const shown = useMemo(
    () => (report ? accels.filter((id) => report.totals.results[id]) : []),
    [report, accels],
  );
  if (!report) return <p className="text-lg">Waiting for the first result…</p>;
  return (
    <div ref={ref}>
      <Totals report={report} accels={shown} />
      <div className="mb-2 flex flex-wrap items-center gap-x-6 gap-y-1">
        <h3 className="shrink-0 text-lg font-semibold">Per layer</h3>
        <fieldset className="flex flex-wrap gap-x-4 text-base">
          <legend className="sr-only">Metric</legend>
          {(['speedup', 'cycles'] as const).map((m) => (
            <label key={m} className="flex items-center gap-1">
              <input
                type="radio"
                name="overview-metric"
                checked={metric === m}
                onChange={() => setMetric(m)}
              />
              {m === 'speedup'
                ? 'speedup (log scale per row, dashed line = 1×)'
                : 'cycles (log scale per row, black tick = baseline)'}
            </label>
          ))}
        </fieldset>
      </div>
      <p className="mb-2 text-sm text-slate-600">Click a column to select that layer everywhere.</p>
      <LayerRows
        report={rowsReport ?? report}
        accels={accels}
        metric={metric}
        width={width}
        selected={selected?.name ?? null}
      />
    </div>
  );
}
