// Every model family meets the one model contract (test/models/contract.ts), on a seeded
// synthetic history (no data files) with configs small enough for a quick run.
import { beforeAll } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import { LotteryEnsemble, ensembleConfig } from '../../src/models/ensemble.js';
import { LotteryGradientBoosting, LotteryMLP, LotteryRandomForest, gradientBoostingConfig, mlpConfig, randomForestConfig } from '../../src/models/single.js';
import { LotteryTransformer, transformerParams } from '../../src/models/transformer/index.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { runModelContract } from './contract.js';

beforeAll(async () => {
  await initTf('wasm', () => {});
});

/** 160 seeded draws on machines 1–3 in turn. */
function syntheticHistory(n: number, seed: number): Draw[] {
  const rnd = new Random(seed);
  return Array.from({ length: n }, (_, i) => {
    const nums = Array.from(rnd.sampleIndices(45, 7), (k) => k + 1);
    return {
      round: i + 1,
      date: '2020-01-04',
      numbers: nums.slice(0, 6).sort((a, b) => a - b),
      bonus: nums[6],
      machine: 1 + (i % 3),
      firstPrizeEach: null,
      firstPrizeWinners: null,
      totalSales: null,
    };
  });
}

const history = syntheticHistory(160, 2024);
const t = 150;
const small = ensembleConfig('small');
const tiny = {
  rf: { ...small.rf, nEstimators: 5, maxDepth: 4 },
  gbm: { ...small.gbm, nEstimators: 5, maxDepth: 3, subsample: 0.8 },
  mlp: { ...small.mlp, hiddenLayerSizes: [8], maxIter: 3 },
};

runModelContract('LotteryEnsemble', (seed) => new LotteryEnsemble(ensembleConfig('small', { ...tiny, seed })), history, { cls: LotteryEnsemble, targetIndex: t });
runModelContract('LotteryRandomForest', (seed) => new LotteryRandomForest(randomForestConfig('small', { rf: tiny.rf, seed })), history, { cls: LotteryRandomForest, targetIndex: t });
runModelContract('LotteryGradientBoosting', (seed) => new LotteryGradientBoosting(gradientBoostingConfig('small', { gbm: tiny.gbm, seed })), history, {
  cls: LotteryGradientBoosting,
  targetIndex: t,
});
runModelContract('LotteryMLP', (seed) => new LotteryMLP(mlpConfig('small', { mlp: tiny.mlp, seed })), history, { cls: LotteryMLP, targetIndex: t });
runModelContract(
  'LotteryTransformer',
  (seed) => new LotteryTransformer(transformerParams('small', { dModel: 8, nHeads: 2, nLayers: 1, dimFeedforward: 16, seqLen: 8, maxEpochs: 2, seed })),
  history,
  { cls: LotteryTransformer, targetIndex: t },
);
