import { useState } from 'react';
import {
  DEFAULT_ENERGY_CONSTANTS,
  ENERGY_CONSTANT_INFO,
  resolveEnergyConstants,
  type EnergyConstantKey,
  type EnergyConstants,
} from '../../../sim/energy';
import { ENERGY_CONSTANT_MAX } from '../../../sim/energyConfig';
import { useApp } from '../../state/store';

const KEYS = Object.keys(DEFAULT_ENERGY_CONSTANTS) as EnergyConstantKey[];

const TAG_MEANING: Record<string, string> = {
  secondary: 'quoted from a secondary source',
  'from-memory-unverified': 'recalled, not checked against the original',
  derived: 'computed from other constants',
  reconstruction: 'our modelling choice',
};

function setConstant(key: EnergyConstantKey, value: number | null): void {
  useApp.getState().update((d) => {
    if (value === null) delete d.energy[key];
    else d.energy[key] = value;
  }, `energy-${key}`);
}

function ConstantInput({
  k,
  value,
  overridden,
}: {
  k: EnergyConstantKey;
  value: number;
  overridden: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const info = ENERGY_CONSTANT_INFO[k];
  return (
    <input
      type="number"
      min={0}
      max={ENERGY_CONSTANT_MAX}
      step="any"
      aria-label={`${info.label} (${info.unit})`}
      data-testid={`energy-constant-${k}`}
      className={`w-28 rounded border px-2 py-0.5 text-right tabular-nums ${
        overridden ? 'border-sky-700 bg-sky-50 font-semibold' : 'border-slate-400 bg-white'
      }`}
      value={draft ?? String(Number(value.toPrecision(6)))}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= ENERGY_CONSTANT_MAX)
          setConstant(k, v);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

/**
 * The estimate's constants with value, unit and provenance tag; editing one changes the configuration (and the
 * link), so every number of the view follows. Derived constants follow their sources unless edited themselves.
 */
export function ConstantsTable({ overrides }: { overrides: Partial<EnergyConstants> }) {
  const resolved = resolveEnergyConstants(overrides);
  const edited = Object.keys(overrides).length;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700">
        Per-operation figures: 45 nm, 0.9 V, as widely quoted from M. Horowitz, “Computing’s energy problem
        (and what we can do about it)”, ISSCC 2014; buffer sizes and metadata widths are our choices. Tags:{' '}
        {Object.entries(TAG_MEANING)
          .map(([tag, meaning]) => `[${tag}] ${meaning}`)
          .join('; ')}
        .
      </p>
      <div>
        <button
          type="button"
          className="rounded border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50"
          disabled={edited === 0}
          onClick={() =>
            useApp.getState().update((d) => {
              d.energy = {};
            })
          }
        >
          Reset all constants{edited > 0 ? ` (${edited} edited)` : ''}
        </button>
      </div>
      <table className="text-base">
        <caption className="sr-only">Energy constants</caption>
        <thead className="text-left text-sm text-slate-600">
          <tr>
            <th className="pr-3 font-normal">constant</th>
            <th className="pr-3 font-normal">value</th>
            <th className="pr-3 font-normal">unit</th>
            <th className="pr-3 font-normal">provenance</th>
            <th className="font-normal" />
          </tr>
        </thead>
        <tbody>
          {KEYS.map((k) => {
            const info = ENERGY_CONSTANT_INFO[k];
            const overridden = overrides[k] !== undefined;
            const follows = info.derivation && !overridden ? ` (follows: ${info.derivation})` : '';
            return (
              <tr key={k} className="border-t border-slate-100">
                <th scope="row" className="py-0.5 pr-3 text-left font-normal">
                  {info.label}
                  <span className="ml-1 font-mono text-xs text-slate-500">{k}</span>
                </th>
                <td className="py-0.5 pr-3">
                  <ConstantInput k={k} value={resolved[k]} overridden={overridden} />
                </td>
                <td className="py-0.5 pr-3 text-sm">{info.unit}</td>
                <td className="py-0.5 pr-3 text-sm">
                  [{overridden ? 'edited' : info.provenance}]{follows}
                  {overridden && ` (default ${Number(DEFAULT_ENERGY_CONSTANTS[k].toPrecision(6))})`}
                </td>
                <td className="py-0.5">
                  {overridden && (
                    <button
                      type="button"
                      className="rounded px-2 text-sm text-sky-800 underline"
                      onClick={() => setConstant(k, null)}
                    >
                      reset <span className="sr-only">{info.label}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
