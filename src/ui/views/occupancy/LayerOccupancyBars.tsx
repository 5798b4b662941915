import { scaleBand, scaleLinear } from 'd3';
import type { ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';
import { selectLayer } from '../../components/LayerNavigator';
import { ACCEL_COLOURS } from '../../lib/palette';
import { fmtPct, occupancyFormula } from '../../lib/format';

/** Occupancy (effectual work / capacity) of one accelerator, per layer. */
export function LayerOccupancyBars({
  report,
  id,
  width,
  selected,
}: {
  report: SimReport;
  id: ModelId;
  width: number;
  selected: string | null;
}) {
  const h = 140;
  const x = scaleBand<string>()
    .domain(report.layers.map((l) => l.name))
    .range([40, width])
    .paddingInner(0.15);
  const y = scaleLinear()
    .domain([0, 1])
    .range([h - 4, 8]);
  return (
    <svg width={width} height={h} role="img" aria-label="Occupancy per layer" className="block">
      {[0, 0.5, 1].map((v) => (
        <g key={v}>
          <line x1={36} x2={width} y1={y(v)} y2={y(v)} stroke="#E2E8F0" />
          <text x={32} y={y(v) + 4} textAnchor="end" fontSize={12}>
            {v * 100}%
          </text>
        </g>
      ))}
      {report.layers.map((l) => {
        const r = l.results[id];
        const x0 = x(l.name) ?? 0;
        return (
          <g key={l.name} onClick={() => selectLayer(l.name)} className="cursor-pointer">
            <title>
              {r
                ? `${l.name}: ${occupancyFormula(r.effectualWork, r.slotsPerCycle, r.cycles, r.occupancy)}`
                : `${l.name}: no result`}
            </title>
            <rect
              x={x0}
              y={0}
              width={x.bandwidth()}
              height={h}
              fill={l.name === selected ? '#E0F2FE' : 'transparent'}
            />
            {r && (
              <rect
                x={x0}
                y={y(r.occupancy)}
                width={x.bandwidth()}
                height={y(0) - y(r.occupancy)}
                fill={ACCEL_COLOURS[id]}
              />
            )}
            {r && l.name === selected && (
              <text x={x0 + x.bandwidth() / 2} y={y(r.occupancy) - 4} textAnchor="middle" fontSize={12}>
                {fmtPct(r.occupancy, 0)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
