/**
 * MLPRegressor as standard ONNX nodes: the fitted standardisation ((x − mean) / scale),
 * then per hidden layer MatMul + Add + ReLU (or Tanh), then the output unit (identity or
 * Sigmoid), from the manifest's scaler and the dense layers' kernels and biases.
 */
import type { GraphBuilder } from './proto.js';

export interface MlpGraphSource {
  nFeatures: number;
  activation: 'relu' | 'tanh';
  output: 'linear' | 'sigmoid';
  mean: Float64Array;
  scale: Float64Array;
  /** Dense layers, input side first: kernel [in, out] row-major, bias [out]. */
  layers: ReadonlyArray<{ kernel: Float32Array; bias: Float32Array; inputs: number; units: number }>;
}

/** rows [N, nFeatures] → raw predictions [N, 1]. */
export function mlpNodes(g: GraphBuilder, rows: string, src: MlpGraphSource): string {
  const F = src.nFeatures;
  let x = g.op('Div', [g.op('Sub', [rows, g.floats('mlp_scaler_mean', src.mean, [F])]), g.floats('mlp_scaler_scale', src.scale, [F])], {}, { name: 'mlp_standardised' });
  src.layers.forEach((layer, i) => {
    const z = g.op('Add', [g.op('MatMul', [x, g.floats(`mlp_kernel_${i}`, layer.kernel, [layer.inputs, layer.units])]), g.floats(`mlp_bias_${i}`, layer.bias, [layer.units])], {}, { name: `mlp_dense_${i}` });
    const last = i === src.layers.length - 1;
    if (!last) x = g.op(src.activation === 'relu' ? 'Relu' : 'Tanh', [z], {}, { name: `mlp_hidden_${i}` });
    else x = src.output === 'sigmoid' ? g.op('Sigmoid', [z], {}, { name: 'mlp_output' }) : z;
  });
  return x;
}
