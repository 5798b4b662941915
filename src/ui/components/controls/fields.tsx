import { useId, useState, type ReactNode } from 'react';

/** Labelled form controls used by every panel: large, keyboard-reachable, each with a visible label. */

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  integer?: boolean;
  slider?: boolean;
  hint?: string;
  disabled?: boolean;
  onChange(value: number): void;
}

export function NumberField({
  label,
  value,
  min,
  max,
  step,
  integer,
  slider,
  hint,
  disabled,
  onChange,
}: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const stepSize = step ?? (integer ? 1 : (max - min) / 100);
  const commit = (text: string) => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) return;
    const clamped = Math.min(max, Math.max(min, integer ? Math.trunc(v) : v));
    if (clamped !== value) onChange(clamped);
  };
  return (
    <div className="flex flex-col gap-1" title={hint}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex items-center gap-2">
        {slider && (
          <input
            type="range"
            aria-label={`${label} (slider)`}
            className="min-w-0 flex-1 accent-sky-700"
            min={min}
            max={max}
            step={stepSize}
            value={value}
            disabled={disabled}
            onChange={(e) => onChange(Number(e.target.value))}
          />
        )}
        <input
          id={id}
          type="number"
          className={`${slider ? 'w-24' : 'w-full'} rounded border border-slate-400 bg-white px-2 py-1 text-base tabular-nums`}
          min={min}
          max={max}
          step={stepSize}
          value={draft ?? String(value)}
          disabled={disabled}
          onChange={(e) => {
            setDraft(e.target.value);
            commit(e.target.value);
          }}
          onBlur={() => setDraft(null)}
        />
      </div>
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  hint?: string;
  disabled?: boolean;
  onChange(value: T): void;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  hint,
  disabled,
  onChange,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1" title={hint}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        className="rounded border border-slate-400 bg-white px-2 py-1 text-base"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface CheckFieldProps {
  label: ReactNode;
  checked: boolean;
  hint?: string;
  disabled?: boolean;
  onChange(checked: boolean): void;
}

export function CheckField({ label, checked, hint, disabled, onChange }: CheckFieldProps) {
  return (
    <label className="flex cursor-pointer items-center gap-2 text-base" title={hint}>
      <input
        type="checkbox"
        className="h-5 w-5 accent-sky-700"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>{label}</span>
    </label>
  );
}

export function Section({
  title,
  children,
  open = true,
}: {
  title: string;
  children: ReactNode;
  open?: boolean;
}) {
  return (
    <details className="group border-b border-slate-200 py-2" open={open}>
      <summary className="cursor-pointer rounded py-1 text-base font-semibold text-slate-900">
        {title}
      </summary>
      <div className="mt-2 flex flex-col gap-3">{children}</div>
    </details>
  );
}
