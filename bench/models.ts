/**
 * The ResNet-20 model files the inference benchmark runs: the shipped float model and the shipped ternary
 * exports (TTQ and DLAC). Only in a checkout without any ternary export (training/ not run yet) is a ternary
 * copy of the float model (TWN, quantization.md §6, with the usual full-precision first conv and last FC)
 * written for the benchmark, so that the ternary figure is still measured on a real ternary ONNX file; the
 * report marks it as derived.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELS_DIR } from '../src/cli/assets';
import { defaultQuantConfig } from '../src/sim/config';
import { loadOnnxModel } from '../src/sim/model';
import { onnx } from '../src/sim/model/onnxProto';
import { quantizeNetworkWeights } from '../src/sim/quant';

export interface ModelVariant {
  id: string;
  label: string;
  /** Whether the weights are ternary (the "ternary ResNet-20" target applies). */
  ternary: boolean;
  /** Absolute path of the ONNX file. */
  path: string;
  /** Where the benchmark page fetches it: 'models/<file>' (shipped) or 'generated/<file>' (derived here). */
  url: string;
  derived: boolean;
}

const SHIPPED: ReadonlyArray<Omit<ModelVariant, 'path' | 'url' | 'derived'> & { file: string }> = [
  { id: 'float', label: 'ResNet-20 float', ternary: false, file: 'fmnist-resnet20.onnx' },
  { id: 'ttq', label: 'ResNet-20 TTQ', ternary: true, file: 'fmnist-resnet20-ttq.onnx' },
  { id: 'dlac', label: 'ResNet-20 DLAC', ternary: true, file: 'fmnist-resnet20-dlac.onnx' },
];

export const DERIVED_FILE = 'fmnist-resnet20-twn-derived.onnx';

function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The float model with every conv/FC weight initializer replaced by its TWN-ternarised values. */
export function ternaryCopy(floatBytes: Uint8Array): Uint8Array {
  const net = loadOnnxModel(floatBytes);
  const quant = defaultQuantConfig();
  quant.weights.scheme = 'twn';
  const layers = net.layers.map((l) => ({
    name: l.name,
    kind: l.kind,
    shape:
      l.kind === 'fc'
        ? [l.geometry.K, l.geometry.C]
        : [l.geometry.K, l.geometry.C, l.geometry.Kh, l.geometry.Kw],
    weights: l.weights,
    isFirst: l.isFirst,
    isLast: l.isLast,
  }));
  const quantized = quantizeNetworkWeights(layers, quant, { seed: 1 });
  const proto = onnx.ModelProto.decode(floatBytes);
  const initializers = proto.graph?.initializer ?? [];
  net.layers.forEach((layer, i) => {
    const init = initializers.find((t) => t.name === layer.weightName);
    if (!init) throw new Error(`ternaryCopy: no initializer named ${layer.weightName}`);
    const values = quantized[i].values;
    init.rawData = new Uint8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
    );
    init.floatData = [];
  });
  const bytes = onnx.ModelProto.encode(proto).finish();
  // The loader must read back exactly the ternary values (catches a layout the rewrite did not expect).
  const check = loadOnnxModel(bytes);
  check.layers.forEach((layer, i) => {
    const want = quantized[i].values;
    if (layer.weights.length !== want.length || layer.weights.some((v, k) => v !== want[k]))
      throw new Error(
        `ternaryCopy: layer ${layer.name} did not round-trip (weight layout differs from the initializer)`,
      );
  });
  return bytes;
}

/** Shipped variants that exist, plus a derived ternary copy in `generatedDir` when no ternary file ships. */
export function modelVariants(generatedDir: string): ModelVariant[] {
  const variants: ModelVariant[] = SHIPPED.filter((v) => existsSync(join(MODELS_DIR, v.file))).map((v) => ({
    id: v.id,
    label: v.label,
    ternary: v.ternary,
    path: join(MODELS_DIR, v.file),
    url: `models/${v.file}`,
    derived: false,
  }));
  const float = variants.find((v) => v.id === 'float');
  if (float && !variants.some((v) => v.ternary)) {
    mkdirSync(generatedDir, { recursive: true });
    const path = join(generatedDir, DERIVED_FILE);
    writeFileSync(path, ternaryCopy(readBytes(float.path)));
    variants.push({
      id: 'twn-derived',
      label: 'ResNet-20 ternary (TWN of the float file)',
      ternary: true,
      path,
      url: `generated/${DERIVED_FILE}`,
      derived: true,
    });
  }
  return variants;
}

export function readModel(variant: ModelVariant): Uint8Array {
  return readBytes(variant.path);
}
