import { scaleBand, scaleLinear } from 'd3';
import type { SimReport } from '../../../sim/report';
import { selectLayer } from '../../components/LayerNavigator';
import { OKABE_ITO } from '../../lib/palette';
import { fmtPct } from '../../lib/format';

const H = 160;

/** Weight and activation sparsity (fraction of zero codes) per layer. */
export function SparsityBars({
  report,
  width,
  selected,
}: {
  report: SimReport;
  width: number;
  selected: string | null;
}) {
  const x = scaleBand<string>()
    .domain(report.layers.map((l) => l.name))
    .range([40, width])
    .paddingInner(0.2);
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - 4, 8]);
  const half = x.bandwidth() / 2;
  return (
    <figure>
      <svg width={width} height={H} role="img" aria-label="Weight and activation sparsity per layer">
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <line x1={36} x2={width} y1={y(v)} y2={y(v)} stroke="#E2E8F0" />
            <text x={32} y={y(v) + 4} textAnchor="end" fontSize={12}>
              {v * 100}%
            </text>
          </g>
        ))}
        {report.layers.map((l) => {
          const x0 = x(l.name) ?? 0;
          return (
            <g key={l.name} onClick={() => selectLayer(l.name)} className="cursor-pointer">
              <rect
                x={x0}
                y={0}
                width={x.bandwidth()}
                height={H}
                fill={l.name === selected ? '#E0F2FE' : 'transparent'}
              />
              <rect
                x={x0}
                y={y(l.weightSparsity)}
                width={half - 1}
                height={y(0) - y(l.weightSparsity)}
                fill={OKABE_ITO.orange}
              >
                <title>{`${l.name}: weight sparsity = zero weight codes / weights = ${fmtPct(l.weightSparsity)}`}</title>
              </rect>
              <rect
                x={x0 + half}
                y={y(l.actSparsity)}
                width={half - 1}
                height={y(0) - y(l.actSparsity)}
                fill={OKABE_ITO.blue}
              >
                <title>{`${l.name}: activation sparsity = zero activation codes / activations (mean over images) = ${fmtPct(l.actSparsity)}`}</title>
              </rect>
            </g>
          );
        })}
      </svg>
      <figcaption className="flex gap-4 text-sm text-slate-700">
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-3 w-3" style={{ background: OKABE_ITO.orange }} />{' '}
          weights
        </span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-3 w-3" style={{ background: OKABE_ITO.blue }} />{' '}
          activations
        </span>
      </figcaption>
    </figure>
  );
}
