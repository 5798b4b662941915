import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BUILTIN_MODELS, defaultConfig, type SimConfig } from '../sim/config';
import { isModelId, MODEL_IDS, parseParam } from '../sim/accel';
import { runPipeline } from '../sim/pipeline';
import { presetConfig, PAPER_PRESETS } from '../sim/presets/papers';
import { loadInputs } from './assets';
import { toCsv, toTable } from './format';
import { runTraces, exportTraces } from './traces';
import { configFromJson, configFromHash } from './config';

const USAGE = `Usage: npm run sim -- [options]

  --model NAME|FILE.onnx   built-in: ${BUILTIN_MODELS.join(', ')} (default fmnist-resnet20)
  --traces DIR             a DNNsim trace folder instead of a model
  --config HASH|FILE.json|preset:NAME
                           a configuration: the app's link hash, the same settings as JSON, or a paper preset
                           (${PAPER_PRESETS.map((p) => p.id).join(', ')})
  --accel ID[,ID...]       accelerators: ${MODEL_IDS.join(', ')} (default: all that apply)
  --param ID.NAME=VALUE    accelerator parameter (repeatable), e.g. --param laconic.rows=8
  --images N               test images (activations averaged per layer; accuracy uses all N)
  --image-offset N         first test image (default 0)
  --seed N                 seed for every random choice (default 1)
  --format table|csv|json  output format (default table)
  --export-traces DIR      write the model's quantised per-layer tensors as a DNNsim trace folder
  --help
`;

export class UsageError extends Error {}

function parseIntArg(name: string, v: string, min: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--config ${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function buildConfig(values: Record<string, string | string[] | boolean | undefined>): SimConfig {
  let config: SimConfig;
  const cfgArg = values.config as string | undefined;
  if (cfgArg) {
    config = cfgArg.startsWith('preset:')
      ? presetConfig(cfgArg.slice('preset:'.length))
      : existsSync(cfgArg)
        ? configFromJson(readJson(cfgArg))
        : configFromHash(cfgArg);
    if (values.model) config = { ...config, model: values.model as string };
  } else config = defaultConfig((values.model as string | undefined) ?? 'fmnist-resnet20');
  if (values.accel) {
    const ids = (values.accel as string)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const id of ids)
      if (!isModelId(id))
        throw new UsageError(`unknown accelerator '${id}' (expected ${MODEL_IDS.join(', ')})`);
    config.accels = ids as SimConfig['accels'];
  }
  for (const p of (values.param as string[] | undefined) ?? []) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new UsageError(`--param expects ID.NAME=VALUE, got '${p}'`);
    const { key, value } = parseParam(p.slice(0, eq), p.slice(eq + 1));
    config.params = { ...config.params, [key]: value };
  }
  if (values.images !== undefined) config.images = parseIntArg('images', values.images as string, 1);
  if (values['image-offset'] !== undefined)
    config.imageOffset = parseIntArg('image-offset', values['image-offset'] as string, 0);
  if (values.seed !== undefined) config.seed = parseIntArg('seed', values.seed as string, 0);
  return config;
}

export function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      traces: { type: 'string' },
      config: { type: 'string' },
      accel: { type: 'string' },
      param: { type: 'string', multiple: true },
      images: { type: 'string' },
      'image-offset': { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string', default: 'table' },
      'export-traces': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = values.format as string;
  if (!['table', 'csv', 'json'].includes(format))
    throw new UsageError(`--format must be table, csv or json, got '${format}'`);
  const config = buildConfig(values);
  const report = values.traces
    ? runTraces(values.traces as string, config)
    : runPipeline(config, loadInputs(config.model));
  if (values['export-traces']) exportTraces(values['export-traces'] as string, config);
  const out =
    format === 'json'
      ? JSON.stringify(report, null, 1) + '\n'
      : format === 'csv'
        ? toCsv(report)
        : toTable(report);
  process.stdout.write(out);
  return 0;
}

/** Node's parseArgs errors (unknown option, missing value, positional argument) are usage errors too. */
function isUsageError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
}

/** main() with the CLI's error contract: a message naming the problem on stderr and exit status 2. */
export function runCli(argv: string[]): number {
  try {
    return main(argv);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`effectual: ${msg}\n${isUsageError(e) ? 'Run with --help for usage.\n' : ''}`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*[\\/]/, ''));
if (invokedDirectly) process.exitCode = runCli(process.argv.slice(2));
