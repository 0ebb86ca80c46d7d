/**
 * Typed doors onto the @stdlib distribution functions. Every tail probability in
 * hogi comes from here, so no special function (incomplete gamma/beta) is written
 * by hand. Upper tails are 1 − cdf; they are exact to about 1e-16 absolute, so a
 * p-value printed as 0 means "below ~1e-16", not "impossible".
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** P(X ≥ x) for X ~ χ²(df). */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`χ² degrees of freedom must be positive, got ${df}`);
  if (!(x > 0)) return 1;
  return Math.max(0, 1 - chisquareCdf(x, df));
}

/** The p-quantile of χ²(df). */
export function chiSquareQuantile(p: number, df: number): number {
  return chisquareQuantile(p, df);
}

/** Φ(z), the standard normal CDF. */
export function standardNormalCdf(z: number): number {
  return normalCdf(z, 0, 1);
}

/** Φ⁻¹(p). */
export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** P(T ≤ t) for Student's t with v degrees of freedom. */
export function studentTCdf(t: number, v: number): number {
  return tCdf(t, v);
}

/** The p-quantile of Student's t with v degrees of freedom. */
export function studentTQuantile(p: number, v: number): number {
  return tQuantile(p, v);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialProbability(k: number, n: number, p: number): number {
  return binomialPmf(k, n, p);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of seeing k or more
 * successes (e.g. prize-tier hits) when each of n tries succeeds with probability p.
 * Small tails are summed term by term so they keep their relative precision.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0) throw new Error(`binomialUpperTail needs integer k and n ≥ 0, got k=${k}, n=${n}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomial probability must be in [0, 1], got ${p}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (k > n * p) {
    // Above the mean the terms fall off quickly: sum them directly.
    let sum = 0;
    for (let i = k; i <= n; i++) {
      const term = binomialPmf(i, n, p);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  return Math.max(0, 1 - binomialCdf(k - 1, n, p));
}

/** P(X = k) for X hypergeometric: k successes in `draws` draws from `population` holding `successes`. */
export function hypergeometricProbability(k: number, population: number, successes: number, draws: number): number {
  return hypergeometricPmf(k, population, successes, draws);
}
