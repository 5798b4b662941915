import { MODEL_IDS } from '../../../sim/accel/types';
import { useApp } from '../../state/store';
import { ACCELERATOR_CATALOG, accelName, accelSummary } from '../../state/catalog';
import { ACCEL_COLOURS } from '../../lib/palette';
import { CheckField, Section } from './fields';
import { ParamEditor } from './ParamEditor';

export function AccelControls() {
  const accels = useApp((s) => s.link.accels);
  const params = useApp((s) => s.link.params);
  const update = useApp((s) => s.update);
  const toggle = (id: (typeof MODEL_IDS)[number], on: boolean) =>
    update((d) => {
      d.accels = MODEL_IDS.filter((m) => (m === id ? on : d.accels.includes(m)));
    });
  return (
    <Section title="Accelerators">
      <div className="flex gap-2 text-sm">
        <button
          type="button"
          className="rounded border border-slate-400 px-2 py-0.5"
          onClick={() => update((d) => void (d.accels = [...MODEL_IDS]))}
        >
          All
        </button>
        <button
          type="button"
          className="rounded border border-slate-400 px-2 py-0.5"
          onClick={() => update((d) => void (d.accels = ['dadn']))}
        >
          Baseline only
        </button>
      </div>
      {MODEL_IDS.map((id) => {
        const specs = ACCELERATOR_CATALOG[id]?.params ?? [];
        const nChanged = specs.filter((s) => `${id}.${s.name}` in params).length;
        return (
          <div key={id} className="flex flex-col gap-1">
            <CheckField
              label={
                <span className="flex items-center gap-2">
                  <span
                    aria-hidden
                    className="inline-block h-3 w-3 rounded-sm"
                    style={{ background: ACCEL_COLOURS[id] }}
                  />
                  {accelName(id)}
                </span>
              }
              hint={accelSummary(id) || undefined}
              checked={accels.includes(id)}
              onChange={(on) => toggle(id, on)}
            />
            {accels.includes(id) && specs.length > 0 && (
              <details className="ml-7 text-sm">
                <summary className="cursor-pointer rounded text-slate-700">
                  Parameters{nChanged > 0 ? ` (${nChanged} changed)` : ''}
                </summary>
                <div className="mt-2">
                  <ParamEditor id={id} specs={specs} />
                </div>
              </details>
            )}
          </div>
        );
      })}
    </Section>
  );
}
