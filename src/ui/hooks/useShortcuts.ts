import { useEffect } from 'react';
import { VIEW_IDS } from '../state/linkState';
import { useApp } from '../state/store';
import { setView } from '../components/ViewTabs';
import { stepLayer } from '../components/LayerNavigator';

export const SHORTCUTS: Array<[string, string]> = [
  ['1 – 6', 'switch view'],
  ['[ and ]', 'previous / next layer'],
  ['p', 'play / pause the tile animation'],
  [', and .', 'step one cycle back / forward'],
  ['?', 'show these keys'],
];

/** Page-wide keys for presenting; ignored while typing in a form field. */
export function useShortcuts(onHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const { update } = useApp.getState();
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= VIEW_IDS.length) setView(VIEW_IDS[n - 1]);
      else if (e.key === '[') stepLayer(-1);
      else if (e.key === ']') stepLayer(1);
      else if (e.key === 'p') update((d) => void (d.playing = !d.playing));
      else if (e.key === ',' || e.key === '.') {
        const delta = e.key === ',' ? -1 : 1;
        update((d) => {
          d.playing = false;
          d.cycle = Math.max(0, d.cycle + delta);
        });
      } else if (e.key === '?') onHelp();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onHelp]);
}
