import type { LayerResult } from '../../../sim/accel/types';
import { fmtCount, fmtPct } from '../../lib/format';

/** Algorithmic, effectual, skipped and idle work of one layer on one accelerator, in the model's unit. */
export function Vocabulary({ r }: { r: LayerResult }) {
  const capacity = r.slotsPerCycle * Math.max(r.cycles, 1);
  const rows: Array<[string, string, string, string]> = [
    [
      'algorithmic',
      `${fmtCount(r.macs)} MACs`,
      'every multiply-accumulate the layer defines',
      `K·Oh·Ow·Kh·Kw·C = ${fmtCount(r.macs)}`,
    ],
    [
      'effectual',
      `${fmtCount(r.effectualWork)} ${r.unit}s`,
      'work the hardware had to do',
      `effectual work = ${fmtCount(r.effectualWork)} ${r.unit}s`,
    ],
    [
      'skipped',
      `${fmtCount(r.skippedWork)} ${r.unit}s`,
      'ineffectual work recognised and skipped',
      `skipped = ${fmtCount(r.skippedWork)} ${r.unit}s`,
    ],
    [
      'idle',
      `${fmtCount(r.idleSlots)} slot-cycles`,
      'capacity spent waiting (synchronisation, fragmentation, forced zero work)',
      `idle = slots × cycles − effectual = ${fmtCount(r.slotsPerCycle)} × ${fmtCount(Math.max(r.cycles, 1))} − ${fmtCount(r.effectualWork)} = ${fmtCount(r.idleSlots)} (${fmtPct(r.idleSlots / capacity)} of capacity)`,
    ],
  ];
  return (
    <table className="text-base">
      <caption className="text-left text-sm text-slate-600">Work vocabulary for this layer</caption>
      <tbody>
        {rows.map(([name, value, meaning, formula]) => (
          <tr key={name} className="border-b border-slate-100">
            <th scope="row" className="pr-4 text-left font-semibold">
              {name}
            </th>
            <td className="pr-4 tabular-nums" title={formula}>
              {value}
            </td>
            <td className="text-slate-700">{meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
