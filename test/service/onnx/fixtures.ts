// Real (small) trained models in a temporary store, on a seeded synthetic history: the ONNX
// tests compare the exported graphs with the tfjs models they came from.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Draw } from '../../../src/domain/draw.js';
import type { Machine } from '../../../src/domain/machine.js';
import { Random } from '../../../src/domain/random.js';
import { LotteryEnsemble, ensembleConfig } from '../../../src/models/ensemble.js';
import { LotteryTransformer, transformerParams } from '../../../src/models/transformer/index.js';
import type { ModelArtifacts } from '../../../src/models/types.js';
import { dataHash } from '../../../src/service/dataHash.js';
import { modelKey, modelStore, type ModelStore } from '../../../src/service/modelStore.js';

/** `n` draws: six distinct numbers each from a seeded generator, machines 1, 2, 3 in turn. */
export function syntheticDraws(n: number, seed = 7): Draw[] {
  const r = new Random(seed);
  return Array.from({ length: n }, (_, i) => ({
    round: i + 1,
    date: '2020-01-04',
    numbers: Array.from(r.sampleIndices(45, 6), (x) => x + 1).sort((a, b) => a - b),
    bonus: 1 + r.nextInt(45),
    machine: ((i % 3) + 1) as Machine,
    firstPrizeEach: null,
    firstPrizeWinners: null,
    totalSales: null,
  }));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function record(family: 'transformer' | 'ensemble', machine: number | 'all', config: string, draws: readonly Draw[], createdAt: string) {
  const seen = machine === 'all' ? draws : draws.filter((d) => d.machine === machine);
  return {
    family,
    machine,
    config,
    seed: 42,
    trainedRounds: { from: seen[0].round, to: seen[seen.length - 1].round, count: seen.length, dataHash: dataHash(draws) },
    validation: {},
    trainingMs: 1,
    createdAt,
  };
}

/** Trains a quick Transformer (2 epochs) of a preset and saves it under its real key. */
export async function saveTransformer(
  store: ModelStore,
  draws: readonly Draw[],
  machine: Machine | 'all',
  config: 'small' | 'reference',
  createdAt = '2026-01-01T00:00:00.000Z',
): Promise<LotteryTransformer> {
  const model = await new LotteryTransformer(transformerParams(config, { machine, maxEpochs: 2, seed: 42 })).fit(draws);
  store.save(modelKey('transformer', machine, config), model.toArtifacts() as unknown as ModelArtifacts, record('transformer', machine, config, draws, createdAt));
  return model;
}

/** Trains a small ensemble (RF, GBM, MLP) and saves it under its real key. */
export async function saveEnsemble(store: ModelStore, draws: readonly Draw[], machine: Machine | 'all', createdAt = '2026-01-01T00:00:00.000Z'): Promise<LotteryEnsemble> {
  const model = await new LotteryEnsemble(ensembleConfig('small', { machine, seed: 42 })).fit(draws);
  store.save(modelKey('ensemble', machine, 'small'), model.toArtifacts(), record('ensemble', machine, 'small', draws, createdAt));
  return model;
}

export function newStore(): ModelStore {
  return modelStore(tempDir('hogi-onnx-models-'));
}
