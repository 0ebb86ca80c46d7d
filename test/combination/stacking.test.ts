import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { binaryLogLoss } from '../../src/models/metrics.js';
import { CHANCE_PROBABILITY, normalizeToSix } from '../../src/combination/normalize.js';
import type { CombinerRecord } from '../../src/combination/combiner.js';
import { NotTrainedError, StackingCombiner, StackingLeakageError } from '../../src/combination/stacking.js';

/** A walk-forward record of the two families, written the short way; `rec` turns it into the combiner's named members. */
interface StackingRecord {
  targetRound: number;
  trainedThroughRound: { transformer: number; ensemble: number };
  pT: ArrayLike<number>;
  pE: ArrayLike<number>;
  drawn: readonly number[];
}
const rec = (r: StackingRecord): CombinerRecord => ({
  targetRound: r.targetRound,
  members: { transformer: { vector: r.pT, trainedThroughRound: r.trainedThroughRound.transformer }, ensemble: { vector: r.pE, trainedThroughRound: r.trainedThroughRound.ensemble } },
  drawn: r.drawn,
});
const recs_ = (rs: readonly StackingRecord[]) => rs.map(rec);
const both = (pT: ArrayLike<number>, pE: ArrayLike<number>) => ({ transformer: pT, ensemble: pE });

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

/** A spread-out vector (sum 6): log-normal weights. */
function lognormalVector(r: Random, spread: number): Float64Array {
  return normalizeToSix(Array.from({ length: 45 }, () => Math.exp(spread * r.nextNormal())));
}

/** Six distinct numbers drawn without replacement with probability ∝ q. */
function drawFrom(q: ArrayLike<number>, r: Random): number[] {
  const keyed = Array.from({ length: 45 }, (_, i) => ({ n: i + 1, k: Math.log(q[i]) - Math.log(-Math.log((r.nextUint32() + 0.5) / 2 ** 32)) }));
  return keyed
    .sort((a, b) => b.k - a.k)
    .slice(0, 6)
    .map((x) => x.n)
    .sort((a, b) => a - b);
}

/**
 * Synthetic walk-forward history: each draw comes from a hidden vector; one
 * family sees that vector, the other returns unrelated noise.
 */
function synthetic(seed: number, draws: number, informative: 'pT' | 'pE'): StackingRecord[] {
  const r = new Random(seed);
  const out: StackingRecord[] = [];
  for (let t = 0; t < draws; t++) {
    const truth = lognormalVector(r, 0.8);
    const noise = lognormalVector(r, 0.8);
    const drawn = drawFrom(truth, r);
    out.push({
      targetRound: 100 + t,
      trainedThroughRound: { transformer: 99 + t, ensemble: 99 + t },
      pT: informative === 'pT' ? truth : noise,
      pE: informative === 'pE' ? truth : noise,
      drawn,
    });
  }
  return out;
}

const meanLogLoss = (recs: StackingRecord[], f: (r: StackingRecord) => ArrayLike<number>) =>
  recs.reduce((a, r) => a + binaryLogLoss(f(r), r.drawn), 0) / recs.length;

describe('StackingCombiner', () => {
  it('before fit, combining fails with STACKING_NOT_TRAINED and says how to train', () => {
    const s = new StackingCombiner();
    expect(s.isTrained).toBe(false);
    const v = normalizeToSix(new Array(45).fill(1));
    let err: unknown;
    try {
      s.combine(both(v, v));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotTrainedError);
    expect((err as NotTrainedError).code).toBe('STACKING_NOT_TRAINED');
    expect((err as Error).message).toContain('hogi train --stacking');
    expect(() => s.coefficients()).toThrow(NotTrainedError);
  });

  it('refuses any record whose models were trained on data including the target draw', () => {
    const recs = synthetic(1, 30, 'pT');
    const leakT = recs.map((r, i) => (i === 7 ? { ...r, trainedThroughRound: { transformer: r.targetRound, ensemble: r.targetRound - 1 } } : r));
    const leakE = recs.map((r, i) => (i === 3 ? { ...r, trainedThroughRound: { transformer: r.targetRound - 5, ensemble: r.targetRound + 10 } } : r));
    const s = new StackingCombiner();
    for (const bad of [leakT, leakE]) {
      let err: unknown;
      try {
        s.fit(recs_(bad));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StackingLeakageError);
      expect((err as StackingLeakageError).code).toBe('STACKING_IN_SAMPLE');
      expect((err as Error).message).toMatch(/in-sample/);
    }
    expect((() => {
      try {
        s.fit(recs_(leakT));
      } catch (e) {
        return (e as StackingLeakageError).offendingRounds;
      }
      return [];
    })()).toEqual([recs[7].targetRound]);
    expect(s.isTrained).toBe(false);
  });

  it('learns to trust the informative family and ignore the noisy one', () => {
    for (const informative of ['pT', 'pE'] as const) {
      const train = synthetic(informative === 'pT' ? 11 : 12, 300, informative);
      const test = synthetic(informative === 'pT' ? 21 : 22, 150, informative);
      const s = new StackingCombiner().fit(recs_(train));
      const c = s.coefficients();
      const [good, bad] = informative === 'pT' ? [c.members.transformer, c.members.ensemble] : [c.members.ensemble, c.members.transformer];
      expect(good).toBeGreaterThan(0.5);
      expect(Math.abs(bad)).toBeLessThan(0.2);
      // Out of sample, stacking beats the noisy family and the chance baseline.
      const stacked = meanLogLoss(test, (r) => s.combine(both(r.pT, r.pE)).probabilities);
      const noisy = meanLogLoss(test, (r) => (informative === 'pT' ? r.pE : r.pT));
      const chance = meanLogLoss(test, () => new Array(45).fill(CHANCE_PROBABILITY));
      expect(stacked).toBeLessThan(noisy);
      expect(stacked).toBeLessThan(chance);
    }
  });

  it('falls back to chance when neither family says anything', () => {
    const recs = synthetic(3, 40, 'pT').map((r) => ({ ...r, pT: new Array(45).fill(CHANCE_PROBABILITY), pE: new Array(45).fill(CHANCE_PROBABILITY) }));
    const s = new StackingCombiner().fit(recs_(recs));
    const c = s.coefficients();
    expect(c.members.transformer).toBeCloseTo(0, 10);
    expect(c.members.ensemble).toBeCloseTo(0, 10);
    const out = s.combine(both(lognormalVector(new Random(9), 1), lognormalVector(new Random(10), 1))).probabilities;
    for (const p of out) expect(p).toBeCloseTo(CHANCE_PROBABILITY, 10);
  });

  it('is deterministic, outputs sum 6, and survives toJSON → fromJSON unchanged', () => {
    const recs = synthetic(4, 60, 'pT');
    const a = new StackingCombiner().fit(recs_(recs));
    const b = new StackingCombiner().fit(recs_(recs));
    expect(a.coefficients()).toEqual(b.coefficients());
    const r = new Random(5);
    const pT = lognormalVector(r, 0.5);
    const pE = lognormalVector(r, 0.5);
    const out = a.combine(both(pT, pE)).probabilities;
    expect(sum(out)).toBeCloseTo(6, 10);
    const restored = StackingCombiner.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(restored.isTrained).toBe(true);
    expect(Array.from(restored.combine(both(pT, pE)).probabilities)).toEqual(Array.from(out));
    // The saved form keeps each member's coefficient under its name (the format stored stacking files have).
    expect(Object.keys(a.toJSON().state ?? {})).toEqual(['transformer', 'ensemble', 'intercept', 'records', 'lastTargetRound', 'iterations']);
    const untrained = StackingCombiner.fromJSON(JSON.parse(JSON.stringify(new StackingCombiner({ l2: 3 }).toJSON())));
    expect(untrained.isTrained).toBe(false);
    expect(untrained.getParams().l2).toBe(3);
    expect(() => StackingCombiner.fromJSON({ className: 'Other' })).toThrow(/className/);
  });

  it('rejects malformed records and too few of them, keeping the previous fit', () => {
    const recs = synthetic(6, 20, 'pT');
    const s = new StackingCombiner().fit(recs_(recs));
    const before = s.coefficients();
    expect(() => s.fit(recs_(recs.slice(0, 5)))).toThrow(/at least 10/);
    expect(() => s.fit(recs_(recs.map((r, i) => (i === 2 ? { ...r, drawn: [1, 1, 2, 3, 4, 5] } : r))))).toThrow(/distinct/);
    expect(() => s.fit(recs_(recs.map((r, i) => (i === 2 ? { ...r, pE: [0.1, 0.2] } : r))))).toThrow(/ensemble: expected 45/);
    expect(s.coefficients()).toEqual(before);
  });
});
