import { decodeLink, encodeLink } from './hash';
import { parseContext, useApp } from './store';

/**
 * Keeps the URL hash and the store's link state in step: discrete changes push a history entry, a gesture
 * (slider drag, animation) replaces the entry it started, and back/forward or an edited hash are read back.
 */
const GESTURE_WINDOW_MS = 1500;
const TRAILING_MS = 200;

export function readInitialUrl(): void {
  const decoded = decodeLink(window.location.hash, parseContext());
  useApp.getState().applyUrl(decoded.state, decoded.notices);
}

export function startUrlSync(): () => void {
  let lastGesture: string | undefined;
  let lastWrite = 0;
  let trailing: ReturnType<typeof setTimeout> | undefined;

  // history.pushState / replaceState take milliseconds (tens on a busy machine): the hash is taken at
  // the change, but written just after the current task, so that an input's own update is not held up.
  const pending: Array<{ hash: string; mode: 'push' | 'replace' }> = [];
  const flushChannel = new MessageChannel();
  flushChannel.port1.onmessage = () => {
    for (const { hash, mode } of pending.splice(0)) {
      if (hash === window.location.hash) continue;
      if (mode === 'push') window.history.pushState(null, '', hash);
      else window.history.replaceState(null, '', hash);
    }
  };
  const write = (mode: 'push' | 'replace') => {
    const hash = `#${encodeLink(useApp.getState().link, parseContext())}`;
    if (pending.push({ hash, mode }) === 1) flushChannel.port2.postMessage(null);
  };

  const unsubscribe = useApp.subscribe((s, prev) => {
    if (s.link === prev.link || s.linkChange.source === 'url') return;
    const now = performance.now();
    const { gesture } = s.linkChange;
    const continuing =
      gesture !== undefined && gesture === lastGesture && now - lastWrite < GESTURE_WINDOW_MS;
    lastGesture = gesture;
    lastWrite = now;
    clearTimeout(trailing);
    if (!continuing) write('push');
    else trailing = setTimeout(() => write('replace'), TRAILING_MS);
  });

  const onUrl = () => {
    pending.length = 0; // the browser's history now says where we are
    const current = `#${encodeLink(useApp.getState().link, parseContext())}`;
    if (window.location.hash === current) return;
    const decoded = decodeLink(window.location.hash, parseContext());
    useApp.getState().applyUrl({ ...decoded.state, playing: false }, decoded.notices);
  };
  window.addEventListener('popstate', onUrl);
  window.addEventListener('hashchange', onUrl);
  return () => {
    unsubscribe();
    clearTimeout(trailing);
    flushChannel.port1.close();
    window.removeEventListener('popstate', onUrl);
    window.removeEventListener('hashchange', onUrl);
  };
}
