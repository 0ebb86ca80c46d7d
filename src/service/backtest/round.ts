/**
 * One backtest round: every method's tickets for draw t and their scores, through the
 * product's own code paths.
 *
 * The two families' forecasts for t (from the block's models) are put into a one-round
 * CombinationSnapshot holding only the draws before t, and `combineMachine` (the service's
 * combination: baseline, weighted voting, stacking, blending, with its fallbacks) runs on it
 * exactly as for a user request. Stacking is the combiner fitted on this backtest's earlier
 * rounds; blending reads this backtest's earlier per-draw log-likelihoods of the machine.
 *
 * Tickets:
 *  - `random`: N independent uniform 6-of-45 tickets.
 *  - vector methods (`frequency_baseline`, `transformer`, `ensemble`, `weighted_voting`,
 *    `stacking`, `blending`): `generateSets` with the neutral strategy, i.e. sampled in
 *    proportion to the vector, at most 3 numbers shared by any two tickets.
 *  - `strategy_M` (only for rounds drawn on M): the product's default path for machine M:
 *    weighted voting, then M's strategy (reweighting, hard rules, soft preferences) and its
 *    set generator. Its stored vector is the strategy's reweighted one (what the tickets were
 *    drawn from).
 */
import { NotTrainedError, type StackingCombiner } from '../../combination/stacking.js';
import { normalizeToSix } from '../../combination/normalize.js';
import type { BacktestResultRow } from '../../data/backtestsRepo.js';
import type { Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import { Random } from '../../domain/random.js';
import { binaryLogLoss, brierScore } from '../../models/metrics.js';
import { neutralStrategy, strategyFor } from '../../strategies/machineStrategies.js';
import type { MachineStrategy } from '../../strategies/machineStrategies.js';
import { generateSets } from '../../strategies/sets.js';
import type { PercentileTable } from '../../strategies/percentile.js';
import type { ModelFamily } from '../../models/families.js';
import { combineMachine, DEFAULT_VOTING_WEIGHTS, MEMBER_ORDER, type BlendingHistorySource, type CombinationSpec, type MachineCombination } from '../combining/combine.js';
import { Memo, type CombinationSnapshot, type FamilyVector } from '../combining/snapshot.js';
import type { ConfigName } from '../registry.js';
import type { BacktestMethod, FamilyForecast, RoundForecast } from './types.js';

export type RoundResult = Omit<BacktestResultRow, 'backtestId'>;

export interface RoundInput {
  /** The draw being predicted (its machine is the round's machine). */
  target: Draw & { machine: Machine };
  /** Every draw before the target, oldest first. */
  before: readonly Draw[];
  forecast: RoundForecast | null;
  methods: readonly BacktestMethod[];
  sets: number;
  seed: number;
  window: number;
  config: ConfigName;
  /** Fitted on earlier rounds of this backtest only; null until enough exist. */
  stacking: StackingCombiner | null;
  blending: BlendingHistorySource;
}

/** A stable 32-bit seed per (run seed, round, method), so each is reproducible on its own. */
export function methodSeed(seed: number, round: number, method: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${round}:${method}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** N independent uniform tickets (sorted numbers). */
export function randomTickets(count: number, seed: number): number[][] {
  const rng = new Random(seed);
  const out: number[][] = [];
  for (let k = 0; k < count; k++) out.push(Array.from(rng.sampleIndices(45, 6), (i) => i + 1).sort((a, b) => a - b));
  return out;
}

function familyVector(family: ModelFamily, machine: Machine, config: ConfigName, f: FamilyForecast | undefined): FamilyVector {
  if (!f || !f.vector) return { family, status: 'failed', vector: null, model: null, reason: f?.error ?? 'no forecast', source: null };
  return {
    family,
    status: 'ok',
    vector: Float64Array.from(f.vector),
    model: {
      key: `backtest-${family}-${machine}-${config}`,
      family,
      machine,
      config,
      createdAt: '',
      dataHash: '',
      trainedThroughRound: f.trainedThroughRound ?? 0,
      features: [],
    },
    reason: null,
    source: 'computed',
  };
}

/** What the combination reads, holding only what was known before the target draw. */
export function roundSnapshot(input: Pick<RoundInput, 'target' | 'before' | 'forecast' | 'stacking' | 'config'>): CombinationSnapshot {
  const m = input.target.machine;
  return {
    draws: [...input.before],
    machines: new Map([
      [
        m,
        {
          machine: m,
          transformer: familyVector('transformer', m, input.config, input.forecast?.transformer),
          ensemble: familyVector('ensemble', m, input.config, input.forecast?.ensemble),
        },
      ],
    ]),
    stacking: { combiner: input.stacking },
    memo: new Memo(),
  };
}

function score(target: Draw, tickets: number[][], probabilities: ArrayLike<number> | null) {
  const drawn = new Set(target.numbers);
  return {
    matches: tickets.map((t) => t.filter((n) => drawn.has(n)).length),
    bonus: tickets.map((t) => t.includes(target.bonus)),
    logLoss: probabilities ? binaryLogLoss(probabilities, target.numbers) : null,
    brier: probabilities ? brierScore(probabilities, target.numbers) : null,
  };
}

function detailOf(c: MachineCombination): Record<string, unknown> {
  return {
    method_used: c.methodUsed,
    fallback: c.fallback,
    notes: c.notes.map((n) => n.en),
    weights: c.weights,
    stacking_coefficients: c.stackingCoefficients,
    blending_scored_draws: c.blendingScoredDraws,
  };
}

/** Every requested method's row for one round (methods that cannot run that round give no row). */
export function scoreRound(input: RoundInput): RoundResult[] {
  const { target, sets: count } = input;
  const machine = target.machine;
  const snapshot = roundSnapshot(input);
  const spec = (algorithm: CombinationSpec['algorithm'], method: CombinationSpec['method']): CombinationSpec => ({
    algorithm,
    method,
    members: MEMBER_ORDER,
    window: input.window,
    votingWeights: DEFAULT_VOTING_WEIGHTS,
  });
  const trained = {
    transformer: input.forecast?.transformer.trainedThroughRound ?? null,
    ensemble: input.forecast?.ensemble.trainedThroughRound ?? null,
  };
  const rows: RoundResult[] = [];
  const push = (method: BacktestMethod, tickets: number[][], probabilities: ArrayLike<number> | null, detail: Record<string, unknown> | null) => {
    const s = score(target, tickets, probabilities);
    rows.push({
      round: target.round,
      machine,
      method,
      sets: tickets,
      matches: s.matches,
      bonus: s.bonus,
      probabilities: probabilities ? Array.from(probabilities) : null,
      logLoss: s.logLoss,
      brier: s.brier,
      detail,
    });
  };
  const ticketsFrom = (p: ArrayLike<number>, method: BacktestMethod, strategy: MachineStrategy = neutralStrategy, extra: { table?: PercentileTable; frequencies?: ArrayLike<number> } = {}) => {
    const plan = strategy.plan(p, { frequencies: extra.frequencies });
    const g = generateSets({
      probabilities: p,
      strategy,
      context: { frequencies: extra.frequencies },
      plan,
      count,
      seed: methodSeed(input.seed, target.round, method),
      percentileTable: extra.table,
      allowFewer: true,
      lang: 'en',
    });
    return { tickets: g.sets.map((s) => s.numbers), plan };
  };

  for (const method of input.methods) {
    if (method === 'random') {
      push(method, randomTickets(count, methodSeed(input.seed, target.round, method)), null, null);
    } else if (method === 'frequency_baseline') {
      const c = combineMachine(snapshot, machine, spec('basic', 'weighted_voting'), input.blending);
      push(method, ticketsFrom(c.probabilities, method, neutralStrategy, { table: c.table }).tickets, c.probabilities, { window_draws: c.windowDraws });
    } else if (method === 'transformer' || method === 'ensemble') {
      const f = input.forecast?.[method];
      if (!f?.vector) continue;
      const p = normalizeToSix(f.vector);
      push(method, ticketsFrom(p, method).tickets, p, { trained_through_round: f.trainedThroughRound });
    } else if (method === 'weighted_voting' || method === 'stacking' || method === 'blending') {
      let c: MachineCombination;
      try {
        c = combineMachine(snapshot, machine, spec('enhanced', method), input.blending);
      } catch (e) {
        if (e instanceof NotTrainedError) continue; // too few earlier rounds to fit stacking yet
        throw e;
      }
      push(method, ticketsFrom(c.probabilities, method, neutralStrategy, { table: c.table }).tickets, c.probabilities, { ...detailOf(c), trained_through_round: trained });
    } else if (method === `strategy_${machine}`) {
      const c = combineMachine(snapshot, machine, spec('enhanced', 'weighted_voting'), input.blending);
      const strategy = strategyFor(machine);
      const { tickets, plan } = ticketsFrom(c.probabilities, method, strategy, { table: c.table, frequencies: c.frequencies });
      push(method, tickets, plan.probabilities, { ...detailOf(c), strategy: strategy.id, boosted: plan.boosted, trained_through_round: trained });
    }
  }
  return rows;
}
