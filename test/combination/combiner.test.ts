// Weighted voting, stacking and blending are one Combiner over named members.
import { describe, expect, it } from 'vitest';
import { BlendingCombiner, drawLogLikelihood } from '../../src/combination/blending.js';
import type { Combiner, CombinerRecord } from '../../src/combination/combiner.js';
import { normalizeToSix } from '../../src/combination/normalize.js';
import { COMBINERS } from '../../src/combination/registry.js';
import { StackingCombiner } from '../../src/combination/stacking.js';
import { WeightedVotingCombiner } from '../../src/combination/weightedVoting.js';
import { Random } from '../../src/domain/random.js';

const vector = (r: Random) => normalizeToSix(Array.from({ length: 45 }, () => 0.2 + r.nextFloat()));
const drawn = (r: Random) => Array.from(r.sampleIndices(45, 6), (i) => i + 1).sort((a, b) => a - b);

/** Walk-forward records of members `a` (a sharper copy of the truth) and `b` (noise). */
function records(n: number, seed: number): CombinerRecord[] {
  const r = new Random(seed);
  return Array.from({ length: n }, (_, k) => {
    const d = drawn(r);
    const sharp = vector(r);
    for (const x of d) sharp[x - 1] += 0.3;
    return { targetRound: 200 + k, members: { a: { vector: sharp, trainedThroughRound: 199 + k }, b: { vector: vector(r), trainedThroughRound: 190 } }, drawn: d };
  });
}

describe('Combiner', () => {
  const train = records(40, 1);
  const r = new Random(9);
  const input = { a: vector(r), b: vector(r) };
  const made: Combiner[] = [
    new WeightedVotingCombiner({ a: 0.7, b: 0.3 }).fit(train),
    new StackingCombiner({}, ['a', 'b']).fit(train),
    new BlendingCombiner({ members: ['a', 'b'] }).fit(train),
  ];

  it('each method combines named members into 45 probabilities summing to 6, and survives toJSON → the lookup → fromJSON', () => {
    for (const c of made) {
      expect(c.members).toEqual(['a', 'b']);
      const out = c.combine(input);
      expect(out.probabilities).toHaveLength(45);
      expect(out.probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(6, 9);
      const back = COMBINERS[c.method].fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
      expect(back.members).toEqual(['a', 'b']);
      expect(Array.from(back.combine(input).probabilities)).toEqual(Array.from(out.probabilities));
    }
  });

  it('learns from the records: stacking and blending lean towards the informative member, weighted voting keeps its weights', () => {
    const [voting, stacking, blending] = made;
    expect(voting.combine(input).weights).toEqual({ a: 0.7, b: 0.3 });
    expect((stacking as StackingCombiner).coefficients().members.a).toBeGreaterThan((stacking as StackingCombiner).coefficients().members.b);
    const w = blending.combine(input).weights!;
    expect(w.a).toBeGreaterThan(0.5);
    // Blending's fit is its per-draw log-likelihood scores, the same as handing it those scores.
    const scores = train.map((rec) => ({ a: drawLogLikelihood(rec.members.a.vector, rec.drawn), b: drawLogLikelihood(rec.members.b.vector, rec.drawn) }));
    expect(new BlendingCombiner({ members: ['a', 'b'] }).fitScores(scores).combine(input)).toEqual(blending.combine(input));
  });

  it('says which members it needs when one is missing, and voting falls back to the members present', () => {
    expect(() => made[1].combine({ a: input.a })).toThrow(/stacking needs a vector from every member \(a, b\), got a/);
    expect(() => made[2].combine({ b: input.b })).toThrow(/blending needs a vector from every member \(a, b\), got b/);
    expect(made[0].combine({ b: input.b }).weights).toEqual({ b: 1 });
  });

  it('stacking refuses records whose models saw the target, naming the member', () => {
    const leaked = records(12, 2).map((rec, i) => (i === 4 ? { ...rec, members: { ...rec.members, b: { ...rec.members.b, trainedThroughRound: rec.targetRound } } } : rec));
    expect(() => new StackingCombiner({}, ['a', 'b']).fit(leaked)).toThrow(/round 204 \(a trained through 203, b through 204\)/);
  });
});
