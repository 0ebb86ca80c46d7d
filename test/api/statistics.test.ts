import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { appWith, closeApp, envelopeOf, sharedSlice, type TestApp } from './fixtures.js';

interface Analysis {
  machine_type: string;
  analysis_period: { total_rounds: number; start_round: number | null; end_round: number | null };
  number_frequency: { most_frequent: number[]; least_frequent: number[]; frequency_distribution: Record<string, number> };
  pattern_analysis: Record<string, number>;
}

let t: TestApp;
beforeAll(async () => {
  t = await appWith(sharedSlice(700, 1245));
});
afterAll(() => closeApp(t));

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** The expected answer, computed from the raw draws without the statistics code. */
function expectedAnalysis(raw: Draw[], machine: number | null, rounds: number) {
  const pool = raw.filter((d) => machine === null || d.machine === machine).sort((a, b) => a.round - b.round);
  const win = pool.slice(-rounds);
  const counts = new Map<number, number>();
  for (let n = 1; n <= 45; n++) counts.set(n, 0);
  for (const d of win) for (const n of d.numbers) counts.set(n, (counts.get(n) ?? 0) + 1);
  const nums = [...counts.keys()];
  // Documented tie rule: equal counts list the lower number first.
  const most = [...nums].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b).slice(0, 5);
  const least = [...nums].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a - b).slice(0, 5);
  const avg = (f: (ns: readonly number[]) => number) => win.reduce((s, d) => s + f(d.numbers), 0) / win.length;
  const acOf = (ns: readonly number[]) => {
    const diffs = new Set<number>();
    for (let i = 0; i < ns.length; i++) for (let j = i + 1; j < ns.length; j++) diffs.add(Math.abs(ns[i] - ns[j]));
    return diffs.size - 5;
  };
  return {
    win,
    most,
    least,
    share: (n: number) => (counts.get(n) ?? 0) / win.length,
    odd: avg((ns) => ns.filter((n) => n % 2 === 1).length),
    even: avg((ns) => ns.filter((n) => n % 2 === 0).length),
    high: avg((ns) => ns.filter((n) => n >= 23).length),
    low: avg((ns) => ns.filter((n) => n <= 22).length),
    ac: avg(acOf),
    lastDigit: avg((ns) => ns.reduce((s, n) => s + (n % 10), 0)),
    total: avg((ns) => ns.reduce((s, n) => s + n, 0)),
  };
}

describe('GET /api/statistics/machine-analysis/{machine_type}', () => {
  it('reports machine 3 over its last 50 draws with figures matching an independent count', async () => {
    const res = await get('/api/statistics/machine-analysis/3?rounds=50');
    expect(res.statusCode).toBe(200);
    const body = res.json() as Analysis;
    const e = expectedAnalysis(t.draws, 3, 50);
    expect(e.win).toHaveLength(50);
    expect(body.machine_type).toBe('3호기');
    expect(body.analysis_period).toEqual({ total_rounds: 50, start_round: e.win[0].round, end_round: e.win[49].round });
    expect(body.number_frequency.most_frequent).toEqual(e.most);
    expect(body.number_frequency.least_frequent).toEqual(e.least);
    const dist = body.number_frequency.frequency_distribution;
    expect(Object.keys(dist)).toHaveLength(45);
    for (let n = 1; n <= 45; n++) expect(dist[String(n)], `share of ${n}`).toBeCloseTo(e.share(n), 4);
    const p = body.pattern_analysis;
    expect(p.avg_odd_count).toBeCloseTo(e.odd, 4);
    expect(p.avg_even_count).toBeCloseTo(e.even, 4);
    expect(p.avg_high_count).toBeCloseTo(e.high, 4);
    expect(p.avg_low_count).toBeCloseTo(e.low, 4);
    expect(p.avg_ac_value).toBeCloseTo(e.ac, 4);
    expect(p.avg_last_digit_sum).toBeCloseTo(e.lastDigit, 4);
    expect(p.avg_total_sum).toBeCloseTo(e.total, 4);
  });

  it('defaults to a window of 50 and treats 3, "3호기" and URL-encoded 3호기 alike', async () => {
    const base = (await get('/api/statistics/machine-analysis/3?rounds=50')).json() as Analysis;
    expect((await get('/api/statistics/machine-analysis/3')).json()).toEqual(base);
    expect((await get(`/api/statistics/machine-analysis/${encodeURIComponent('3호기')}?rounds=50`)).json()).toEqual(base);
  });

  it('analyses every draw, labelled or not, for "all"', async () => {
    const body = (await get('/api/statistics/machine-analysis/all?rounds=30')).json() as Analysis;
    const e = expectedAnalysis(t.draws, null, 30);
    expect(body.machine_type).toBe('all');
    expect(body.analysis_period).toEqual({ total_rounds: 30, start_round: 1216, end_round: 1245 });
    expect(body.number_frequency.most_frequent).toEqual(e.most);
    expect(body.pattern_analysis.avg_total_sum).toBeCloseTo(e.total, 4);
  });

  it('uses every stored draw of the machine when fewer exist than the window asks', async () => {
    const body = (await get('/api/statistics/machine-analysis/1?rounds=2000')).json() as Analysis;
    const available = t.draws.filter((d) => d.machine === 1).length;
    expect(body.analysis_period.total_rounds).toBe(available);
  });

  it('bounds rounds to 1..2000 with a 422 naming rounds', async () => {
    for (const bad of ['0', '2001', 'many', '2.5']) {
      const res = await get(`/api/statistics/machine-analysis/3?rounds=${bad}`);
      expect(res.statusCode, bad).toBe(422);
      expect(envelopeOf(res).error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'rounds' });
    }
  });

  it('answers INVALID_MACHINE_TYPE (400) listing the valid values for an unknown machine', async () => {
    for (const bad of ['4', 'x', encodeURIComponent('일호기'), '-1']) {
      const res = await get(`/api/statistics/machine-analysis/${bad}`);
      expect(res.statusCode, bad).toBe(400);
      const env = envelopeOf(res);
      expect(env.error.code).toBe('INVALID_MACHINE_TYPE');
      expect(env.error.field).toBe('machine_type');
      expect(env.error.valid_values).toEqual(expect.arrayContaining(['1', '2', '3', '1호기', '2호기', '3호기', 'all']));
      expect(env.error.message).toContain('all');
    }
  });
});
