import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { Machine } from '../../domain/machine.js';
import type { BacktestRunResult } from '../../service/backtest/engine.js';
import { backtestService } from '../../service/backtest/service.js';
import type { MethodSummary } from '../../service/backtest/summary.js';
import {
  BACKTEST_METHODS,
  DEFAULT_BACKTEST_RETRAIN_EVERY,
  DEFAULT_BACKTEST_SEED,
  DEFAULT_BACKTEST_SETS,
  DEFAULT_BACKTEST_WINDOW,
  defaultWorkers,
  MODEL_METHODS,
  type BacktestEvent,
  type BacktestMethod,
} from '../../service/backtest/types.js';
import type { ConfigName } from '../../service/registry.js';
import { dbFor } from '../context.js';
import { CliFailure, UsageError, parseIntOption, parsePositiveIntOption, parseRangeOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { servicesFor } from '../../service/services.js';

function machineOption(value: string): Machine | 'all' {
  if (value === 'all') return 'all';
  if (/^[123](호기)?$/.test(value.trim())) return Number(value.trim()[0]);
  throw new UsageError(`--machine must be 1, 2, 3 or all, got "${value}"`);
}

function methodsOption(value: string): BacktestMethod[] {
  const out = new Set<BacktestMethod>();
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'all') BACKTEST_METHODS.forEach((m) => out.add(m));
    else if (raw === 'strategies') ['strategy_1', 'strategy_2', 'strategy_3'].forEach((m) => out.add(m as BacktestMethod));
    else if ((BACKTEST_METHODS as readonly string[]).includes(raw)) out.add(raw as BacktestMethod);
    else throw new UsageError(`--methods takes ${BACKTEST_METHODS.join(', ')}, strategies or all (comma-separated), got "${raw}"`);
  }
  if (out.size === 0) throw new UsageError('--methods needs at least one method');
  return [...out];
}

/** A progress bar with ETA on a terminal; a line every ~5% otherwise. Never on stdout. */
function progressReporter(quiet: boolean) {
  const tty = process.stderr.isTTY === true && !quiet;
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'backtest |{bar}| {value}/{total} rounds · round {round} · blocks {blocks} · ETA {eta_formatted}', barsize: 30, hideCursor: true, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const started = performance.now();
  let startDone = 0;
  let blocksDone = 0;
  let blocksTotal = 0;
  let lastLine = -1;
  return {
    onEvent(e: BacktestEvent) {
      if (e.type === 'start') {
        startDone = e.roundsDone;
        blocksTotal = e.blocks;
        const what = `${e.resumed ? 'resuming' : 'starting'} backtest ${e.id}: ${e.roundsDone}/${e.roundsTotal} rounds stored, ${e.blocks} retrain blocks to train on ${e.workers} worker(s)`;
        process.stderr.write(`${what}\n`);
        bar?.start(e.roundsTotal, e.roundsDone, { round: '-', blocks: `0/${e.blocks}` });
      } else if (e.type === 'block') {
        blocksDone++;
        bar?.update({ blocks: `${blocksDone}/${blocksTotal}` });
      } else if (e.type === 'round') {
        if (bar) bar.update(e.done, { round: e.round, blocks: `${blocksDone}/${blocksTotal}` });
        else if (!quiet) {
          const step = Math.floor((e.done / e.total) * 20);
          if (step !== lastLine || e.done === e.total) {
            lastLine = step;
            const elapsed = (performance.now() - started) / 1000;
            const rate = (e.done - startDone) / Math.max(elapsed, 1e-9);
            const eta = rate > 0 ? (e.total - e.done) / rate : Number.NaN;
            process.stderr.write(`  ${e.done}/${e.total} rounds (round ${e.round}) · ${elapsed.toFixed(0)} s elapsed · ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : '-'}\n`);
          }
        }
      } else if (e.type === 'summary') {
        bar?.stop();
      }
    },
    stop: () => bar?.stop(),
  };
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));
const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(4));
const p = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));

export function renderMethods(methods: readonly MethodSummary[]): string {
  return renderTable(methods, [
    { header: 'method', value: (m) => m.method },
    { header: 'rounds', value: (m) => m.rounds, align: 'right' },
    { header: 'matches/set', value: (m) => f3(m.mean_matches), align: 'right' },
    { header: '95% CI', value: (m) => (m.mean_matches_ci ? `${f3(m.mean_matches_ci.lower)}–${f3(m.mean_matches_ci.upper)}` : '-'), align: 'right' },
    { header: 'chance', value: (m) => f3(m.chance_mean_matches), align: 'right' },
    { header: 'p', value: (m) => p(m.p_value), align: 'right' },
    { header: 'p Holm', value: (m) => p(m.p_value_holm), align: 'right' },
    { header: 'best/N', value: (m) => f3(m.best_of_n?.observed_mean), align: 'right' },
    { header: 'chance', value: (m) => f3(m.best_of_n?.chance_mean), align: 'right' },
    { header: '5th/4th/3rd+', value: (m) => `${m.prize_tiers[4].count}/${m.prize_tiers[3].count}/${m.prize_tiers[0].count + m.prize_tiers[1].count + m.prize_tiers[2].count}` },
    { header: 'log-loss', value: (m) => f4(m.log_loss?.mean), align: 'right' },
    { header: 'Brier', value: (m) => f4(m.brier?.mean), align: 'right' },
    { header: 'verdict', value: (m) => m.verdict.replace(/_/g, ' ') },
  ]);
}

export function backtestCommand(): Command {
  return new Command('backtest')
    .description('walk-forward backtest: for every labelled draw in --from..--to, train only on earlier draws, predict, and score every method against chance')
    .requiredOption('--from <round>', 'first target round', parseIntOption('--from'))
    .requiredOption('--to <round>', 'last target round', parseIntOption('--to'))
    .option('--machine <m>', 'rounds drawn on this machine only: 1, 2, 3 or all', machineOption, 'all' as Machine | 'all')
    .option('--retrain-every <k>', 'retrain the models every k target rounds', parsePositiveIntOption('--retrain-every'), DEFAULT_BACKTEST_RETRAIN_EVERY)
    .option('--methods <list>', `comma-separated: ${BACKTEST_METHODS.join(', ')}, strategies, all`, methodsOption, [...BACKTEST_METHODS] as BacktestMethod[])
    .option('--sets <n>', 'tickets per method per round (1..20)', parsePositiveIntOption('--sets'), DEFAULT_BACKTEST_SETS)
    .option('--seed <n>', 'random seed (tickets and models), 0..4294967295', parseRangeOption('--seed', 0, 4294967295), DEFAULT_BACKTEST_SEED)
    .addOption(new Option('--config <c>', 'model size').choices(['small', 'reference']).default('small'))
    .option('--window <n>', 'frequency window of the baseline and 1호기 (the product default)', parsePositiveIntOption('--window'), DEFAULT_BACKTEST_WINDOW)
    .option('--workers <n>', `worker threads training retrain blocks (default ${defaultWorkers()})`, parsePositiveIntOption('--workers'))
    .option('--out <dir>', 'write report.json and a self-contained report.html there')
    .option('--json', 'print the summary as JSON (progress stays on stderr)')
    .action(async function (
      this: Command,
      opts: { from: number; to: number; machine: Machine | 'all'; retrainEvery: number; methods: BacktestMethod[]; sets: number; seed: number; config: ConfigName; window: number; workers?: number; out?: string; json?: boolean },
    ) {
      if (opts.from > opts.to) throw new UsageError(`--from (${opts.from}) must not exceed --to (${opts.to})`);
      if (opts.sets > 20) throw new UsageError(`--sets must be 1..20, got ${opts.sets}`);
      if (opts.window < 10 || opts.window > 100) throw new UsageError(`--window must be 10..100, got ${opts.window}`);
      const db = dbFor(this);
      const draws = servicesFor(db).draws.history();
      if (draws.length === 0) throw new CliFailure('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`, then run the backtest.');
      // The engine and tfjs load here, not with the CLI: `hogi --help` and the light commands stay fast.
      const { runBacktest } = await import('../../service/backtest/engine.js');
      if (opts.methods.some((m) => MODEL_METHODS.has(m))) {
        const { initTf } = await import('../../runtime/tfjs.js');
        await initTf('wasm', (m) => process.stderr.write(`${m}\n`));
      }
      const progress = progressReporter(false);
      const abort = new AbortController();
      const onSignal = () => {
        process.stderr.write('\ninterrupt: stopping after the current round (run the same command again to resume)\n');
        abort.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const started = performance.now();
      let result: BacktestRunResult;
      try {
        result = await runBacktest({
          db,
          draws,
          params: { from: opts.from, to: opts.to, machine: opts.machine, retrainEvery: opts.retrainEvery, methods: opts.methods, sets: opts.sets, seed: opts.seed, config: opts.config, window: opts.window },
          workers: opts.workers,
          onEvent: progress.onEvent,
          onLog: (m) => process.stderr.write(`${m}\n`),
          signal: abort.signal,
        });
      } finally {
        progress.stop();
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
      const seconds = (performance.now() - started) / 1000;
      if (result.status === 'interrupted') {
        process.stderr.write(`stopped after ${result.roundsDone}/${result.roundsTotal} rounds of ${result.id}; run the same command again to resume\n`);
        process.exitCode = 130;
        return;
      }
      const detail = backtestService(db).get(result.id)!;
      if (opts.out) {
        const { writeReport } = await import('../../service/backtest/report.js');
        const files = writeReport(resolve(opts.out), detail, draws);
        process.stderr.write(`report: ${files.json}, ${files.html}\n`);
      }
      if (opts.json) {
        printJson({ ...detail, wall_seconds: Math.round(seconds * 10) / 10 });
        return;
      }
      const s = detail.summary!;
      const out: string[] = [];
      out.push(`backtest ${detail.id} · rounds ${detail.params.from}–${detail.params.to} · ${detail.progress.rounds_done} draws scored · ${s.overall.methods.length} methods · ${detail.params.sets} sets each · seed ${detail.params.seed} · ${seconds.toFixed(1)} s`);
      if (detail.params.skipped_unlabelled > 0) out.push(`skipped ${detail.params.skipped_unlabelled} rounds without a machine label`);
      out.push('');
      out.push(renderMethods(s.overall.methods));
      for (const m of s.machines) {
        out.push('');
        out.push(`${m.scope} (${m.rounds} draws)`);
        out.push(renderMethods(m.methods));
      }
      out.push('');
      out.push(`chance: ${f3(s.chance.mean_matches)} matches per set; best of ${detail.params.sets} independent tickets ${f3(s.chance.best_of_n_independent)}; uniform log-loss ${f4(s.chance.uniform_log_loss)}, Brier ${f4(s.chance.uniform_brier)}`);
      out.push(`premium ranking: ${s.ranking.best ?? 'none'}${s.ranking.beats_chance ? '' : ' (does not beat chance)'}`);
      out.push('');
      out.push(s.conclusion.en);
      out.push(s.conclusion.ko);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
