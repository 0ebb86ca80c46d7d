/**
 * Hyper-parameters of LotteryTransformer: plain JSON, saved verbatim in the manifest.
 * Architecture names follow the design (d_model, n_heads, ...) in camelCase.
 */
import type { Machine } from '../../domain/machine.js';

export interface TransformerArchitecture {
  /** Embedding / model width. Must be divisible by nHeads. */
  dModel: number;
  nHeads: number;
  nLayers: number;
  /** Hidden width of each encoder layer's feed-forward block. */
  dimFeedforward: number;
  /** Draws per input window (the design's max_seq_len). */
  seqLen: number;
  /** Dropout rate after positional encoding, on attention weights, and in each residual branch. */
  dropout: number;
}

export interface TransformerTraining {
  learningRate: number;
  /** Chunks of seqLen draws per Adam step. */
  batchSize: number;
  /**
   * Offset between consecutive training chunks (draws). seqLen/2 (default) lets every
   * target be seen at two different positions/context lengths per epoch.
   */
  stride: number;
  maxEpochs: number;
  /** Epochs without a validation improvement before stopping (best weights are restored). */
  patience: number;
  /** Share of the latest targets held out, in time order, for early stopping and metrics. 0 = none. */
  validationFraction: number;
}

export interface TransformerParams extends TransformerArchitecture, TransformerTraining {
  /** A machine number: train and predict on that machine's draws only. 'all': every draw. */
  machine: Machine | 'all';
  seed: number;
}

export type TransformerPresetName = 'reference' | 'small';

/** The design's configuration and a light one for tests and quick runs. */
export const TRANSFORMER_PRESETS: Readonly<Record<TransformerPresetName, Readonly<TransformerArchitecture>>> = Object.freeze({
  reference: Object.freeze({ dModel: 128, nHeads: 8, nLayers: 4, dimFeedforward: 512, seqLen: 50, dropout: 0.1 }),
  small: Object.freeze({ dModel: 64, nHeads: 4, nLayers: 2, dimFeedforward: 256, seqLen: 20, dropout: 0.1 }),
});

export const DEFAULT_TRAINING: Readonly<Omit<TransformerTraining, 'stride'>> = Object.freeze({
  learningRate: 5e-4,
  batchSize: 8,
  maxEpochs: 60,
  patience: 6,
  validationFraction: 0.12,
});

/** Full params from a preset plus overrides. stride defaults to half the window. */
export function transformerParams(
  preset: TransformerPresetName | TransformerArchitecture = 'small',
  overrides: Partial<TransformerParams> = {},
): TransformerParams {
  const arch = typeof preset === 'string' ? TRANSFORMER_PRESETS[preset] : preset;
  if (!arch) throw new Error(`unknown Transformer preset ${JSON.stringify(preset)}; use ${Object.keys(TRANSFORMER_PRESETS).join(' or ')}`);
  const seqLen = overrides.seqLen ?? arch.seqLen;
  return {
    ...arch,
    ...DEFAULT_TRAINING,
    stride: Math.max(1, Math.floor(seqLen / 2)),
    machine: 'all',
    seed: 42,
    ...overrides,
  };
}

function positiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** Every problem with the params, empty when they are usable. */
export function paramProblems(p: TransformerParams): string[] {
  const problems: string[] = [];
  for (const key of ['dModel', 'nHeads', 'nLayers', 'dimFeedforward', 'seqLen', 'batchSize', 'stride', 'maxEpochs'] as const) {
    if (!positiveInt(p[key])) problems.push(`${key} must be a positive integer (got ${JSON.stringify(p[key])})`);
  }
  if (positiveInt(p.dModel) && positiveInt(p.nHeads) && p.dModel % p.nHeads !== 0) {
    problems.push(`dModel (${p.dModel}) must be divisible by nHeads (${p.nHeads})`);
  }
  if (!(typeof p.dropout === 'number' && p.dropout >= 0 && p.dropout < 1)) problems.push(`dropout must be in [0, 1) (got ${p.dropout})`);
  if (!(typeof p.learningRate === 'number' && p.learningRate > 0 && Number.isFinite(p.learningRate))) {
    problems.push(`learningRate must be a positive number (got ${p.learningRate})`);
  }
  if (!(typeof p.patience === 'number' && Number.isInteger(p.patience) && p.patience >= 0)) {
    problems.push(`patience must be a non-negative integer (got ${p.patience})`);
  }
  if (!(typeof p.validationFraction === 'number' && p.validationFraction >= 0 && p.validationFraction < 1)) {
    problems.push(`validationFraction must be in [0, 1) (got ${p.validationFraction})`);
  }
  if (p.machine !== 'all' && !positiveInt(p.machine)) problems.push(`machine must be a positive integer or 'all' (got ${JSON.stringify(p.machine)})`);
  if (!(typeof p.seed === 'number' && Number.isFinite(p.seed))) problems.push(`seed must be a finite number (got ${p.seed})`);
  return problems;
}

export function assertValidParams(p: TransformerParams): void {
  const problems = paramProblems(p);
  if (problems.length > 0) throw new Error(`invalid LotteryTransformer params: ${problems.join('; ')}`);
}
