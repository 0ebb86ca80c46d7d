/**
 * LotteryTransformer: the design's PyTorch Transformer, in tfjs.
 *
 * Input: a window of the last seqLen draws (of one machine, or all), one token per
 * draw. Output: for the draw after the window, 45 inclusion probabilities summing to 6.
 *
 * Training is causal: a chunk of seqLen consecutive draws yields seqLen targets at
 * once (position i predicts draw i+1 from draws ≤ i), which is ~50× cheaper than
 * one sliding window per target. Chunks start every `stride` draws (default
 * seqLen/2) plus one chunk anchored at the end, and are shuffled each epoch.
 * The latest `validationFraction` of targets are held out in time order; each is
 * scored exactly as at inference (full window, last position), which drives early
 * stopping and `validationMetrics`.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_NUMBER, NUMBERS_PER_DRAW, type Draw } from '../../domain/draw.js';
import { Random } from '../../domain/random.js';
import { TRANSFORMER_CLASS_NAME } from '../classNames.js';
import { scoreProbabilities, type ProbabilityScores } from '../metrics.js';
import { calibrateToSix } from '../probabilities.js';
import { asJson, fieldReader, readArtifacts, shapeProblems, type FieldReader } from '../artifacts.js';
import type { FitOptions, ModelArtifacts, ModelManifest, NumberProbabilities, PersistableModel, TrainedRounds } from '../types.js';
import { assertValidParams, paramProblems, transformerParams, type TransformerParams } from './config.js';
import { dropoutContext, encode, headLogits, initialWeights, weightShapes, type WeightShape } from './network.js';
import { chunkStarts, drawsForMachine, encodeWindows, VOCAB_SIZE } from './sequences.js';

export { TRANSFORMER_CLASS_NAME };
/**
 * Format 2 has the one manifest shape of every family (`params`, `trainedRounds`); format 1
 * (`config`, `seed`, `trainedOn`) is still read, so models saved before stay loadable.
 */
export const TRANSFORMER_FORMAT_VERSION = 2;
const READABLE_FORMATS = [1, 2] as const;

/**
 * Draw positions per inference forward pass. Bounds peak memory: the wasm heap never
 * shrinks, and 100 reference windows in one pass grew it by ~430 MiB.
 */
const INFERENCE_TOKENS = 2048;

/** Reported after every epoch. The model reads no clock: callers time epochs for an ETA. */
export interface EpochReport {
  /** 1-based. */
  epoch: number;
  maxEpochs: number;
  /** Mean cross-entropy over all chunk positions of the epoch (dropout on). */
  trainLoss: number;
  /** Cross-entropy on held-out targets at full context (dropout off); null without validation. */
  valLoss: number | null;
  bestEpoch: number;
  epochsWithoutImprovement: number;
  /** Upper bound on epochs still to run (max-epoch cap or patience, whichever is nearer). */
  maxRemainingEpochs: number;
  stepsPerEpoch: number;
}

export interface TransformerFitOptions extends FitOptions {
  /** The full per-epoch report (onProgress gets its summary). */
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Stop after the current epoch (best weights are kept). */
  signal?: AbortSignal;
}

export interface TransformerValidationMetrics extends ProbabilityScores {
  /** Cross-entropy of the softmax against the six drawn numbers (1/6 each); ln 45 ≈ 3.807 is chance. */
  crossEntropy: number;
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  trainTargets: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
}

/** The format-2 manifest: the shared ModelManifest with the weight layout. */
export interface TransformerManifest extends ModelManifest {
  weightSpecs: { name: string; shape: number[] }[];
}

export type TransformerArtifacts = ModelArtifacts<TransformerManifest>;

function shapeSize(shape: WeightShape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Cross-entropy of one distribution against the drawn numbers (target 1/6 each). */
function drawCrossEntropy(dist: ArrayLike<number>, numbers: readonly number[]): number {
  let ce = 0;
  for (const n of numbers) ce -= Math.log(Math.max(dist[n - 1], 1e-12)) / NUMBERS_PER_DRAW;
  return ce;
}

/**
 * Chunks that read every held-out target t ∈ [trainCount, n) once, each from a
 * position with at least seqLen − ⌈seqLen/2⌉ + 1 draws of context (fewer only at the
 * very start of a short history). Scoring per epoch this way costs ~2 positions per
 * target instead of a full seqLen window each, keeping early stopping cheap; the final
 * validationMetrics use full windows exactly as predict does.
 */
export function validationChunks(trainCount: number, n: number, seqLen: number): { start: number; end: number; positions: number[] }[] {
  const half = Math.max(1, Math.ceil(seqLen / 2));
  const chunks: { start: number; end: number; positions: number[] }[] = [];
  // e: index of the last draw seen before the first target of the chunk.
  for (let e = trainCount - 1; e <= n - 2; ) {
    const end = Math.min(n - 2, e + half - 1);
    const start = Math.max(0, end - seqLen + 1);
    const positions: number[] = [];
    for (let last = e; last <= end; last++) positions.push(last - start);
    chunks.push({ start, end, positions });
    e = end + 1;
  }
  return chunks;
}

export class LotteryTransformer implements PersistableModel<TransformerParams> {
  static readonly className = TRANSFORMER_CLASS_NAME;
  readonly className = TRANSFORMER_CLASS_NAME;
  /** Held-out scores after fit (null when trained without validation). */
  validationMetrics: TransformerValidationMetrics | null = null;
  /** Per-epoch losses of the last fit. */
  trainingHistory: EpochRecord[] = [];

  private readonly params: TransformerParams;
  private weights: Map<string, tf.Variable> | null = null;
  private trainedRounds: TrainedRounds | null = null;

  constructor(params: TransformerParams) {
    this.params = { ...params };
  }

  getParams(): TransformerParams {
    return { ...this.params };
  }

  /** An unfitted copy with the same params. */
  clone(): LotteryTransformer {
    return new LotteryTransformer(this.getParams());
  }

  get isFitted(): boolean {
    return this.weights !== null;
  }

  fitSteps(): number {
    return this.params.maxEpochs;
  }

  async fit(history: readonly Draw[], options: TransformerFitOptions = {}): Promise<this> {
    const p = this.params;
    assertValidParams(p);
    const seq = drawsForMachine(history, p.machine);
    const tokens = seq.map((d) => d.numbers);
    const n = seq.length;
    if (n < 3) {
      throw new Error(`LotteryTransformer needs at least 3 draws${p.machine === 'all' ? '' : ` of machine ${p.machine}`} to train, got ${n}`);
    }
    const targets = n - 1;
    let valCount = Math.floor(targets * p.validationFraction);
    if (targets - valCount < 1) valCount = 0;
    const trainCount = n - valCount; // draws 0..trainCount−1 feed training chunks

    this.dispose();
    const master = new Random(p.seed);
    const init = initialWeights(p, master.nextUint32() | 0);
    const shuffleRng = master.fork();
    const dropRng = master.fork();
    const weights = new Map<string, tf.Variable>();
    for (const [name, shape] of weightShapes(p)) {
      weights.set(name, tf.variable(tf.tensor(init.get(name) as Float32Array, [...shape]), true));
    }
    this.weights = weights;
    const varList = [...weights.values()];

    // Training chunks, encoded once.
    const { starts, length: L } = chunkStarts(trainCount, p.seqLen, p.stride);
    const chunkInputs = encodeWindows(
      starts.map((s) => tokens.slice(s, s + L)),
      L,
    );
    const chunkTargets = new Float32Array(starts.length * L * MAX_NUMBER);
    starts.forEach((s, c) => {
      for (let pos = 0; pos < L; pos++) {
        for (const num of tokens[s + pos + 1]) chunkTargets[(c * L + pos) * MAX_NUMBER + num - 1] = 1 / NUMBERS_PER_DRAW;
      }
    });
    const valWindows: (readonly number[])[][] = [];
    for (let t = trainCount; t < n; t++) valWindows.push(tokens.slice(Math.max(0, t - p.seqLen), t));
    const valDraws = tokens.slice(trainCount);
    const valChunks = validationChunks(trainCount, n, p.seqLen).map((c) => ({
      window: tokens.slice(c.start, c.end + 1),
      positions: c.positions,
    }));

    const optimizer = tf.train.adam(p.learningRate);
    const drop = dropoutContext(p.dropout, dropRng);
    const order = Array.from(starts, (_, i) => i);
    const stepsPerEpoch = Math.ceil(starts.length / p.batchSize);
    const rowSize = L * VOCAB_SIZE;
    const targetRowSize = L * MAX_NUMBER;

    let best = Number.POSITIVE_INFINITY;
    let bestEpoch = 0;
    let wait = 0;
    let snapshot: Map<string, tf.Tensor> | null = null;
    let stoppedEarly = false;
    this.trainingHistory = [];
    try {
      for (let epoch = 1; epoch <= p.maxEpochs; epoch++) {
        shuffleRng.shuffle(order);
        let lossSum = 0;
        for (let b = 0; b < order.length; b += p.batchSize) {
          const batch = order.slice(b, b + p.batchSize);
          const inputs = new Float32Array(batch.length * rowSize);
          const goal = new Float32Array(batch.length * targetRowSize);
          batch.forEach((c, i) => {
            inputs.set(chunkInputs.subarray(c * rowSize, (c + 1) * rowSize), i * rowSize);
            goal.set(chunkTargets.subarray(c * targetRowSize, (c + 1) * targetRowSize), i * targetRowSize);
          });
          const cost = optimizer.minimize(
            () => {
              const x = tf.tensor3d(inputs, [batch.length, L, VOCAB_SIZE]);
              const y = tf.tensor2d(goal, [batch.length * L, MAX_NUMBER]);
              const logits = headLogits(weights, encode(weights, p, x, drop));
              return tf.div(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)))), batch.length * L) as tf.Scalar;
            },
            true,
            varList,
          );
          if (!cost) throw new Error('optimizer returned no cost');
          lossSum += (cost.dataSync()[0] as number) * batch.length;
          cost.dispose();
        }
        const trainLoss = lossSum / order.length;
        if (!Number.isFinite(trainLoss)) throw new Error(`LotteryTransformer training diverged at epoch ${epoch} (loss ${trainLoss}); lower learningRate`);

        let valLoss: number | null = null;
        if (valCount > 0) {
          const dists = this.positionDistributions(valChunks);
          valLoss = dists.reduce((s, dist, i) => s + drawCrossEntropy(dist, valDraws[i]), 0) / dists.length;
          if (valLoss < best) {
            best = valLoss;
            bestEpoch = epoch;
            wait = 0;
            snapshot?.forEach((t) => t.dispose());
            snapshot = new Map([...weights].map(([k, v]) => [k, tf.clone(v)]));
          } else {
            wait++;
          }
        } else {
          bestEpoch = epoch;
        }
        this.trainingHistory.push({ epoch, trainLoss, valLoss });
        const stop = valCount > 0 && wait >= p.patience;
        const maxRemainingEpochs = stop ? 0 : Math.min(p.maxEpochs - epoch, valCount > 0 ? p.patience - wait : Number.POSITIVE_INFINITY);
        await options.onEpoch?.({ epoch, maxEpochs: p.maxEpochs, trainLoss, valLoss, bestEpoch, epochsWithoutImprovement: wait, maxRemainingEpochs, stepsPerEpoch });
        // Early stopping can end sooner than maxEpochs: the total shrinks to the nearest possible end.
        options.onProgress?.({ step: epoch, total: epoch + maxRemainingEpochs, loss: trainLoss, valLoss, detail: `epoch ${epoch}` });
        if (stop || options.signal?.aborted) {
          stoppedEarly = epoch < p.maxEpochs;
          break;
        }
      }
      if (snapshot) for (const [k, v] of snapshot) (weights.get(k) as tf.Variable).assign(v);
    } finally {
      snapshot?.forEach((t) => t.dispose());
      optimizer.dispose();
    }

    this.trainedRounds = { from: seq[0].round, to: seq[n - 1].round, count: n };
    this.validationMetrics = null;
    if (valCount > 0) {
      const dists = this.distributions(valWindows);
      const scores = scoreProbabilities(
        dists.map((d) => calibrateToSix(d)),
        valDraws,
      );
      this.validationMetrics = {
        ...scores,
        crossEntropy: dists.reduce((s, dist, i) => s + drawCrossEntropy(dist, valDraws[i]), 0) / dists.length,
        bestEpoch,
        epochsRun: this.trainingHistory.length,
        stoppedEarly,
        trainTargets: trainCount - 1,
      };
    }
    return this;
  }

  /** The 45 probabilities (sum 6) for the draw after `history` (its last seqLen draws of this model's machine). */
  predict(history: readonly Draw[]): NumberProbabilities {
    return this.predictBatch([history])[0];
  }

  /** predict for several histories, batched into forward passes of up to INFERENCE_TOKENS draw positions. */
  predictBatch(histories: readonly (readonly Draw[])[]): NumberProbabilities[] {
    this.requireFitted();
    const windows = histories.map((h, i) => {
      const seq = drawsForMachine(h, this.params.machine);
      if (seq.length === 0) {
        const which = this.params.machine === 'all' ? 'draws' : `draws of machine ${this.params.machine}`;
        throw new Error(`history ${i} has no ${which} to predict from`);
      }
      return seq.slice(-this.params.seqLen).map((d) => d.numbers);
    });
    return this.distributions(windows).map((d) => calibrateToSix(d));
  }

  /** Softmax over the 45 numbers at each window's last position (inference mode). */
  private distributions(windows: readonly (readonly (readonly number[])[])[]): Float32Array[] {
    return this.positionDistributions(windows.map((w) => ({ window: w, positions: [w.length - 1] })));
  }

  /** Softmax at chosen positions of each window, in order (inference mode, batched). */
  private positionDistributions(queries: readonly { window: readonly (readonly number[])[]; positions: readonly number[] }[]): Float32Array[] {
    const weights = this.requireFitted();
    const out: Float32Array[] = [];
    const perPass = Math.max(1, Math.floor(INFERENCE_TOKENS / this.params.seqLen));
    for (let s = 0; s < queries.length; s += perPass) {
      const part = queries.slice(s, s + perPass);
      const L = Math.max(...part.map((q) => q.window.length));
      const rows = part.flatMap((q, b) => q.positions.map((pos) => b * L + pos));
      const probs = tf.tidy(() => {
        const x = tf.tensor3d(
          encodeWindows(
            part.map((q) => q.window),
            L,
          ),
          [part.length, L, VOCAB_SIZE],
        );
        const hidden = encode(weights, this.params, x, null);
        const picked = tf.gather(hidden, tf.tensor1d(rows, 'int32'));
        return tf.softmax(headLogits(weights, picked as tf.Tensor2D));
      });
      const flat = probs.dataSync() as Float32Array;
      probs.dispose();
      for (let r = 0; r < rows.length; r++) out.push(flat.slice(r * MAX_NUMBER, (r + 1) * MAX_NUMBER));
    }
    return out;
  }

  private requireFitted(): Map<string, tf.Variable> {
    if (!this.weights) throw new Error('LotteryTransformer is not fitted: call fit(history) or load it with fromArtifacts first');
    return this.weights;
  }

  /** Manifest plus named weight buffers (copies); where they are stored is the caller's business. */
  toArtifacts(): TransformerArtifacts {
    const weights = this.requireFitted();
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of weights) out[name] = Float32Array.from(v.dataSync() as Float32Array);
    return {
      manifest: {
        className: TRANSFORMER_CLASS_NAME,
        formatVersion: TRANSFORMER_FORMAT_VERSION,
        params: asJson(this.getParams(), 'params'),
        trainedRounds: this.trainedRounds ? { ...this.trainedRounds } : null,
        validationMetrics: asJson(this.validationMetrics, 'validationMetrics'),
        weightSpecs: weightShapes(this.params).map(([name, shape]) => ({ name, shape: [...shape] })),
      },
      weights: out,
    };
  }

  /**
   * Rebuild a fitted model from artefacts of format 2 or 1, checking every field; throws an
   * error naming the bad field, or listing the weights that do not match the params.
   */
  static fromArtifacts(artifacts: unknown): LotteryTransformer {
    const { manifest, weights } = readArtifacts(artifacts, TRANSFORMER_CLASS_NAME, READABLE_FORMATS);
    const r = fieldReader(TRANSFORMER_CLASS_NAME);
    const v1 = manifest.formatVersion === 1;
    const paramsField = v1 ? 'manifest.config' : 'manifest.params';
    const params: unknown = v1 ? manifest.config : manifest.params;
    const problems = shapeProblems(params, transformerParams('small'), paramsField, ['machine']);
    if (!isTransformerParams(params, problems)) throw new Error(`${TRANSFORMER_CLASS_NAME} artefact: ${problems.join('; ')}`);
    const specList = Array.isArray(manifest.weightSpecs) ? manifest.weightSpecs : r.fail('manifest.weightSpecs', 'must be an array');
    const specs = new Map(
      specList.map((s, i) => {
        const o = r.record(s, `manifest.weightSpecs[${i}]`);
        return [r.string(o.name, `manifest.weightSpecs[${i}].name`), r.numbers(o.shape, `manifest.weightSpecs[${i}].shape`)] as const;
      }),
    );
    const expected = weightShapes(params);
    const problemsW: string[] = [];
    for (const [name, shape] of expected) {
      const spec = specs.get(name);
      const data = weights[name];
      if (!spec) problemsW.push(`manifest lacks weight ${name}`);
      else if (spec.length !== shape.length || spec.some((v, i) => v !== shape[i])) {
        problemsW.push(`weight ${name} has shape [${spec.join(',')}] but the config needs [${shape.join(',')}]`);
      }
      if (!data) problemsW.push(`weight buffer ${name} is missing`);
      else if (data.length !== shapeSize(shape)) problemsW.push(`weight buffer ${name} holds ${data.length} values, expected ${shapeSize(shape)} for [${shape.join(',')}]`);
    }
    const known = new Set(expected.map(([name]) => name));
    for (const name of Object.keys(weights)) if (!known.has(name)) problemsW.push(`unexpected weight ${name}`);
    if (problemsW.length > 0) throw new Error(`cannot load ${TRANSFORMER_CLASS_NAME}: ${problemsW.join('; ')}`);
    const validation = readValidation(manifest.validationMetrics, r);
    const trainedRounds = v1 ? formatOneRounds(manifest.trainedOn, r) : r.trainedRounds(manifest.trainedRounds, 'manifest.trainedRounds');

    const model = new LotteryTransformer(params);
    const vars = new Map<string, tf.Variable>();
    for (const [name, shape] of expected) vars.set(name, tf.variable(tf.tensor(weights[name], [...shape]), false));
    model.weights = vars;
    model.validationMetrics = validation;
    model.trainedRounds = trainedRounds;
    return model;
  }

  /** Bytes of weights held on the tfjs backend (float32); 0 when unfitted or disposed. */
  memoryBytes(): number {
    if (!this.weights) return 0;
    let n = 0;
    for (const v of this.weights.values()) n += v.size * 4;
    return n;
  }

  /** Free the weights; the model becomes unfitted. */
  dispose(): void {
    if (this.weights) for (const v of this.weights.values()) v.dispose();
    this.weights = null;
  }
}

/** Params that passed the shape check (`problems` empty) and the family's own checks. */
function isTransformerParams(v: unknown, problems: string[]): v is TransformerParams {
  if (problems.length === 0) problems.push(...paramProblems(v as TransformerParams)); // shape checked just above: every field has its type
  return problems.length === 0;
}

/** Format 1 recorded `trainedOn: { draws, firstRound, lastRound }`. */
function formatOneRounds(v: unknown, r: FieldReader): TrainedRounds | null {
  if (v === null || v === undefined) return null;
  const o = r.record(v, 'manifest.trainedOn');
  return { from: r.integer(o.firstRound, 'manifest.trainedOn.firstRound'), to: r.integer(o.lastRound, 'manifest.trainedOn.lastRound'), count: r.integer(o.draws, 'manifest.trainedOn.draws', 0) };
}

function readValidation(v: unknown, r: FieldReader): TransformerValidationMetrics | null {
  if (v === null || v === undefined) return null;
  const o = r.record(v, 'manifest.validationMetrics');
  const num = (k: string) => r.number(o[k], `manifest.validationMetrics.${k}`);
  const int = (k: string) => r.integer(o[k], `manifest.validationMetrics.${k}`, 0);
  return {
    draws: int('draws'),
    logLoss: num('logLoss'),
    brier: num('brier'),
    uniformLogLoss: num('uniformLogLoss'),
    uniformBrier: num('uniformBrier'),
    crossEntropy: num('crossEntropy'),
    bestEpoch: int('bestEpoch'),
    epochsRun: int('epochsRun'),
    stoppedEarly: r.boolean(o.stoppedEarly, 'manifest.validationMetrics.stoppedEarly'),
    trainTargets: int('trainTargets'),
  };
}
