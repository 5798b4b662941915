import { useEffect, useState } from 'react';
import { isSuperseded } from '../../workers/client';
import { errorMessage } from './useSimulation';

export interface QueryResult<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Asks the worker for something derived from the current report (a tile trace, layer details). `key`
 * null means "not now". Answers to older keys are dropped; a request killed by a worker restart stays
 * loading until the next report arrives and the key is asked again.
 */
export function useWorkerQuery<T>(key: string | null, run: () => Promise<T>): QueryResult<T> {
  const [result, setResult] = useState<QueryResult<T> & { key: string | null }>({
    key: null,
    data: null,
    error: null,
    loading: false,
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setResult((r) => ({ ...r, key, loading: true, error: null }));
    run().then(
      (data) => live && setResult({ key, data, error: null, loading: false }),
      (err: unknown) => {
        if (!live || isSuperseded(err)) return;
        setResult({ key, data: null, error: errorMessage(err), loading: false });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `run` is described by `key`
  }, [key]);
  if (key === null) return { data: null, error: null, loading: false };
  return { data: result.data, error: result.error, loading: result.loading || result.key !== key };
}
