import { useState } from 'react';
import type { ModelId } from '../../sim/accel/types';
import { BUILTIN_MODELS, defaultSchemeFor, type WeightScheme } from '../../sim/config';
import { useApp, type AppStore } from '../state/store';
import type { LinkState } from '../state/linkState';
import { accelName } from '../state/catalog';
import { useWidth } from '../hooks/useWidth';
import { baselineShort } from '../lib/baselines';
import { fmtX } from '../lib/format';
import { modelLabel } from '../components/controls/ModelControls';
import { SCHEMES } from '../components/controls/QuantControls';
import { NumberField, SelectField } from '../components/controls/fields';
import { PresetPicker } from '../components/controls/PresetPicker';
import { sideBPayload, swapSides, useSideB } from './compare/sideB';
import { useSideBSimulation, useSideBSync } from './compare/useSideBSync';
import { commonAccels } from './compare/diff';
import { DiffChart } from './compare/DiffChart';
import { DiffTable } from './compare/DiffTable';

const btn = 'rounded border border-slate-500 bg-white px-3 py-1 text-base';

function describe(link: LinkState): string[] {
  const q = link.quant;
  const w = q.weights;
  const lines = [
    modelLabel(link.model),
    `weights: ${SCHEMES.find((s) => s.value === w.scheme)?.label ?? w.scheme}${w.scheme === 'fixed' || w.scheme === 'uniform' ? `, ${w.bits} bits` : ''}${w.scheme === 'cgs' ? `, ${w.cgs.br}×${w.cgs.bc} blocks, ${w.cgs.compression}×, ${w.cgs.bits} bits` : ''}`,
    `activations: ${q.acts.bits} bits${q.reluThreshold.enabled ? `, ReLU threshold θ = ${q.reluThreshold.theta}` : ''}`,
  ];
  if (q.prune.enabled) lines.push(`pruned: ${Math.round(q.prune.fraction * 100)} % (${q.prune.mode})`);
  if (q.share.enabled) lines.push(`weight sharing: ${q.share.bitsConv} bits conv, ${q.share.bitsFc} bits FC`);
  if (Object.keys(link.params).length > 0)
    lines.push(
      `parameters: ${Object.entries(link.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`,
    );
  return lines;
}

function Pane({ side, store }: { side: 'A' | 'B'; store: AppStore }) {
  const link = store((s) => s.link);
  const report = store((s) => s.report);
  const computing = store((s) => s.computing);
  const error = store((s) => s.error ?? s.crash);
  const lower = side.toLowerCase();
  return (
    <section
      aria-labelledby={`pane-${lower}-h`}
      data-testid={`pane-${lower}`}
      className="flex min-w-0 flex-col gap-3 rounded border border-slate-300 p-3"
    >
      <h3 id={`pane-${lower}-h`} className="text-lg font-semibold">
        Side {side}
        <span className="ml-2 text-sm font-normal text-slate-600" data-testid={`pane-${lower}-status`}>
          {computing ? 'computing…' : error ? 'error' : report ? 'ready' : 'waiting'}
        </span>
      </h3>
      <ul className="text-base" data-testid={`pane-${lower}-config`}>
        {describe(link).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {side === 'B' ? (
        <SideBControls />
      ) : (
        <p className="text-sm text-slate-600">Side A is edited in the settings column.</p>
      )}
      {error && (
        <div role="alert" className="flex items-start gap-2 text-red-900">
          <p className="flex-1">{error}</p>
          <button
            type="button"
            className="rounded border border-current px-2 py-0.5 text-sm"
            onClick={() =>
              store.getState().set({ error: null, crash: null, retry: store.getState().retry + 1 })
            }
          >
            Retry
          </button>
        </div>
      )}
      {report && (
        <table className="text-base">
          <caption className="text-left text-sm text-slate-700">Whole network</caption>
          <tbody>
            {report.config.accels
              .filter((id) => report.totals.results[id])
              .map((id) => (
                <tr key={id}>
                  <th scope="row" className="pr-3 text-left font-normal">
                    {accelName(id)} <span className="text-sm text-slate-500">vs {baselineShort(id)}</span>
                  </th>
                  <td
                    className="text-right font-semibold tabular-nums"
                    data-testid={`cmp-total-${lower}-${id}`}
                  >
                    {fmtX(report.totals.results[id]!.speedup)}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SideBControls() {
  const link = useSideB((s) => s.link);
  const update = useSideB((s) => s.update);
  return (
    <div className="flex flex-col gap-2" data-group="side-b-controls">
      <PresetPicker store={useSideB} label="Side B: paper preset" />
      <SelectField
        label="Side B: model"
        value={link.model}
        options={BUILTIN_MODELS.map((m) => ({ value: m as string, label: modelLabel(m) }))}
        onChange={(model) =>
          update((d) => {
            d.model = model;
            d.quant.weights.scheme = defaultSchemeFor(model);
          })
        }
      />
      <SelectField<WeightScheme>
        label="Side B: weight quantisation"
        value={link.quant.weights.scheme}
        options={SCHEMES}
        onChange={(v) => update((d) => void (d.quant.weights.scheme = v))}
      />
      <NumberField
        label="Side B: activation bits"
        value={link.quant.acts.bits}
        min={2}
        max={16}
        integer
        onChange={(v) => update((d) => void (d.quant.acts.bits = v), 'abits')}
      />
    </div>
  );
}

/** Two configurations side by side (A: the page's settings, B: its own store) and their per-layer difference. */
export function CompareView() {
  useSideBSync();
  useSideBSimulation();
  const a = useApp((s) => s.report);
  const b = useSideB((s) => s.report);
  const [ref, width] = useWidth<HTMLDivElement>();
  const [chosen, setChosen] = useState<ModelId | null>(null);
  const accels = a && b ? commonAccels(a, b) : [];
  const shown = accels.filter((id) => id !== 'dadn');
  const id = chosen && accels.includes(chosen) ? chosen : (shown[0] ?? accels[0]);
  return (
    <div ref={ref} className="flex flex-col gap-4">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={btn}
          onClick={() => {
            const b = sideBPayload(useApp.getState().link);
            useApp.getState().update((d) => void (d.b = b));
          }}
        >
          Copy A’s settings to B
        </button>
        <button
          type="button"
          className={btn}
          onClick={() => useApp.getState().update((d) => Object.assign(d, swapSides(d)))}
          title="A takes B’s settings (editable in the settings column) and B takes A’s"
        >
          Swap A ↔ B
        </button>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Pane side="A" store={useApp} />
        <Pane side="B" store={useSideB} />
      </div>
      {a && b && accels.length === 0 && <p>The two sides have no accelerator in common.</p>}
      {a && b && accels.length > 0 && (
        <>
          <section aria-labelledby="diff-h" className="flex flex-col gap-2">
            <h3 id="diff-h" className="text-lg font-semibold">
              Per-layer difference
            </h3>
            <DiffChart a={a} b={b} accels={shown.length > 0 ? shown : accels} width={Math.min(width, 1200)} />
          </section>
          <section className="flex flex-col gap-2">
            <label className="flex items-center gap-2 text-base">
              Table for
              <select
                className="rounded border border-slate-400 bg-white px-2 py-1"
                value={id}
                onChange={(e) => setChosen(e.target.value as ModelId)}
                data-testid="diff-accel"
              >
                {accels.map((x) => (
                  <option key={x} value={x}>
                    {accelName(x)}
                  </option>
                ))}
              </select>
            </label>
            {id && <DiffTable a={a} b={b} id={id} />}
          </section>
        </>
      )}
    </div>
  );
}
