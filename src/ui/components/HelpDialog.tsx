import { useEffect, useRef } from 'react';
import { COMMANDS, COMMAND_GROUPS, keyLabel } from '../commands';
import { useUi } from '../state/uiStore';

/** Every command of the table with its keys, grouped; opened with ? or from the Commands menu. */
export function HelpDialog() {
  const open = useUi((s) => s.help);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const close = () => useUi.getState().set({ help: false });
  return (
    <dialog
      ref={ref}
      onClose={close}
      aria-labelledby="help-h"
      data-testid="help-dialog"
      className="m-auto max-h-[90vh] rounded-lg p-6 shadow-xl backdrop:bg-black/40"
    >
      <h2 id="help-h" className="mb-3 text-xl font-semibold">
        Keyboard
      </h2>
      <div className="grid gap-x-10 gap-y-3 md:grid-cols-2">
        {COMMAND_GROUPS.map((group) => (
          <table key={group} className="self-start text-base">
            <caption className="text-left font-semibold text-slate-700">{group}</caption>
            <tbody>
              {COMMANDS.filter((c) => c.group === group).map((c) => (
                <tr key={c.id} data-command={c.id}>
                  <th scope="row" className="whitespace-nowrap pr-4 text-left font-mono font-normal">
                    {c.keys.length > 0 ? c.keys.map(keyLabel).join(' or ') : '—'}
                  </th>
                  <td>{c.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <p className="mt-3 text-sm text-slate-600">
        Keys are ignored while typing. Every control is reachable with Tab; arrow keys move within the tabs
        and the layer list, and space / ← / → play and step the focused PE grid. In a tour, ← and → move
        between steps.
      </p>
      <button type="button" className="mt-4 rounded border border-slate-500 px-3 py-1" onClick={close}>
        Close
      </button>
    </dialog>
  );
}
