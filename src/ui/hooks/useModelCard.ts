import { useEffect, useState } from 'react';

export type ModelCard = Record<string, unknown>;

const cache = new Map<string, Promise<ModelCard | null>>();

function loadCard(model: string): Promise<ModelCard | null> {
  let p = cache.get(model);
  if (!p) {
    p = fetch(new URL(`models/${model}.card.json`, document.baseURI), {
      headers: { Accept: 'application/json' },
    })
      .then((res) =>
        res.ok && !(res.headers.get('content-type') ?? '').includes('text/html')
          ? (res.json() as Promise<ModelCard>)
          : null,
      )
      .catch(() => null);
    cache.set(model, p);
  }
  return p;
}

/** The shipped model card (accuracy, epochs, command...) of a built-in model, or null. */
export function useModelCard(model: string): ModelCard | null {
  const [card, setCard] = useState<{ model: string; card: ModelCard | null } | null>(null);
  useEffect(() => {
    if (model === 'custom' || model.endsWith('-synthetic')) return;
    let live = true;
    void loadCard(model).then((c) => live && setCard({ model, card: c }));
    return () => {
      live = false;
    };
  }, [model]);
  return card?.model === model ? card.card : null;
}
