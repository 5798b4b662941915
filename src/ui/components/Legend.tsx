import { UNIT_STATE_COLOURS, UNIT_STATE_LABELS } from '../lib/palette';
import { fmtCount, fmtPct } from '../lib/format';

/** Unit-state legend; with `counts` (per state at the current cycle) it doubles as a live readout. */
export function StateLegend({
  counts,
  total,
  vertical,
}: {
  counts?: ArrayLike<number>;
  total?: number;
  vertical?: boolean;
}) {
  const order = [1, 2, 3, 0];
  return (
    <ul
      className={`flex gap-x-5 gap-y-1 text-base ${vertical ? 'flex-col' : 'flex-wrap'}`}
      aria-label="Legend"
    >
      {order.map((s) => (
        <li key={s} className="flex items-center gap-2">
          <span
            aria-hidden
            className="inline-block h-4 w-4 rounded-sm border border-slate-400"
            style={{ background: UNIT_STATE_COLOURS[s] }}
          />
          <span>{UNIT_STATE_LABELS[s]}</span>
          {counts && total ? (
            <span
              className="ml-auto pl-2 font-semibold tabular-nums"
              title={`${fmtCount(counts[s])} of ${fmtCount(total)} units = ${fmtPct(counts[s] / total)}`}
            >
              {fmtCount(counts[s])}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
