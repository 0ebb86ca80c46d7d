/**
 * Histogram-tree ensembles (RandomForestRegressor, GradientBoostingRegressor) as one
 * ai.onnx.ml TreeEnsembleRegressor node, from the flat node arrays of src/models/tree/predictor.ts.
 *
 * Node i of tree t keeps its index as its node id. A split sends x[feature] ≤ threshold to
 * `left` (BRANCH_LEQ, true branch) and the rest to `right`. The operator's thresholds are
 * float32 while hogi's are float64; the features are float32, so the threshold is rounded
 * DOWN to the nearest float32 (for a float32 x, x ≤ t ⇔ x ≤ ⌊t⌋₃₂), which keeps every
 * routing decision identical. Leaf values are rounded to float32.
 */
import type { TreeNodes } from '../tree/predictor.js';
import { attr, GraphBuilder, ML_DOMAIN } from './proto.js';

export interface TreeEnsembleSource {
  kind: 'forest' | 'boosting';
  nFeatures: number;
  trees: readonly TreeNodes[];
  /** Boosting's initial prediction (0 for a forest). */
  init: number;
}

/** The largest float32 not above t. */
export function float32AtMost(t: number): number {
  const f = Math.fround(t);
  if (f <= t) return f;
  // One float32 step towards −∞.
  const buf = new Float32Array([f]);
  const bits = new Int32Array(buf.buffer);
  if (f > 0) bits[0] -= 1;
  else if (f === 0) return -Math.fround(1.401298464324817e-45);
  else bits[0] += 1;
  return buf[0];
}

/** rows [N, nFeatures] → raw predictions [N, 1]. */
export function treeEnsembleNodes(g: GraphBuilder, rows: string, src: TreeEnsembleSource): string {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const tTree: number[] = [];
  const tNode: number[] = [];
  const tWeight: number[] = [];
  src.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i];
      treeIds.push(t);
      nodeIds.push(i);
      if (f < 0) {
        modes.push('LEAF');
        featureIds.push(0);
        values.push(0);
        trueIds.push(0);
        falseIds.push(0);
        tTree.push(t);
        tNode.push(i);
        tWeight.push(tree.value[i]);
      } else {
        if (f >= src.nFeatures) throw new Error(`tree ${t} node ${i} splits on feature ${f} of ${src.nFeatures}`);
        modes.push('BRANCH_LEQ');
        featureIds.push(f);
        values.push(float32AtMost(tree.threshold[i]));
        trueIds.push(tree.left[i]);
        falseIds.push(tree.right[i]);
      }
    }
  });
  return g.op(
    'TreeEnsembleRegressor',
    [rows],
    {
      n_targets: attr.int(1),
      aggregate_function: attr.string(src.kind === 'forest' ? 'AVERAGE' : 'SUM'),
      base_values: attr.floats([src.kind === 'forest' ? 0 : src.init]),
      post_transform: attr.string('NONE'),
      nodes_treeids: attr.ints(treeIds),
      nodes_nodeids: attr.ints(nodeIds),
      nodes_featureids: attr.ints(featureIds),
      nodes_values: attr.floats(values),
      nodes_modes: attr.strings(modes),
      nodes_truenodeids: attr.ints(trueIds),
      nodes_falsenodeids: attr.ints(falseIds),
      target_treeids: attr.ints(tTree),
      target_nodeids: attr.ints(tNode),
      target_ids: attr.ints(tTree.map(() => 0)),
      target_weights: attr.floats(tWeight),
    },
    { name: src.kind === 'forest' ? 'random_forest' : 'gradient_boosting', domain: ML_DOMAIN },
  );
}
