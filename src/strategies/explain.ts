// The explanation lines of a generated set (ko/en): the strategy, its rules and preferences, and the model's percentile and expected matches worded as rankings, never as odds. Pure.
import { formatMachine } from '../domain/machine.js';
import { CHANCE_EXPECTED_MATCHES } from '../combination/normalize.js';
import { describeConstraints, type Lang } from './constraints.js';
import type { MachineStrategy } from './machineStrategies.js';
import { TOTAL_COMBINATIONS } from './percentile.js';
import { list } from './text.js';

/** 8,145,060 written once (Intl formatting is slow in a hot path). */
const TOTAL_COMBINATIONS_TEXT = String(TOTAL_COMBINATIONS).replace(/\B(?=(\d{3})+$)/g, ',');

const pct = (x: number) => `${(Math.floor(x * 1000) / 10).toFixed(1)}%`;

/** The explanation lines shared by every set of one call (strategy, reweighting, rules). */
export function explainHead(strategy: MachineStrategy, lang: Lang): string[] {
  const ko = lang === 'ko';
  const out: string[] = [];
  if (strategy.machine === null) {
    out.push(ko ? '호기별 전략 없이 모델 확률에서 추출' : 'drawn from the model probabilities with no machine strategy');
  } else {
    out.push(
      ko
        ? `${formatMachine(strategy.machine)} ${strategy.persona.ko} 전략 (${strategy.id})`
        : `${formatMachine(strategy.machine)} ${strategy.persona.en} strategy (${strategy.id})`,
    );
  }
  if (strategy.reweighting) out.push(ko ? `가중치 조정: ${strategy.reweighting.ko}` : `reweighting: ${strategy.reweighting.en}`);
  const rules = describeConstraints(strategy.constraints, lang);
  if (rules.length) out.push(ko ? `필수 조건: ${rules.join(', ')}` : `rules met: ${rules.join('; ')}`);
  return out;
}

export function explain(
  strategy: MachineStrategy,
  head: readonly string[],
  percentile: number,
  em: number,
  soft: { total: number; parts: Record<string, number> },
  include: readonly number[],
  exclude: readonly number[],
  lang: Lang,
): string[] {
  const ko = lang === 'ko';
  const out: string[] = head.slice();
  const keys = Object.keys(strategy.weights);
  if (keys.length) {
    const parts = keys.map((k) => `${strategy.preferenceLabels[k]?.[lang] ?? k} ${soft.parts[k].toFixed(2)}`).join(', ');
    out.push(ko ? `선호 점수 ${soft.total.toFixed(2)} (${parts})` : `preference score ${soft.total.toFixed(2)} (${parts})`);
  }
  if (include.length) out.push(ko ? `고정 번호 포함: ${list(include)}` : `fixed numbers included: ${list(include)}`);
  if (exclude.length) out.push(ko ? `제외 번호 ${exclude.length}개 제외` : `${exclude.length} excluded number(s) left out`);
  const total = TOTAL_COMBINATIONS_TEXT;
  out.push(
    ko
      ? `모델 백분위 ${pct(percentile)}: 전체 ${total}개 조합 중 ${pct(percentile)}보다 모델 점수가 높음 (순위일 뿐 당첨 확률이 아님)`
      : `model percentile ${pct(percentile)}: scores above ${pct(percentile)} of all ${total} combinations (a ranking, not a chance of winning)`,
  );
  out.push(
    ko
      ? `모델 기대 적중 수 ${em.toFixed(3)}개 (무작위 ${CHANCE_EXPECTED_MATCHES.toFixed(1)}개)`
      : `expected matches under the model ${em.toFixed(3)} (chance ${CHANCE_EXPECTED_MATCHES.toFixed(1)})`,
  );
  return out;
}
