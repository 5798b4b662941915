import { useEffect, useRef } from 'react';
import { select } from 'd3';
import type { Axis as D3Axis, AxisDomain } from 'd3';

/** A D3 axis rendered into a <g> that React owns; `rotate` slants long tick labels. */
export function Axis<D extends AxisDomain>({
  axis,
  transform,
  className,
  rotate,
}: {
  axis: D3Axis<D>;
  transform?: string;
  className?: string;
  rotate?: number;
}) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const g = select(ref.current).call(axis).attr('font-size', null).attr('font-family', null);
    if (rotate)
      g.selectAll('text')
        .attr('transform', `rotate(${rotate})`)
        .attr('text-anchor', 'end')
        .attr('dx', '-0.4em')
        .attr('dy', '0.3em');
  }, [axis, rotate]);
  return <g ref={ref} transform={transform} className={className ?? 'text-sm'} />;
}
