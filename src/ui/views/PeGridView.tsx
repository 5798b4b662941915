import type { KeyboardEvent } from 'react';
import type { TileTrace } from '../../sim/accel/types';
import type { TraceStats } from '../lib/traceStats';
import { useApp } from '../state/store';
import { useTrace } from '../hooks/useTrace';
import { usePlayer, setCycle, stepCycle, togglePlay, useReadoutCycle } from '../hooks/usePlayer';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { GridAccelPicker } from '../components/GridAccelPicker';
import { StateLegend } from '../components/Legend';
import { Sparkline } from '../components/Sparkline';
import { LayerResultLine } from '../components/LayerResultLine';
import { PeCanvas, progressCaption, unitName } from './pe/PeCanvas';
import { PlayerControls } from './pe/PlayerControls';
import { accelName } from '../state/catalog';
import { fmtCount, fmtPct } from '../lib/format';

/**
 * What the tile does at the readout cycle: units per state, occupancy, skipped work, the sparkline cursor
 * and Pragmatic's column progress. The only part of the view that re-renders while the animation plays
 * (a few times a second, see useReadoutCycle); the canvas draws every cycle itself.
 */
function CycleReadouts({
  trace,
  stats,
  last,
  width,
}: {
  trace: TileTrace;
  stats: TraceStats;
  last: number;
  width: number;
}) {
  const cycle = Math.max(0, Math.min(useReadoutCycle(), last));
  const counts = stats.stateCounts.subarray(cycle * 4, cycle * 4 + 4);
  const caption = progressCaption(trace, cycle);
  return (
    <>
      <StateLegend counts={counts} total={stats.units} vertical />
      <p
        className="text-base"
        title={`effectual units / all units = ${fmtCount(counts[1] ?? 0)} / ${fmtCount(stats.units)}`}
      >
        Occupancy this cycle: <strong>{fmtPct(stats.occupancy[cycle] ?? 0)}</strong>
      </p>
      <p
        className="text-base"
        title={`ineffectual work (in ${trace.unit}s) the model skipped during cycle ${cycle + 1}`}
      >
        Skipped this cycle: <strong>{fmtCount(trace.skippedPerCycle[cycle] ?? 0)}</strong> {trace.unit}s
      </p>
      <div>
        <p className="text-sm text-slate-700">Occupancy over the tile’s cycles (click to jump)</p>
        <Sparkline
          values={stats.occupancy}
          cursor={cycle}
          width={width}
          label="Fraction of units doing effectual work per cycle"
          onSeek={(c) => {
            useApp.getState().update((d) => void (d.playing = false));
            setCycle(Math.min(c, last));
          }}
        />
      </div>
      {caption && <p className="text-sm text-slate-700">{caption}</p>}
    </>
  );
}

/** The selected accelerator's tile working on the selected layer, cycle by cycle. */
export function PeGridView() {
  const { data: trace, stats, error, loading } = useTrace();
  const layer = useSelectedLayer();
  const gridAccel = useApp((s) => s.link.gridAccel);
  const [ref, width] = useWidth<HTMLDivElement>();
  const last = trace ? trace.storedCycles - 1 : -1;
  usePlayer(last);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === ' ' || e.key === 'k') togglePlay(last);
    else if (e.key === 'ArrowRight') stepCycle(1, last);
    else if (e.key === 'ArrowLeft') stepCycle(-1, last);
    else if (e.key === 'Home') setCycle(0);
    else if (e.key === 'End') setCycle(last);
    else return;
    e.preventDefault();
  };
  // Side by side when there is room: grid on the left, live readouts on the right.
  const sideBySide = width >= 800;
  const gridW = sideBySide ? width - 340 : width;
  const sideW = sideBySide ? 290 : Math.min(width, 900);
  return (
    <div ref={ref} className="flex flex-col gap-3">
      <GridAccelPicker />
      {layer && <LayerResultLine layer={layer} id={gridAccel} />}
      {error && (
        <p
          role="alert"
          className="rounded border border-red-700 bg-red-50 p-2 text-red-900"
          data-testid="trace-error"
        >
          No tile trace for {accelName(gridAccel)} on {layer?.name}: {error}
        </p>
      )}
      {loading && !trace && <p role="status">Tracing the tile…</p>}
      {trace && stats && (
        <>
          <PlayerControls last={last} totalCycles={trace.cycles} />
          <p className="text-base text-slate-700">
            {trace.peRows} × {trace.peCols} PEs, {trace.unitsPerPE} {unitName(trace)} each · tile (filter
            block {trace.filterBlock}, window block {trace.windowBlock}) of {trace.layer} takes{' '}
            {fmtCount(trace.cycles)} cycles
            {trace.storedCycles < trace.cycles
              ? `; the first ${fmtCount(trace.storedCycles)} are recorded`
              : ''}
            .
          </p>
          <div className="flex flex-wrap items-start gap-6">
            <div
              tabIndex={0}
              onKeyDown={onKey}
              className={`rounded p-1 ${loading ? 'opacity-60' : ''}`}
              aria-label="Tile animation: space plays or pauses, arrow keys step one cycle"
              role="group"
            >
              <PeCanvas trace={trace} width={Math.min(gridW, 760)} maxHeight={600} />
            </div>
            {/* Contained: a readout update lays out and paints this column, not the page around it. */}
            <div className="flex min-w-64 flex-1 flex-col gap-3 [contain:content]">
              <CycleReadouts trace={trace} stats={stats} last={last} width={sideW} />
              {trace.notes && trace.notes.length > 0 && (
                <ul className="list-disc pl-6 text-sm text-slate-700">
                  {trace.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
