import type { LayerReport } from '../../../sim/report';
import { fmtNum, fmtPct } from '../../lib/format';

/** Precisions, scheme and quantiser metadata (scales, thresholds, Wp/Wn…) of one layer. */
export function QuantMetaTable({ layer }: { layer: LayerReport }) {
  const rows: Array<[string, string, string?]> = [
    ['scheme', layer.weightScheme],
    ['activation precision Pa', `${layer.pa} bits`],
    ['weight precision Pw', `${layer.pw} bits`],
    ['network width Wb', `${layer.wb} bits`, 'used by potentials (Wb² per MAC)'],
    ['weight sparsity', fmtPct(layer.weightSparsity), 'zero weight codes / weights'],
    [
      'activation sparsity',
      fmtPct(layer.actSparsity),
      'zero activation codes / activations, mean over images',
    ],
    ['mean terms per weight', fmtNum(layer.meanTermsPerWeight)],
    ['mean terms per activation', fmtNum(layer.meanTermsPerAct)],
    ...Object.entries(layer.quantMeta).map(([k, v]): [string, string] => [
      k,
      typeof v === 'number' ? fmtNum(v, 6) : v,
    ]),
  ];
  return (
    <table className="text-base">
      <tbody>
        {rows.map(([k, v, hint]) => (
          <tr key={k} className="border-b border-slate-100">
            <th scope="row" className="pr-6 text-left font-normal text-slate-700">
              {k}
            </th>
            <td className="font-mono tabular-nums" title={hint ? `${k} = ${hint}` : undefined}>
              {v}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
