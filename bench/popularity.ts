/**
 * Research bench for the popularity (prize-sharing) model: walk-forward backtest over rounds
 * 939–1238 (the last 300 with prize data) on ../shared/data, printing the issue-14 summary.
 *   npx tsx bench/popularity.ts [--from 939] [--to 1238] [--retrain-every 10] [--json]
 * Reads ../shared/data (or HOGI_SHARED_DATA); it is a bench, not a test.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePrizeRoundsCsv } from '../src/data/prizeRoundsCsv.js';
import { runPopularityBacktest } from '../src/service/popularity/backtest.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export function sharedDataDir(): string {
  const candidates = [process.env.HOGI_SHARED_DATA, resolve(root, '../shared/data'), resolve(root, '../../shared/data')].filter((x): x is string => !!x);
  const dir = candidates.find((d) => existsSync(resolve(d, 'prizes.csv')));
  if (!dir) throw new Error(`prizes.csv not found in ${candidates.join(', ')} (set HOGI_SHARED_DATA)`);
  return dir;
}

export function loadSharedPrizeRounds() {
  const dir = sharedDataDir();
  return parsePrizeRoundsCsv(readFileSync(resolve(dir, 'draws.csv'), 'utf8'), readFileSync(resolve(dir, 'prizes.csv'), 'utf8'));
}

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rounds = loadSharedPrizeRounds();
  const extra = process.env.POP_PARAMS ? (JSON.parse(process.env.POP_PARAMS) as Record<string, unknown>) : {};
  const t0 = performance.now();
  const rep = runPopularityBacktest(rounds, { from: arg('--from', 939), to: arg('--to', 1238), retrainEvery: arg('--retrain-every', 10), params: extra });
  const secs = (performance.now() - t0) / 1000;
  if (process.argv.includes('--json')) console.log(JSON.stringify(rep.summary, null, 2));
  console.log(`popularity backtest ${rep.from}-${rep.to}, retrain every ${rep.retrain_every}, ${rep.rounds.length} rounds, ${secs.toFixed(1)} s`);
  for (const k of ['1', '2', '3', '4', '5'] as const) {
    const s = rep.summary.tiers[k];
    if (!s) continue;
    console.log(
      `tier ${k}: pearson ${s.pearson.toFixed(3)} [${s.pearson_ci95.low.toFixed(3)}, ${s.pearson_ci95.high.toFixed(3)}] p=${s.permutation_p.toFixed(4)} spearman ${s.spearman.toFixed(3)} ` +
        `quintile realized least ${s.least_popular_quintile.mean_realized_ratio.toFixed(3)} most ${s.most_popular_quintile.mean_realized_ratio.toFixed(3)} (x${s.quintile_ratio.toFixed(2)})` +
        (s.least_popular_quintile.mean_prize_each_won !== null && Number(k) <= 3 ? ` prize/winner least ${s.least_popular_quintile.mean_prize_each_won} most ${s.most_popular_quintile.mean_prize_each_won}` : ''),
    );
  }
  for (const g of rep.summary.goals) console.log(`goal ${g.goal}: ${g.measured?.toFixed(3)} ${g.met ? 'met' : 'NOT met'}`);
}
