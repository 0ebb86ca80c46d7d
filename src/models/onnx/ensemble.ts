/**
 * The statistical family as ONNX graphs: each member alone (RF, GBM, MLP) and the weighted
 * voting ensemble, all on the same input and with the same post-processing as
 * LotteryEnsemble.predict (votingToProbabilities).
 *
 * Input  `features`      float32 [batch, 45, nFeatures]: per draw, the 45 rows of
 *                        buildPredictionRows (row n − 1 describes number n), columns in the
 *                        order of the export manifest's featureNames.
 * Output `probabilities` float32 [batch, 45]: clip to [ε, 1], then calibrateToSix (sum 6).
 * Output `raw_scores`    float32 [batch, 45]: the regressor output before that.
 */
import { MAX_NUMBER } from '../../domain/draw.js';
import { mlpNodes, type MlpGraphSource } from './mlp.js';
import { votingToProbabilitiesNodes } from './probabilities.js';
import { GraphBuilder, type ModelEnvelope, type TensorSpec } from './proto.js';
import { treeEnsembleNodes, type TreeEnsembleSource } from './trees.js';

export type EnsembleMember = 'rf' | 'gbm' | 'mlp';

export interface EnsembleGraphSource {
  nFeatures: number;
  featureNames: readonly string[];
  clipMin: number;
  /** Members switched on, with their voting weights as configured (renormalised in the graph's constants). */
  members: Partial<Record<EnsembleMember, { weight: number }>>;
  rf: TreeEnsembleSource | null;
  gbm: TreeEnsembleSource | null;
  mlp: MlpGraphSource | null;
}

export function ensembleOnnxInputs(nFeatures: number): TensorSpec[] {
  return [{ name: 'features', dims: ['batch', MAX_NUMBER, nFeatures], doc: 'per draw the 45 feature rows (row n-1 = number n), columns in featureNames order' }];
}

export const ENSEMBLE_ONNX_OUTPUTS: readonly TensorSpec[] = [
  { name: 'probabilities', dims: ['batch', MAX_NUMBER], doc: 'P(number n is drawn) at index n-1; clipped to [clipMin, 1] and scaled to sum 6' },
  { name: 'raw_scores', dims: ['batch', MAX_NUMBER], doc: 'regressor output before clipping and scaling' },
];

function memberRaw(g: GraphBuilder, rows: string, src: EnsembleGraphSource, member: EnsembleMember): string {
  if (member === 'mlp') {
    if (!src.mlp) throw new Error('the ensemble has no fitted MLP');
    return mlpNodes(g, rows, src.mlp);
  }
  const trees = src[member];
  if (!trees) throw new Error(`the ensemble has no fitted ${member}`);
  return treeEnsembleNodes(g, rows, trees);
}

/**
 * One graph: `which` = a single member (its probabilities as the ensemble would normalise
 * them) or 'voting' (the weighted vote of every member switched on).
 */
export function ensembleGraph(src: EnsembleGraphSource, which: EnsembleMember | 'voting', envelope: Pick<ModelEnvelope, 'producer' | 'metadata' | 'graphName'>): Uint8Array {
  const g = new GraphBuilder();
  const F = src.nFeatures;
  const features = g.input('features');
  const rows = g.op('Reshape', [features, g.int64s('rows_shape', [-1, F])], {}, { name: 'rows' });
  let raw: string;
  let what: string;
  if (which === 'voting') {
    const active = (Object.entries(src.members) as Array<[EnsembleMember, { weight: number }]>).filter(([, m]) => m.weight > 0);
    const total = active.reduce((s, [, m]) => s + m.weight, 0);
    if (active.length === 0 || !(total > 0)) throw new Error('the voting ensemble has no member with a positive weight');
    const parts = active.map(([name, m]) => g.op('Mul', [memberRaw(g, rows, src, name), g.scalar(`${name}_weight`, m.weight / total)], {}, { name: `${name}_weighted` }));
    raw = parts.length === 1 ? parts[0] : g.op('Sum', parts, {}, { name: 'vote' });
    what = `weighted vote of ${active.map(([n, m]) => `${n} ${(m.weight / total).toFixed(4)}`).join(', ')}`;
  } else {
    raw = memberRaw(g, rows, src, which);
    what = `member ${which} alone`;
  }
  const perDraw = g.op('Reshape', [raw, g.int64s('draw_shape', [-1, MAX_NUMBER])], {}, { name: 'per_draw' });
  g.output(votingToProbabilitiesNodes(g, perDraw, src.clipMin), 'probabilities');
  g.output(perDraw, 'raw_scores');
  return g.build({
    ...envelope,
    doc: `hogi LotteryEnsemble (${what}) on ${F} features per number. Input features [batch, 45, ${F}]; output probabilities [batch, 45] (sum 6).`,
    inputs: ensembleOnnxInputs(F),
    outputs: ENSEMBLE_ONNX_OUTPUTS,
    usesMl: which === 'rf' || which === 'gbm' || (which === 'voting' && (src.members.rf?.weight ?? 0) + (src.members.gbm?.weight ?? 0) > 0),
  });
}
