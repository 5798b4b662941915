import { useMemo } from 'react';
import { axisLeft, format, scaleBand, scaleLog } from 'd3';
import type { ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';
import { Axis } from '../../components/Axis';
import { selectLayer } from '../../components/LayerNavigator';
import { accelName } from '../../state/catalog';
import { ACCEL_COLOURS } from '../../lib/palette';
import { fmtCount, fmtX, logTicks, speedupFormula } from '../../lib/format';

const MODELS: ModelId[] = ['pragmatic', 'laconic'];
const H = 220;
const M = { top: 10, bottom: 10, left: 56 };

/**
 * Potential (ideal term-level work reduction) versus realised speedup per layer for Pragmatic and Laconic:
 * the gap is what lane, row, column and tile synchronisation costs.
 */
export function StragglerChart({
  report,
  width,
  selected,
}: {
  report: SimReport;
  width: number;
  selected: string | null;
}) {
  const models = MODELS.filter((id) => report.layers.some((l) => l.results[id]));
  const x = useMemo(
    () =>
      scaleBand<string>()
        .domain(report.layers.map((l) => l.name))
        .range([M.left, width])
        .paddingInner(0.2),
    [report, width],
  );
  const values = report.layers.flatMap((l) =>
    models.flatMap((id) => [l.results[id]?.speedup ?? 1, l.results[id]?.potential?.speedup ?? 1]),
  );
  const lo = Math.min(0.5, ...values) / 1.1;
  const hi = Math.max(2, ...values) * 1.1;
  const y = useMemo(
    () =>
      scaleLog()
        .domain([lo, hi])
        .range([H - M.bottom, M.top]),
    [lo, hi],
  );
  const yAxis = useMemo(
    () =>
      axisLeft(y)
        .tickValues(logTicks([lo, hi], 6))
        .tickFormat(format('~g')),
    [y, lo, hi],
  );
  if (models.length === 0)
    return <p>Select Pragmatic or Laconic to see potential versus realised speedup.</p>;
  const sub = x.bandwidth() / models.length;
  return (
    <figure>
      <svg width={width} height={H} role="img" aria-label="Potential versus realised speedup per layer">
        <Axis axis={yAxis} transform={`translate(${M.left},0)`} />
        <line x1={M.left} x2={width} y1={y(1)} y2={y(1)} stroke="#334155" strokeDasharray="4 3" />
        {report.layers.map((l) => (
          <g key={l.name} onClick={() => selectLayer(l.name)} className="cursor-pointer">
            <rect
              x={x(l.name)}
              y={0}
              width={x.bandwidth()}
              height={H}
              fill={l.name === selected ? '#E0F2FE' : 'transparent'}
            />
            {models.map((id, k) => {
              const r = l.results[id];
              if (!r) return null;
              const x0 = (x(l.name) ?? 0) + k * sub;
              const pot = r.potential?.speedup;
              return (
                <g key={id}>
                  {pot !== undefined && (
                    <rect
                      x={x0 + 1}
                      y={y(pot)}
                      width={sub - 2}
                      height={Math.max(1, y(1) - y(pot))}
                      fill="none"
                      stroke={ACCEL_COLOURS[id]}
                      strokeWidth={2}
                    >
                      <title>{`${l.name}, ${accelName(id)} potential = MACs·Wb²/Σ bits = ${fmtCount(r.macs)}·${l.wb}²/${fmtCount(r.potential!.bits)} = ${fmtX(pot)}`}</title>
                    </rect>
                  )}
                  <rect
                    x={x0 + 3}
                    y={Math.min(y(r.speedup), y(1))}
                    width={Math.max(1, sub - 6)}
                    height={Math.max(1, Math.abs(y(1) - y(r.speedup)))}
                    fill={ACCEL_COLOURS[id]}
                  >
                    <title>{`${l.name}, ${accelName(id)} realised ${speedupFormula(r.baselineCycles, r.cycles, r.speedup, 'DaDN')}`}</title>
                  </rect>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-sm text-slate-700">
        {models.map((id) => (
          <span key={id} className="flex items-center gap-2">
            <span aria-hidden className="inline-block h-3 w-3" style={{ background: ACCEL_COLOURS[id] }} />{' '}
            {accelName(id)} realised
            <span
              aria-hidden
              className="inline-block h-3 w-3 border-2"
              style={{ borderColor: ACCEL_COLOURS[id] }}
            />{' '}
            potential
          </span>
        ))}
        <span>log scale; dashed line = 1×</span>
      </figcaption>
    </figure>
  );
}
