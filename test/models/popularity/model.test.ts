import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/domain/random.js';
import { parsePrizeRoundsCsv } from '../../../src/data/prizeRoundsCsv.js';
import { ValidationError } from '../../../src/domain/problems.js';
import { combinationFeatures, unaryFeatures, popularityContext, COMBINATION_FEATURES } from '../../../src/features/popularity.js';
import { enumerateLeastShared } from '../../../src/models/popularity/enumerate.js';
import { PopularityModel } from '../../../src/models/popularity/model.js';
import { afterTax, estimatePools, expectedShare, prizeIfWon } from '../../../src/models/popularity/prize.js';
import { fixtureRounds } from './fixture.js';

const rounds = fixtureRounds();
const small = { normalizationSamples: 4000, maxIter: 15 };
const fitted = new PopularityModel(small).fit(rounds);

function randomCombination(rng: Random): number[] {
  return Array.from(rng.sampleIndices(45, 6), (i) => i + 1).sort((a, b) => a - b);
}

describe('popularity features', () => {
  it('the decomposed predictor equals the feature vector times the coefficients for any combination', () => {
    const s = fitted.scorer(rounds);
    const uf = unaryFeatures(popularityContext(rounds.slice(-16)));
    const rng = new Random(5);
    for (let i = 0; i < 50; i++) {
      const c = randomCombination(rng);
      const f = combinationFeatures(c, uf);
      fitted.tiers.forEach((t, k) => {
        const dot = t.coef.reduce((acc, b, j) => acc + b * f[j], 0);
        expect(s.eta(c)[k]).toBeCloseTo(dot, 9);
      });
    }
  });

  it('counts consecutive pairs, shared last digits and slip rows of a combination', () => {
    const f = combinationFeatures([1, 2, 3, 11, 21, 45], unaryFeatures(popularityContext([])));
    const at = (name: string) => f[COMBINATION_FEATURES.indexOf(name)];
    expect(at('consecutive')).toBe(2);
    expect(at('same_last_digit')).toBe(3); // 1, 11, 21
    expect(at('same_slip_row')).toBe(3); // 1, 2, 3 on the first row
    expect(at('le31')).toBe(5);
    expect(at('spread')).toBe(1);
  });
});

describe('PopularityModel', () => {
  it('the predicted ratio averages 1 over uniform combinations in every tier', () => {
    const s = fitted.scorer(rounds);
    const rng = new Random(99);
    const sums = [0, 0, 0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) s.ratio(randomCombination(rng)).forEach((r, k) => (sums[k] += r));
    for (const sum of sums) expect(sum / n).toBeGreaterThan(0.97), expect(sum / n).toBeLessThan(1.03);
  });

  it('fit leaves the params unchanged and the same seed gives the same scores', () => {
    const m = new PopularityModel(small);
    const before = JSON.stringify(m.getParams());
    m.fit(rounds);
    expect(JSON.stringify(m.getParams())).toBe(before);
    const again = m.clone().fit(rounds);
    expect(again.scorer(rounds).ratio([3, 9, 17, 28, 36, 44])).toEqual(m.scorer(rounds).ratio([3, 9, 17, 28, 36, 44]));
  });

  it('scoring before fit fails with a clear message', () => {
    expect(() => new PopularityModel().scorer(rounds)).toThrow(/not fitted/);
  });

  it('save then load gives identical ratios, and bad artifacts are refused naming the field', () => {
    const art = JSON.parse(JSON.stringify(fitted.toArtifacts())) as unknown;
    const loaded = PopularityModel.fromArtifacts(art);
    const c = [5, 12, 19, 26, 33, 40];
    expect(loaded.scorer(rounds).ratio(c)).toEqual(fitted.scorer(rounds).ratio(c));
    const bad = JSON.parse(JSON.stringify(fitted.toArtifacts())) as { manifest: { tiers: Array<{ coef: unknown[] }> } };
    bad.manifest.tiers[2].coef[4] = 'x';
    expect(() => PopularityModel.fromArtifacts(bad)).toThrow(/manifest\.tiers\[2\]\.coef\[4\]/);
    expect(() => PopularityModel.fromArtifacts({ manifest: { className: 'Other' } })).toThrow(/className/);
    expect(() => PopularityModel.fromArtifacts(null)).toThrow(/artifacts/);
  });

  it('learns the birthday effect: combinations of numbers ≤ 31 are predicted to share more in tier 5 than those above 31', () => {
    const s = fitted.scorer(rounds);
    expect(s.ratio([3, 7, 12, 18, 25, 29])[4]).toBeGreaterThan(s.ratio([32, 35, 38, 40, 43, 45])[4]);
  });

  it('rejects a combination that is not six distinct numbers 1..45', () => {
    const s = fitted.scorer(rounds);
    expect(() => s.ratio([1, 2, 3, 4, 5])).toThrow(/6 numbers/);
    expect(() => s.ratio([1, 2, 3, 4, 5, 46])).toThrow(/46/);
    expect(() => s.ratio([1, 2, 3, 4, 5, 5])).toThrow(/twice/);
  });
});

describe('enumeration of all combinations', () => {
  const s = fitted.scorer(rounds);
  const tiers = [0, 1, 2];
  const score = { unary: tiers.map((t) => s.unary[t]), pair: tiers.map((t) => s.pair[t]), spread: tiers.map((t) => s.spread[t]), logZ: tiers.map((t) => s.logZ[t]) };

  function brute(filter: (c: number[]) => boolean) {
    const all: Array<{ c: number[]; v: number }> = [];
    const c: number[] = [];
    const rec = (from: number) => {
      if (c.length === 6) {
        if (filter(c)) all.push({ c: [...c], v: Math.max(...s.ratio(c).slice(0, 3).map(Math.log)) });
        return;
      }
      for (let x = from; x <= 45; x++) {
        c.push(x);
        rec(x + 1);
        c.pop();
      }
    };
    rec(1);
    return all.sort((a, b) => a.v - b.v);
  }

  it('counts and ranks exactly like scoring each combination one by one (fixed, excluded, sum, odd count)', () => {
    const filter = { fixed: [7, 20], excluded: [1, 2, 44], sumMin: 90, sumMax: 160, oddCounts: [2, 3] };
    const res = enumerateLeastShared(score, filter, 5);
    const want = brute((c) => {
      const sum = c.reduce((a, b) => a + b, 0);
      const odd = c.filter((x) => x % 2).length;
      return c.includes(7) && c.includes(20) && !c.some((x) => [1, 2, 44].includes(x)) && sum >= 90 && sum <= 160 && [2, 3].includes(odd);
    });
    expect(res.passing).toBe(want.length);
    expect(res.least.map((l) => l.numbers)).toEqual(want.slice(0, 5).map((w) => w.c));
    res.least.forEach((l, i) => expect(l.logRatio).toBeCloseTo(want[i].v, 9));
  });

  it('counts all 8,145,060 combinations without a filter and leaves out three-number runs when asked', () => {
    expect(enumerateLeastShared(score, {}, 1).passing).toBe(8_145_060);
    const res = enumerateLeastShared(score, { fixed: [30, 31, 40], noTripleRuns: true }, 50);
    const want = brute((c) => [30, 31, 40].every((x) => c.includes(x)) && !c.some((x, i) => i >= 2 && c[i - 1] === x - 1 && c[i - 2] === x - 2));
    expect(res.passing).toBe(want.length);
    for (const l of res.least) expect(l.numbers.some((x, i) => i >= 2 && l.numbers[i - 1] === x - 1 && l.numbers[i - 2] === x - 2)).toBe(false);
  });

  it('refuses a number both fixed and excluded', () => {
    expect(() => enumerateLeastShared(score, { fixed: [3], excluded: [3] })).toThrow(/both fixed and excluded/);
  });
});

describe('prize if won', () => {
  it('a winner expects the whole pool when nobody else holds the combination, and about pool/(1+λ) when many do', () => {
    expect(expectedShare(1000, 0)).toBe(1000);
    expect(expectedShare(1000, 1e-12)).toBeCloseTo(1000, 6);
    expect(expectedShare(1000, 2)).toBeCloseTo((1000 * (1 - Math.exp(-2))) / 2, 9);
    expect(expectedShare(1000, 1000)).toBeCloseTo(1, 3);
  });

  it('tax: none up to 2,000,000 won, 22% of the prize less the stake up to 300 million, 33% above', () => {
    expect(afterTax(2_000_000)).toBe(2_000_000);
    expect(afterTax(2_001_000)).toBe(2_001_000 - Math.floor(2_000_000 * 0.22));
    expect(afterTax(1_000_001_000)).toBe(1_000_001_000 - Math.floor((300_000_000 * 22 + 700_000_000 * 33) / 100));
  });

  it('pools follow the official split, a first prize nobody won carries over, and a less shared set expects more', () => {
    const base = rounds.slice(-4);
    const est = estimatePools(base);
    const sales = base.reduce((a, r) => a + r.totalSales, 0) / 4;
    expect(est.pools[1]).toBeCloseTo(est.pools[0] / 6, 3);
    expect(est.pools[0] + est.pools[1] + est.pools[2]).toBeLessThan(sales * 0.5);
    const noWinner = [...base.slice(0, 3), { ...base[3], winners: [0, ...base[3].winners.slice(1)] }];
    expect(estimatePools(noWinner).carryOver).toBeGreaterThan(0);
    expect(estimatePools(noWinner).pools[0]).toBeGreaterThan(est.pools[0]);
    const [lo] = prizeIfWon(est, [0.5, 0.5, 0.5]);
    const [hi] = prizeIfWon(est, [2, 2, 2]);
    expect(lo.gross).toBeGreaterThan(hi.gross);
    expect(lo.after_tax).toBeLessThan(lo.gross);
  });
});

describe('prize CSV reader', () => {
  it('names the file, record and field of a bad cell', () => {
    const draws = 'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales\n1,2002-12-07,10,23,29,33,37,40,16,0,0,3681782000\n';
    const prizes = 'round,winners_1,prize_each_1,winners_2,prize_each_2,winners_3,prize_each_3,winners_4,prize_each_4,winners_5,prize_each_5,first_auto,first_semi_auto,first_manual\n1,0,0,x,143934100,28,5140500,2537,113400,40155,10000,,,\n';
    expect(() => parsePrizeRoundsCsv(draws, prizes)).toThrow(ValidationError);
    expect(() => parsePrizeRoundsCsv(draws, prizes)).toThrow(/prizes\.csv, record 0, round 1: winners_2/);
  });
});
