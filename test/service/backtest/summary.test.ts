import { describe, expect, it } from 'vitest';
import type { BacktestResultRow } from '../../../src/data/backtestsRepo.js';
import type { Draw } from '../../../src/domain/draw.js';
import { Random } from '../../../src/domain/random.js';
import { randomTickets } from '../../../src/service/backtest/round.js';
import { computeSummary, rankMethods } from '../../../src/service/backtest/summary.js';
import { bestOfNChance } from '../../../src/domain/inference/index.js';

// Independent reference values: binomial coefficients and the hypergeometric match law by hand.
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
const pMatch = (k: number) => (choose(6, k) * choose(39, 6 - k)) / choose(45, 6);
const UNIFORM_LL = -(6 * Math.log(6 / 45) + 39 * Math.log(39 / 45)) / 45;

const draw = (round: number, numbers: number[], bonus: number, machine = 1): Draw => ({ round, date: '2020-01-01', numbers, bonus, machine, firstPrizeEach: null, firstPrizeWinners: null, totalSales: null });
const draws = [draw(1, [1, 2, 3, 4, 5, 6], 7), draw(2, [10, 11, 12, 13, 14, 15], 16, 2), draw(3, [1, 2, 3, 40, 41, 42], 43)];
const byRound = new Map(draws.map((d) => [d.round, d]));

function row(method: string, round: number, sets: number[][], probabilities: number[] | null = null): BacktestResultRow {
  const d = byRound.get(round)!;
  const drawn = new Set(d.numbers);
  let logLoss: number | null = null;
  let brier: number | null = null;
  if (probabilities) {
    logLoss = 0;
    brier = 0;
    for (let i = 0; i < 45; i++) {
      const y = drawn.has(i + 1) ? 1 : 0;
      logLoss -= (y ? Math.log(probabilities[i]) : Math.log(1 - probabilities[i])) / 45;
      brier += (probabilities[i] - y) ** 2 / 45;
    }
  }
  return { backtestId: 'x', round, machine: d.machine, method, sets, matches: sets.map((s) => s.filter((n) => drawn.has(n)).length), bonus: sets.map((s) => s.includes(d.bonus)), probabilities, logLoss, brier, detail: null };
}

describe('backtest summary', () => {
  // One ticket per round: 6, 0 and 3 matches.
  const ticket = [1, 2, 3, 4, 5, 6];
  const rows = [row('frequency_baseline', 1, [ticket]), row('frequency_baseline', 2, [ticket]), row('frequency_baseline', 3, [ticket])];

  it('counts matches and prize tiers and sets them against the hypergeometric expectation', () => {
    const s = computeSummary(rows, byRound, { seed: 1, sets: 1 });
    const m = s.overall.methods[0];
    expect(m.mean_matches).toBeCloseTo(9 / 3, 12);
    expect(m.chance_mean_matches).toBeCloseTo(0.8, 12);
    const tiers = Object.fromEntries(m.prize_tiers.map((t) => [t.tier, t]));
    expect(tiers[1].count).toBe(1);
    expect(tiers[5].count).toBe(1);
    expect(tiers[4].count).toBe(0);
    expect(tiers[5].expected).toBeCloseTo(3 * pMatch(3), 12);
    expect(tiers[1].expected).toBeCloseTo(3 / choose(45, 6), 18);
    // One 1st prize in 3 tickets: P(X ≥ 1) = 1 − (1 − p)³.
    expect(tiers[1].p_value).toBeCloseTo(1 - (1 - 1 / choose(45, 6)) ** 3, 15);
  });

  it('gives the exact one-sided p-value of the summed matches (checked against a hand convolution)', () => {
    const s = computeSummary(rows, byRound, { seed: 1, sets: 1 });
    // Sum of three independent hypergeometric(45, 6, 6) ≥ 9.
    let p = 0;
    for (let a = 0; a <= 6; a++) for (let b = 0; b <= 6; b++) for (let c = 0; c <= 6; c++) if (a + b + c >= 9) p += pMatch(a) * pMatch(b) * pMatch(c);
    expect(s.overall.methods[0].p_value).toBeCloseTo(p, 12);
  });

  it('adjusts the methods p-values with Holm, leaving the random control out of the family', () => {
    const more = [
      ...rows,
      ...[1, 2, 3].map((r) => row('transformer', r, [[7, 8, 9, 20, 21, 22]])),
      ...[1, 2, 3].map((r) => row('ensemble', r, [[1, 2, 30, 31, 32, 33]])),
      ...[1, 2, 3].map((r) => row('random', r, [[1, 2, 3, 30, 31, 32]])),
    ];
    const s = computeSummary(more, byRound, { seed: 1, sets: 1 });
    const family = s.overall.methods.filter((m) => m.method !== 'random');
    const ps = family.map((m) => m.p_value);
    const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
    const expected = new Array<number>(ps.length);
    let running = 0;
    order.forEach(({ p, i }, k) => {
      running = Math.max(running, Math.min(1, (ps.length - k) * p));
      expected[i] = running;
    });
    family.forEach((m, i) => expect(m.p_value_holm).toBeCloseTo(expected[i], 14));
    expect(s.overall.methods.find((m) => m.method === 'random')!.p_value_holm).toBeNull();
  });

  it('scores the uniform 6/45 vector at exactly the uniform log-loss and Brier', () => {
    const uniform = new Array(45).fill(6 / 45);
    const s = computeSummary([1, 2, 3].map((r) => row('weighted_voting', r, [[20, 21, 22, 23, 24, 25]], uniform)), byRound, { seed: 1, sets: 1 });
    const m = s.overall.methods[0];
    expect(m.log_loss!.mean).toBeCloseTo(UNIFORM_LL, 12);
    expect(m.log_loss!.difference).toBeCloseTo(0, 12);
    expect(m.brier!.mean).toBeCloseTo((6 / 45) * (39 / 45), 12);
    expect(m.calibration!.reduce((n, b) => n + b.count, 0)).toBe(135);
  });

  it('estimates best-of-N chance for more than 10 tickets a round close to the exact value', () => {
    const tickets = randomTickets(12, 99);
    const s = computeSummary([row('blending', 1, tickets)], byRound, { seed: 1, sets: 12 });
    const exact = bestOfNChance(tickets).mean;
    expect(Math.abs(s.overall.methods[0].best_of_n!.chance_mean - exact)).toBeLessThan(0.03);
  });

  it('reports per machine as well as overall', () => {
    const s = computeSummary(rows, byRound, { seed: 1, sets: 1 });
    expect(s.machines.map((m) => [m.scope, m.rounds])).toEqual([
      ['1호기', 2],
      ['2호기', 1],
    ]);
    expect(s.machines[0].methods[0].mean_matches).toBeCloseTo(4.5, 12);
  });

  it('says plainly that nothing beats chance when nothing does, and names a method that does', () => {
    const chanceLike = computeSummary([1, 2, 3].map((r) => row('weighted_voting', r, [[20, 21, 22, 23, 24, 25]])), byRound, { seed: 1, sets: 1 });
    expect(chanceLike.significant_methods).toEqual([]);
    expect(chanceLike.conclusion.en).toMatch(/No method shows evidence of beating chance/);
    expect(chanceLike.conclusion.ko).toMatch(/증거가 없습니다/);
    // Every draw's numbers guessed exactly: impossible by chance.
    const oracle = computeSummary([1, 2, 3].map((r) => row('stacking', r, [[...byRound.get(r)!.numbers]])), byRound, { seed: 1, sets: 1 });
    expect(oracle.overall.methods[0].verdict).toBe('better_than_chance');
    expect(oracle.significant_methods).toEqual(['stacking']);
    expect(oracle.conclusion.en).toMatch(/stacking/);
  });

  it('ranks the combination methods by log-loss over the rounds all of them were scored on', () => {
    const sharp = (d: Draw) => Array.from({ length: 45 }, (_, i) => (d.numbers.includes(i + 1) ? 0.5 : (6 - 3) / 39));
    const uniform = new Array(45).fill(6 / 45);
    const ranked = rankMethods([
      row('blending', 1, [ticket], uniform),
      row('blending', 2, [ticket], uniform),
      row('blending', 3, [ticket], uniform),
      row('weighted_voting', 1, [ticket], uniform),
      row('weighted_voting', 2, [ticket], uniform),
      row('weighted_voting', 3, [ticket], uniform),
      // stacking only on round 3, and sharp there: compared on round 3 alone it wins.
      row('stacking', 3, [ticket], sharp(byRound.get(3)!)),
    ]);
    expect(ranked.ranked.map((r) => r.rounds)).toEqual([1, 1, 1]);
    expect(ranked.best).toBe('stacking');
    expect(ranked.beats_chance).toBe(false); // one round is no evidence
  });
});

describe('random baseline', () => {
  it('its simulated mean matches converge to the exact 0.8, inside an interval that shrinks with more rounds', () => {
    const rng = new Random(20260101);
    const sd = Math.sqrt(0.8 * (39 / 45) * (39 / 44)); // hypergeometric standard deviation of one ticket
    let total = 0;
    let tickets = 0;
    let round = 0;
    let lastWidth = Infinity;
    for (const rounds of [500, 5000, 40000]) {
      for (; round < rounds; round++) {
        const drawn = new Set(Array.from(rng.sampleIndices(45, 6), (i) => i + 1));
        for (const t of randomTickets(5, round * 7919 + 13)) {
          total += t.filter((n) => drawn.has(n)).length;
          tickets++;
        }
      }
      // Tickets of one round share a draw; a conservative half-width treats a round's 5 as one unit.
      const width = (4 * sd) / Math.sqrt(rounds);
      expect(Math.abs(total / tickets - 0.8)).toBeLessThan(width);
      expect(width).toBeLessThan(lastWidth);
      lastWidth = width;
    }
    expect(Math.abs(total / tickets - 0.8)).toBeLessThan(0.01);
  });
});
