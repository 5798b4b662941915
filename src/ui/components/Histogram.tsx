import { useMemo } from 'react';
import { axisBottom, axisLeft, max, scaleLinear } from 'd3';
import { Axis } from './Axis';
import { fmtCount, fmtNum } from '../lib/format';

const M = { top: 10, right: 12, bottom: 36, left: 56 };

/** Histogram over bin edges (float weights etc.), with labelled vertical threshold lines. */
export function EdgeHistogram({
  edges,
  counts,
  width,
  height = 200,
  colour,
  label,
  thresholds = [],
  domain,
}: {
  edges: number[];
  counts: number[];
  width: number;
  height?: number;
  colour: string;
  label: string;
  thresholds?: Array<{ value: number; label: string }>;
  domain?: [number, number];
}) {
  const x = useMemo(
    () =>
      scaleLinear()
        .domain(domain ?? [edges[0] ?? 0, edges[edges.length - 1] ?? 1])
        .range([M.left, width - M.right]),
    [edges, width, domain],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, max(counts) ?? 1])
        .nice()
        .range([height - M.bottom, M.top]),
    [counts, height],
  );
  const xAxis = useMemo(() => axisBottom(x).ticks(Math.max(2, Math.floor(width / 70))), [x, width]);
  const yAxis = useMemo(() => axisLeft(y).ticks(4, '~s'), [y]);
  return (
    <svg width={width} height={height} role="img" aria-label={label}>
      {counts.map((c, i) => {
        const x0 = x(edges[i]);
        const x1 = x(edges[i + 1]);
        return (
          <rect
            key={i}
            x={Math.min(x0, x1)}
            y={y(c)}
            width={Math.max(1, Math.abs(x1 - x0) - 0.5)}
            height={y(0) - y(c)}
            fill={colour}
          >
            <title>{`[${fmtNum(edges[i])}, ${fmtNum(edges[i + 1])}): ${fmtCount(c)}`}</title>
          </rect>
        );
      })}
      {thresholds.map((t, i) => (
        <g key={i}>
          <line
            x1={x(t.value)}
            x2={x(t.value)}
            y1={M.top}
            y2={height - M.bottom}
            stroke="#D55E00"
            strokeWidth={2}
            strokeDasharray="5 3"
          />
          <text x={x(t.value) + 3} y={M.top + 12 + (i % 2) * 14} fontSize={13} fill="#7C2D12">
            <title>{`${t.label} = ${fmtNum(t.value, 5)}`}</title>
            {t.label}
          </text>
        </g>
      ))}
      <Axis axis={xAxis} transform={`translate(0,${height - M.bottom})`} />
      <Axis axis={yAxis} transform={`translate(${M.left},0)`} />
    </svg>
  );
}

/** Bars over small integer categories 0..n-1 (e.g. terms per value). */
export function CountBars({
  counts,
  width,
  height = 180,
  colour,
  label,
  xLabel,
}: {
  counts: number[];
  width: number;
  height?: number;
  colour: string;
  label: string;
  xLabel: string;
}) {
  const total = counts.reduce((a, b) => a + b, 0);
  const mean = total > 0 ? counts.reduce((a, c, i) => a + c * i, 0) / total : 0;
  const x = scaleLinear()
    .domain([-0.5, Math.max(1, counts.length) - 0.5])
    .range([M.left, width - M.right]);
  const y = scaleLinear()
    .domain([0, max(counts) ?? 1])
    .nice()
    .range([height - M.bottom, M.top]);
  const bw = Math.max(1, x(1) - x(0) - 2);
  return (
    <figure>
      <svg width={width} height={height} role="img" aria-label={label}>
        {counts.map((c, i) => (
          <rect key={i} x={x(i) - bw / 2} y={y(c)} width={bw} height={y(0) - y(c)} fill={colour}>
            <title>{`${i} ${xLabel}: ${fmtCount(c)} (${total > 0 ? ((100 * c) / total).toFixed(1) : 0} %)`}</title>
          </rect>
        ))}
        <line
          x1={x(mean)}
          x2={x(mean)}
          y1={M.top}
          y2={height - M.bottom}
          stroke="#111827"
          strokeDasharray="4 3"
        />
        <Axis
          axis={axisBottom(x)
            .ticks(Math.max(2, Math.min(counts.length, Math.floor(width / 36))))
            .tickFormat((d) => (Number.isInteger(d) ? String(d) : ''))}
          transform={`translate(0,${height - M.bottom})`}
        />
        <Axis axis={axisLeft(y).ticks(4, '~s')} transform={`translate(${M.left},0)`} />
      </svg>
      <figcaption
        className="text-sm text-slate-700"
        title={`mean = Σ i·count(i) / Σ count(i) = ${mean.toFixed(3)}`}
      >
        {label}: mean {mean.toFixed(2)} {xLabel} (dashed line)
      </figcaption>
    </figure>
  );
}
