// The fairness report's shape, its options and its fixed levels (α, target power, minimum draws). Pure.

export type FairnessScopeSpec = 'all' | number;

export interface FairnessOptions {
  machines: readonly FairnessScopeSpec[];
  from?: number;
  to?: number;
  seed: number;
  /** Label shuffles for the machines-differ test (default 2000). */
  permutations?: number;
  /** Fair data sets simulated to calibrate the pair and gap tests (default 1000). */
  nullSimulations?: number;
  /** Data sets per point of each power curve (default 200). */
  powerSimulations?: number;
  /** Lags of the Ljung–Box test (default 10). */
  ljungBoxLags?: number;
}

export type FairnessTestId = 'frequency' | 'pairs' | 'gaps' | 'runs' | 'autocorrelation' | 'machines_differ';

export interface Bilingual {
  ko: string;
  en: string;
}

export interface FairnessPower {
  /** The simulated bias, in words. */
  effectModel: string;
  /** Unit of `detectableEffect`: a ratio to fair ("ratio") or a lag-1 autocorrelation ("rho"). */
  effectUnit: 'ratio' | 'rho';
  /** Smallest effect detected with ≥ 80% power at α = 0.05; null when not even `maxEffectTried`. */
  detectableEffect: number | null;
  maxEffectTried: number;
  /** Estimated power at the detectable effect (or at the maximum tried). */
  power: number;
  simulations: number;
  alpha: number;
  targetPower: number;
}

export interface FairnessTestResult {
  test: FairnessTestId;
  name: string;
  statistic: number;
  /** Degrees of freedom of the reference χ², or null when the p-value is simulated/permuted/normal. */
  df: number | null;
  pValue: number;
  /** Holm-adjusted across the tests of the same scope. */
  adjustedP: number;
  pMethod: 'chi-square' | 'simulation' | 'permutation' | 'normal';
  power: FairnessPower;
  conclusion: Bilingual;
  details: Record<string, number | string | number[] | null>;
}

export interface FairnessScope {
  machine: FairnessScopeSpec;
  label: Bilingual;
  draws: number;
  fromRound: number | null;
  toRound: number | null;
  tests: FairnessTestResult[];
  /** Smallest Holm-adjusted p of the scope (null without tests). */
  minAdjustedP: number | null;
  conclusion: Bilingual;
}

export interface FairnessReport {
  params: {
    machines: FairnessScopeSpec[];
    from: number | null;
    to: number | null;
    seed: number;
    permutations: number;
    nullSimulations: number;
    powerSimulations: number;
    ljungBoxLags: number;
    alpha: number;
    targetPower: number;
  };
  /** Holm is applied per scope: each scope answers its own question ("is 3호기 fair?"). */
  correction: string;
  scopes: FairnessScope[];
}

export const FAIRNESS_ALPHA = 0.05;
export const FAIRNESS_TARGET_POWER = 0.8;
/** Below this many draws a scope is reported as untestable. */
export const FAIRNESS_MIN_DRAWS = 30;
