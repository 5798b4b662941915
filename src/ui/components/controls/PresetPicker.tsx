import { useMemo } from 'react';
import { useApp, type AppStore } from '../../state/store';
import { applyPresetTo, matchingPreset, PAPER_PRESETS } from '../../state/presets';
import { SelectField } from './fields';

const CUSTOM = '';

/**
 * The papers' configurations (src/sim/presets/papers.ts) in one menu; choosing one sets model,
 * quantisation, accelerators and parameters, and the link then holds the resulting state.
 */
export function PresetPicker({
  store = useApp,
  label = 'Paper preset',
}: {
  store?: AppStore;
  label?: string;
}) {
  const model = store((s) => s.link.model);
  const quant = store((s) => s.link.quant);
  const accels = store((s) => s.link.accels);
  const params = store((s) => s.link.params);
  const preset = useMemo(
    () => matchingPreset({ model, quant, accels, params }),
    [model, quant, accels, params],
  );
  const options = [
    { value: CUSTOM, label: '— own settings —' },
    ...PAPER_PRESETS.map((p) => ({ value: p.id, label: p.title })),
  ];
  return (
    <div className="flex flex-col gap-1" data-testid="preset-picker">
      <SelectField
        label={label}
        value={preset?.id ?? CUSTOM}
        options={options}
        onChange={(id) => {
          if (id !== CUSTOM) store.getState().update((d) => applyPresetTo(d, id));
        }}
      />
      {preset && (
        <p className="text-sm text-slate-600">
          {preset.paper}. {preset.note}
        </p>
      )}
    </div>
  );
}
