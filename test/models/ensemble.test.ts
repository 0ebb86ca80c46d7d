import { beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import {
  LotteryEnsemble,
  VotingRegressor,
  ensembleConfig,
  votingToProbabilities,
  type LotteryEnsembleParams,
} from '../../src/models/ensemble.js';
import type { Matrix, Regressor } from '../../src/models/types.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { throughStore } from './contract.js';

beforeAll(async () => {
  await initTf('wasm', () => {});
});

/** Fake regressor: predicts `scale × first column + offset`; counts fits. */
class Linear implements Regressor {
  fits = 0;
  constructor(
    readonly scale: number,
    readonly offset: number,
    readonly async = false,
  ) {}
  fit(): this | Promise<this> {
    this.fits++;
    return this.async ? Promise.resolve(this) : this;
  }
  predict(X: Matrix): Float32Array {
    return Float32Array.from({ length: X.rows }, (_, r) => this.scale * X.data[r * X.cols] + this.offset);
  }
}

const X3: Matrix = { data: Float32Array.from([1, 0, 2, 0, -1, 0]), rows: 3, cols: 2 };

describe('VotingRegressor', () => {
  it('averages the members with normalised weights', () => {
    // a = x, b = 10, c = 2x + 1; weights 1, 2, 1 → (x + 20 + 2x + 1) / 4
    const v = new VotingRegressor([['a', new Linear(1, 0)], ['b', new Linear(0, 10)], ['c', new Linear(2, 1)]], [1, 2, 1]);
    expect(Array.from(v.predict(X3))).toEqual([(1 + 20 + 3) / 4, (2 + 20 + 5) / 4, (-1 + 20 - 1) / 4]);
    expect(v.activeMembers().map((m) => m.weight)).toEqual([0.25, 0.5, 0.25]);
  });

  it('renormalises the weights when a member is switched off', () => {
    const v = new VotingRegressor([['rf', new Linear(1, 0)], ['gbm', new Linear(0, 10)], ['mlp', new Linear(0, 100)]], { rf: 0.4, gbm: 0.4, mlp: 0.2 });
    v.setMember('mlp', 'drop');
    // (0.4·x + 0.4·10) / 0.8
    expect(Array.from(v.predict(X3))).toEqual([5.5, 6, 4.5]);
    expect(Object.keys(v.memberPredictions(X3))).toEqual(['rf', 'gbm']);
    // A zero weight switches a member off too.
    const z = new VotingRegressor([['a', new Linear(1, 0)], ['b', new Linear(0, 10)]], [0, 3]);
    expect(Array.from(z.predict(X3))).toEqual([10, 10, 10]);
  });

  it('fits every switched-on member once, awaiting asynchronous ones, and skips dropped ones', async () => {
    const a = new Linear(1, 0, true);
    const b = new Linear(1, 0);
    const c = new Linear(1, 0);
    const v = new VotingRegressor([['a', a], ['b', b], ['c', c]]);
    v.setMember('c', 'drop');
    await v.fit(X3, new Float32Array(3));
    expect([a.fits, b.fits, c.fits]).toEqual([1, 1, 0]);
  });

  it('rejects weights it cannot use', () => {
    const m = (): Array<readonly [string, Regressor]> => [['a', new Linear(1, 0)], ['b', new Linear(1, 0)]];
    expect(() => new VotingRegressor(m(), [1])).toThrow(/2 members but 1 weights/);
    expect(() => new VotingRegressor(m(), [1, -1])).toThrow(/≥ 0/);
    expect(() => new VotingRegressor(m(), { a: 1, z: 1 })).toThrow(/unknown member "z"/);
    expect(() => new VotingRegressor([['a', new Linear(1, 0)], ['a', new Linear(1, 0)]])).toThrow(/unique/);
    expect(() => new VotingRegressor(m(), [0, 0]).predict(X3)).toThrow(/no member/);
  });
});

describe('voting output → probabilities', () => {
  const sum = (p: Float64Array) => p.reduce((a, b) => a + b, 0);

  it('turns equal outputs into the chance baseline 6/45', () => {
    const p = votingToProbabilities(new Float64Array(45).fill(0.2));
    for (const v of p) expect(v).toBeCloseTo(6 / 45, 12);
  });

  it('clips negatives to ε and keeps every probability ≤ 1 with the sum at 6', () => {
    const raw = new Float64Array(45).fill(0.1);
    raw[0] = -0.3;
    raw[1] = 3; // would be > 1 after rescaling
    const p = votingToProbabilities(raw, 1e-4);
    expect(sum(p)).toBeCloseTo(6, 12);
    expect(p[1]).toBe(1);
    // The other 44 share the remaining 5 in proportion to their clipped outputs.
    const rest = 1e-4 + 43 * 0.1;
    expect(p[0]).toBeCloseTo((5 * 1e-4) / rest, 12);
    expect(p[2]).toBeCloseTo((5 * 0.1) / rest, 12);
  });
});

/** A fast configuration for tests: the small config with a short MLP. */
function testParams(overrides: Partial<LotteryEnsembleParams> = {}): LotteryEnsembleParams {
  const small = ensembleConfig('small');
  return ensembleConfig('small', { mlp: { ...small.mlp, maxIter: 6 }, ...overrides });
}

const all = loadHistoryDraws();

describe('LotteryEnsemble', () => {
  // The model contract (test/models/contract.ts) runs on every family in contract.test.ts.
  it('has the design values in its reference config', () => {
    const p = ensembleConfig('reference');
    expect(p.rf).toMatchObject({ nEstimators: 100, maxDepth: 10 });
    expect(p.seed).toBe(42); // random_state=42 of the design's forest
    expect(p.gbm).toMatchObject({ nEstimators: 100, learningRate: 0.1, maxDepth: 6 });
    expect(p.mlp).toMatchObject({ hiddenLayerSizes: [100, 50], activation: 'relu', solver: 'adam', maxIter: 500, earlyStopping: true });
    expect(p.weights).toEqual({ rf: 0.4, gbm: 0.4, mlp: 0.2 });
  });

  it('trained on machine 1 ignores the draws of other machines, and reports holdout scores next to the uniform baseline', async () => {
    const labelled = all.filter((d) => d.machine !== null).slice(0, 420);
    const m1 = labelled.filter((d) => d.machine === 1);
    const rnd = new Random(5);
    const otherChanged = labelled.map((d) => {
      if (d.machine === 1) return d;
      const nums = Array.from(rnd.sampleIndices(45, 7)).map((k) => k + 1);
      return { ...d, numbers: nums.slice(0, 6).sort((a, b) => a - b), bonus: nums[6] };
    });
    const a = await new LotteryEnsemble(testParams({ machine: 1 })).fit(labelled);
    const b = await new LotteryEnsemble(testParams({ machine: 1 })).fit(otherChanged);
    expect(b.predict(otherChanged)).toEqual(a.predict(labelled));
    expect(a.trainedRounds).toEqual({ from: m1[0].round, to: m1[m1.length - 1].round, count: m1.length });
    // Rounds before 262 carry no machine label: nothing to predict machine 1 from.
    expect(() => a.predict(all.slice(0, 200))).toThrow(/at least 10 earlier draws of machine 1/);

    const v = a.validationMetrics;
    if (!v) throw new Error('expected validation metrics');
    const targets = m1.length - 10; // draws with ≥ minHistory earlier draws of machine 1
    expect(v.draws).toBe(Math.round(targets * 0.1));
    expect(v.trainDraws).toBe(targets - v.draws);
    expect(v.toRound).toBe(m1[m1.length - 1].round);
    expect(v.fromRound).toBe(m1[m1.length - v.draws].round);
    const p = 6 / 45;
    expect(v.uniformLogLoss).toBeCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), 12);
    expect(v.uniformBrier).toBeCloseTo(p * (1 - p), 12);
    // Scores of real probabilities on real draws: finite, and not better than a model
    // could plausibly be (log-loss far below chance would mean a leak from the holdout).
    for (const s of [v, v.members.rf, v.members.gbm, v.members.mlp]) {
      if (!s) throw new Error('expected a score for every member');
      expect(Number.isFinite(s.logLoss) && Number.isFinite(s.brier)).toBe(true);
      expect(s.logLoss).toBeGreaterThan(0.3);
      expect(s.brier).toBeGreaterThan(0.1);
    }
    a.dispose();
    b.dispose();
  });

  it('with a member switched off, trains only the others and combines them with renormalised weights', async () => {
    const history = all.slice(0, 160);
    const m = await new LotteryEnsemble(testParams({ weights: { rf: 0.4, gbm: 0.4, mlp: 0 } })).fit(history);
    const raw = m.rawPredictions(history);
    expect(Object.keys(raw.members)).toEqual(['rf', 'gbm']);
    const expected = new Float64Array(45).map((_, i) => (0.4 * raw.members.rf[i] + 0.4 * raw.members.gbm[i]) / 0.8);
    const want = votingToProbabilities(expected);
    m.predict(history).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const arts = m.toArtifacts();
    expect(Object.keys(arts.weights)).toEqual([]);
    expect(LotteryEnsemble.fromArtifacts(throughStore(arts)).predict(history)).toEqual(m.predict(history));
  });

  it('refuses artefacts of another class, version or feature layout', async () => {
    const history = all.slice(0, 120);
    const m = await new LotteryEnsemble(testParams({ weights: { rf: 1, gbm: 0, mlp: 0 } })).fit(history);
    const arts = m.toArtifacts();
    expect(() => LotteryEnsemble.fromArtifacts({ ...arts, manifest: { ...arts.manifest, className: 'Transformer' } })).toThrow(/className/);
    expect(() => LotteryEnsemble.fromArtifacts({ ...arts, manifest: { ...arts.manifest, formatVersion: 99 } })).toThrow(/formatVersion is 99; this build reads format 1/);
    expect(() => LotteryEnsemble.fromArtifacts({ ...arts, manifest: { ...arts.manifest, featureNames: ['x'] } })).toThrow(/feature columns/);
  });

  it('validates every field of a saved ensemble and names the one that is wrong', async () => {
    const history = all.slice(0, 120);
    const m = await new LotteryEnsemble(testParams({ weights: { rf: 1, gbm: 0, mlp: 0 } })).fit(history);
    const arts = throughStore(m.toArtifacts());
    const params = m.getParams();
    const withManifest = (patch: Record<string, unknown>) => ({ ...arts, manifest: { ...arts.manifest, ...patch } });
    expect(() => LotteryEnsemble.fromArtifacts(null)).toThrow(/LotteryEnsemble artefact: artefacts must be an object/);
    expect(() => LotteryEnsemble.fromArtifacts({ weights: {} })).toThrow(/manifest must be an object/);
    expect(() => LotteryEnsemble.fromArtifacts(withManifest({ params: { ...params, rf: { ...params.rf, maxDepth: 'deep' } } }))).toThrow(
      /manifest\.params\.rf\.maxDepth must be a number, got "deep"/,
    );
    expect(() => LotteryEnsemble.fromArtifacts(withManifest({ params: { ...params, weights: { rf: 1, gbm: 0 } } }))).toThrow(/manifest\.params\.weights\.mlp must be a number, got nothing/);
    expect(() => LotteryEnsemble.fromArtifacts(withManifest({ members: { rf: null } }))).toThrow(/manifest\.members\.rf is missing/);
    expect(() => LotteryEnsemble.fromArtifacts(withManifest({ trainedRounds: { from: 1, to: 'x', count: 3 } }))).toThrow(/manifest\.trainedRounds\.to must be an integer/);
    expect(() => LotteryEnsemble.fromArtifacts({ ...arts, weights: { 'mlp/w0': [1, 2] } })).toThrow(/weights\["mlp\/w0"\] must be a Float32Array/);
    // The untouched artefacts load and predict as the model did.
    expect(LotteryEnsemble.fromArtifacts(arts).predict(history)).toEqual(m.predict(history));
  });

  it('with the target-machine feature, needs the machine of the predicted draw', async () => {
    const labelled = all.filter((d) => d.machine !== null).slice(0, 120);
    const m = await new LotteryEnsemble(testParams({ weights: { rf: 1, gbm: 0, mlp: 0 }, features: { minHistory: 10, targetMachine: true } })).fit(labelled);
    expect(() => m.predict(labelled)).toThrow(/nextMachine/);
    const p = m.predict(labelled, { nextMachine: 2 });
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
  });

  it('says clearly when the history is too short to train', async () => {
    const short: Draw[] = all.slice(0, 11);
    await expect(new LotteryEnsemble(testParams()).fit(short)).rejects.toThrow(/too few draws/);
  });
});
