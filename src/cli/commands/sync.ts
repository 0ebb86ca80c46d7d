import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { BlockedError, ChangedFormatError, HttpStatusError, OfflineError, SyncError, TimeoutError } from '../../data/sync/errors.js';
import { dhlotteryUrl } from '../../data/sync/dhlottery.js';
import { HTTP_DEFAULTS } from '../../data/sync/http.js';
import { lottotapaUrl } from '../../data/sync/lottotapa.js';
import { type SyncProgress, type SyncSummary } from '../../data/sync/syncService.js';
import type { Conflict } from '../../data/importService.js';
import { scorePredictions } from '../../service/predictions/scoring.js';
import { cliConfig, closeDb, dbFor } from '../context.js';
import { CliFailure, parseIntOption, UsageError } from '../errors.js';
import { printJson } from '../output.js';
import { servicesFor } from '../../service/services.js';

/** Exit code when the sync wrote what it could but some fetched values contradict stored ones. */
export const EXIT_SYNC_CONFLICTS = 3;

const LOTTOTAPA_HINT = 'lottotapa.com only supplies the machine (호기) labels: `hogi sync --no-labels` syncs the draws without them';

/** One paragraph a person can act on; every failure path ends with "nothing was changed". */
export function explainSyncError(e: SyncError, retries: number): string {
  const site = e.host;
  const labels = e.site === 'lottotapa' ? ` (${LOTTOTAPA_HINT})` : '';
  if (e instanceof OfflineError) {
    return `could not reach ${site}${e.code ? ` (${e.code})` : ''}: check your internet connection, proxy or firewall and try again${labels}; nothing was changed.`;
  }
  if (e instanceof TimeoutError) {
    return `${site} did not answer within ${e.timeoutMs} ms (${retries + 1} attempt${retries === 0 ? '' : 's'}): the site may be slow or down; try again later or raise --timeout-ms${labels}; nothing was changed.`;
  }
  if (e instanceof BlockedError) {
    return `${site} answered with a waiting or reject page instead of data${e.excerpt ? ` ("${e.excerpt}")` : ''}: the site is queueing or refusing automated requests. Wait a while (at least several minutes) before syncing again${labels}; nothing was changed.`;
  }
  if (e instanceof HttpStatusError) {
    return `${site} answered HTTP ${e.status}${e.status >= 500 ? ' (a server problem; try again later)' : ''}${labels}; nothing was changed.`;
  }
  if (e instanceof ChangedFormatError) {
    return `${e.message}. The site seems to have changed its format, so hogi stopped rather than guess; please report it${labels}; nothing was changed.`;
  }
  return `${e.message}; nothing was changed.`;
}

function formatConflict(c: Conflict): string {
  const field = c.field === 'machine' ? 'machine (호기)' : c.field;
  return `round ${c.round}: ${field}: stored ${c.stored}, ${c.field === 'machine' ? 'lottotapa' : 'dhlottery'} says ${c.incoming}`;
}

/** Progress on stderr: a bar on a terminal, a few plain lines otherwise. */
export function progressReporter(stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> & Partial<NodeJS.WriteStream>) {
  const tty = stream.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  const line = (s: string) => {
    if (bar) stream.write('\n');
    stream.write(`${s}\n`);
  };
  return {
    onProgress(p: SyncProgress): void {
      switch (p.phase) {
        case 'latest':
          if (p.done === 0) line('asking dhlottery.co.kr for the latest round…');
          break;
        case 'draws':
          if (p.done === 0) {
            if (tty) {
              bar = new cliProgress.SingleBar(
                { format: 'draws  [{bar}] {value}/{total} rounds | ETA {eta_formatted}', stream: stream as NodeJS.WriteStream, hideCursor: true, clearOnComplete: false, etaBuffer: 20 },
                cliProgress.Presets.shades_classic,
              );
              bar.start(p.total, 0);
            } else {
              line(`fetching ${p.total} round(s) from dhlottery.co.kr…`);
            }
          } else if (bar) {
            bar.update(p.done);
          }
          if (p.done === p.total) {
            if (bar) {
              bar.stop();
              bar = null;
            } else if (p.done > 0) line(`fetched ${p.done} round(s)`);
          }
          break;
        case 'labels':
          if (p.done === 0) line(`fetching machine (호기) labels from lottotapa.com${p.message ? ` for ${p.message}` : ''}…`);
          break;
        case 'retry':
          line(`  ${p.message ?? 'retrying'}`);
          break;
        case 'write':
          break;
      }
    },
    stop(): void {
      bar?.stop();
      bar = null;
    },
  };
}

function report(s: SyncSummary, stored: { draws: number; labelled: number }): string {
  const out: string[] = [];
  if (s.latestRound === null) {
    out.push('dhlottery.co.kr reported no drawn round; nothing to do.');
    return out.join('\n');
  }
  out.push(`latest official round: ${s.latestRound} (stored before: ${s.previousRound ?? 'none'})`);
  const nothing = s.added === 0 && s.labelled === 0 && s.filled === 0;
  if (nothing && s.conflicts.length === 0) {
    out.push(`Up to date: nothing to add${s.previousRound !== null ? ` (round ${s.previousRound} is the newest stored)` : ''}.`);
  } else {
    out.push(`${s.dryRun ? 'dry run, would be: ' : ''}added ${s.added}, labelled ${s.labelled}, prize figures filled ${s.filled}, unchanged ${s.unchanged}, conflicts ${s.conflicts.length}`);
  }
  if (s.unlabelled.length > 0) {
    const r = s.unlabelled;
    out.push(`no machine label yet for ${r.length} round(s)${r.length <= 8 ? `: ${r.join(', ')}` : ` (${r[0]}–${r[r.length - 1]})`}`);
  }
  if (s.dryRun) out.push('dry run: nothing written');
  else if (s.written) out.push(`stored now: ${stored.draws} draws, ${stored.labelled} with a machine (호기) label`);
  return out.join('\n');
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('add new draws from dhlottery.co.kr and machine (호기) labels from lottotapa.com; never deletes or rewrites stored data')
    .option('--dry-run', 'fetch and report what would change, without writing')
    .option('--json', 'print JSON for scripts')
    .option('--timeout-ms <n>', `time limit per request (default ${HTTP_DEFAULTS.timeoutMs})`, parseIntOption('--timeout-ms'))
    .option('--retries <n>', `extra attempts after a timeout, network error or 5xx (default ${HTTP_DEFAULTS.retries})`, parseIntOption('--retries'))
    .option('--interval-ms <n>', `polite gap between requests to one site (default ${HTTP_DEFAULTS.minIntervalMs})`, parseIntOption('--interval-ms'))
    .option('--no-labels', 'do not fetch machine labels from lottotapa.com (draws only)')
    .addOption(new Option('--dhlottery-url <url>', 'draw endpoint (env HOGI_DHLOTTERY_URL)').hideHelp())
    .addOption(new Option('--lottotapa-url <url>', 'label page (env HOGI_LOTTOTAPA_URL)').hideHelp())
    .addHelpText(
      'after',
      '\nEverything is fetched before anything is written, in one transaction: when a site is\n' +
        'offline, blocking, too slow or has changed, the database stays exactly as it was.\n' +
        'A fetched value that differs from a stored one is reported as a conflict and not written;\n' +
        '`hogi import --overwrite FILE` is the deliberate way to replace stored values.\n\n' +
        `Exit codes: 0 synced (or up to date), 1 failed and nothing was changed, 2 bad arguments,\n` +
        `${EXIT_SYNC_CONFLICTS} synced but some fetched values conflict with stored ones (listed on stderr).\n` +
        'Sources: HOGI_DHLOTTERY_URL and HOGI_LOTTOTAPA_URL override the two addresses.',
    )
    .action(async function (
      this: Command,
      opts: { dryRun?: boolean; json?: boolean; timeoutMs?: number; retries?: number; intervalMs?: number; labels: boolean; dhlotteryUrl?: string; lottotapaUrl?: string },
    ) {
      if (opts.timeoutMs !== undefined && opts.timeoutMs < 1) throw new UsageError(`--timeout-ms must be ≥ 1, got ${opts.timeoutMs}`);
      if (opts.retries !== undefined && opts.retries < 0) throw new UsageError(`--retries must be ≥ 0, got ${opts.retries}`);
      if (opts.intervalMs !== undefined && opts.intervalMs < 0) throw new UsageError(`--interval-ms must be ≥ 0, got ${opts.intervalMs}`);
      const config = cliConfig();
      const urls = [
        ['--dhlottery-url or HOGI_DHLOTTERY_URL', dhlotteryUrl(opts.dhlotteryUrl, config.dhlotteryUrl)],
        ['--lottotapa-url or HOGI_LOTTOTAPA_URL', lottotapaUrl(opts.lottotapaUrl, config.lottotapaUrl)],
      ] as const;
      for (const [name, url] of urls) {
        if (!/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) throw new UsageError(`${name} must be an http(s) URL, got "${url}"`);
      }
      const retries = opts.retries ?? HTTP_DEFAULTS.retries;
      const db = dbFor(this);
      const progress = progressReporter(process.stderr);
      try {
        const draws = servicesFor(db).draws;
        let summary: SyncSummary;
        try {
          summary = await draws.sync({
            dhlotteryUrl: urls[0][1],
            lottotapaUrl: urls[1][1],
            http: { timeoutMs: opts.timeoutMs, retries, minIntervalMs: opts.intervalMs },
            dryRun: opts.dryRun ?? false,
            labels: opts.labels,
            onProgress: (p) => progress.onProgress(p),
          });
        } catch (e) {
          progress.stop();
          if (e instanceof SyncError) throw new CliFailure(explainSyncError(e, retries));
          throw e;
        }
        progress.stop();
        // Stored predictions for rounds that just arrived get their matches and prize ranks.
        if (summary.written) scorePredictions(db);
        const stored = draws.stored();
        for (const w of summary.warnings) process.stderr.write(`warning: ${w}\n`);
        if (opts.json) printJson({ ...summary, stored });
        else process.stdout.write(`${report(summary, stored)}\n`);
        if (summary.conflicts.length > 0) {
          process.stderr.write(
            `${summary.conflicts.length} fetched value(s) differ from stored data and were NOT written:\n${summary.conflicts.map((c) => `  - ${formatConflict(c)}`).join('\n')}\n` +
              'Check them; `hogi import --overwrite FILE` replaces stored values deliberately.\n',
          );
          process.exitCode = EXIT_SYNC_CONFLICTS;
        }
      } finally {
        await closeDb(db);
      }
    });
}
