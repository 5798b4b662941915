import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: ReactNode;
  /** Shown right-aligned, e.g. the key of a command. */
  hint?: string;
  disabled?: boolean;
  /** Starts a group with a separator and this heading. */
  section?: string;
  onSelect(): void;
}

/**
 * A menu button: ↑/↓ move, Enter/Space choose, Escape or Tab closes; focus returns to the button.
 * Items are built on open, so they always reflect the current state.
 */
export function Menu({
  label,
  items,
  buttonClass,
  testId,
  align = 'right',
}: {
  label: ReactNode;
  items: () => MenuItem[];
  buttonClass: string;
  testId?: string;
  align?: 'left' | 'right';
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const entries = open ? items() : [];
  useEffect(() => {
    if (!open) return;
    list.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not([disabled])')?.focus();
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!list.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const all = [
      ...(list.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? []),
    ];
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = e.key === 'ArrowDown' ? (i + 1) % all.length : (i - 1 + all.length) % all.length;
      all[next]?.focus();
    } else if (e.key === 'Home') all[0]?.focus();
    else if (e.key === 'End') all[all.length - 1]?.focus();
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
  };
  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        className={buttonClass}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        data-testid={testId}
        onClick={() => setOpen((v) => !v)}
      >
        {label}
      </button>
      {open && (
        <ul
          ref={list}
          id={id}
          role="menu"
          onKeyDown={onKey}
          className={`absolute z-30 mt-1 max-h-[75vh] min-w-72 overflow-y-auto rounded border border-slate-300 bg-white py-1 text-base text-slate-900 shadow-lg ${align === 'right' ? 'right-0' : 'left-0'}`}
        >
          {entries.map((item) => (
            <li key={item.id} role="none">
              {item.section && (
                <div
                  role="presentation"
                  className="mt-1 border-t border-slate-200 px-3 pt-1 text-sm font-semibold text-slate-600 first:mt-0 first:border-t-0"
                >
                  {item.section}
                </div>
              )}
              <button
                type="button"
                role="menuitem"
                data-item={item.id}
                disabled={item.disabled}
                className="flex w-full items-baseline gap-4 px-3 py-1 text-left hover:bg-sky-50 focus:bg-sky-100 disabled:text-slate-400"
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                <span className="flex-1">{item.label}</span>
                {item.hint && <kbd className="font-mono text-sm text-slate-600">{item.hint}</kbd>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
