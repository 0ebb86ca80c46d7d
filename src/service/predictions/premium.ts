/**
 * The premium policy: premium combines with the method the latest completed backtest ranked
 * best (lowest mean log-loss), and with weighted voting, saying why, when no backtest has
 * ranked the methods or the best one (stacking) is not trained yet.
 */
import type { Localized } from '../../strategies/machineStrategies.js';
import type { CombinationMethod } from '../combining/combine.js';
import { tr } from './explanations.js';

export interface MethodRanking {
  method: CombinationMethod;
  source: string;
}

export interface PremiumChoice {
  method: CombinationMethod;
  /** Why premium uses this method, in both languages. */
  reason: Localized;
}

export function premiumMethod(ranked: MethodRanking | null, stackingTrained: boolean): PremiumChoice {
  if (!ranked) {
    return {
      method: 'weighted_voting',
      reason: tr(
        '결합 방식을 채점한 완료된 백테스트가 아직 없어 프리미엄은 가중 투표를 사용합니다 (hogi backtest가 완료되면 로그손실 1위 방식을 사용).',
        'no backtest has ranked the combination methods yet (no completed `hogi backtest` scored them), so premium uses weighted voting (once one has, premium uses the method with the lowest log-loss).',
      ),
    };
  }
  if (ranked.method === 'stacking' && !stackingTrained) {
    return {
      method: 'weighted_voting',
      reason: tr(
        `백테스트 1위는 스태킹(${ranked.source})이지만 아직 학습되지 않아 가중 투표를 사용합니다 (hogi train --stacking).`,
        `the backtest ranks stacking best (${ranked.source}) but it is not trained yet, so premium uses weighted voting (run \`hogi train --stacking\`).`,
      ),
    };
  }
  return {
    method: ranked.method,
    reason: tr(`백테스트 1위 결합 방식: ${ranked.method} (${ranked.source})`, `best-ranked combination method in the backtest: ${ranked.method} (${ranked.source})`),
  };
}
