import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tta } from './tta.ts';

/**
 * What `model.onnx.sha256` beside a checkpoint holds: the weights it was exported from and
 * the version of the graph's interface, so a graph from older exporter code is re-exported
 * instead of being run with the wrong output type. v2: `labels` is uint8 (was int64).
 */
const ONNX_GRAPH_VERSION = 2;

export function onnxStamp(weightsSha256: string): string {
  return `${weightsSha256} graph-v${ONNX_GRAPH_VERSION}`;
}

/** The exported graph beside the checkpoint's weights (`model.onnx`, or `model.flip.onnx` for flip averaging); its stamp is `<file>.sha256`. */
export function onnxFileName(tta: Tta = 'none'): string {
  return tta === 'none' ? 'model.onnx' : `model.${tta}.onnx`;
}

/** `<dir>/model.onnx` (or its TTA graph) if it was exported from exactly these weights by this graph version, else null. */
export function currentOnnxFile(dir: string, weightsSha256: string, tta: Tta = 'none'): string | null {
  const file = path.join(dir, onnxFileName(tta));
  const stamp = `${file}.sha256`;
  return existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === onnxStamp(weightsSha256) ? file : null;
}
