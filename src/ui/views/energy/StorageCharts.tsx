import { useMemo } from 'react';
import { axisBottom, axisLeft, format, scaleBand, scaleLinear, scaleLog } from 'd3';
import type { SimReport } from '../../../sim/report';
import { STORAGE_FORMAT_IDS, STORAGE_FORMAT_LABELS, type StorageFormatId } from '../../../sim/reportStorage';
import { selectLayer } from '../../components/LayerNavigator';
import { Axis } from '../../components/Axis';
import { fmtCount, fmtNum, logTicks } from '../../lib/format';
import { formatColour } from './colours';
import { fmtBits } from './formulas';
import { Swatches } from './Swatches';

/** Formats present in the report, in display order. */
export function presentFormats(report: SimReport): StorageFormatId[] {
  return STORAGE_FORMAT_IDS.filter((id) => report.totals.storage.formats[id]);
}

function bitsScale(lo: number, hi: number, log: boolean, range: [number, number]) {
  return log
    ? scaleLog()
        .domain([Math.max(1, lo / 2), hi * 1.1])
        .range(range)
    : scaleLinear()
        .domain([0, hi * 1.05])
        .range(range);
}

/** Network weight storage per format: the configured storage first, then every format that applies. */
export function StorageTotals({ report, log, width }: { report: SimReport; log: boolean; width: number }) {
  const t = report.totals.storage;
  const nLayers = report.layers.length;
  const rows = [
    { key: 'configured', label: 'as configured', colour: '#111827', totals: t.configured, layers: nLayers },
    ...presentFormats(report).map((id) => ({
      key: id,
      label: STORAGE_FORMAT_LABELS[id],
      colour: formatColour(id),
      totals: t.formats[id]!,
      layers: t.formats[id]!.layers,
    })),
  ];
  const barW = Math.max(120, Math.min(520, width - 560));
  const x = bitsScale(
    Math.min(...rows.map((r) => r.totals.bits)),
    Math.max(...rows.map((r) => r.totals.bits)),
    log,
    [0, barW],
  );
  const fp32 = t.formats.fp32;
  return (
    <table className="text-base">
      <caption className="sr-only">Weight storage of the whole network per format</caption>
      <thead className="text-left text-sm text-slate-600">
        <tr>
          <th className="pr-3 font-normal">format</th>
          <th className="pr-3 font-normal">bits ({log ? 'log' : 'linear'} scale)</th>
          <th className="pr-3 text-right font-normal">bits/weight</th>
          <th className="text-right font-normal">vs FP32</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const title =
            `${r.label}: Σ over ${r.layers} layer(s) = ${fmtCount(r.totals.bits)} bits; bits/weight = ${fmtCount(r.totals.bits)} / ${fmtCount(r.totals.n)} = ${fmtNum(r.totals.bitsPerWeight, 3)}; ` +
            `compression = 32·n / bits = ${fmtCount(32 * r.totals.n)} / ${fmtCount(r.totals.bits)} = ${fmtNum(r.totals.compression, 3)}×` +
            (r.totals.entropyBits !== undefined
              ? `; ideal entropy coding (Huffman stand-in): ${fmtCount(Math.ceil(r.totals.entropyBits))} bits`
              : '');
          return (
            <tr key={r.key}>
              <th scope="row" className="py-0.5 pr-3 text-left font-normal whitespace-nowrap">
                {r.label}
                {r.layers < nLayers && (
                  <span className="ml-1 text-sm text-slate-600">
                    ({r.layers} of {nLayers} layers)
                  </span>
                )}
              </th>
              <td className="py-0.5 pr-3">
                <div className="flex items-center gap-2" title={title}>
                  <svg width={barW} height={16} aria-hidden className="shrink-0">
                    <rect
                      x={0}
                      y={2}
                      width={Math.max(1, x(Math.max(r.totals.bits, 1)))}
                      height={12}
                      fill={r.colour}
                    />
                  </svg>
                  <span className="tabular-nums whitespace-nowrap" data-testid={`storage-total-${r.key}`}>
                    {fmtBits(r.totals.bits)}
                  </span>
                </div>
              </td>
              <td className="py-0.5 pr-3 text-right tabular-nums">{fmtNum(r.totals.bitsPerWeight, 2)}</td>
              <td className="py-0.5 text-right tabular-nums" title={title}>
                {fp32 ? `${fmtNum(r.totals.compression, 2)}×` : '–'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const H = 220;
const AXIS_W = 64;
/** Room for the slanted layer names under the bars. */
export const LABELS_H = 124;

/** Per-layer storage, one bar per format in each layer's column; click a column to select the layer. */
export function StorageLayers({
  report,
  log,
  width,
  selected,
  formulaOf,
}: {
  report: SimReport;
  log: boolean;
  width: number;
  selected: string | null;
  formulaOf(layer: number, id: StorageFormatId): string;
}) {
  const formats = presentFormats(report);
  const plotW = Math.max(240, width - AXIS_W - 8);
  const x = scaleBand<string>()
    .domain(report.layers.map((l) => l.name))
    .range([0, plotW])
    .paddingInner(0.15);
  const inner = scaleBand<string>().domain(formats).range([0, x.bandwidth()]).paddingInner(0.05);
  const all = report.layers.flatMap((l) =>
    formats.flatMap((id) => (l.storage.formats[id] ? [l.storage.formats[id].bits] : [])),
  );
  const y = bitsScale(Math.min(...all), Math.max(...all), log, [H - 4, 8]);
  const axis = useMemo(() => {
    const a = axisLeft(y).tickSizeOuter(0).tickFormat(format('~s'));
    return log ? a.tickValues(logTicks(y.domain() as [number, number], 5)) : a.ticks(5);
  }, [y, log]);
  return (
    <figure>
      <svg
        width={plotW + AXIS_W}
        height={H + LABELS_H}
        role="img"
        aria-label="Weight storage per layer and format"
      >
        <Axis axis={axis} transform={`translate(${AXIS_W - 4},0)`} className="text-xs" />
        <Axis
          axis={axisBottom(x).tickSizeOuter(0)}
          transform={`translate(${AXIS_W},${H})`}
          className="text-xs"
          rotate={-40}
        />
        <text x={4} y={10} fontSize={12} fill="#334155">
          bits
        </text>
        <g transform={`translate(${AXIS_W},0)`}>
          {report.layers.map((l, i) => {
            const x0 = x(l.name) ?? 0;
            return (
              <g key={l.name} onClick={() => selectLayer(l.name)} className="cursor-pointer">
                <rect
                  x={x0}
                  y={0}
                  width={x.step()}
                  height={H}
                  fill={l.name === selected ? '#E0F2FE' : 'transparent'}
                >
                  <title>{`${l.name}: click to select`}</title>
                </rect>
                {formats.map((id) => {
                  const f = l.storage.formats[id];
                  if (!f) return null;
                  const top = y(Math.max(f.bits, 1));
                  const own = l.storage.format === id;
                  return (
                    <rect
                      key={id}
                      x={x0 + (inner(id) ?? 0)}
                      y={top}
                      width={Math.max(1, inner.bandwidth())}
                      height={Math.max(1, H - 4 - top)}
                      fill={formatColour(id)}
                      stroke={own ? '#111827' : 'none'}
                      strokeWidth={own ? 1.5 : 0}
                    >
                      <title>{`${l.name}, ${STORAGE_FORMAT_LABELS[id]}${own ? ' (as configured)' : ''}: ${formulaOf(i, id)}`}</title>
                    </rect>
                  );
                })}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption className="flex flex-col gap-1">
        <Swatches
          label="Storage formats"
          items={formats.map((id) => ({ label: STORAGE_FORMAT_LABELS[id], colour: formatColour(id) }))}
        />
        <span className="text-sm text-slate-600">
          Outlined bar: the format the configuration stores the layer in. Layers left to right in execution
          order.
        </span>
      </figcaption>
    </figure>
  );
}
