import { ModelLoadError, formatBytes } from './errors';
import { int64ToNumber, onnx, type OnnxTypes } from './onnxProto';
import { prescanModel, type PrescanLimits } from './prescan';

/** Signatures of files users are likely to pick by mistake. */
const KNOWN_FORMATS: Array<{ magic: number[]; name: string }> = [
  { magic: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (a PyTorch .pt checkpoint is one too)' },
  { magic: [0x1f, 0x8b], name: 'a gzip archive' },
  { magic: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { magic: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], name: 'a NumPy .npy array' },
  { magic: [0x80, 0x02], name: 'a Python pickle' },
];

function detectKnownFormat(bytes: Uint8Array): string | undefined {
  for (const format of KNOWN_FORMATS) {
    if (format.magic.length <= bytes.length && format.magic.every((b, i) => bytes[i] === b))
      return format.name;
  }
  const first = bytes[0];
  if (first === 0x7b || first === 0x5b) return 'JSON text';
  if (first === 0x3c) return 'HTML/XML text';
  return undefined;
}

/** ModelProto field 1 (ir_version, varint): every exporter writes it first. */
const IR_VERSION_TAG = 0x08;

/** Decodes the protobuf envelope; never lets a protobufjs exception escape. */
export function decodeModelProto(bytes: Uint8Array, limits: PrescanLimits): OnnxTypes.ModelProto {
  if (bytes.length === 0) throw new ModelLoadError('not-onnx', 'The model file is empty.');
  const known = detectKnownFormat(bytes);
  if (known) throw new ModelLoadError('not-onnx', `This file is ${known}, not an ONNX model.`);
  prescanModel(bytes, limits);
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/maximum nesting depth|call stack/i.test(detail)) {
      // Groups nested in unknown fields (the pre-scan stops at such data): protobufjs 7 refuses them past
      // its recursion limit of 100 (the GHSA-685m-2w69-288q fix); a stack overflow is caught too, in case.
      throw new ModelLoadError(
        'not-onnx',
        'This file is not an ONNX model: its protobuf structure nests too deeply to decode.',
      );
    }
    const endedEarly = /index out of range/i.test(detail);
    if (endedEarly && bytes[0] === IR_VERSION_TAG) {
      throw new ModelLoadError(
        'truncated',
        `The ONNX file ends early (${formatBytes(bytes.length)} read): it is truncated or incompletely downloaded.`,
      );
    }
    throw new ModelLoadError(
      'not-onnx',
      `This file is not an ONNX model (protobuf decoding failed: ${detail}).`,
    );
  }
  if (!model.graph) {
    if (bytes[0] === IR_VERSION_TAG && int64ToNumber(model.irVersion) > 0) {
      throw new ModelLoadError('truncated', 'The ONNX file has a header but no graph: it is truncated.');
    }
    throw new ModelLoadError('not-onnx', 'This file is not an ONNX model: it contains no graph.');
  }
  return model;
}
