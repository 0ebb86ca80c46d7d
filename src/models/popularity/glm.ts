/**
 * Ridge-penalised negative-binomial (NB2) regression with a log link and an offset, fitted by
 * iteratively reweighted least squares. Pure and deterministic.
 *
 *   y_i ~ NB(mean μ_i, dispersion α),  log μ_i = o_i + x_i·β,  Var = μ + α μ²
 *
 * α is re-estimated between IRLS steps from the Pearson residuals. With α = 0 this is Poisson
 * regression. For the huge winner counts of tiers 4 and 5 the NB weights μ/(1+αμ) tend to 1/α,
 * so the fit becomes least squares on the log ratio, which is what the data call for (the
 * spread there is popularity, not counting noise).
 */

export interface GlmRows {
  /** rows × cols, row-major. */
  x: Float64Array;
  rows: number;
  cols: number;
  y: Float64Array;
  offset: Float64Array;
  /** Per-row weight (recency); 1 when absent. */
  weight?: Float64Array;
}

export interface GlmOptions {
  /** L2 penalty on every column except those in `unpenalised`. */
  ridge: number;
  unpenalised: readonly number[];
  /** Per-column penalty overriding `ridge` where given (unpenalised columns still win). */
  ridgeByColumn?: Float64Array;
  maxIter: number;
  /** Fix α (0 = Poisson) instead of estimating it. */
  alpha?: number;
}

export interface GlmFit {
  beta: Float64Array;
  alpha: number;
  iterations: number;
}

/** Solve A x = b for symmetric positive-definite A (n×n, row-major) by Cholesky; A is not modified. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite at column ${i}`);
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

export function fitNegativeBinomial(d: GlmRows, opt: GlmOptions, start?: Float64Array): GlmFit {
  const { rows, cols, x, y, offset } = d;
  if (rows === 0) throw new Error('no rows to fit');
  const w0 = d.weight ?? new Float64Array(rows).fill(1);
  const free = new Set(opt.unpenalised);
  const beta = start ? Float64Array.from(start) : new Float64Array(cols);
  if (!start) {
    // Start the first unpenalised column (the intercept) at the weighted mean log ratio.
    let num = 0;
    let den = 0;
    for (let i = 0; i < rows; i++) {
      num += w0[i] * y[i];
      den += w0[i] * Math.exp(offset[i]);
    }
    if (opt.unpenalised.length > 0 && num > 0) beta[opt.unpenalised[0]] = Math.log(num / den);
  }
  let alpha = opt.alpha ?? 0.05;
  const eta = new Float64Array(rows);
  let it = 0;
  for (; it < opt.maxIter; it++) {
    const ata = new Float64Array(cols * cols);
    const atz = new Float64Array(cols);
    let sumSq = 0;
    let sumW = 0;
    for (let i = 0; i < rows; i++) {
      let e = offset[i];
      const xi = i * cols;
      for (let j = 0; j < cols; j++) e += x[xi + j] * beta[j];
      eta[i] = e;
      const mu = Math.exp(Math.min(e, 700));
      sumSq += (w0[i] * ((y[i] - mu) ** 2 - mu)) / (mu * mu);
      sumW += w0[i];
      const wi = (w0[i] * mu) / (1 + alpha * mu);
      const zi = e - offset[i] + (y[i] - mu) / mu;
      for (let j = 0; j < cols; j++) {
        const v = x[xi + j];
        if (v === 0) continue;
        const wv = wi * v;
        atz[j] += wv * zi;
        for (let k = 0; k <= j; k++) ata[j * cols + k] += wv * x[xi + k];
      }
    }
    for (let j = 0; j < cols; j++) {
      for (let k = 0; k < j; k++) ata[k * cols + j] = ata[j * cols + k];
      ata[j * cols + j] += free.has(j) ? 1e-9 : (opt.ridgeByColumn?.[j] ?? opt.ridge);
    }
    const next = solveSpd(ata, atz, cols);
    let change = 0;
    for (let j = 0; j < cols; j++) change = Math.max(change, Math.abs(next[j] - beta[j]));
    beta.set(next);
    if (opt.alpha === undefined) alpha = Math.min(10, Math.max(1e-6, sumSq / sumW));
    if (change < 1e-7) break;
  }
  return { beta, alpha, iterations: it + 1 };
}

export interface MixtureFit {
  beta: Float64Array;
  /** log A: the uniform floor, in the same units as exp(x·β). */
  logFloor: number;
  alpha: number;
  iterations: number;
}

/**
 * NB2 regression with a uniform floor: μ_i = exp(o_i) · (A + exp(x_i·β)), A = exp(λ) > 0.
 * Tickets are a mix of auto picks (uniform: every combination gets the same A) and manual picks
 * (popularity-weighted: exp(x·β)); a log-linear predictor cannot show that floor. Fitted by Fisher
 * scoring from `start` (a log-linear fit), each step halved until the penalised log-likelihood does
 * not fall (the mean is not log-linear in the parameters, so a full step can overshoot); α is
 * re-estimated from the Pearson residuals every fifth step. Pure and deterministic.
 */
export function fitNegativeBinomialWithFloor(d: GlmRows, opt: GlmOptions, start: Float64Array, startLogFloor: number, startAlpha: number): MixtureFit {
  const { rows, cols, x, y, offset } = d;
  if (rows === 0) throw new Error('no rows to fit');
  const w0 = d.weight ?? new Float64Array(rows).fill(1);
  const free = new Set(opt.unpenalised);
  const penalty = (j: number) => (j === cols || free.has(j) ? 0 : (opt.ridgeByColumn?.[j] ?? opt.ridge));
  const n = cols + 1;
  const theta = new Float64Array(n);
  theta.set(start.subarray(0, cols));
  theta[cols] = startLogFloor;
  let alpha = opt.alpha ?? startAlpha;
  const objective = (th: Float64Array): number => {
    const a = Math.exp(th[cols]);
    let ll = 0;
    for (let i = 0; i < rows; i++) {
      let e = 0;
      const xi = i * cols;
      for (let j = 0; j < cols; j++) e += x[xi + j] * th[j];
      const mu = Math.exp(offset[i]) * (a + Math.exp(Math.min(e, 700)));
      ll += w0[i] * (y[i] * Math.log(mu / (1 + alpha * mu)) - Math.log(1 + alpha * mu) / alpha);
    }
    for (let j = 0; j < n; j++) ll -= 0.5 * penalty(j) * th[j] * th[j];
    return ll;
  };
  const g = new Float64Array(n);
  const trial = new Float64Array(n);
  let it = 0;
  for (; it < opt.maxIter; it++) {
    const info = new Float64Array(n * n);
    const score = new Float64Array(n);
    const a = Math.exp(theta[cols]);
    let sumSq = 0;
    let sumW = 0;
    for (let i = 0; i < rows; i++) {
      let e = 0;
      const xi = i * cols;
      for (let j = 0; j < cols; j++) e += x[xi + j] * theta[j];
      const m = Math.exp(Math.min(e, 700));
      const eo = Math.exp(offset[i]);
      const mu = eo * (a + m);
      for (let j = 0; j < cols; j++) g[j] = eo * m * x[xi + j];
      g[cols] = eo * a;
      const wi = w0[i] / (mu * (1 + alpha * mu));
      const r = y[i] - mu;
      sumSq += (w0[i] * (r * r - mu)) / (mu * mu);
      sumW += w0[i];
      for (let j = 0; j < n; j++) {
        if (g[j] === 0) continue;
        score[j] += wi * r * g[j];
        for (let k = 0; k <= j; k++) info[j * n + k] += wi * g[j] * g[k];
      }
    }
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) info[k * n + j] = info[j * n + k];
      info[j * n + j] += penalty(j) || 1e-9;
      score[j] -= penalty(j) * theta[j];
    }
    const step = solveSpd(info, score, n);
    const before = objective(theta);
    let t = 1;
    for (let h = 0; h < 30; h++, t /= 2) {
      for (let j = 0; j < n; j++) trial[j] = theta[j] + t * step[j];
      // A floor beyond e^±20 of the manual weights is numerically 0 or everything.
      trial[cols] = Math.max(-20, Math.min(20, trial[cols]));
      if (objective(trial) >= before) break;
    }
    let change = 0;
    for (let j = 0; j < n; j++) change = Math.max(change, Math.abs(trial[j] - theta[j]));
    theta.set(trial);
    if (opt.alpha === undefined && it % 5 === 4) alpha = Math.min(10, Math.max(1e-6, sumSq / sumW));
    if (change < 1e-7) break;
  }
  return { beta: theta.slice(0, cols), logFloor: theta[cols], alpha, iterations: it + 1 };
}
