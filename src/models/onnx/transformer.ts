/**
 * The LotteryTransformer as an ONNX graph (standard opset 17), from its named weights.
 *
 * Input  `tokens`        float32 [batch, window, 46]: multi-hot draws as encodeWindows makes
 *                        them (column 0 = padding, column n = number n), oldest first, with
 *                        1 ≤ window ≤ seqLen. Every row of a batch has the same window length.
 * Output `probabilities` float32 [batch, 45]: for the draw after each window's last draw,
 *                        P(number n is drawn) at index n − 1, summing to 6 (calibrateToSix of
 *                        the softmax), exactly what LotteryTransformer.predict returns.
 * Output `distribution`  float32 [batch, 45]: the softmax itself (sums to 1).
 *
 * The graph follows src/models/transformer/network.ts op for op: tokens × embedding × √d,
 * plus the sinusoidal positions; per layer post-norm self-attention with the causal mask
 * (MatMul, Softmax, LayerNormalization) and a ReLU feed-forward block; the head reads the
 * last position, so the last layer runs its queries and feed-forward block for that position
 * only. Dropout is absent (inference).
 */
import { MAX_NUMBER } from '../../domain/draw.js';
import type { TransformerArchitecture } from '../transformer/config.js';
import { causalMask, positionalEncoding, weightShapes } from '../transformer/network.js';
import { VOCAB_SIZE } from '../transformer/sequences.js';
import { calibrateToSixNodes } from './probabilities.js';
import { attr, GraphBuilder, type ModelEnvelope, type TensorSpec } from './proto.js';

export interface TransformerGraphSource {
  architecture: TransformerArchitecture;
  weights: Readonly<Record<string, Float32Array>>;
}

export const TRANSFORMER_ONNX_INPUTS: readonly TensorSpec[] = [
  {
    name: 'tokens',
    dims: ['batch', 'window', VOCAB_SIZE],
    doc: 'multi-hot draws, oldest first: column 0 = padding, column n = number n; window ≤ seqLen',
  },
];
export const TRANSFORMER_ONNX_OUTPUTS: readonly TensorSpec[] = [
  { name: 'probabilities', dims: ['batch', MAX_NUMBER], doc: 'P(number n is drawn) at index n-1 for the draw after the window; sums to 6' },
  { name: 'distribution', dims: ['batch', MAX_NUMBER], doc: 'softmax over the 45 numbers at the last position; sums to 1' },
];

export function transformerGraph(src: TransformerGraphSource, envelope: Pick<ModelEnvelope, 'producer' | 'metadata' | 'graphName'>): Uint8Array {
  const a = src.architecture;
  const w = (name: string): Float32Array => {
    const v = src.weights[name];
    if (!v) throw new Error(`Transformer weights lack ${name}`);
    return v;
  };
  const shapes = new Map(weightShapes(a));
  const g = new GraphBuilder();
  const param = (name: string) => g.floats(name.replace(/\./g, '_'), w(name), shapes.get(name) as readonly number[]);
  const d = a.dModel;
  const h = a.nHeads;
  const dh = d / h;

  const tokens = g.input('tokens');
  // Window length L, from the input's shape: slices the positions and the causal mask.
  const L = g.op('Shape', [tokens], { start: attr.int(1), end: attr.int(2) }, { name: 'window_length' });
  const zero1 = g.int64s('zero_1d', [0]);
  const axis0 = g.int64s('axis_0', [0]);
  const pe = g.op('Slice', [g.floats('positional_encoding', positionalEncoding(a.seqLen, d), [a.seqLen, d]), zero1, L, axis0], {}, { name: 'positions' });
  const mask = g.op(
    'Slice',
    [g.floats('causal_mask', causalMask(a.seqLen), [a.seqLen, a.seqLen]), g.int64s('zero_2d', [0, 0]), g.op('Concat', [L, L], { axis: attr.int(0) }), g.int64s('axes_01', [0, 1])],
    {},
    { name: 'mask' },
  );

  const embedded = g.op('Mul', [g.op('MatMul', [tokens, param('embedding')]), g.scalar('sqrt_d_model', Math.sqrt(d))], {}, { name: 'embedded' });
  let x = g.op('Add', [embedded, pe], {}, { name: 'encoder_input' });

  const headShape = g.int64s('head_shape', [0, 0, h, dh]);
  const mergedShape = g.int64s('merged_shape', [0, 0, d]);
  const invSqrtDh = g.scalar('inv_sqrt_head_dim', 1 / Math.sqrt(dh));
  const linear = (input: string, prefix: string): string => g.op('Add', [g.op('MatMul', [input, param(`${prefix}.w`)]), param(`${prefix}.b`)]);
  const layerNorm = (input: string, prefix: string): string =>
    g.op('LayerNormalization', [input, param(`${prefix}.gamma`), param(`${prefix}.beta`)], { axis: attr.int(-1), epsilon: attr.float(1e-5) }, { name: prefix.replace(/\./g, '_') });

  // Only the last position reaches the head, so the last layer computes its queries, attention
  // output and feed-forward block for that position alone (its keys and values still cover the
  // whole window). The last query row of the causal mask is all zeros, so it needs no mask.
  const lastOnly = (t: string, name: string) =>
    g.op('Slice', [t, g.int64s('minus_one', [-1]), g.int64s('int64_max', [Number.MAX_SAFE_INTEGER]), g.int64s('axis_1', [1])], {}, { name });
  for (let l = 0; l < a.nLayers; l++) {
    const p = `layers.${l}.`;
    const final = l === a.nLayers - 1;
    const qkv = linear(x, `${p}attn.inProj`);
    const [qAll, k, v] = g.opN('Split', [qkv], 3, { axis: attr.int(-1) }, { name: `layer${l}_qkv` });
    const q = final ? lastOnly(qAll, `layer${l}_last_query`) : qAll;
    const input = final ? lastOnly(x, `layer${l}_last_input`) : x;
    const heads = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, headShape])], { perm: attr.ints(perm) });
    const raw = g.op('Mul', [g.op('MatMul', [heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1])]), invSqrtDh]);
    const scores = final ? raw : g.op('Add', [raw, mask], {}, { name: `layer${l}_scores` });
    const attn = g.op('Softmax', [scores], { axis: attr.int(-1) }, { name: `layer${l}_attention` });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attn, heads(v, [0, 2, 1, 3])])], { perm: attr.ints([0, 2, 1, 3]) }), mergedShape]);
    const mid = layerNorm(g.op('Add', [input, linear(context, `${p}attn.outProj`)]), `${p}norm1`);
    const hidden = g.op('Relu', [linear(mid, `${p}ffn.linear1`)]);
    x = layerNorm(g.op('Add', [mid, linear(hidden, `${p}ffn.linear2`)]), `${p}norm2`);
  }
  const last = g.op('Gather', [x, g.int64s('last_position', [-1], [])], { axis: attr.int(1) }, { name: 'last_hidden' });
  const logits = linear(last, 'head');
  const dist = g.op('Softmax', [logits], { axis: attr.int(-1) }, { name: 'softmax' });
  g.output(calibrateToSixNodes(g, dist), 'probabilities');
  g.output(dist, 'distribution');
  return g.build({
    ...envelope,
    doc:
      `hogi LotteryTransformer (d_model ${d}, ${h} heads, ${a.nLayers} layers, feed-forward ${a.dimFeedforward}, window ≤ ${a.seqLen} draws). ` +
      'Input tokens [batch, window, 46] multi-hot draws, oldest first; output probabilities [batch, 45] (sum 6) for the next draw.',
    inputs: TRANSFORMER_ONNX_INPUTS,
    outputs: TRANSFORMER_ONNX_OUTPUTS,
  });
}
