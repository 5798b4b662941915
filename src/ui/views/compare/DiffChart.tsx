import { axisLeft, format, scaleBand, scaleLog } from 'd3';
import type { ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';
import { Axis } from '../../components/Axis';
import { accelName } from '../../state/catalog';
import { ACCEL_COLOURS } from '../../lib/palette';
import { fmtX, logTicks } from '../../lib/format';
import { diffRows, ratio } from './diff';

const LABEL_W = 200;
const AXIS_W = 48;
const ROW_H = 70;

/** The per-layer speedup ratio B / A of one accelerator on a log scale centred on 1× (above: B faster). */
function RatioRow({ a, b, id, width }: { a: SimReport; b: SimReport; id: ModelId; width: number }) {
  const rows = diffRows(a, b, id);
  const ratios = rows.map((r) => ratio(r.a?.speedup, r.b?.speedup));
  const spread = Math.max(1.25, ...ratios.map((r) => (r === null || r <= 0 ? 1 : Math.max(r, 1 / r)))) * 1.1;
  const y = scaleLog()
    .domain([1 / spread, spread])
    .range([ROW_H - 4, 4]);
  const x = scaleBand<string>()
    .domain(rows.map((r) => r.layer))
    .range([0, width])
    .paddingInner(0.15);
  const axis = axisLeft(y)
    .tickValues(logTicks(y.domain() as [number, number], 3))
    .tickFormat(format('~g'))
    .tickSizeOuter(0);
  const total = ratio(a.totals.results[id]?.speedup, b.totals.results[id]?.speedup);
  return (
    <div className="flex items-center border-b border-slate-100">
      <div className="shrink-0 pr-2" style={{ width: LABEL_W }}>
        <div className="font-medium">{accelName(id)}</div>
        <div className="text-sm text-slate-600">network B / A {total === null ? '–' : fmtX(total, 3)}</div>
      </div>
      <svg
        width={width + AXIS_W}
        height={ROW_H}
        role="img"
        aria-label={`${accelName(id)}: speedup B / A per layer`}
      >
        <Axis axis={axis} transform={`translate(${AXIS_W - 2},0)`} className="text-xs" />
        <g transform={`translate(${AXIS_W},0)`}>
          {rows.map((r, i) => {
            const v = ratios[i];
            const x0 = x(r.layer) ?? 0;
            if (v === null || v <= 0) return null;
            const top = y(v);
            return (
              <rect
                key={r.layer}
                x={x0}
                y={Math.min(top, y(1))}
                width={x.bandwidth()}
                height={Math.max(1, Math.abs(y(1) - top))}
                fill={ACCEL_COLOURS[id]}
              >
                <title>{`${r.layer}: speedup B / speedup A = ${fmtX(r.b!.speedup)} / ${fmtX(r.a!.speedup)} = ${fmtX(v, 3)}`}</title>
              </rect>
            );
          })}
          <line x1={0} x2={width} y1={y(1)} y2={y(1)} stroke="#334155" strokeDasharray="4 3" />
        </g>
      </svg>
    </div>
  );
}

/** One row per accelerator both sides ran: how B's per-layer speedup compares with A's. */
export function DiffChart({
  a,
  b,
  accels,
  width,
}: {
  a: SimReport;
  b: SimReport;
  accels: ModelId[];
  width: number;
}) {
  const plotW = Math.max(200, width - LABEL_W - AXIS_W - 8);
  return (
    <figure data-testid="diff-chart">
      <figcaption className="mb-1 text-sm text-slate-700">
        Speedup B / A per layer (log scale; above the dashed 1× line B is faster, below A is).
      </figcaption>
      {accels.map((id) => (
        <RatioRow key={id} a={a} b={b} id={id} width={plotW} />
      ))}
    </figure>
  );
}
