import { useApp } from '../state/store';
import { useTrace } from '../hooks/useTrace';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { GridAccelPicker } from '../components/GridAccelPicker';
import { Sparkline } from '../components/Sparkline';
import { setCycle } from '../hooks/usePlayer';
import { accelName } from '../state/catalog';
import { fmtPct } from '../lib/format';
import { meanOccupancy } from '../lib/traceStats';
import { Heatmap, HeatmapScale } from './occupancy/Heatmap';
import { LayerOccupancyBars } from './occupancy/LayerOccupancyBars';
import { Vocabulary } from './occupancy/Vocabulary';

/** How busy the arithmetic units are: over the tile's cycles, per PE, and per layer. */
export function OccupancyView() {
  const report = useApp((s) => s.report);
  const gridAccel = useApp((s) => s.link.gridAccel);
  const linkCycle = useApp((s) => s.link.cycle);
  const layer = useSelectedLayer();
  const { data: trace, stats, error, loading } = useTrace();
  const [ref, width] = useWidth<HTMLDivElement>();
  const w = Math.min(width, 1000);
  const cycle = trace ? Math.min(linkCycle, trace.storedCycles - 1) : 0;
  const r = layer?.results[gridAccel];
  return (
    <div ref={ref} className="flex flex-col gap-5">
      <GridAccelPicker />
      <section>
        <h3 className="text-lg font-semibold">
          Tile: fraction of units doing effectual work, cycle by cycle
        </h3>
        {error && (
          <p role="alert" className="text-red-900">
            No tile trace: {error}
          </p>
        )}
        {loading && !trace && <p role="status">Tracing the tile…</p>}
        {trace && stats && (
          <>
            <p className="text-base" title="mean over recorded cycles of (effectual units / all units)">
              Mean over {trace.storedCycles} recorded cycles: <strong>{fmtPct(meanOccupancy(stats))}</strong>
            </p>
            <Sparkline
              values={stats.occupancy}
              cursor={cycle}
              width={w}
              height={90}
              label="Effectual fraction over time"
              onSeek={(c) => setCycle(c)}
            />
            <h4 className="mt-3 font-semibold">PE × time</h4>
            <p className="text-sm text-slate-700">
              One row per PE (row-major), time to the right; red line = current cycle.
            </p>
            <Heatmap stats={stats} cycles={trace.storedCycles} width={w} cursor={cycle} />
            <HeatmapScale />
          </>
        )}
      </section>
      {report && (
        <section>
          <h3 className="text-lg font-semibold">Per layer: occupancy of {accelName(gridAccel)}</h3>
          <LayerOccupancyBars report={report} id={gridAccel} width={w} selected={layer?.name ?? null} />
        </section>
      )}
      {r && (
        <section>
          <h3 className="text-lg font-semibold">
            {layer?.name} on {accelName(gridAccel)}
          </h3>
          <Vocabulary r={r} />
        </section>
      )}
    </div>
  );
}
