import { describe, expect, it } from 'vitest';
import type { Draw } from '../../../src/domain/draw.js';
import {
  drawSums,
  FAIR_SUM_MEDIAN,
  frequencyChiSquare,
  gapBinProbabilities,
  gapChiSquare,
  groupNumberChiSquare,
  ljungBox,
  pairsChiSquare,
  runsTest,
  sampleFairDraws,
} from '../../../src/domain/fairness/index.js';
import { Random } from '../../../src/domain/random.js';
import { loadHistoryDraws } from '../../helpers/history.js';

// The scipy one-liners below read draws.csv / machines.csv: the shipped history in the shared data
// folder's layout, e.g. from `hogi export --format csv` or the files test/helpers/history.ts writes.
const flat = (draws: readonly Draw[]) => Uint8Array.from(draws.flatMap((d) => d.numbers));
const shared = loadHistoryDraws();
const rounds = (from: number, to: number) => shared.filter((d) => d.round >= from && d.round <= to);

describe('frequency χ² with the Genest–Lockhart–Stephens correction', () => {
  it('one draw: plain X² is exactly 39 = N − k, scaled by 44/39 it is 44 = N − 1', () => {
    // Six counts of 1 and 39 of 0 against 6/45 each: 6·(13/15)²/(2/15) + 39·(2/15) = 33.8 + 5.2.
    const r = frequencyChiSquare(Uint8Array.from([1, 2, 3, 4, 5, 6]));
    expect(r.raw).toBeCloseTo(39, 12);
    expect(r.statistic).toBeCloseTo(44, 12);
    expect(r.df).toBe(44);
  });

  it('rounds 1–100 of the real history: statistic and p as scipy computes them', () => {
    // python3 -c "import csv,numpy as np; from scipy.stats import chi2; r=[list(map(int,x[2:8])) for x in list(csv.reader(open('draws.csv')))[1:101]]; c=np.bincount(np.array(r).ravel(),minlength=46)[1:]; e=600/45; x=((c-e)**2/e).sum()*44/39; print(x, chi2.sf(x,44))"
    const r = frequencyChiSquare(flat(rounds(1, 100)));
    expect(r.statistic).toBeCloseTo(41.630769230769225, 10);
    expect(r.pValue).toBeCloseTo(0.5736899010117852, 10);
  });

  it('under fair draws the scaled statistic averages 44 (the plain one only 39) and rejects about 5% at α = 0.05', () => {
    const rnd = new Random(4);
    const sims = 400;
    let raw = 0;
    let scaled = 0;
    let rejected = 0;
    for (let s = 0; s < sims; s++) {
      const r = frequencyChiSquare(sampleFairDraws(rnd, 50));
      raw += r.raw;
      scaled += r.statistic;
      if (r.pValue < 0.05) rejected++;
    }
    // sd of χ²(44) ≈ 9.4, so the mean of 400 has sd ≈ 0.47.
    expect(scaled / sims).toBeGreaterThan(44 - 2);
    expect(scaled / sims).toBeLessThan(44 + 2);
    expect(raw / sims).toBeLessThan(41);
    expect(rejected / sims).toBeLessThan(0.09);
    expect(rejected / sims).toBeGreaterThan(0.015);
  });
});

describe('pairs, gaps and the machine table', () => {
  it('pair X² over rounds 1–100 equals the direct sum over the 990 pairs', () => {
    // python3 -c "import csv,numpy as np; from itertools import combinations; r=[list(map(int,x[2:8])) for x in list(csv.reader(open('draws.csv')))[1:101]]; P=np.zeros((46,46)); [P.__setitem__((a,b),P[a][b]+1) for d in r for a,b in combinations(sorted(d),2)]; o=np.array([P[a][b] for a in range(1,46) for b in range(a+1,46)]); e=100*15/990; print(((o-e)**2/e).sum())"
    expect(pairsChiSquare(flat(rounds(1, 100)))).toBeCloseTo(955.2, 8);
  });

  it('gap test bins completed gaps only: a hand-made four-draw sequence', () => {
    // Number 1 appears in draws 0, 1, 3 (gaps 1 and 2); number 2 in draws 0 and 3 (gap 3); the rest once.
    const numbers = Uint8Array.from([1, 2, 3, 4, 5, 6, 1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 1, 2, 18, 19, 20, 21]);
    const r = gapChiSquare(numbers);
    expect(r.gaps).toBe(3);
    expect(r.observed).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const probs = gapBinProbabilities();
    expect(probs[0]).toBeCloseTo(6 / 45, 15);
    expect(probs[1]).toBeCloseTo((6 / 45) * (39 / 45), 15);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('machine × number X² for rounds 262–400 matches scipy’s chi2_contingency', () => {
    // python3 -c "import csv,numpy as np; from scipy.stats import chi2_contingency; m={int(r):int(x) for r,x in list(csv.reader(open('machines.csv')))[1:]}; rows=[x for x in list(csv.reader(open('draws.csv')))[1:] if 262<=int(x[0])<=400]; t=np.zeros((3,45)); [t.__setitem__((m[int(x[0])]-1,n-1), t[m[int(x[0])]-1][n-1]+1) for x in rows for n in map(int,x[2:8])]; print(chi2_contingency(t,correction=False)[0])"
    const ds = rounds(262, 400);
    expect(groupNumberChiSquare(flat(ds), Int32Array.from(ds.map((d) => (d.machine as number) - 1)), 3)).toBeCloseTo(81.47565254007318, 9);
  });
});

describe('tests on draw sums', () => {
  const sums = drawSums(flat(rounds(1, 200)));

  it('runs test above/below 138 over rounds 1–200 agrees with a numpy implementation', () => {
    // python3 -c "import csv,numpy as np; from scipy.stats import norm; s=np.array([sum(map(int,x[2:8])) for x in list(csv.reader(open('draws.csv')))[1:201]],float); v=s[s!=138]>138; n1=v.sum(); n2=len(v)-n1; R=1+(v[1:]!=v[:-1]).sum(); n=n1+n2; m=2*n1*n2/n+1; var=2*n1*n2*(2*n1*n2-n)/(n*n*(n-1)); z=(R-m)/np.sqrt(var); print(R, z, 2*norm.sf(abs(z)))"
    const r = runsTest(sums, FAIR_SUM_MEDIAN);
    expect(r.runs).toBe(100);
    expect(r.z).toBeCloseTo(-0.010759892152735212, 12);
    expect(r.pValue).toBeCloseTo(0.99141501383061, 12);
  });

  it('runs test counts runs by hand: + + − − − + − + + has 5 runs', () => {
    const r = runsTest([2, 3, -1, -2, -3, 1, -1, 4, 5], 0);
    expect(r.runs).toBe(5);
    expect(r.above).toBe(5);
    expect(r.below).toBe(4);
    expect(r.expectedRuns).toBeCloseTo((2 * 5 * 4) / 9 + 1, 14);
  });

  it('Ljung–Box over rounds 1–200, 10 lags, agrees with a numpy implementation', () => {
    // python3 -c "import csv,numpy as np; from scipy.stats import chi2; s=np.array([sum(map(int,x[2:8])) for x in list(csv.reader(open('draws.csv')))[1:201]],float); d=s-s.mean(); N=len(s); r=[(d[k:]*d[:N-k]).sum()/(d*d).sum() for k in range(1,11)]; Q=N*(N+2)*sum(rk**2/(N-k) for k,rk in zip(range(1,11),r)); print(Q, chi2.sf(Q,10))"
    const r = ljungBox(sums, 10);
    expect(r.statistic).toBeCloseTo(18.17347597968244, 9);
    expect(r.pValue).toBeCloseTo(0.05210690918066014, 10);
  });
});
