import { describe, expect, it } from 'vitest';
import { binomialUpperTail, bootstrapMeanInterval, chiSquareUpperTail, holm, tMeanInterval } from '../../../src/domain/inference/index.js';
import { Random } from '../../../src/domain/random.js';

describe('distribution tails (stdlib)', () => {
  it('χ² upper tail matches scipy', () => {
    // python3 -c "from scipy.stats import chi2; print(chi2.sf(50,44), chi2.sf(80,44), chi2.sf(5,10))"
    expect(chiSquareUpperTail(50, 44)).toBeCloseTo(0.24729881294234568, 12);
    expect(chiSquareUpperTail(80, 44)).toBeCloseTo(0.0007340103835415378, 12);
    expect(chiSquareUpperTail(5, 10)).toBeCloseTo(0.8911780189141513, 12);
    expect(chiSquareUpperTail(0, 3)).toBe(1);
  });

  it('binomial upper tail P(X ≥ k) matches scipy, small tails with relative precision', () => {
    // python3 -c "from scipy.stats import binom; print(binom.sf(4,3000,0.0013646308314487234), binom.sf(99,3000,0.02244059589493478), binom.sf(19,3000,0.0013646308314487234), binom.sf(50,3000,0.02244059589493478))"
    expect(binomialUpperTail(5, 3000, 0.0013646308314487234)).toBeCloseTo(0.3895123701145953, 12);
    expect(binomialUpperTail(100, 3000, 0.02244059589493478) / 9.754270262677845e-5).toBeCloseTo(1, 9);
    expect(binomialUpperTail(20, 3000, 0.0013646308314487234) / 1.4264275212202487e-8).toBeCloseTo(1, 9);
    expect(binomialUpperTail(51, 3000, 0.02244059589493478)).toBeCloseTo(0.9841277303471941, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });
});

describe('holm', () => {
  it('adjusts a worked example step-down, in input order', () => {
    // Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((x) => expect.closeTo(x, 15)));
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([0.2])).toEqual([0.2]);
    const withNaN = holm([0.01, Number.NaN, 0.02]);
    expect(withNaN[0]).toBeCloseTo(0.02, 15);
    expect(withNaN[1]).toBeNaN();
    expect(withNaN[2]).toBeCloseTo(0.02, 15);
  });
});

describe('mean intervals', () => {
  const x = [0.9, 1.3, 0.4, 1.1, 0.7, 1.8, 0.2, 0.9, 1.0, 0.6];

  it('t interval matches scipy', () => {
    // python3 -c "import numpy as np; from scipy.stats import t; x=np.array([0.9,1.3,0.4,1.1,0.7,1.8,0.2,0.9,1.0,0.6]); print(t.interval(0.95, 9, loc=x.mean(), scale=x.std(ddof=1)/np.sqrt(10)))"
    const ci = tMeanInterval(x);
    expect(ci.lower).toBeCloseTo(0.5622690186862718, 12);
    expect(ci.upper).toBeCloseTo(1.2177309813137283, 12);
  });

  it('seeded bootstrap is reproducible and covers the true mean about 95% of the time', () => {
    const a = bootstrapMeanInterval(x, { random: new Random(1) });
    expect(bootstrapMeanInterval(x, { random: new Random(1) })).toEqual(a);
    expect(a.lower).toBeLessThan(a.mean);
    expect(a.upper).toBeGreaterThan(a.mean);
    const rnd = new Random(2);
    let covered = 0;
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      // Normal(1, 1) samples of 60: true mean 1.
      const s = Array.from({ length: 60 }, () => 1 + rnd.nextNormal());
      const ci = bootstrapMeanInterval(s, { random: rnd, resamples: 500 });
      if (ci.lower <= 1 && 1 <= ci.upper) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.88);
    expect(covered / reps).toBeLessThan(0.99);
  });
});
