/**
 * Fairness report: do the draws (all together, and each machine's) look like fair,
 * independent 6-of-45 draws without replacement? Every test gives a p-value, Holm's
 * correction is applied across the tests of each scope, and each test states the
 * smallest effect it could have detected at that scope's sample size.
 */
import type { Draw } from '../draw.js';
import { formatMachine } from '../machine.js';
import { holm } from '../inference/multiple.js';
import { formatP, validateFairnessOptions } from './options.js';
import { machinesDifferTest, round, sequenceTests, type ScopeConfig, type TestDraft } from './tests.js';
import { FAIRNESS_ALPHA, FAIRNESS_MIN_DRAWS, FAIRNESS_TARGET_POWER, type Bilingual, type FairnessOptions, type FairnessReport, type FairnessScope, type FairnessScopeSpec, type FairnessTestResult } from './types.js';

export { formatP, validateFairnessOptions };
export * from './types.js';

function scopeLabel(m: FairnessScopeSpec): Bilingual {
  return m === 'all' ? { ko: '전체 호기', en: 'all machines together' } : { ko: formatMachine(m), en: `${formatMachine(m)} (machine ${m})` };
}

function finishTests(drafts: TestDraft[], draws: number): FairnessTestResult[] {
  const adjusted = holm(drafts.map((d) => d.pValue));
  return drafts.map((d, i) => {
    const adj = adjusted[i];
    const found = adj <= FAIRNESS_ALPHA;
    const pText = `p = ${formatP(d.pValue)}, Holm-adjusted ${formatP(adj)}`;
    const pTextKo = `p = ${formatP(d.pValue)}, Holm 보정 ${formatP(adj)}`;
    const pw = d.power;
    const eff = pw.detectableEffect !== null ? d.effectText(pw.detectableEffect) : d.effectText(pw.maxEffectTried);
    const powerEn =
      pw.detectableEffect !== null
        ? `with ${draws} draws this test would detect ${eff.en} (80% power, α = 0.05)`
        : `with ${draws} draws this test could not reliably detect even ${eff.en}`;
    const powerKo =
      pw.detectableEffect !== null
        ? `${draws}회 표본으로 이 검정은 ${eff.ko} 정도를 검출할 수 있습니다 (검정력 80%, α = 0.05)`
        : `${draws}회 표본으로는 ${eff.ko} 정도도 확실히 검출하지 못합니다`;
    const conclusion: Bilingual = found
      ? { en: `Evidence of ${d.what.en} (${pText}); ${powerEn}.`, ko: `${d.what.ko}의 증거가 있습니다 (${pTextKo}). ${powerKo}.` }
      : { en: `No evidence of ${d.what.en} (${pText}); ${powerEn}.`, ko: `${d.what.ko}의 증거는 없습니다 (${pTextKo}). ${powerKo}.` };
    return {
      test: d.test,
      name: d.name,
      statistic: d.statistic,
      df: d.df,
      pValue: d.pValue,
      adjustedP: adj,
      pMethod: d.pMethod,
      power: d.power,
      conclusion,
      details: d.details,
    };
  });
}

function scopeConclusion(label: Bilingual, draws: number, from: number | null, to: number | null, tests: FairnessTestResult[]): Bilingual {
  const freq = tests.find((t) => t.test === 'frequency');
  const minAdj = Math.min(...tests.map((t) => t.adjustedP));
  const flagged = tests.filter((t) => t.adjustedP <= FAIRNESS_ALPHA);
  const range = from !== null ? ` (rounds ${from}–${to})` : '';
  const rangeKo = from !== null ? ` (${from}~${to}회)` : '';
  const detect =
    freq && freq.power.detectableEffect !== null
      ? {
          en: `; with ${draws} draws the frequency test could detect a number drawn ≥ ${round(freq.power.detectableEffect, 2)}× as often as fair`,
          ko: `. ${draws}회 표본으로 빈도 검정은 한 번호가 공정한 경우의 ${round(freq.power.detectableEffect, 2)}배 이상 나올 때 검출할 수 있습니다`,
        }
      : { en: '', ko: '' };
  if (flagged.length === 0) {
    return {
      en: `No evidence that ${label.en} differ${label.en.startsWith('all') ? '' : 's'} from a fair draw: smallest Holm-adjusted p = ${formatP(minAdj)} over ${tests.length} tests, ${draws} draws${range}${detect.en}.`,
      ko: `${label.ko}가 공정한 추첨과 다르다는 증거는 없습니다: ${tests.length}개 검정 중 가장 작은 Holm 보정 p = ${formatP(minAdj)}, ${draws}회${rangeKo}${detect.ko}.`,
    };
  }
  const names = flagged.map((t) => `${t.test} (Holm-adjusted p = ${formatP(t.adjustedP)})`).join(', ');
  return {
    en: `Evidence that ${label.en} depart${label.en.startsWith('all') ? '' : 's'} from a fair draw in: ${names}; ${draws} draws${range}. A significant test says the data are unlikely under fairness, not how large or useful the bias is.`,
    ko: `${label.ko}가 공정한 추첨에서 벗어난다는 증거가 있습니다: ${names}; ${draws}회${rangeKo}. 유의하다는 것은 공정하다는 가정 아래 드문 결과라는 뜻이지, 편향이 크거나 예측에 쓸모 있다는 뜻은 아닙니다.`,
  };
}

/**
 * Fairness tests for each requested scope. `draws` may be in any order and may hold
 * rounds outside [from, to]; scopes use the draws of their machine in round order
 * ('all' uses every draw in range, labelled or not; the machines-differ test only
 * labelled ones). Pure and reproducible from `seed`.
 */
export function fairnessReport(draws: readonly Draw[], options: FairnessOptions): FairnessReport {
  const o = validateFairnessOptions(options);
  const inRange = draws
    .filter((d) => (o.from === null || d.round >= o.from) && (o.to === null || d.round <= o.to))
    .slice()
    .sort((a, b) => a.round - b.round);
  const cfg: ScopeConfig = { seed: o.seed, nullSimulations: o.nullSimulations, powerSimulations: o.powerSimulations, permutations: o.permutations, lags: o.ljungBoxLags };
  const scopes: FairnessScope[] = o.machines.map((m) => {
    const scopeDraws = m === 'all' ? inRange : inRange.filter((d) => d.machine === m);
    const label = scopeLabel(m);
    const D = scopeDraws.length;
    const fromRound = D > 0 ? scopeDraws[0].round : null;
    const toRound = D > 0 ? scopeDraws[D - 1].round : null;
    const scope = (tests: FairnessTestResult[], minAdjustedP: number | null, conclusion: Bilingual): FairnessScope => ({ machine: m, label, draws: D, fromRound, toRound, tests, minAdjustedP, conclusion });
    if (D < FAIRNESS_MIN_DRAWS) {
      return scope([], null, {
        en: `Too few draws for ${label.en} (${D}; at least ${FAIRNESS_MIN_DRAWS} needed) to test fairness.`,
        ko: `${label.ko}의 회차 수가 너무 적어 (${D}회, 최소 ${FAIRNESS_MIN_DRAWS}회 필요) 공정성을 검정할 수 없습니다.`,
      });
    }
    const drafts = sequenceTests(scopeDraws, cfg, `scope:${m}`);
    if (m === 'all') {
      const machineTest = machinesDifferTest(
        scopeDraws.filter((d) => d.machine !== null),
        cfg,
      );
      if (machineTest) drafts.push(machineTest);
    }
    const tests = finishTests(drafts, D);
    return scope(tests, Math.min(...tests.map((t) => t.adjustedP)), scopeConclusion(label, D, fromRound, toRound, tests));
  });
  return {
    params: {
      machines: [...o.machines],
      from: o.from,
      to: o.to,
      seed: o.seed,
      permutations: o.permutations,
      nullSimulations: o.nullSimulations,
      powerSimulations: o.powerSimulations,
      ljungBoxLags: o.ljungBoxLags,
      alpha: FAIRNESS_ALPHA,
      targetPower: FAIRNESS_TARGET_POWER,
    },
    correction: 'Holm across the tests of each scope (each machine, and all machines together, is its own family).',
    scopes,
  };
}
