import type { ModelId, ParamSpec, ParamValue } from '../../../sim/accel/types';
import { useApp } from '../../state/store';
import { CheckField, NumberField, SelectField } from './fields';

/** Editor for one accelerator's parameters, generated from its ParamSpec declarations. */
export function ParamEditor({ id, specs }: { id: ModelId; specs: readonly ParamSpec[] }) {
  const params = useApp((s) => s.link.params);
  const update = useApp((s) => s.update);
  const setParam = (spec: ParamSpec, value: ParamValue, gesture?: string) =>
    update((d) => {
      const key = `${id}.${spec.name}`;
      if (value === spec.default) delete d.params[key];
      else d.params[key] = value;
    }, gesture);
  const changed = specs.some((s) => `${id}.${s.name}` in params);
  return (
    <div className="flex flex-col gap-3 border-l-4 border-slate-200 pl-3">
      {specs.map((spec) => {
        const key = `${id}.${spec.name}`;
        const value = params[key] ?? spec.default;
        const hint = `${key}: ${spec.description} (default ${String(spec.default)})`;
        const label = value === spec.default ? spec.name : `${spec.name} •`;
        switch (spec.type) {
          case 'boolean':
            return (
              <CheckField
                key={key}
                label={label}
                hint={hint}
                checked={value === true}
                onChange={(v) => setParam(spec, v)}
              />
            );
          case 'enum':
            return (
              <SelectField
                key={key}
                label={label}
                hint={hint}
                value={String(value)}
                options={(spec.options ?? []).map((o) => ({ value: o, label: o }))}
                onChange={(v) => setParam(spec, v)}
              />
            );
          default:
            return (
              <NumberField
                key={key}
                label={label}
                hint={hint}
                value={Number(value)}
                min={spec.min ?? 0}
                max={spec.max ?? 1e6}
                integer={spec.type === 'int'}
                step={spec.type === 'int' ? 1 : undefined}
                onChange={(v) => setParam(spec, v, `param:${key}`)}
              />
            );
        }
      })}
      {changed && (
        <button
          type="button"
          className="self-start rounded border border-slate-400 px-2 py-1 text-sm"
          onClick={() =>
            update((d) => {
              for (const s of specs) delete d.params[`${id}.${s.name}`];
            })
          }
        >
          Reset {id} parameters
        </button>
      )}
    </div>
  );
}
