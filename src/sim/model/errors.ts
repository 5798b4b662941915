export type ModelLoadErrorCode =
  | 'not-onnx'
  | 'truncated'
  | 'unsupported-op'
  | 'missing-initializer'
  | 'shape-mismatch'
  | 'too-large'
  | 'invalid-graph'
  | 'non-finite';

/** The only error loadOnnxModel throws; `message` names the offending node, tensor or option. */
export class ModelLoadError extends Error {
  readonly code: ModelLoadErrorCode;

  constructor(code: ModelLoadErrorCode, message: string) {
    super(message);
    this.name = 'ModelLoadError';
    this.code = code;
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
