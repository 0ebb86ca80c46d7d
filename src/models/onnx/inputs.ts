/**
 * What an exported graph is fed, computed from draws in TypeScript exactly as the tfjs
 * models compute it (the feature rows and the draw windows stay outside the networks):
 *  - the Transformer: the last seqLen draws of its machine, multi-hot (encodeWindows);
 *  - the ensemble family: the 45 feature rows of buildPredictionRows for its machine.
 * Light on purpose: no tfjs, so an ONNX-serving worker never loads it.
 */
import { MAX_NUMBER, sortByRound, type Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import { buildPredictionRows, DEFAULT_MIN_HISTORY, type FeatureOptions } from '../../features/index.js';
import { drawsForMachine, encodeWindows, VOCAB_SIZE } from '../transformer/sequences.js';

/** How an exported model's input is made from a history. */
export type OnnxInputSpec =
  | { kind: 'draw_window'; machine: Machine | 'all'; seqLen: number }
  | { kind: 'number_features'; machine: Machine | 'all'; features: FeatureOptions; nFeatures: number };

/** The draws' numbers of the window LotteryTransformer.predictBatch reads for `history` (index `i` names it in errors). */
export function transformerWindow(history: readonly Draw[], machine: Machine | 'all', seqLen: number, i = 0): (readonly number[])[] {
  const seq = drawsForMachine(history, machine);
  if (seq.length === 0) throw new Error(`history ${i} has no ${machine === 'all' ? 'draws' : `draws of machine ${machine}`} to predict from`);
  return seq.slice(-seqLen).map((d) => d.numbers);
}

/** The 45 feature rows LotteryEnsemble.predict reads for `history` ([45 × nFeatures], row n − 1 = number n). */
export function ensembleRows(history: readonly Draw[], machine: Machine | 'all', features: FeatureOptions, nextMachine?: Machine | null): Float32Array {
  const seq = sortByRound(machine === 'all' ? history : history.filter((d) => d.machine === machine));
  const minHistory = features.minHistory ?? DEFAULT_MIN_HISTORY;
  if (seq.length < minHistory) {
    const whose = machine === 'all' ? '' : ` of machine ${machine}`;
    throw new Error(`a prediction needs at least ${minHistory} earlier draws${whose} in the history, got ${seq.length}`);
  }
  return buildPredictionRows(seq, { ...features, nextMachine }).data;
}

/** One graph call: the float32 input and its shape, and which histories (by index) it answers. */
export interface OnnxBatch {
  data: Float32Array;
  dims: number[];
  indices: number[];
}

/**
 * Histories → batches for one graph. Transformer windows of different lengths (a history
 * shorter than seqLen) go in separate batches, since a batch shares one window length.
 */
export function onnxBatches(spec: OnnxInputSpec, histories: readonly (readonly Draw[])[]): OnnxBatch[] {
  if (spec.kind === 'number_features') {
    const F = spec.nFeatures;
    const data = new Float32Array(histories.length * MAX_NUMBER * F);
    histories.forEach((h, i) => {
      const rows = ensembleRows(h, spec.machine, spec.features);
      if (rows.length !== MAX_NUMBER * F) throw new Error(`feature rows have ${rows.length / MAX_NUMBER} columns, the exported model reads ${F}`);
      data.set(rows, i * MAX_NUMBER * F);
    });
    return [{ data, dims: [histories.length, MAX_NUMBER, F], indices: histories.map((_, i) => i) }];
  }
  const byLength = new Map<number, { windows: (readonly number[])[][]; indices: number[] }>();
  histories.forEach((h, i) => {
    const w = transformerWindow(h, spec.machine, spec.seqLen, i);
    const g = byLength.get(w.length) ?? { windows: [], indices: [] };
    g.windows.push(w);
    g.indices.push(i);
    byLength.set(w.length, g);
  });
  return [...byLength].map(([L, g]) => ({ data: encodeWindows(g.windows, L), dims: [g.windows.length, L, VOCAB_SIZE], indices: g.indices }));
}
