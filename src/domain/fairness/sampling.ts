/**
 * Seeded samplers for fair and deliberately biased 6-of-45 draws. Draws are stored
 * flat: draw d occupies numbers[6d .. 6d+5] (values 1..45, any order).
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';
import type { Random } from '../random.js';

const NONE: readonly number[] = [];

/** Reusable state for sampling without replacement with some numbers forced in. */
export class DrawSampler {
  private readonly pool = new Int32Array(MAX_NUMBER);
  private readonly pos = new Int32Array(MAX_NUMBER + 1);

  constructor(private readonly random: Random) {
    for (let i = 0; i < MAX_NUMBER; i++) {
      this.pool[i] = i + 1;
      this.pos[i + 1] = i;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.pool[i];
    const b = this.pool[j];
    this.pool[i] = b;
    this.pool[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  /**
   * Writes one draw into out[offset..offset+5]: the `forced` numbers (distinct, at
   * most 6) plus a uniformly random choice of the rest without replacement.
   */
  draw(out: Uint8Array, offset: number, forced: readonly number[] = NONE): void {
    for (let i = 0; i < forced.length; i++) this.swap(i, this.pos[forced[i]]);
    // Same value as random.nextInt(45 − i), without its argument checks (hot loop).
    for (let i = forced.length; i < NUMBERS_PER_DRAW; i++) this.swap(i, i + Math.floor(this.random.nextFloat() * (MAX_NUMBER - i)));
    for (let i = 0; i < NUMBERS_PER_DRAW; i++) out[offset + i] = this.pool[i];
  }

  nextFloat(): number {
    return this.random.nextFloat();
  }
}

/** `count` fair draws. */
export function sampleFairDraws(random: Random, count: number): Uint8Array {
  const out = new Uint8Array(count * NUMBERS_PER_DRAW);
  const s = new DrawSampler(random);
  for (let d = 0; d < count; d++) s.draw(out, d * NUMBERS_PER_DRAW);
  return out;
}

/**
 * Effect model "one number drawn r× as often": with probability ε the machine forces
 * `target` into the draw (the other five uniform), otherwise the draw is fair, so
 * P(target) = ε + (1 − ε)·6/45 = r·6/45.
 */
export function sampleNumberBiasedDraws(random: Random, count: number, target: number, ratio: number): Uint8Array {
  const p = NUMBERS_PER_DRAW / MAX_NUMBER;
  const eps = ((ratio - 1) * p) / (1 - p);
  const out = new Uint8Array(count * NUMBERS_PER_DRAW);
  const s = new DrawSampler(random);
  const forced = [target];
  for (let d = 0; d < count; d++) s.draw(out, d * NUMBERS_PER_DRAW, s.nextFloat() < eps ? forced : NONE);
  return out;
}

/** P(a given pair is drawn together) in a fair draw: C(43,4)/C(45,6) = 1/66. */
export const FAIR_PAIR_PROBABILITY = 1 / 66;

/** Effect model "one pair drawn together r× as often": with probability ε both are forced in. */
export function samplePairBiasedDraws(random: Random, count: number, a: number, b: number, ratio: number): Uint8Array {
  const q = FAIR_PAIR_PROBABILITY;
  const eps = ((ratio - 1) * q) / (1 - q);
  const out = new Uint8Array(count * NUMBERS_PER_DRAW);
  const s = new DrawSampler(random);
  const forced = [a, b];
  for (let d = 0; d < count; d++) s.draw(out, d * NUMBERS_PER_DRAW, s.nextFloat() < eps ? forced : NONE);
  return out;
}

/**
 * Effect model "numbers come back too soon": with probability ε one number of the
 * previous draw (chosen uniformly) is forced into the next draw, the rest uniform.
 */
export function sampleRepeatBiasedDraws(random: Random, count: number, eps: number): Uint8Array {
  const out = new Uint8Array(count * NUMBERS_PER_DRAW);
  const s = new DrawSampler(random);
  const forced = [0];
  for (let d = 0; d < count; d++) {
    if (d > 0 && s.nextFloat() < eps) {
      forced[0] = out[(d - 1) * NUMBERS_PER_DRAW + random.nextInt(NUMBERS_PER_DRAW)];
      s.draw(out, d * NUMBERS_PER_DRAW, forced);
    } else s.draw(out, d * NUMBERS_PER_DRAW);
  }
  return out;
}

/**
 * Under the repeat model, P(a given number of the previous draw is drawn again) divided
 * by the fair 6/45: with the forced pick it is the chosen one (1/6) or one of the five
 * uniform picks from the other 44 (5/44).
 */
export function repeatRatio(eps: number): number {
  const p = NUMBERS_PER_DRAW / MAX_NUMBER;
  const forced = 1 / 6 + (5 / 6) * (5 / 44);
  return (eps * forced + (1 - eps) * p) / p;
}
