import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../hooks/useShortcuts';

export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="help-h"
      className="m-auto rounded-lg p-6 shadow-xl backdrop:bg-black/40"
    >
      <h2 id="help-h" className="mb-3 text-xl font-semibold">
        Keyboard
      </h2>
      <table className="text-base">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <th scope="row" className="pr-6 text-left font-mono">
                {k}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-sm text-slate-600">
        Every control is reachable with Tab; arrow keys move within tabs and the layer list.
      </p>
      <button type="button" className="mt-4 rounded border border-slate-500 px-3 py-1" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
