import { describe, expect, it } from 'vitest';
import { validateDraw } from '../../src/domain/draw.js';
import { formatMachine, parseMachine } from '../../src/domain/machine.js';
import {
  acValue,
  consecutivePairs,
  decadeCounts,
  drawStats,
  fibonacciCount,
  highLowRatio,
  lastDigitSum,
  legacyGapAc,
  oddEvenRatio,
  primeCount,
  sectionCounts,
  windowStats,
} from '../../src/domain/stats.js';
import { loadHistoryDraws } from '../helpers/history.js';

describe('AC value', () => {
  it('is 0 for six consecutive numbers (only 5 distinct differences)', () => {
    expect(acValue([1, 2, 3, 4, 5, 6])).toBe(0);
  });
  it('reaches its maximum of 10 when all 15 differences are distinct', () => {
    // differences of {1,2,4,8,16,32} are all distinct (a Sidon-like set)
    expect(acValue([1, 2, 4, 8, 16, 32])).toBe(10);
  });
  it('matches a hand count for round 1049 (3 5 13 20 21 37)', () => {
    // distinct differences: 1 2 7 8 10 15 16 17 18 24 32 34 → 12 − 5 = 7
    expect(acValue([3, 5, 13, 20, 21, 37])).toBe(7);
  });
  it('stays within 0..10 for every real draw', () => {
    for (const d of loadHistoryDraws()) {
      const ac = acValue(d.numbers);
      expect(ac).toBeGreaterThanOrEqual(0);
      expect(ac).toBeLessThanOrEqual(10);
    }
  });
  it('differs from the legacy gap count some res.json files call "AC"', () => {
    // gaps 2 8 7 1 16 → 5 distinct; this is what such files store as AC값
    expect(legacyGapAc([3, 5, 13, 20, 21, 37])).toBe(5);
    expect(legacyGapAc([1, 2, 3, 4, 5, 6])).toBe(1);
  });
});

describe('per-draw statistics', () => {
  const n = [3, 5, 13, 20, 21, 37];
  it('writes ratios the way res.json does (odd:even, high 23–45 : low)', () => {
    expect(oddEvenRatio(n)).toBe('5:1');
    expect(highLowRatio(n)).toBe('1:5');
    expect(highLowRatio([22, 23, 24, 25, 26, 1])).toBe('4:2');
  });
  it('counts sections, decade bands, consecutive pairs, primes and Fibonacci numbers', () => {
    expect(sectionCounts(n)).toEqual([3, 2, 1]);
    expect(decadeCounts([1, 10, 11, 40, 41, 45])).toEqual([2, 1, 0, 1, 2]);
    expect(consecutivePairs([1, 2, 3, 10, 20, 21])).toBe(3);
    expect(primeCount(n)).toBe(4); // 3 5 13 37
    expect(fibonacciCount(n)).toBe(4); // 3 5 13 21
    expect(lastDigitSum(n)).toBe(3 + 5 + 3 + 0 + 1 + 7);
  });
  it('gives consistent totals for a whole draw', () => {
    const s = drawStats(n);
    expect(s.odd + s.even).toBe(6);
    expect(s.high + s.low).toBe(6);
    expect(s.totalSum).toBe(99);
    expect(s.sections.reduce((a, b) => a + b)).toBe(6);
    expect(s.decades.reduce((a, b) => a + b)).toBe(6);
  });
});

describe('machines', () => {
  it('accepts 1, "1" and "1호기" and displays 1호기', () => {
    expect(parseMachine(1)).toBe(1);
    expect(parseMachine('2')).toBe(2);
    expect(parseMachine('3호기')).toBe(3);
    expect(formatMachine(3)).toBe('3호기');
  });
  it.each([0, -1, 1.5, '', '1번', 'one', null, [1]])('rejects %j with a message listing the valid forms', (v) => {
    expect(() => parseMachine(v)).toThrow(/1, "1" or "1호기"/);
  });
});

describe('draw validation', () => {
  it('collects every problem of a record at once, naming the field', () => {
    const r = validateDraw({ round: 0, date: '2024-02-30', numbers: [1, 2, 3, 4, 5, 99], bonus: 0, machine: '4번' }, { index: 7 });
    expect(r.draw).toBeNull();
    expect(r.problems.map((p) => p.field).sort()).toEqual(['bonus', 'date', 'machine', 'numbers', 'round']);
    expect(r.problems.every((p) => p.index === 7)).toBe(true);
  });
  it('rejects a bonus that is among the numbers and duplicate numbers', () => {
    expect(validateDraw({ round: 1, date: '2024-01-06', numbers: [1, 2, 3, 4, 5, 6], bonus: 6 }).problems[0].field).toBe('bonus');
    expect(validateDraw({ round: 1, date: '2024-01-06', numbers: [1, 1, 3, 4, 5, 6], bonus: 9 }).problems[0].expected).toMatch(/distinct/);
  });
  it('stores numbers sorted', () => {
    expect(validateDraw({ round: 1, date: '2024-01-06', numbers: [40, 2, 33, 4, 15, 6], bonus: 9 }).draw?.numbers).toEqual([2, 4, 6, 15, 33, 40]);
  });
});

describe('window statistics', () => {
  const all = loadHistoryDraws();
  const m3 = all.filter((d) => d.machine === 3);
  const last50 = m3.slice(-50);

  it('counts numbers over the last 50 draws of 3호기 as an independent tally does', () => {
    const tally = new Map<number, number>();
    for (const x of last50.flatMap((d) => [...d.numbers])) tally.set(x, (tally.get(x) ?? 0) + 1);
    const w = windowStats(all, { machine: 3, rounds: 50 });
    expect(w.totalRounds).toBe(50);
    expect(w.startRound).toBe(last50[0].round);
    expect(w.endRound).toBe(last50[49].round);
    for (const f of w.frequencies) {
      expect(f.count).toBe(tally.get(f.number) ?? 0);
      expect(f.share).toBeCloseTo((tally.get(f.number) ?? 0) / 50, 12);
    }
    expect(w.frequencies.reduce((a, f) => a + f.count, 0)).toBe(300);
  });

  it('measures the gap since each number was last drawn in that machine sequence', () => {
    const w = windowStats(all, { machine: 3, rounds: 50 });
    for (const f of w.frequencies) {
      let gap: number | null = null;
      for (let i = last50.length - 1; i >= 0; i--) {
        if (last50[i].numbers.includes(f.number)) {
          gap = last50.length - 1 - i;
          break;
        }
      }
      expect(f.gap).toBe(gap);
    }
  });

  it('averages the per-draw statistics over the window', () => {
    const w = windowStats(all, { machine: 3, rounds: 50 });
    const odd = last50.reduce((a, d) => a + d.numbers.filter((x) => x % 2).length, 0) / 50;
    const sum = last50.reduce((a, d) => a + d.numbers.reduce((s, x) => s + x, 0), 0) / 50;
    expect(w.averages.odd).toBeCloseTo(odd, 12);
    expect(w.averages.totalSum).toBeCloseTo(sum, 12);
  });

  it('lists hot numbers by highest count and cold numbers by lowest count', () => {
    const w = windowStats(all, { rounds: 100, hotColdCount: 5 });
    const counts = w.frequencies.map((f) => f.count);
    const minHot = Math.min(...w.hot.map((n) => counts[n - 1]));
    const maxCold = Math.max(...w.cold.map((n) => counts[n - 1]));
    expect(w.hot).toHaveLength(5);
    expect(counts.filter((c) => c > minHot).length).toBeLessThan(5);
    expect(counts.filter((c) => c < maxCold).length).toBeLessThan(5);
  });

  it('is empty but well-formed when no draws match', () => {
    const w = windowStats([], { rounds: 50 });
    expect(w.totalRounds).toBe(0);
    expect(w.startRound).toBeNull();
    expect(w.frequencies.every((f) => f.count === 0 && f.gap === null)).toBe(true);
  });
});
