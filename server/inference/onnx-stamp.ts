/**
 * What `model.onnx.sha256` beside a checkpoint holds: the weights it was exported from and
 * the version of the graph's interface, so a graph from older exporter code is re-exported
 * instead of being run with the wrong output type. v2: `labels` is uint8 (was int64).
 */
export const ONNX_GRAPH_VERSION = 2;

export function onnxStamp(weightsSha256: string): string {
  return `${weightsSha256} graph-v${ONNX_GRAPH_VERSION}`;
}
