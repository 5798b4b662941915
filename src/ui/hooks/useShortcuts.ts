import { useEffect } from 'react';
import { useApp } from '../state/store';
import { commandForKey } from '../commands';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

/**
 * Page-wide keys from the command table (src/ui/commands.ts). Ignored while typing, inside dialogs, and
 * when a focused widget already used the key (tabs, the layer list and the PE grid take arrow keys).
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
      if (e.target instanceof Element && e.target.closest('dialog, [role="menu"]')) return;
      const command = commandForKey(e.key, useApp);
      if (!command) return;
      e.preventDefault();
      command.run(useApp);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
