/**
 * The contract every LotteryModel family must meet (scikit-learn's estimator checks, in
 * spirit). Call `runModelContract` inside a test file with a quick config and a slice of
 * history; it registers one `describe` block.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import type { ModelArtifacts, PersistableModel } from '../../src/models/types.js';

export interface ModelContractOptions<M extends PersistableModel> {
  /** Rebuild a model from artifacts (the family's fromArtifacts). */
  load: (artifacts: ModelArtifacts) => M | Promise<M>;
  /** Index in `history` of the target draw t; the models learn from history[0..t). Default: the last draw. */
  targetIndex?: number;
  /** Check that another seed gives another output (default true). */
  seedSensitive?: boolean;
}

type Disposable = { dispose?: () => void };

/** Artifacts as a store hands them back: the manifest through JSON text, the weights copied. */
export function throughStore(a: ModelArtifacts): ModelArtifacts {
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(a.weights)) weights[k] = Float32Array.from(v);
  return { manifest: JSON.parse(JSON.stringify(a.manifest)) as ModelArtifacts['manifest'], weights };
}

/** Deep-frozen copies, so a model that writes into its input history fails loudly. */
function frozen(draws: readonly Draw[]): Draw[] {
  return draws.map((d) => Object.freeze({ ...d, numbers: Object.freeze([...d.numbers]) }) as Draw);
}

/** Replace every draw from index `from` on by a different valid draw (seeded). */
function scrambleFrom(draws: readonly Draw[], from: number, seed: number): Draw[] {
  const rnd = new Random(seed);
  return draws.map((d, i) => {
    if (i < from) return { ...d };
    const nums = Array.from(rnd.sampleIndices(45, 7)).map((k) => k + 1);
    return { ...d, numbers: nums.slice(0, 6).sort((a, b) => a - b), bonus: nums[6], machine: d.machine === 1 ? 2 : 1 };
  });
}

export function runModelContract<M extends PersistableModel>(
  name: string,
  makeModel: (seed: number) => M,
  history: readonly Draw[],
  options: ModelContractOptions<M>,
): void {
  const t = options.targetIndex ?? history.length - 1;
  const seed = 11;

  describe(`${name} follows the model contract`, () => {
    const made: M[] = [];
    const make = (s: number): M => {
      const m = makeModel(s);
      made.push(m);
      return m;
    };
    afterAll(() => {
      for (const m of made) (m as Disposable).dispose?.();
    });

    // Draws before t, as frozen copies (the same values in every call).
    const before = (src: readonly Draw[]) => frozen(src.slice(0, t));
    let fitted: { model: M; prediction: Float64Array } | null = null;
    const fittedModel = async () => {
      if (!fitted) {
        const model = make(seed);
        await model.fit(before(history));
        fitted = { model, prediction: model.predict(before(history)) };
      }
      return fitted;
    };

    it('refuses to predict before fit, with an error that says to fit', () => {
      expect(() => make(seed).predict(before(history))).toThrow(/fit/i);
    });

    it('returns 45 probabilities in [0, 1] that sum to 6', async () => {
      const { prediction } = await fittedModel();
      expect(prediction).toBeInstanceOf(Float64Array);
      expect(prediction.length).toBe(45);
      for (const p of prediction) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(prediction.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
    });

    it('fit leaves getParams() unchanged, and getParams() hands out a copy', async () => {
      const model = make(seed);
      const paramsBefore = JSON.stringify(model.getParams());
      const { model: fittedOne } = await fittedModel();
      expect(JSON.stringify(fittedOne.getParams())).toBe(paramsBefore);
      const p = fittedOne.getParams() as Record<string, unknown>;
      for (const k of Object.keys(p)) p[k] = null;
      expect(JSON.stringify(fittedOne.getParams())).toBe(paramsBefore);
    });

    it('gives the same output for the same data, config and seed', async () => {
      const { prediction } = await fittedModel();
      const again = make(seed);
      await again.fit(before(history));
      expect(again.predict(before(history))).toEqual(prediction);
    });

    if (options.seedSensitive ?? true) {
      it('gives a different output for another seed', async () => {
        const { prediction } = await fittedModel();
        const other = make(seed + 1);
        await other.fit(before(history));
        expect(other.predict(before(history))).not.toEqual(prediction);
      });
    }

    it('save → load → predict gives identical probabilities', async () => {
      const { model, prediction } = await fittedModel();
      const artifacts = model.toArtifacts();
      expect(artifacts.manifest.className).toBe(model.className);
      expect(Number.isInteger(artifacts.manifest.formatVersion)).toBe(true);
      const loaded = await options.load(throughStore(artifacts));
      made.push(loaded);
      expect(loaded.className).toBe(model.className);
      expect(JSON.stringify(loaded.getParams())).toBe(JSON.stringify(model.getParams()));
      expect(loaded.predict(before(history))).toEqual(prediction);
      expect(model.memoryBytes()).toBeGreaterThan(0);
    });

    it('cannot look ahead: changing any draw at or after t leaves the prediction for t unchanged', async () => {
      const { model, prediction } = await fittedModel();
      const altered = scrambleFrom(history, t, 99);
      const other = make(seed);
      await other.fit(before(altered));
      expect(other.predict(before(altered))).toEqual(prediction);
      // Predicting from a longer history must not leave state behind that changes the answer for t.
      model.predict(frozen(altered));
      expect(model.predict(before(history))).toEqual(prediction);
    });
  });
}
