import { useMemo } from 'react';
import { axisBottom, axisLeft, format, scaleBand, scaleLinear } from 'd3';
import type { ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';
import type { EnergyTotalsReport, LayerEnergyReport } from '../../../sim/reportEnergy';
import { selectLayer } from '../../components/LayerNavigator';
import { Axis } from '../../components/Axis';
import { accelName } from '../../state/catalog';
import { ACCEL_COLOURS } from '../../lib/palette';
import { fmtNum } from '../../lib/format';
import { ENERGY_PARTS } from './colours';
import { energySum, fmtEnergy } from './formulas';
import { Swatches } from './Swatches';
import { LABELS_H } from './StorageCharts';

type Parts = Pick<LayerEnergyReport, 'compute' | 'sram' | 'dram' | 'leakage'>;

function usedParts(all: Parts[]) {
  return ENERGY_PARTS.filter((p) => p.key !== 'leakage' || all.some((e) => e.leakage > 0));
}

function totalTitle(report: SimReport, id: ModelId, t: EnergyTotalsReport): string {
  return (
    `${accelName(id)}, Σ over ${t.layers} of ${report.layers.length} layers: ${energySum(t)} per image; ` +
    `${fmtNum(t.pJPerMac, 4)} pJ per MAC (${fmtEnergy(t.total)} / ${t.macs.toLocaleString('en-US')} MACs)`
  );
}

/** Energy per image of every accelerator, stacked by component, one bar per accelerator. */
export function EnergyTotals({
  report,
  accels,
  width,
}: {
  report: SimReport;
  accels: ModelId[];
  width: number;
}) {
  const rows = accels.flatMap((id) =>
    report.totals.energy[id] ? [{ id, t: report.totals.energy[id] }] : [],
  );
  const max = Math.max(...rows.map((r) => r.t.total), 1);
  const barW = Math.max(160, Math.min(640, width - 420));
  const parts = usedParts(rows.map((r) => r.t));
  return (
    <div className="flex flex-col gap-2">
      <table className="text-base">
        <caption className="sr-only">Energy estimate per image and accelerator</caption>
        <tbody>
          {rows.map(({ id, t }) => {
            let x = 0;
            const title = totalTitle(report, id, t);
            return (
              <tr key={id}>
                <th scope="row" className="w-56 py-0.5 pr-2 text-left font-normal">
                  <span
                    aria-hidden
                    className="mr-1.5 inline-block h-3 w-3 rounded-sm"
                    style={{ background: ACCEL_COLOURS[id] }}
                  />
                  {accelName(id)}
                  {t.layers < report.layers.length && (
                    <span className="ml-1 text-sm text-slate-600">
                      ({t.layers} of {report.layers.length} layers)
                    </span>
                  )}
                </th>
                <td className="py-0.5">
                  <div className="flex items-center gap-2" title={title}>
                    <svg width={barW} height={16} aria-hidden className="shrink-0">
                      {parts.map((p) => {
                        const w = (barW * t[p.key]) / max;
                        const r = (
                          <rect key={p.key} x={x} y={2} width={Math.max(0, w)} height={12} fill={p.colour} />
                        );
                        x += w;
                        return r;
                      })}
                    </svg>
                    <span
                      className="font-semibold tabular-nums whitespace-nowrap"
                      data-testid={`energy-total-${id}`}
                    >
                      {fmtEnergy(t.total)}
                    </span>
                    <span className="text-sm text-slate-600 tabular-nums whitespace-nowrap">
                      {Number(t.pJPerMac.toPrecision(4))} pJ/MAC
                    </span>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Swatches label="Energy components" items={parts} />
    </div>
  );
}

const H = 200;
const AXIS_W = 64;

/** One accelerator's energy per layer, stacked by component (linear scale, pJ per image). */
export function EnergyLayers({
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
  const plotW = Math.max(240, width - AXIS_W - 8);
  const x = scaleBand<string>()
    .domain(report.layers.map((l) => l.name))
    .range([0, plotW])
    .paddingInner(0.15);
  const all = report.layers.flatMap((l) => (l.energy[id] ? [l.energy[id]] : []));
  const y = scaleLinear()
    .domain([0, Math.max(...all.map((e) => e.total), 1) * 1.05])
    .range([H - 4, 8]);
  const axis = useMemo(() => axisLeft(y).ticks(5).tickSizeOuter(0).tickFormat(format('~s')), [y]);
  const parts = usedParts(all);
  return (
    <figure>
      <svg
        width={plotW + AXIS_W}
        height={H + LABELS_H}
        role="img"
        aria-label={`${accelName(id)}: energy per layer by component`}
      >
        <Axis axis={axis} transform={`translate(${AXIS_W - 4},0)`} className="text-xs" />
        <Axis
          axis={axisBottom(x).tickSizeOuter(0)}
          transform={`translate(${AXIS_W},${H})`}
          className="text-xs"
          rotate={-40}
        />
        <text x={4} y={10} fontSize={12} fill="#334155">
          pJ
        </text>
        <g transform={`translate(${AXIS_W},0)`}>
          {report.layers.map((l) => {
            const e = l.energy[id];
            const x0 = x(l.name) ?? 0;
            let acc = 0;
            return (
              <g key={l.name} onClick={() => selectLayer(l.name)} className="cursor-pointer">
                <rect
                  x={x0}
                  y={0}
                  width={x.step()}
                  height={H}
                  fill={l.name === selected ? '#E0F2FE' : 'transparent'}
                />
                <title>
                  {e
                    ? `${l.name}: ${energySum(e)}`
                    : `${l.name}: ${accelName(id)} does not apply to this layer`}
                </title>
                {e ? (
                  parts.map((p) => {
                    const y0 = y(acc);
                    acc += e[p.key];
                    const y1 = y(acc);
                    return (
                      <rect
                        key={p.key}
                        x={x0}
                        y={y1}
                        width={x.bandwidth()}
                        height={Math.max(0, y0 - y1)}
                        fill={p.colour}
                      />
                    );
                  })
                ) : (
                  <text x={x0 + x.bandwidth() / 2} y={H - 8} textAnchor="middle" fontSize={11} fill="#64748B">
                    n/a
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <Swatches label="Energy components" items={parts} />
      </figcaption>
    </figure>
  );
}
