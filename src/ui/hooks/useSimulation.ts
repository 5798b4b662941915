import { useEffect, useMemo } from 'react';
import { toSimConfig } from '../state/linkState';
import { useApp } from '../state/store';
import { getSimClient } from '../state/simClient';
import { isSuperseded } from '../../workers/client';
import { stableStringify } from '../../workers/keys';
import type { SimConfig } from '../../sim/config';

const DEBOUNCE_MS = 120;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The SimConfig of the current link state, with a stable key that changes only when the config does. */
export function useSimConfig(): { config: SimConfig; key: string } {
  const link = useApp((s) => s.link);
  const config = useMemo(() => toSimConfig(link), [link]);
  const key = stableStringify(config);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the config's content
  return useMemo(() => ({ config, key }), [key]);
}

/** Runs the simulation whenever the configuration changes; the newest request wins. */
export function useSimulationDriver(retryToken: number): void {
  const { config, key } = useSimConfig();
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      const { set } = useApp.getState();
      set({ computing: true, error: null, progress: null });
      getSimClient()
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
  }, [config, key, retryToken]);
}

/** True when the report on screen was computed from the current configuration. */
export function useReportIsCurrent(): boolean {
  const { key } = useSimConfig();
  const report = useApp((s) => s.report);
  return report !== null && stableStringify(report.config) === key;
}
