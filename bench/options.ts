/** Command-line options of `npm run bench -- [options]`. */
import { parseArgs } from 'node:util';
import type { SimNetworkPlan } from './sim';

export type Part = 'sim' | 'infer' | 'ui';
export const PARTS: readonly Part[] = ['sim', 'infer', 'ui'];

export interface BenchOptions {
  parts: Part[];
  networks: SimNetworkPlan[];
  inference: { batch: number; rounds: number; threads: number; port: number };
  ui: { port: number; skipBuild: boolean; schemes: string[]; frameSeconds: number };
  save: boolean;
}

export const USAGE = `npm run bench -- [options]
  --only sim,infer,ui     parts to run (default: all three)
  --quick                 ResNet-20 and ResNet-18 only, smaller reference budget, fewer rounds
  --ref-budget <s>        CPU seconds each reference implementation may spend per ImageNet network (default 6)
  --resnet50-ref          also time the references on ResNet-50 (slow; off by default)
  --batch <n>             images per inference batch (default 100)
  --rounds <n>            timed inference batches per engine (default 7)
  --skip-app-build        reuse the previous production build of the app for the interactivity part
  --no-save               print only; do not write bench/results/
  --help`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${text}'`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'ref-budget': { type: 'string' },
      'resnet50-ref': { type: 'boolean', default: false },
      batch: { type: 'string' },
      rounds: { type: 'string' },
      'skip-app-build': { type: 'boolean', default: false },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const parts = values.only ? values.only.split(',').map((p) => p.trim()) : [...PARTS];
  for (const p of parts)
    if (!(PARTS as readonly string[]).includes(p))
      throw new Error(`--only: unknown part '${p}' (${PARTS.join(', ')})`);
  const quick = values.quick;
  const budget = positive('ref-budget', values['ref-budget'], quick ? 2 : 6);
  const networks: SimNetworkPlan[] = [
    {
      model: 'fmnist-resnet20',
      label: 'ResNet-20 (Fashion-MNIST, real images)',
      repeats: quick ? 1 : 3,
      referenceBudgetSeconds: Infinity,
    },
    {
      model: 'resnet18-synthetic',
      label: 'ResNet-18 224x224 (synthetic)',
      repeats: 1,
      referenceBudgetSeconds: budget,
    },
  ];
  if (!quick)
    networks.push({
      model: 'resnet50-synthetic',
      label: 'ResNet-50 224x224 (synthetic)',
      repeats: 1,
      referenceBudgetSeconds: values['resnet50-ref'] ? budget : 0,
    });
  return {
    parts: parts as Part[],
    networks,
    inference: {
      batch: Math.trunc(positive('batch', values.batch, 100)),
      rounds: Math.trunc(positive('rounds', values.rounds, quick ? 3 : 7)),
      threads: 1,
      port: 4175,
    },
    ui: {
      port: 4174,
      skipBuild: values['skip-app-build'],
      schemes: ['twn', 'binary', 'uniform'],
      frameSeconds: quick ? 4 : 8,
    },
    save: !values['no-save'],
  };
}
