// The tree operator's thresholds are float32 while hogi's are float64: rounding a threshold
// down to float32 must keep every split decision on float32 features unchanged.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { float32AtMost } from '../../src/models/onnx/trees.js';

/** The float32 values next to f (one step down and up). */
function neighbours(f: number): number[] {
  const buf = new Float32Array([f]);
  const bits = new Int32Array(buf.buffer);
  const out = [f];
  for (const step of [-1, 1]) {
    const b = new Float32Array(1);
    new Int32Array(b.buffer)[0] = bits[0] + (f >= 0 ? step : -step);
    out.push(b[0]);
  }
  return out;
}

describe('float32 thresholds of exported trees', () => {
  it('x ≤ t and x ≤ float32AtMost(t) agree for every float32 x near t, over 10,000 seeded thresholds of both signs', () => {
    const rng = new Random(3);
    let mismatches = 0;
    let roundedUp = 0;
    for (let i = 0; i < 10_000; i++) {
      const t = (rng.nextFloat() - 0.5) * 10 ** (rng.nextInt(8) - 3);
      const t32 = float32AtMost(t);
      expect(t32).toBeLessThanOrEqual(t);
      expect(Math.fround(t32)).toBe(t32);
      if (Math.fround(t) > t) roundedUp++;
      for (const x of neighbours(Math.fround(t))) if (x <= t !== x <= t32) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Positive control: plain rounding to nearest goes above t often enough to misroute.
    expect(roundedUp).toBeGreaterThan(1000);
    let naive = 0;
    const rng2 = new Random(3);
    for (let i = 0; i < 10_000; i++) {
      const t = (rng2.nextFloat() - 0.5) * 10 ** (rng2.nextInt(8) - 3);
      for (const x of neighbours(Math.fround(t))) if (x <= t !== x <= Math.fround(t)) naive++;
    }
    expect(naive).toBeGreaterThan(0);
  });

  it('keeps exact float32 thresholds and zero as they are', () => {
    for (const t of [0, 0.5, -0.5, 1, 255, Math.fround(0.1)]) expect(float32AtMost(t)).toBe(t);
  });
});
