import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What `model.onnx.sha256` beside a checkpoint holds: the weights it was exported from and
 * the version of the graph's interface, so a graph from older exporter code is re-exported
 * instead of being run with the wrong output type. v2: `labels` is uint8 (was int64).
 */
export const ONNX_GRAPH_VERSION = 2;

export function onnxStamp(weightsSha256: string): string {
  return `${weightsSha256} graph-v${ONNX_GRAPH_VERSION}`;
}

/** The exported graph and its stamp, beside the checkpoint's weights. */
export const ONNX_FILE = 'model.onnx';
export const ONNX_STAMP_FILE = 'model.onnx.sha256';

/** `<dir>/model.onnx` if it was exported from exactly these weights by this graph version, else null. */
export function currentOnnxFile(dir: string, weightsSha256: string): string | null {
  const file = path.join(dir, ONNX_FILE);
  const stamp = path.join(dir, ONNX_STAMP_FILE);
  return existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === onnxStamp(weightsSha256) ? file : null;
}
