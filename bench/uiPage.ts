/**
 * Scripts run inside the app page by bench/ui.ts. They are plain JavaScript strings on purpose: functions
 * compiled by tsx can carry helper calls (e.g. __name) that do not exist in the page.
 */

/** Installed before the app's own scripts: records long tasks and the time of the next user input. */
export const INSTALL_PROBES = `
(() => {
  const b = (window.__effectualBench = { longTasks: [], armed: false, inputAt: null, result: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    b.longTaskSupported = true;
  } catch (e) {
    b.longTaskSupported = false;
  }
  for (const type of ['input', 'change', 'click', 'keydown'])
    window.addEventListener(type, (e) => {
      if (!b.armed) return;
      b.armed = false;
      b.inputAt = e.timeStamp;
    }, true);
})();
`;

/** Text of every network total on the overview ("" when none is shown). */
const TOTALS = `() => [...document.querySelectorAll('[data-testid^="total-"]')].map((e) => e.getAttribute('data-testid') + '=' + e.textContent).join('|')`;
const READY = `() => (document.querySelector('[data-testid="status"]')?.textContent ?? '').trim() === 'Ready'`;

export const OVERVIEW_READY = `(${READY})() && (${TOTALS})() !== ''`;

export const TOTALS_TEXT = `(${TOTALS})()`;

/**
 * Arms the probes for the next input and watches the overview: done when the status is Ready again and the
 * totals differ from what they were; the time taken is that of the frame after the change was painted.
 */
export const WATCH_OVERVIEW = `
(() => {
  const b = window.__effectualBench;
  const totals = ${TOTALS};
  const ready = ${READY};
  const before = totals();
  b.result = null;
  b.inputAt = null;
  b.armed = true;
  const observer = new MutationObserver(() => {
    if (b.inputAt === null || !ready()) return;
    const now = totals();
    if (now === '' || now === before) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        b.result = { inputAt: b.inputAt, paintedAt: performance.now(), before, after: now };
      };
      channel.port2.postMessage(0);
    });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  return before;
})()
`;

export const OVERVIEW_RESULT = `window.__effectualBench.result`;

export const LONG_TASKS = `({ supported: window.__effectualBench.longTaskSupported, tasks: window.__effectualBench.longTasks })`;

/**
 * Plays the PE-grid animation for `durationMs` and returns the requestAnimationFrame timestamps; presses
 * Play again whenever the tile's recorded cycles run out.
 */
export function playAndSampleFrames(durationMs: number): string {
  return `
new Promise((resolve) => {
  const play = () => document.querySelector('[data-testid="play"]');
  const counter = () => Number(document.querySelector('[data-testid="cycle-counter"]')?.getAttribute('data-cycle') ?? -1);
  const times = [];
  const cycles = new Set();
  let restarts = 0;
  const start = performance.now();
  if (play().getAttribute('aria-pressed') !== 'true') play().click();
  const tick = (ts) => {
    times.push(ts);
    cycles.add(counter());
    if (ts - start >= ${durationMs}) {
      if (play()?.getAttribute('aria-pressed') === 'true') play().click();
      resolve({ times, distinctCycles: cycles.size, restarts });
      return;
    }
    if (play()?.getAttribute('aria-pressed') !== 'true') {
      restarts++;
      play()?.click();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})
`;
}

/** requestAnimationFrame timestamps for `durationMs` without touching the page: the frame rate at rest. */
export function sampleIdleFrames(durationMs: number): string {
  return `
new Promise((resolve) => {
  const times = [];
  const start = performance.now();
  const tick = (ts) => {
    times.push(ts);
    if (ts - start >= ${durationMs}) resolve(times);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})
`;
}
