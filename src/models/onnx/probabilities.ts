/**
 * The post-processing every family applies to its 45 raw outputs, as ONNX nodes, so an
 * exported file answers the same 45 probabilities (sum 6) that hogi serves:
 *  - calibrateToSix (src/models/probabilities.ts): scale to sum 6, capping at 1 and handing
 *    the excess to the others; the loop runs at most NUMBERS_PER_DRAW + 1 rounds, so it is
 *    unrolled that many times (a round that caps nothing leaves the result unchanged);
 *  - the ensemble's clip to [ε, 1] before it (votingToProbabilities).
 */
import { NUMBERS_PER_DRAW } from '../../domain/draw.js';
import { attr, DataType, type GraphBuilder } from './proto.js';

/** dist [B, 45] (non-negative, positive mass) → probabilities [B, 45] summing to 6. */
export function calibrateToSixNodes(g: GraphBuilder, dist: string): string {
  const one = g.scalar('one', 1);
  const six = g.scalar('six', NUMBERS_PER_DRAW);
  const zero = g.scalar('zero', 0);
  const lastAxis = g.int64s('last_axis', [-1]);
  let capped = g.op('Mul', [dist, zero], {}, { name: 'capped' });
  let out = dist;
  for (let round = 0; round <= NUMBERS_PER_DRAW; round++) {
    const free = g.op('Mul', [dist, g.op('Sub', [one, capped])], {}, { name: 'free_mass_part' });
    const freeMass = g.op('ReduceSum', [free, lastAxis], { keepdims: attr.int(1) }, { name: 'free_mass' });
    const target = g.op('Sub', [six, g.op('ReduceSum', [capped, lastAxis], { keepdims: attr.int(1) }, { name: 'capped_count' })], {}, { name: 'target_mass' });
    out = g.op('Add', [capped, g.op('Div', [g.op('Mul', [free, target]), freeMass])], {}, { name: 'calibrated' });
    if (round === NUMBERS_PER_DRAW) break;
    const over = g.op('Cast', [g.op('Greater', [out, one])], { to: attr.int(DataType.FLOAT) }, { name: 'over_one' });
    capped = g.op('Max', [capped, over], {}, { name: 'capped' });
  }
  return out;
}

/** raw [B, 45] → clip to [clipMin, 1] → calibrateToSix, as votingToProbabilities. */
export function votingToProbabilitiesNodes(g: GraphBuilder, raw: string, clipMin: number): string {
  const clipped = g.op('Clip', [raw, g.scalar('clip_min', clipMin), g.scalar('clip_max', 1)], {}, { name: 'clipped' });
  return calibrateToSixNodes(g, clipped);
}
