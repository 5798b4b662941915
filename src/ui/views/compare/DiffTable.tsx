import type { ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';
import { accelName } from '../../state/catalog';
import { fmtCount, fmtX } from '../../lib/format';
import { diffRows, ratio } from './diff';

function Ratio({ a, b, what }: { a?: number; b?: number; what: 'cycles' | 'speedup' }) {
  const show = what === 'cycles' ? fmtCount : (v: number) => fmtX(v);
  const r = ratio(a, b);
  if (r === null) return <td className="px-2 text-right text-slate-500">–</td>;
  const tone = r > 1.005 ? 'text-emerald-800' : r < 0.995 ? 'text-red-800' : '';
  return (
    <td
      className={`px-2 text-right font-semibold tabular-nums ${tone}`}
      title={`ratio = ${what} B / ${what} A = ${show(b!)} / ${show(a!)} = ${fmtX(r, 3)}`}
    >
      {fmtX(r, 3)}
    </td>
  );
}

function Cell({ value, format }: { value?: number; format(v: number): string }) {
  return <td className="px-2 text-right tabular-nums">{value === undefined ? '–' : format(value)}</td>;
}

/** Per layer: cycles and speedup of one accelerator on A and on B, with the ratio B / A. */
export function DiffTable({ a, b, id }: { a: SimReport; b: SimReport; id: ModelId }) {
  const rows = diffRows(a, b, id);
  const ta = a.totals.results[id];
  const tb = b.totals.results[id];
  return (
    <table className="text-base" data-testid="diff-table" data-accel={id}>
      <caption className="mb-1 text-left font-semibold">
        {accelName(id)}: side A against side B, per layer
      </caption>
      <thead>
        <tr className="border-b border-slate-300 text-sm">
          <th scope="col" className="px-2 text-left">
            layer
          </th>
          <th scope="col" className="px-2 text-right">
            cycles A
          </th>
          <th scope="col" className="px-2 text-right">
            cycles B
          </th>
          <th scope="col" className="px-2 text-right">
            B / A
          </th>
          <th scope="col" className="px-2 text-right">
            speedup A
          </th>
          <th scope="col" className="px-2 text-right">
            speedup B
          </th>
          <th scope="col" className="px-2 text-right">
            B / A
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.layer} data-layer-row={r.layer} className="border-b border-slate-100">
            <th scope="row" className="px-2 text-left font-mono text-sm font-normal">
              {r.layer}
            </th>
            <Cell value={r.a?.cycles} format={fmtCount} />
            <Cell value={r.b?.cycles} format={fmtCount} />
            <Ratio a={r.a?.cycles} b={r.b?.cycles} what="cycles" />
            <Cell value={r.a?.speedup} format={(v) => fmtX(v)} />
            <Cell value={r.b?.speedup} format={(v) => fmtX(v)} />
            <Ratio a={r.a?.speedup} b={r.b?.speedup} what="speedup" />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="border-t-2 border-slate-400 font-semibold" data-layer-row="total">
          <th scope="row" className="px-2 text-left">
            network
          </th>
          <Cell value={ta?.cycles} format={fmtCount} />
          <Cell value={tb?.cycles} format={fmtCount} />
          <Ratio a={ta?.cycles} b={tb?.cycles} what="cycles" />
          <Cell value={ta?.speedup} format={(v) => fmtX(v)} />
          <Cell value={tb?.speedup} format={(v) => fmtX(v)} />
          <Ratio a={ta?.speedup} b={tb?.speedup} what="speedup" />
        </tr>
      </tfoot>
    </table>
  );
}
