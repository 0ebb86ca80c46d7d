/**
 * The contract every model family must meet (scikit-learn's estimator checks, in spirit).
 * Call `runModelContract` inside a test file with a quick config and a slice of history; it
 * registers one `describe` block, which includes the no-look-ahead check and its positive
 * control (the same check run on the family allowed to see draw t, which must fire).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { historyBefore, type Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import { builtInModels } from '../../src/models/registry.js';
import type { ModelArtifacts, ModelClass, PersistableModel } from '../../src/models/types.js';

/**
 * A fresh model for a seed. `world` is the whole history the check is working on; honest
 * families ignore it (they see only what fit and predict are given). Only the positive
 * control uses it, to let a model see draw t.
 */
export type ModelMaker<M extends PersistableModel = PersistableModel> = (seed: number, world: readonly Draw[]) => M;

export interface ModelContractOptions {
  /** The family's class (its static fromArtifacts loads what toArtifacts saved). */
  cls: ModelClass;
  /** Index in `history` of the target draw t; the models learn from the draws before it. Default: the last draw. */
  targetIndex?: number;
  /** Check that another seed gives another output (default true). */
  seedSensitive?: boolean;
}

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
export function scrambleFrom(draws: readonly Draw[], from: number, seed: number): Draw[] {
  const rnd = new Random(seed);
  return draws.map((d, i) => {
    if (i < from) return { ...d };
    const nums = Array.from(rnd.sampleIndices(45, 7)).map((k) => k + 1);
    return { ...d, numbers: nums.slice(0, 6).sort((a, b) => a - b), bonus: nums[6], machine: d.machine === 1 ? 2 : 1 };
  });
}

/**
 * The prediction for the draw at index t of `world`, made the way the product makes one:
 * a fresh model fitted on the draws before t's round and predicting from them, both cut by
 * the no-look-ahead gate (`historyBefore`) from the whole history.
 */
export async function predictThroughGate(make: ModelMaker, world: readonly Draw[], t: number, seed: number): Promise<Float64Array> {
  const round = world[t].round;
  const model = make(seed, world);
  try {
    await model.fit(frozen(historyBefore(world, round)));
    return Float64Array.from(model.predict(frozen(historyBefore(world, round))));
  } finally {
    model.dispose();
  }
}

/**
 * The no-look-ahead check: predicts draw t from the real history and from one where every
 * draw at or after t is different (and the draw the model would have to guess is another
 * one). Null when the predictions are identical; otherwise what changed.
 */
export async function lookAheadFinding(make: ModelMaker, history: readonly Draw[], t: number, seed: number): Promise<string | null> {
  const real = await predictThroughGate(make, history, t, seed);
  const changed = await predictThroughGate(make, scrambleFrom(history, t, 99), t, seed);
  let worst = 0;
  for (let i = 0; i < real.length; i++) worst = Math.max(worst, Math.abs(real[i] - changed[i]));
  return worst === 0 ? null : `the prediction for draw ${history[t].round} moved by up to ${worst.toExponential(2)} when only draws from ${history[t].round} on changed`;
}

/**
 * The family deliberately allowed to see draw t (the positive control of the check): it is
 * fitted and predicts on the draws it is given plus the next draw of `world`, i.e. the one
 * it is asked to predict. Everything else is the family's own code.
 */
export function allowedToSeeDrawT(make: ModelMaker): ModelMaker {
  return (seed, world) => {
    const inner = make(seed, world);
    const withNext = (h: readonly Draw[]) => {
      const last = h.length ? h[h.length - 1].round : -Infinity;
      const next = world.find((d) => d.round > last);
      return next ? [...h, next] : [...h];
    };
    const leaky: PersistableModel = {
      className: `${inner.className}+drawT`,
      getParams: () => inner.getParams(),
      clone: () => leaky,
      fitSteps: () => inner.fitSteps(),
      fit: async (h, o) => {
        await inner.fit(withNext(h), o);
        return leaky;
      },
      predict: (h) => inner.predict(withNext(h)),
      toArtifacts: () => inner.toArtifacts(),
      memoryBytes: () => inner.memoryBytes(),
      dispose: () => inner.dispose(),
    };
    return leaky;
  };
}

export function runModelContract<M extends PersistableModel>(name: string, makeModel: (seed: number) => M, history: readonly Draw[], options: ModelContractOptions): void {
  const t = options.targetIndex ?? history.length - 1;
  const seed = 11;

  describe(`${name} follows the model contract`, () => {
    const made: PersistableModel[] = [];
    const make = (s: number): M => {
      const m = makeModel(s);
      made.push(m);
      return m;
    };
    afterAll(() => {
      for (const m of made) m.dispose();
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

    it('gives the same output for the same data, config and seed, and clone() is an unfitted twin', async () => {
      const { model, prediction } = await fittedModel();
      const again = make(seed);
      await again.fit(before(history));
      expect(again.predict(before(history))).toEqual(prediction);
      const twin = model.clone();
      made.push(twin);
      expect(JSON.stringify(twin.getParams())).toBe(JSON.stringify(model.getParams()));
      expect(() => twin.predict(before(history))).toThrow(/fit/i);
      await twin.fit(before(history));
      expect(twin.predict(before(history))).toEqual(prediction);
    });

    if (options.seedSensitive ?? true) {
      it('gives a different output for another seed', async () => {
        const { prediction } = await fittedModel();
        const other = make(seed + 1);
        await other.fit(before(history));
        expect(other.predict(before(history))).not.toEqual(prediction);
      });
    }

    it('reports fit progress in at most fitSteps() steps', async () => {
      const model = make(seed);
      const steps: number[] = [];
      await model.fit(before(history), { onProgress: (p) => steps.push(p.step) });
      expect(steps.length).toBeGreaterThan(0);
      expect(Math.max(...steps)).toBeLessThanOrEqual(model.fitSteps());
    });

    it('ends a fit early when its signal is aborted: after its first step, or with an error that says it was stopped', async () => {
      const stop = new AbortController();
      stop.abort();
      const steps: number[] = [];
      const outcome = await make(seed)
        .fit(before(history), { signal: stop.signal, onProgress: (p) => steps.push(p.step) })
        .then(
          () => 'ended early',
          (e: Error) => e.message,
        );
      if (outcome === 'ended early') expect(Math.max(0, ...steps)).toBeLessThanOrEqual(1);
      else expect(outcome).toMatch(/stopped/);
    });

    it('save → load (its own class and the registry) → predict gives identical probabilities', async () => {
      const { model, prediction } = await fittedModel();
      const artifacts = model.toArtifacts();
      expect(artifacts.manifest.className).toBe(model.className);
      expect(options.cls.className).toBe(model.className);
      expect(Number.isInteger(artifacts.manifest.formatVersion)).toBe(true);
      // The one manifest shape.
      expect(Object.keys(artifacts.manifest)).toEqual(expect.arrayContaining(['className', 'formatVersion', 'params', 'trainedRounds', 'validationMetrics']));
      expect(artifacts.manifest.trainedRounds).toEqual({ from: expect.any(Number), to: expect.any(Number), count: expect.any(Number) });
      const loaded = options.cls.fromArtifacts(throughStore(artifacts));
      const viaRegistry = await builtInModels().load(throughStore(artifacts));
      made.push(loaded, viaRegistry);
      expect(loaded.className).toBe(model.className);
      expect(viaRegistry.className).toBe(model.className);
      expect(JSON.stringify(loaded.getParams())).toBe(JSON.stringify(model.getParams()));
      expect(loaded.predict(before(history))).toEqual(prediction);
      expect(viaRegistry.predict(before(history))).toEqual(prediction);
      expect(model.memoryBytes()).toBeGreaterThan(0);
    });

    it('refuses artefacts that are not its own, naming the field', () => {
      expect(() => options.cls.fromArtifacts(undefined)).toThrow(/artefacts must be an object/);
      expect(() => options.cls.fromArtifacts({ manifest: { className: 'Nope', formatVersion: 1 }, weights: {} })).toThrow(/manifest\.className is "Nope"/);
      expect(() => options.cls.fromArtifacts({ manifest: { className: options.cls.className, formatVersion: 1, params: 'x' }, weights: {} })).toThrow(/params|config/);
    });

    it('cannot look ahead: with the history cut by the gate, changing any draw at or after t leaves the prediction for t unchanged', async () => {
      expect(await lookAheadFinding(make, history, t, seed)).toBeNull();
      // Predicting from a longer history must not leave state behind that changes the answer for t.
      const { model, prediction } = await fittedModel();
      model.predict(frozen(scrambleFrom(history, t, 99)));
      expect(model.predict(before(history))).toEqual(prediction);
    });

    it('positive control: the same check fires when the family is allowed to see draw t', async () => {
      const finding = await lookAheadFinding(allowedToSeeDrawT(make), history, t, seed);
      expect(finding).toMatch(new RegExp(`prediction for draw ${history[t].round} moved`));
    });
  });
}
