import { useEffect } from 'react';
import { useApp } from '../../state/store';
import { toSimConfig } from '../../state/linkState';
import { stableStringify } from '../../../workers/keys';
import { isSuperseded } from '../../../workers/client';
import { errorMessage } from '../../hooks/useSimulation';
import { getSimClientB, sideBPayload, sideBState, useSideB } from './sideB';

const DEBOUNCE_MS = 120;

/**
 * Keeps side B and the link's `b` in step while the compare view is open: the link (or, with no `b`, side
 * A's configuration) sets B; a change made on B is written back into `b` (one history entry).
 */
export function useSideBSync(): void {
  useEffect(() => {
    const fromLink = () => useSideB.getState().applyUrl(sideBState(useApp.getState().link), []);
    fromLink();
    const offA = useApp.subscribe((s, prev) => {
      if (s.link !== prev.link && (s.link.b !== prev.link.b || s.link.b === null)) fromLink();
    });
    const offB = useSideB.subscribe((s, prev) => {
      if (s.link === prev.link || s.linkChange.source !== 'user') return;
      const b = sideBPayload(s.link);
      useApp.getState().update((d) => void (d.b = b), s.linkChange.gesture && `b-${s.linkChange.gesture}`);
    });
    return () => {
      offA();
      offB();
    };
  }, []);
}

/** Runs side B's configuration in its own worker whenever it changes; the newest request wins. */
export function useSideBSimulation(): void {
  const key = useSideB((s) => stableStringify(toSimConfig(s.link)));
  const retry = useSideB((s) => s.retry);
  useEffect(() => {
    let cancelled = false;
    const config = toSimConfig(useSideB.getState().link);
    const timer = setTimeout(() => {
      const { set } = useSideB.getState();
      set({ computing: true, error: null, progress: null });
      getSimClientB()
        .compute(config, (progress) => !cancelled && set({ progress }))
        .then((report) => {
          if (!cancelled) set({ report, computing: false, progress: null, error: null, crash: null });
        })
        .catch((err: unknown) => {
          if (cancelled || isSuperseded(err)) return;
          set({ computing: false, progress: null, error: errorMessage(err) });
        });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, retry]);
}
