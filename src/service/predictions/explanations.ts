/**
 * The words of a prediction, in Korean and English: how each machine's vector was combined,
 * fallbacks, why premium chose its method, avoid_sharing, and the differentiation claim. The
 * service picks the asker's language when it builds the answer (the stored answer keeps that
 * text: GET returns it as it was given).
 */
import { formatMachine } from '../../domain/machine.js';
import type { Localized } from '../../strategies/machineStrategies.js';
import { SHARING_BOUND, SHARING_TILT, SHARING_TRIES } from '../popularity/sharing.js';
import type { Algorithm, MachineCombination } from '../combining/combine.js';

export const tr = (ko: string, en: string): Localized => ({ ko, en });

/** How avoid_sharing trades the model vector against sharing, said in every such set's explanation. */
export const SHARING_EXPLANATION: Localized = {
  ko: `공유 회피: 후보는 모델 벡터에 다른 사람이 덜 고르는 번호 쪽으로 기울인 가중치(번호별 인기도 항 × ${SHARING_TILT})로 뽑고, 기계 규칙과 고정·제외 번호를 지키면서 1~3등 예상 공동당첨 비율(인기도 모델, 평균 조합 = 1)이 모두 ${SHARING_BOUND} 이하인 조합만 남긴 뒤, 그 안에서 모델 벡터 점수로 고릅니다. 당첨 확률은 그대로이며, 당첨 시 나눌 사람이 적을 것으로 예상될 뿐입니다.`,
  en: `avoid_sharing: candidates are drawn from the model vector leaned toward numbers others pick less (each number's popularity term × ${SHARING_TILT}); among those meeting the machine's rules and the fixed/excluded numbers, only sets with a predicted co-winner ratio ≤ ${SHARING_BOUND} in tiers 1–3 (popularity model, average combination = 1) are kept, and the model vector ranks those. The chance of winning is unchanged; fewer winners are expected to share the prize if it wins.`,
};

/** Why avoid_sharing found too few sets. */
export const SHARING_REFUSAL: Localized = tr(
  `공유 회피: ${SHARING_TRIES}개 후보 중 규칙을 지키면서 1~3등 예상 공동당첨 비율이 모두 ${SHARING_BOUND} 이하인 조합을 찾지 못했습니다. 고정·제외 번호를 줄이거나 개수를 줄이세요.`,
  `avoid_sharing: none of ${SHARING_TRIES} candidate sets that meet the rules had a predicted co-winner ratio ≤ ${SHARING_BOUND} in tiers 1, 2 and 3. Fix or exclude fewer numbers, or ask for fewer sets.`,
);

/** A fallback note as an explanation line. */
export const fallbackLine = (note: Localized): Localized => tr(`대체: ${note.ko}`, `fallback: ${note.en}`);

/** What the differentiation score is measured against. */
export const DIFFERENTIATION_CLAIM: Localized = tr('설계 문서는 70% 이상을 주장합니다. 이 값은 이번 요청에서 측정한 값입니다.', 'The design claims 70%+; this is the value measured on this response.');

/** The first explanation line of every set of a machine: how its vector was made. */
export function combinationLine(c: MachineCombination, algorithm: Algorithm): Localized {
  const m = formatMachine(c.machine);
  if (c.methodUsed === 'frequency_baseline') {
    const what = tr(`${m} 최근 ${c.windowDraws}회 출현 빈도(+1 평활)`, `frequencies over the last ${c.windowDraws} draws of ${m} (+1 smoothing)`);
    return algorithm === 'basic' ? tr(`기본 통계: ${what.ko}`, `basic statistics: ${what.en}`) : tr(`대체 기준선: ${what.ko}`, `fallback baseline: ${what.en}`);
  }
  const w = c.weights;
  const weightsText = (ko: boolean) =>
    [w?.transformer !== undefined ? `Transformer ${w.transformer.toFixed(2)}` : null, w?.ensemble !== undefined ? `${ko ? '앙상블' : 'ensemble'} ${w.ensemble.toFixed(2)}` : null]
      .filter(Boolean)
      .join(' + ');
  if (c.methodUsed === 'stacking') {
    const k = c.stackingCoefficients!;
    return tr(
      `스태킹 메타 모델 (워크포워드 학습, 계수 Transformer ${k.transformer.toFixed(3)}, 앙상블 ${k.ensemble.toFixed(3)})`,
      `stacking meta-model (walk-forward trained; coefficients Transformer ${k.transformer.toFixed(3)}, ensemble ${k.ensemble.toFixed(3)})`,
    );
  }
  if (c.methodUsed === 'blending') {
    const basis = c.blendingScoredDraws
      ? tr(`최근 채점 ${c.blendingScoredDraws}회의 로그우도 기준`, `from the log-likelihood of the last ${c.blendingScoredDraws} scored draws`)
      : tr('채점된 회차가 10회 미만이라 기본값', 'default until 10 draws are scored');
    return tr(`블렌딩: ${weightsText(true)} (${basis.ko})`, `blending: ${weightsText(false)} (${basis.en})`);
  }
  return tr(`가중 투표: ${weightsText(true)}`, `weighted voting: ${weightsText(false)}`);
}
