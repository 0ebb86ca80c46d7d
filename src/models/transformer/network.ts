/**
 * The Transformer as plain tfjs-core ops over named weights (no tfjs-layers), so
 * the forward pass, the causal mask and the weight layout are explicit and the same
 * code serves training, inference and tests.
 *
 * Layout follows PyTorch's nn.TransformerEncoderLayer defaults (post-norm):
 *   x = LN1(x + Dropout(SelfAttention(x)));  x = LN2(x + Dropout(FFN(x)))
 * with FFN = Linear2(Dropout(relu(Linear1(x)))) and dropout on attention weights.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_NUMBER } from '../../domain/draw.js';
import { Random } from '../../domain/random.js';
import type { TransformerArchitecture } from './config.js';
import { PAD_INDEX, VOCAB_SIZE } from './sequences.js';

export type WeightShape = readonly number[];

/** Every weight's name and shape, in a fixed order (the artifact order). */
export function weightShapes(a: TransformerArchitecture): [string, WeightShape][] {
  const d = a.dModel;
  const f = a.dimFeedforward;
  const shapes: [string, WeightShape][] = [['embedding', [VOCAB_SIZE, d]]];
  for (let l = 0; l < a.nLayers; l++) {
    const p = `layers.${l}.`;
    shapes.push(
      [`${p}attn.inProj.w`, [d, 3 * d]],
      [`${p}attn.inProj.b`, [3 * d]],
      [`${p}attn.outProj.w`, [d, d]],
      [`${p}attn.outProj.b`, [d]],
      [`${p}norm1.gamma`, [d]],
      [`${p}norm1.beta`, [d]],
      [`${p}ffn.linear1.w`, [d, f]],
      [`${p}ffn.linear1.b`, [f]],
      [`${p}ffn.linear2.w`, [f, d]],
      [`${p}ffn.linear2.b`, [d]],
      [`${p}norm2.gamma`, [d]],
      [`${p}norm2.beta`, [d]],
    );
  }
  shapes.push(['head.w', [d, MAX_NUMBER]], ['head.b', [MAX_NUMBER]]);
  return shapes;
}

function size(shape: WeightShape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Initial values from a seeded generator (computed in JS, so they do not depend on
 * the backend). Scales follow PyTorch's defaults: xavier-uniform for the fused
 * q/k/v projection, U(±1/√fan_in) for linear layers, LayerNorm γ=1 β=0. Embeddings
 * use N(0, 1/d_model) so that the design's ×√d_model scaling yields O(1) entries;
 * the padding row is zero.
 */
export function initialWeights(a: TransformerArchitecture, seed: number): Map<string, Float32Array> {
  const rng = new Random(seed);
  const out = new Map<string, Float32Array>();
  const uniform = (n: number, bound: number): Float32Array => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (rng.nextFloat() * 2 - 1) * bound;
    return v;
  };
  for (const [name, shape] of weightShapes(a)) {
    const n = size(shape);
    let values: Float32Array;
    if (name === 'embedding') {
      values = new Float32Array(n);
      const std = 1 / Math.sqrt(a.dModel);
      for (let i = a.dModel * (PAD_INDEX + 1); i < n; i++) values[i] = rng.nextNormal() * std;
    } else if (name.endsWith('gamma')) {
      values = new Float32Array(n).fill(1);
    } else if (name.endsWith('beta') || (name.includes('.attn.') && name.endsWith('.b'))) {
      values = new Float32Array(n);
    } else if (name.endsWith('inProj.w')) {
      values = uniform(n, Math.sqrt(6 / (a.dModel + 3 * a.dModel)));
    } else {
      // Linear weight [fanIn, fanOut] or its bias: PyTorch's U(±1/√fan_in).
      const fanIn = shape.length === 2 ? shape[0] : name.startsWith('head.') ? a.dModel : name.includes('linear1') ? a.dModel : a.dimFeedforward;
      values = uniform(n, 1 / Math.sqrt(fanIn));
    }
    out.set(name, values);
  }
  return out;
}

export type WeightTensors = ReadonlyMap<string, tf.Tensor>;

/** Source of dropout seeds while training; null means inference (no dropout). */
export interface DropoutContext {
  rate: number;
  nextSeed(): number;
}

/** Sinusoidal positional encoding [length, d] (Vaswani et al.). */
export function positionalEncoding(length: number, d: number): Float32Array {
  const pe = new Float32Array(length * d);
  for (let pos = 0; pos < length; pos++) {
    for (let i = 0; i < d; i += 2) {
      const angle = pos / Math.pow(10000, i / d);
      pe[pos * d + i] = Math.sin(angle);
      if (i + 1 < d) pe[pos * d + i + 1] = Math.cos(angle);
    }
  }
  return pe;
}

/** Additive causal mask [length, length]: 0 where key ≤ query, −1e9 where the key is in the future. */
export function causalMask(length: number): Float32Array {
  const m = new Float32Array(length * length);
  for (let q = 0; q < length; q++) for (let k = q + 1; k < length; k++) m[q * length + k] = -1e9;
  return m;
}

function get(w: WeightTensors, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`missing weight ${name}`);
  return t;
}

function dropout(x: tf.Tensor, ctx: DropoutContext | null): tf.Tensor {
  if (!ctx || ctx.rate === 0) return x;
  return tf.dropout(x, ctx.rate, undefined, ctx.nextSeed());
}

/** Swap the last two axes. */
function transposeLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  perm[perm.length - 2] = perm.length - 1;
  perm[perm.length - 1] = perm.length - 2;
  return tf.transpose(t, perm);
}

/**
 * a × b with a gradient built from explicit transposes and plain matMuls. The wasm
 * backend's BatchMatMul is 7–15× slower whenever transposeA/transposeB is set, which is
 * what tfjs's own matMul gradient uses; a Transpose copy is far cheaper.
 */
const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy, transposeLast(sb)), tf.matMul(transposeLast(sa), dy)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation?: 'relu'): tf.Tensor2D {
  const y = tf.add(matMul(x, w), b);
  return (activation === 'relu' ? tf.relu(y) : y) as tf.Tensor2D;
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/**
 * Encoder output for a batch of multi-hot token windows [B, L, VOCAB_SIZE]:
 * hidden states [B·L, d_model], position i attending only to positions ≤ i.
 */
export function encode(w: WeightTensors, a: TransformerArchitecture, tokens: tf.Tensor3D, drop: DropoutContext | null): tf.Tensor2D {
  const [B, L, V] = tokens.shape;
  if (V !== VOCAB_SIZE) throw new Error(`tokens have ${V} columns, expected ${VOCAB_SIZE}`);
  if (L > a.seqLen) throw new Error(`window of ${L} draws exceeds seqLen ${a.seqLen}`);
  const d = a.dModel;
  const h = a.nHeads;
  const dh = d / h;
  // One token = Σ of its six number embeddings (multi-hot × E; gather has no wasm gradient).
  let x: tf.Tensor = tf.mul(matMul(tf.reshape(tokens, [B * L, V]), get(w, 'embedding')), Math.sqrt(d));
  x = tf.add(tf.reshape(x, [B, L, d]), tf.tensor2d(positionalEncoding(L, d), [L, d]));
  x = tf.reshape(dropout(x, drop), [B * L, d]);
  const mask = tf.tensor2d(causalMask(L), [L, L]);
  const toHeads = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [B, L, h, dh]), [0, 2, 1, 3]);
  const layer = (input: tf.Tensor, l: number): tf.Tensor => {
    const p = `layers.${l}.`;
    const qkv = dense(input, get(w, `${p}attn.inProj.w`), get(w, `${p}attn.inProj.b`));
    const [q, k, v] = tf.split(qkv, 3, 1);
    const scores = tf.add(tf.mul(matMul(toHeads(q), transposeLast(toHeads(k))), 1 / Math.sqrt(dh)), mask);
    const attn = dropout(tf.softmax(scores), drop);
    const context = tf.reshape(tf.transpose(matMul(attn, toHeads(v)), [0, 2, 1, 3]), [B * L, d]);
    const attnOut = dense(context, get(w, `${p}attn.outProj.w`), get(w, `${p}attn.outProj.b`));
    const mid = layerNorm(tf.add(input, dropout(attnOut, drop)), get(w, `${p}norm1.gamma`), get(w, `${p}norm1.beta`));
    const hidden = dropout(dense(mid, get(w, `${p}ffn.linear1.w`), get(w, `${p}ffn.linear1.b`), 'relu'), drop);
    const ffnOut = dense(hidden, get(w, `${p}ffn.linear2.w`), get(w, `${p}ffn.linear2.b`));
    return layerNorm(tf.add(mid, dropout(ffnOut, drop)), get(w, `${p}norm2.gamma`), get(w, `${p}norm2.beta`));
  };
  for (let l = 0; l < a.nLayers; l++) {
    // Inference frees each layer's intermediates at once (training needs them for backprop).
    x = drop === null ? tf.tidy(() => layer(x, l)) : layer(x, l);
  }
  return x as tf.Tensor2D;
}

/** Output head: hidden [N, d] → logits over the 45 numbers [N, 45]. */
export function headLogits(w: WeightTensors, hidden: tf.Tensor2D): tf.Tensor2D {
  return dense(hidden, get(w, 'head.w'), get(w, 'head.b'));
}

/** Logits at every position [B, L, 45] (position i predicts the draw after token i). */
export function forwardLogits(w: WeightTensors, a: TransformerArchitecture, tokens: tf.Tensor3D, drop: DropoutContext | null = null): tf.Tensor3D {
  const [B, L] = tokens.shape;
  return tf.reshape(headLogits(w, encode(w, a, tokens, drop)), [B, L, MAX_NUMBER]);
}

/** Dropout seeds from a seeded generator, one per dropout call. */
export function dropoutContext(rate: number, rng: Random): DropoutContext {
  return { rate, nextSeed: () => rng.nextUint32() };
}
