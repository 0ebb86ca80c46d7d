/**
 * `hogi sync`: bring the database up to the official latest round.
 *
 * 1. Ask dhlottery for the latest round.
 * 2. Fetch what the database lacks: missing rounds, and stored rounds whose prize figures (all
 *    five tiers, and the first-prize split from round 262) are unknown. One `srchLtEpsd=all`
 *    request when the database is empty or more than `allThreshold` rounds are needed, otherwise
 *    one request per round; when selectPstLt645Info.do fails, the ten-round
 *    selectPstLt645InfoNew.do answers instead (and the other way round).
 * 3. Fetch lottotapa's machine labels for the rounds that have none (one page).
 * 4. Plan through the import service (overwrite=false) and apply in ONE transaction.
 *
 * Everything is fetched before anything is written, so a failed request (offline, blocked,
 * timeout, changed format), lottotapa's included, leaves the draws exactly as they were.
 * Machine labels are part of a sync: when lottotapa fails the whole sync fails; `labels:
 * false` (CLI --no-labels) syncs the draws alone when lottotapa is down for a while.
 *
 * Sync never rewrites stored data. A fetched value that differs from a stored one is a
 * conflict: it is reported and the record holding it is left out, while the rest (new rounds,
 * filled unknowns) is written. `hogi import --overwrite` is the deliberate way to replace stored values.
 */
import type { Draw } from '../../domain/draw.js';
import { FIRST_SPLIT_ROUND } from '../../domain/prizes.js';
import type { DrawsRepo } from '../drawsRepo.js';
import type { IncomingRecord } from '../formats/types.js';
import { applyImport, planImport, type Conflict, type ImportPlan } from '../importService.js';
import { ValidationError } from '../../domain/problems.js';
import { DhlotteryClient, dhlotteryUrl } from './dhlottery.js';
import { SyncError } from './errors.js';
import { HttpClient, type FetchFn, type HttpOptions, type RetryInfo } from './http.js';
import { FIRST_LABELLED_ROUND, LottotapaClient, lottotapaUrl } from './lottotapa.js';

export const SYNC_META_SUCCESS = 'last_sync_success';
export const SYNC_META_ERROR = 'last_sync_error';
/** More rounds needed than this and one `srchLtEpsd=all` request replaces per-round requests. */
export const DEFAULT_ALL_THRESHOLD = 10;

export type SyncPhase = 'latest' | 'draws' | 'labels' | 'write' | 'retry';

export interface SyncProgress {
  phase: SyncPhase;
  /** Rounds fetched so far (phase 'draws'), else 0 or 1. */
  done: number;
  total: number;
  message?: string;
}

export interface SyncOptions {
  repo: DrawsRepo;
  /** Injected fetch (tests, proxies); default globalThis.fetch. */
  fetch?: FetchFn;
  /** Timeout, retries, polite interval, sleep, jitter source... (see HttpOptions). */
  http?: Omit<HttpOptions, 'fetch' | 'onRetry'>;
  dhlotteryUrl?: string;
  /** The ten-round endpoint (default: selectPstLt645InfoNew.do beside dhlotteryUrl). */
  dhlotteryWindowUrl?: string;
  lottotapaUrl?: string;
  now?: () => Date;
  onProgress?: (p: SyncProgress) => void;
  /** Fetch and plan but write nothing (not even the sync state). */
  dryRun?: boolean;
  /** Fetch machine labels from lottotapa (default true). */
  labels?: boolean;
  allThreshold?: number;
}

export interface SyncSummary {
  /** dhlottery's latest round, null when it reported none. */
  latestRound: number | null;
  /** The highest stored round before the sync. */
  previousRound: number | null;
  mode: 'none' | 'all' | 'per-round';
  /** Draw records received from dhlottery. */
  fetched: number;
  /** New rounds (would be) written. */
  added: number;
  /** Rounds that gain a machine label, new ones included. */
  labelled: number;
  /** Stored rounds whose unknown prize figures (any tier, the split) get filled. */
  filled: number;
  /** Stored rounds checked against a source and found identical. */
  unchanged: number;
  /** Rounds ≥ 262 that lottotapa lists without a label (or does not list yet). */
  unlabelled: number[];
  /** Values that differ from stored ones: reported, never written. */
  conflicts: Conflict[];
  warnings: string[];
  dryRun: boolean;
  /** True when something was written. */
  written: boolean;
}

const PRIZE_FIELDS = ['firstPrizeEach', 'firstPrizeWinners', 'totalSales', 'lowerTiers', 'firstPrizeSplit'] as const;

/** A stored round some published prize figure of which is still unknown. */
function prizeUnknown(d: Draw): boolean {
  if (d.firstPrizeEach === null || d.firstPrizeWinners === null || d.totalSales === null) return true;
  if ((d.lowerTiers ?? null) === null) return true;
  // The split exists from round 262, and only says something when somebody won.
  return (d.firstPrizeSplit ?? null) === null && d.round >= FIRST_SPLIT_ROUND && d.firstPrizeWinners > 0;
}

// Right after a draw dhlottery shows the numbers with every prize figure still 0. No round ever
// had zero sales, so all-zero means "not published yet": leave them out (unknown), a later
// sync fills them in, instead of storing zeros a later sync would have to contradict.
function withoutUnpublishedPrizes(rec: IncomingRecord, warnings: string[]): IncomingRecord {
  if (rec.totalSales === 0 && rec.firstPrizeEach === 0 && rec.firstPrizeWinners === 0) {
    warnings.push(`round ${rec.round}: prize figures are not published yet; they stay unknown until a later sync`);
    const { firstPrizeEach: _a, firstPrizeWinners: _b, totalSales: _c, ...rest } = rec;
    return rest;
  }
  // The dhlottery parser already leaves out tiers and a split that read all zero.
  if (rec.lowerTiers === undefined) warnings.push(`round ${rec.round}: prize tiers 2–5 are not published yet; they stay unknown until a later sync`);
  return rec;
}

/**
 * The records again without those holding a conflict. A draw record that contradicts the stored
 * draw is dropped whole (its other fields are not trusted to fill anything either); a label
 * record carries only the machine.
 */
function dropConflicting(records: readonly IncomingRecord[], conflicts: readonly Conflict[]): IncomingRecord[] {
  const bad = new Set(conflicts.map((c) => `${c.source}\u0000${c.index}\u0000${c.round}`));
  return records.filter((r) => !bad.has(`${r.source}\u0000${r.index}\u0000${r.round}`));
}

function recordError(repo: DrawsRepo, at: Date, e: unknown): void {
  const kind = e instanceof SyncError ? e.kind : 'error';
  const host = e instanceof SyncError ? e.host : null;
  repo.setMeta(SYNC_META_ERROR, JSON.stringify({ at: at.toISOString(), kind, host, message: (e as Error).message }));
}

export async function sync(options: SyncOptions): Promise<SyncSummary> {
  const { repo } = options;
  const now = options.now ?? (() => new Date());
  const progress = options.onProgress ?? (() => {});
  const dryRun = options.dryRun ?? false;
  try {
    const summary = await run(options, now, progress, dryRun);
    if (!dryRun) {
      repo.setMeta(
        SYNC_META_SUCCESS,
        JSON.stringify({ at: now().toISOString(), latestRound: summary.latestRound, added: summary.added, labelled: summary.labelled, filled: summary.filled, conflicts: summary.conflicts.length }),
      );
    }
    return summary;
  } catch (e) {
    if (!dryRun) recordError(repo, now(), e);
    throw e;
  }
}

async function run(options: SyncOptions, now: () => Date, progress: (p: SyncProgress) => void, dryRun: boolean): Promise<SyncSummary> {
  const { repo } = options;
  const allThreshold = options.allThreshold ?? DEFAULT_ALL_THRESHOLD;
  const onRetry = (i: RetryInfo) =>
    progress({ phase: 'retry', done: i.attempt, total: 0, message: `${i.error.message}; retry ${i.attempt} in ${(i.delayMs / 1000).toFixed(1)} s` });
  // One client for both sites: the polite interval is kept per host.
  const http = new HttpClient({ ...options.http, fetch: options.fetch, onRetry });
  const warnings: string[] = [];
  const dh = new DhlotteryClient({
    http,
    baseUrl: dhlotteryUrl(options.dhlotteryUrl),
    windowUrl: options.dhlotteryWindowUrl,
    now,
    onFallback: (m) => {
      warnings.push(m);
      progress({ phase: 'retry', done: 0, total: 0, message: m });
    },
  });
  const tapa = new LottotapaClient({ http, baseUrl: lottotapaUrl(options.lottotapaUrl) });

  const stored = new Map<number, Draw>(repo.list().map((d) => [d.round, d]));
  const previousRound = stored.size > 0 ? Math.max(...stored.keys()) : null;
  const summary: SyncSummary = {
    latestRound: null, previousRound, mode: 'none', fetched: 0, added: 0, labelled: 0, filled: 0, unchanged: 0,
    unlabelled: [], conflicts: [], warnings, dryRun, written: false,
  };

  // 1. The latest round.
  progress({ phase: 'latest', done: 0, total: 1 });
  const latest = await dh.latest();
  progress({ phase: 'latest', done: 1, total: 1 });
  if (!latest) {
    warnings.push('dhlottery reported no drawn round (an empty list); nothing to add');
    return summary;
  }
  const L = latest.round;
  summary.latestRound = L;
  if (previousRound !== null && previousRound > L) {
    warnings.push(`the database holds rounds up to ${previousRound}, newer than dhlottery's latest ${L}`);
  }

  // 2. What is needed: missing rounds, and stored rounds with unknown prize figures.
  const missing: number[] = [];
  const incomplete: number[] = [];
  for (let r = 1; r <= L; r++) {
    const d = stored.get(r);
    if (!d) missing.push(r);
    else if (prizeUnknown(d)) incomplete.push(r);
  }
  const needed = new Set([...missing, ...incomplete]);
  const fetched = new Map<number, IncomingRecord>();
  if (needed.has(L)) fetched.set(L, latest);
  const toFetch = [...needed].filter((r) => r !== L).sort((a, b) => a - b);
  const notPublished: number[] = [];
  if (toFetch.length > 0) {
    if (stored.size === 0 || toFetch.length > allThreshold) {
      summary.mode = 'all';
      progress({ phase: 'draws', done: 0, total: toFetch.length });
      for (const rec of await dh.all(L)) if (needed.has(rec.round) && !fetched.has(rec.round)) fetched.set(rec.round, rec);
      for (const r of toFetch) if (!fetched.has(r)) notPublished.push(r);
      progress({ phase: 'draws', done: toFetch.length, total: toFetch.length });
    } else {
      summary.mode = 'per-round';
      progress({ phase: 'draws', done: 0, total: toFetch.length });
      for (const [i, r] of toFetch.entries()) {
        const rec = await dh.round(r);
        if (rec) fetched.set(r, rec);
        else notPublished.push(r);
        progress({ phase: 'draws', done: i + 1, total: toFetch.length });
      }
    }
  }
  summary.fetched = fetched.size;

  // A needed round the site does not serve yet: add nothing past it, so history has no holes.
  const missingUnpublished = notPublished.filter((r) => !stored.has(r));
  if (missingUnpublished.length > 0) {
    const first = missingUnpublished[0];
    warnings.push(`round ${first} is not published by dhlottery yet (empty list); rounds from ${first} on are left for a later sync`);
    for (const r of [...fetched.keys()]) if (r >= first && !stored.has(r)) fetched.delete(r);
  }
  const drawRecords = [...fetched.values()].sort((a, b) => a.round - b.round).map((r) => withoutUnpublishedPrizes(r, warnings));

  // 3. Machine labels for the rounds that have none: new ones and stored unlabelled ones.
  const labelRecords: IncomingRecord[] = [];
  if (options.labels ?? true) {
    const wanting = [...new Set([...drawRecords.map((r) => r.round), ...[...stored.values()].filter((d) => d.machine === null).map((d) => d.round)])]
      .filter((r) => r >= FIRST_LABELLED_ROUND && r <= L)
      .sort((a, b) => a - b);
    if (wanting.length > 0) {
      const from = wanting[0];
      progress({ phase: 'labels', done: 0, total: 1, message: `rounds ${from}–${L}` });
      const url = tapa.urlFor(L, from);
      const { labels } = await tapa.labels(L, from);
      progress({ phase: 'labels', done: 1, total: 1 });
      const present = new Set([...stored.keys(), ...drawRecords.map((r) => r.round)]);
      let index = 0;
      // Every label on the page is checked against what is stored: equal ones count as unchanged,
      // different ones as conflicts, never as silent relabelling.
      for (const [round, machine] of [...labels.entries()].sort((a, b) => a[0] - b[0])) {
        if (present.has(round)) labelRecords.push({ source: url, index: index++, round, machine });
      }
      summary.unlabelled = wanting.filter((r) => !labels.has(r));
    }
  } else {
    warnings.push('machine labels were not fetched (--no-labels)');
  }

  // 4. Plan, drop conflicts, apply in one transaction.
  const records = [...drawRecords, ...labelRecords];
  if (records.length === 0) return summary;
  progress({ phase: 'write', done: 0, total: 1 });
  let plan: ImportPlan = planImport(repo, { records }, { overwrite: false });
  if (plan.problems.length > 0) throw new ValidationError(plan.problems, `the fetched data does not fit the database (${plan.problems.length} problem(s)); nothing was written`);
  summary.conflicts = plan.conflicts;
  if (plan.conflicts.length > 0) {
    plan = planImport(repo, { records: dropConflicting(records, plan.conflicts) }, { overwrite: false });
    if (!plan.ok) throw new ValidationError(plan.problems, 'the fetched data does not fit the database; nothing was written');
  }
  summary.added = plan.added.length;
  summary.labelled = plan.added.filter((d) => d.machine !== null).length + plan.updated.filter((u) => u.fields.includes('machine')).length;
  summary.filled = plan.updated.filter((u) => u.fields.some((f) => (PRIZE_FIELDS as readonly string[]).includes(f))).length;
  const touched = new Set([...plan.added.map((d) => d.round), ...plan.updated.map((u) => u.after.round)]);
  summary.unchanged = plan.unchanged.filter((r) => !touched.has(r)).length;
  if (!dryRun && (plan.added.length > 0 || plan.updated.length > 0)) {
    applyImport(repo, plan, { now: now() });
    summary.written = true;
  }
  progress({ phase: 'write', done: 1, total: 1 });
  return summary;
}
