import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';

describe('Random (seeded PRNG)', () => {
  it('reproduces the same stream for the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('gives different streams for nearby seeds', () => {
    const a = new Random(42);
    const b = new Random(43);
    let same = 0;
    for (let i = 0; i < 100; i++) if (a.nextUint32() === b.nextUint32()) same++;
    expect(same).toBeLessThan(3);
  });

  it('nextFloat stays in [0,1) with mean near 1/2', () => {
    const r = new Random(7);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = r.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });

  it('nextInt covers [0,n) roughly uniformly and rejects bad bounds', () => {
    const r = new Random(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.nextInt(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    expect(() => r.nextInt(0)).toThrow(/bound/);
    expect(() => r.nextInt(2.5)).toThrow(/bound/);
  });

  it('shuffle returns a permutation and sampleIndices gives distinct in-range indices', () => {
    const r = new Random(3);
    const arr = Array.from({ length: 50 }, (_, i) => i);
    r.shuffle(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(arr).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const s = r.sampleIndices(45, 6);
    expect(new Set(s).size).toBe(6);
    for (const v of s) expect(v >= 0 && v < 45).toBe(true);
  });

  it('nextNormal has mean ≈ 0 and variance ≈ 1', () => {
    const r = new Random(11);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = r.nextNormal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.05);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Random(Number.NaN)).toThrow(/seed/);
  });
});
