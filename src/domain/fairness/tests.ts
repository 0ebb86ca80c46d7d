// The fairness tests of one scope: the five single-sequence tests and the machines-differ permutation test, each with its simulated null and its power. Pure.
import type { Draw } from '../draw.js';
import { NUMBERS_PER_DRAW } from '../draw.js';
import { formatMachine } from '../machine.js';
import { Random } from '../random.js';
import { smallestDetectableEffect } from './power.js';
import { DrawSampler, repeatRatio, sampleFairDraws, sampleNumberBiasedDraws, samplePairBiasedDraws, sampleRepeatBiasedDraws } from './sampling.js';
import { subSeed } from './seeds.js';
import { drawSums, FAIR_SUM_MEDIAN, frequencyChiSquare, gapBinProbabilities, gapChiSquare, GAP_BIN_UPPER, groupNumberChiSquare, ljungBox, numberCounts, pairsChiSquare, runsTest } from './statistics.js';
import { FAIRNESS_ALPHA, FAIRNESS_TARGET_POWER, type Bilingual, type FairnessPower, type FairnessTestId, type FairnessTestResult } from './types.js';

const K = NUMBERS_PER_DRAW;

const ONE: readonly number[] = [1];
const NO_FORCED: readonly number[] = [];

function flatten(draws: readonly Draw[]): Uint8Array {
  const out = new Uint8Array(draws.length * K);
  draws.forEach((d, i) => d.numbers.forEach((n, j) => (out[i * K + j] = n)));
  return out;
}

function simulatedP(observed: number, nulls: Float64Array): number {
  let ge = 0;
  for (const v of nulls) if (v >= observed) ge++;
  return (1 + ge) / (1 + nulls.length);
}

/** Upper α critical value of a simulated null. */
function criticalValue(nulls: Float64Array, alpha: number): number {
  const s = Float64Array.from(nulls).sort();
  return s[Math.min(s.length - 1, Math.ceil((1 - alpha) * s.length) - 1)];
}


export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** AR(1) series with lag-1 autocorrelation rho and unit variance: the effect model for the sum tests. */
function ar1(random: Random, n: number, rho: number): Float64Array {
  const x = new Float64Array(n);
  const s = Math.sqrt(1 - rho * rho);
  x[0] = random.nextNormal();
  for (let t = 1; t < n; t++) x[t] = rho * x[t - 1] + s * random.nextNormal();
  return x;
}

export interface TestDraft {
  test: FairnessTestId;
  name: string;
  what: Bilingual;
  statistic: number;
  df: number | null;
  pValue: number;
  pMethod: FairnessTestResult['pMethod'];
  power: FairnessPower;
  effectText: (e: number) => Bilingual;
  details: FairnessTestResult['details'];
}

function power(effectModel: string, effectUnit: FairnessPower['effectUnit'], r: ReturnType<typeof smallestDetectableEffect>): FairnessPower {
  return {
    effectModel,
    effectUnit,
    detectableEffect: r.effect,
    maxEffectTried: r.hi,
    power: r.power,
    simulations: r.simulations,
    alpha: FAIRNESS_ALPHA,
    targetPower: FAIRNESS_TARGET_POWER,
  };
}

const ratioText = (kindEn: string, kindKo: string) => (r: number): Bilingual => ({
  en: `${kindEn} ${round(r, 2)}× as often as fair`,
  ko: `${kindKo} 공정한 경우의 ${round(r, 2)}배`,
});

export interface ScopeConfig {
  seed: number;
  nullSimulations: number;
  powerSimulations: number;
  permutations: number;
  lags: number;
}

/** The five single-sequence tests on one scope's draws (in round order). */
export function sequenceTests(scopeDraws: readonly Draw[], cfg: ScopeConfig, tag: string): TestDraft[] {
  const D = scopeDraws.length;
  const numbers = flatten(scopeDraws);
  const alpha = FAIRNESS_ALPHA;
  const sims = cfg.powerSimulations;
  const pairScratch = new Int32Array(45 * 45);
  const gapProbs = gapBinProbabilities();

  // Fair null simulations calibrate the pair and gap statistics.
  const nullRandom = new Random(subSeed(cfg.seed, `${tag}:null`));
  const pairNull = new Float64Array(cfg.nullSimulations);
  const gapNull = new Float64Array(cfg.nullSimulations);
  for (let s = 0; s < cfg.nullSimulations; s++) {
    const sim = sampleFairDraws(nullRandom, D);
    pairNull[s] = pairsChiSquare(sim, pairScratch);
    gapNull[s] = gapChiSquare(sim, gapProbs).statistic;
  }
  const pairCrit = criticalValue(pairNull, alpha);
  const gapCrit = criticalValue(gapNull, alpha);

  // Frequencies.
  const freq = frequencyChiSquare(numbers);
  const counts = numberCounts(numbers);
  let maxN = 0;
  let minN = 0;
  for (let i = 1; i < 45; i++) {
    if (counts[i] > counts[maxN]) maxN = i;
    if (counts[i] < counts[minN]) minN = i;
  }
  const freqPower = smallestDetectableEffect((rnd, r) => frequencyChiSquare(sampleNumberBiasedDraws(rnd, D, 1, r)).pValue < alpha, {
    lo: 1,
    hi: 4,
    seed: subSeed(cfg.seed, `${tag}:power:frequency`),
    simulations: sims,
  });

  // Pairs.
  const pairStat = pairsChiSquare(numbers, pairScratch);
  const pairPower = smallestDetectableEffect((rnd, r) => pairsChiSquare(samplePairBiasedDraws(rnd, D, 1, 2, r), pairScratch) > pairCrit, {
    lo: 1,
    hi: 30,
    seed: subSeed(cfg.seed, `${tag}:power:pairs`),
    simulations: sims,
  });

  // Gaps.
  const gaps = gapChiSquare(numbers, gapProbs);
  const gapPowerEps = smallestDetectableEffect((rnd, eps) => gapChiSquare(sampleRepeatBiasedDraws(rnd, D, eps), gapProbs).statistic > gapCrit, {
    lo: 0,
    hi: 1,
    seed: subSeed(cfg.seed, `${tag}:power:gaps`),
    simulations: sims,
  });
  const gapPower = {
    ...gapPowerEps,
    effect: gapPowerEps.effect === null ? null : repeatRatio(gapPowerEps.effect),
    hi: repeatRatio(gapPowerEps.hi),
  };

  // Sums: runs and autocorrelation.
  const sums = drawSums(numbers);
  const runs = runsTest(sums, FAIR_SUM_MEDIAN);
  const lags = Math.min(cfg.lags, D - 1);
  const lb = ljungBox(sums, lags);
  const runsPower = smallestDetectableEffect((rnd, rho) => runsTest(ar1(rnd, D, rho), 0).pValue < alpha, {
    lo: 0,
    hi: 0.9,
    seed: subSeed(cfg.seed, `${tag}:power:runs`),
    simulations: sims,
  });
  const lbPower = smallestDetectableEffect((rnd, rho) => ljungBox(ar1(rnd, D, rho), lags).pValue < alpha, {
    lo: 0,
    hi: 0.9,
    seed: subSeed(cfg.seed, `${tag}:power:lb`),
    simulations: sims,
  });
  const rhoText = (rho: number): Bilingual => ({
    en: `draw sums with lag-1 autocorrelation ${round(rho, 3)}`,
    ko: `회차 합계의 1차 자기상관 ${round(rho, 3)}`,
  });
  const expected = (D * K) / 45;

  return [
    {
      test: 'frequency',
      name: 'χ² on number frequencies (×44/39, Genest–Lockhart–Stephens)',
      what: { en: 'unequal number frequencies', ko: '번호별 출현 빈도 불균형' },
      statistic: freq.statistic,
      df: freq.df,
      pValue: freq.pValue,
      pMethod: 'chi-square',
      power: power('one number forced into the draw with probability ε, otherwise fair; effect = its frequency / 6/45', 'ratio', freqPower),
      effectText: ratioText('a number drawn', '한 번호가'),
      details: {
        rawStatistic: freq.raw,
        expectedPerNumber: expected,
        mostDrawn: maxN + 1,
        mostDrawnCount: counts[maxN],
        leastDrawn: minN + 1,
        leastDrawnCount: counts[minN],
      },
    },
    {
      test: 'pairs',
      name: 'χ² on the 990 pairs drawn together (simulation-calibrated)',
      what: { en: 'pairs drawn together unusually often or rarely', ko: '번호 쌍의 동반 출현 불균형' },
      statistic: pairStat,
      df: null,
      pValue: simulatedP(pairStat, pairNull),
      pMethod: 'simulation',
      power: power('one pair forced in together with probability ε, otherwise fair; effect = its co-draw frequency / (1/66)', 'ratio', pairPower),
      effectText: ratioText('one pair drawn together', '한 쌍이 함께 나오는 빈도가'),
      details: { expectedPerPair: D / 66, nullSimulations: cfg.nullSimulations, nullMean: mean(pairNull), nominalDf: 989 },
    },
    {
      test: 'gaps',
      name: 'Gap test, geometric(6/45) gaps pooled over the 45 numbers (simulation-calibrated)',
      what: { en: 'gaps between appearances that do not follow the geometric law', ko: '번호 재출현 간격의 기하분포 이탈' },
      statistic: gaps.statistic,
      df: null,
      pValue: simulatedP(gaps.statistic, gapNull),
      pMethod: 'simulation',
      power: power(
        'with probability ε one number of the previous draw is forced into the next, otherwise fair; effect = how often a just-drawn number returns next draw / 6/45',
        'ratio',
        gapPower,
      ),
      effectText: ratioText('a just-drawn number returning next draw', '직전 회차 번호가 다음 회차에 다시 나오는 빈도가'),
      details: {
        gaps: gaps.gaps,
        binUpperBounds: GAP_BIN_UPPER.map((u) => (u === Infinity ? -1 : u)),
        observed: gaps.observed,
        expected: gapProbs.map((p) => round(p * gaps.gaps, 2)),
        nominalDf: GAP_BIN_UPPER.length - 1,
        nullSimulations: cfg.nullSimulations,
      },
    },
    {
      test: 'runs',
      name: 'Runs test on draw sums above/below 138',
      what: { en: 'clustering or alternation of high and low draw sums', ko: '회차 합계의 높고 낮음이 몰리거나 번갈아 나타나는 현상' },
      statistic: runs.z,
      df: null,
      pValue: runs.pValue,
      pMethod: 'normal',
      power: power('draw sums as an AR(1) series with lag-1 autocorrelation ρ', 'rho', runsPower),
      effectText: rhoText,
      details: { runs: runs.runs, expectedRuns: runs.expectedRuns, above: runs.above, below: runs.below, median: FAIR_SUM_MEDIAN },
    },
    {
      test: 'autocorrelation',
      name: `Ljung–Box on draw sums, lags 1..${lags}`,
      what: { en: 'autocorrelation in the draw sums', ko: '회차 합계의 자기상관' },
      statistic: lb.statistic,
      df: lags,
      pValue: lb.pValue,
      pMethod: 'chi-square',
      power: power('draw sums as an AR(1) series with lag-1 autocorrelation ρ', 'rho', lbPower),
      effectText: rhoText,
      details: { autocorrelations: lb.autocorrelations.map((r) => round(r, 4)) },
    },
  ];
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length > 0 ? s / a.length : Number.NaN;
}

/** Permutation test of "the machines draw alike" on the machine × number table. */
export function machinesDifferTest(labelled: readonly Draw[], cfg: ScopeConfig): TestDraft | null {
  const machines = [...new Set(labelled.map((d) => d.machine as number))].sort((a, b) => a - b);
  if (machines.length < 2) return null;
  const numbers = flatten(labelled);
  const labels = Int32Array.from(labelled.map((d) => machines.indexOf(d.machine as number)));
  const g = machines.length;
  const scratch = new Int32Array(g * 45);
  const observed = groupNumberChiSquare(numbers, labels, g, scratch);
  const permRandom = new Random(subSeed(cfg.seed, 'machines:perm'));
  const shuffled = Int32Array.from(labels);
  let ge = 0;
  for (let p = 0; p < cfg.permutations; p++) {
    permRandom.shuffle(shuffled);
    if (groupNumberChiSquare(numbers, shuffled, g, scratch) >= observed) ge++;
  }
  const pValue = (1 + ge) / (1 + cfg.permutations);

  // Power: fair machines of the real sizes give the null; then the smallest machine gets one biased number.
  const sizes = machines.map((_, i) => labels.filter((l) => l === i).length);
  const smallest = sizes.indexOf(Math.min(...sizes));
  const simLabels = new Int32Array(labelled.length);
  {
    let o = 0;
    sizes.forEach((n, i) => simLabels.fill(i, o, (o += n)));
  }
  const nullRandom = new Random(subSeed(cfg.seed, 'machines:null'));
  const nulls = new Float64Array(cfg.nullSimulations);
  for (let s = 0; s < cfg.nullSimulations; s++) nulls[s] = groupNumberChiSquare(sampleFairDraws(nullRandom, labelled.length), simLabels, g, scratch);
  const crit = criticalValue(nulls, FAIRNESS_ALPHA);
  const sim = new Uint8Array(labelled.length * K);
  const pw = smallestDetectableEffect(
    (rnd, r) => {
      const p = 6 / 45;
      const eps = ((r - 1) * p) / (1 - p);
      const sampler = new DrawSampler(rnd);
      for (let d = 0; d < labelled.length; d++) {
        const biased = simLabels[d] === smallest && sampler.nextFloat() < eps;
        sampler.draw(sim, d * K, biased ? ONE : NO_FORCED);
      }
      return groupNumberChiSquare(sim, simLabels, g, scratch) > crit;
    },
    { lo: 1, hi: 4, seed: subSeed(cfg.seed, 'machines:power'), simulations: cfg.powerSimulations },
  );
  const smallName = formatMachine(machines[smallest]);
  return {
    test: 'machines_differ',
    name: 'Machines differ? χ² of the machine × number table, machine labels permuted',
    what: { en: 'the machines drawing numbers differently', ko: '호기별 번호 분포 차이' },
    statistic: observed,
    df: null,
    pValue,
    pMethod: 'permutation',
    power: power(
      `${smallName} (the machine with the fewest draws, ${sizes[smallest]}) draws one number with the forced-in model, the others fair; effect = that number's frequency on ${smallName} / 6/45`,
      'ratio',
      pw,
    ),
    effectText: ratioText(`a number drawn on ${smallName}`, `${smallName}에서 한 번호가`),
    details: {
      machines: machines,
      drawsPerMachine: sizes,
      permutations: cfg.permutations,
      nominalDf: (g - 1) * 44,
    },
  };
}
