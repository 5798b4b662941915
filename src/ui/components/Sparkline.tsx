import { useMemo } from 'react';
import { area, line, scaleLinear } from 'd3';

/** A small line of a per-cycle fraction (0..1) with a cursor at the current cycle. */
export function Sparkline({
  values,
  cursor,
  width,
  height = 48,
  label,
  colour = '#0072B2',
  onSeek,
}: {
  values: Float32Array;
  cursor: number;
  width: number;
  height?: number;
  label: string;
  colour?: string;
  onSeek?(cycle: number): void;
}) {
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, Math.max(1, values.length - 1)])
        .range([1, width - 1]),
    [values, width],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, 1])
        .range([height - 2, 2]),
    [height],
  );
  const paths = useMemo(() => {
    // Downsample to at most one point per pixel so long traces stay cheap.
    const step = Math.max(1, Math.floor(values.length / width));
    const pts: Array<[number, number]> = [];
    for (let i = 0; i < values.length; i += step) pts.push([i, Number.isNaN(values[i]) ? 0 : values[i]]);
    return {
      line: line<[number, number]>()
        .x((d) => x(d[0]))
        .y((d) => y(d[1]))(pts),
      area: area<[number, number]>()
        .x((d) => x(d[0]))
        .y0(y(0))
        .y1((d) => y(d[1]))(pts),
    };
  }, [values, width, x, y]);
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={label}
      className={onSeek ? 'cursor-pointer' : undefined}
      onClick={(e) => {
        if (!onSeek) return;
        const rect = e.currentTarget.getBoundingClientRect();
        onSeek(Math.max(0, Math.floor(x.invert(e.clientX - rect.left) + 0.5)));
      }}
    >
      <rect x={0} y={0} width={width} height={height} fill="#F8FAFC" stroke="#CBD5E1" />
      <path d={paths.area ?? ''} fill={colour} fillOpacity={0.2} />
      <path d={paths.line ?? ''} fill="none" stroke={colour} strokeWidth={1.5} />
      <line x1={x(cursor)} x2={x(cursor)} y1={0} y2={height} stroke="#111827" strokeWidth={2} />
    </svg>
  );
}
