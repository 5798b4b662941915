import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/sim/pipeline';
import type { SimReport } from '../../src/sim/report';
import { loadInputs, MODELS_DIR } from '../../src/cli/assets';
import { stableStringify } from '../../src/workers/keys';
import { toSimConfig } from '../../src/ui/state/linkState';
import { PARAM_CATALOG } from '../../src/ui/state/catalog';
import { SHIPPED_TOURS } from '../../src/ui/tours/shipped';
import { tourStepState } from '../../src/ui/tours/tourState';
import { fillTemplate, MISSING } from '../../src/ui/tours/template';

const ctx = { catalog: PARAM_CATALOG, customModelLoaded: false };
const reports = new Map<string, SimReport>();

/**
 * Every placeholder of every shipped caption and prediction resolves to a number on the step's own
 * configuration, run through the same core in Node (steps whose model file is not exported yet are skipped).
 */
describe('shipped tours on the shipped models', () => {
  for (const tour of SHIPPED_TOURS) {
    it(`${tour.id}: every figure in the captions exists`, () => {
      let checked = 0;
      tour.steps.forEach((step, i) => {
        const texts = [step.caption, step.predict?.question ?? '', step.predict?.answer ?? ''];
        if (!texts.some((t) => t.includes('{'))) return;
        const config = toSimConfig(tourStepState(tour, i, ctx));
        if (!existsSync(`${MODELS_DIR}/${config.model}.onnx`)) return;
        const key = stableStringify(config);
        let report = reports.get(key);
        if (!report) {
          report = runPipeline(config, loadInputs(config.model));
          reports.set(key, report);
        }
        for (const text of texts) {
          const missing = fillTemplate(text, report).filter((p) => p.figure && p.text === MISSING);
          expect(missing, `${tour.id} step ${i + 1}: ${text}`).toEqual([]);
          checked++;
        }
      });
      if (checked === 0) console.warn(`${tour.id}: no step could be checked (model files missing)`);
    }, 60_000);
  }
});
