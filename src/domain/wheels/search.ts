/**
 * Wheel construction as a covering search over pool indices.
 *
 * A problem is (T, m, p, fixed): tickets are the fixed numbers plus 6 − k free pool numbers, and
 * every p-subset of the pool must meet some ticket in ≥ m numbers. Three searches:
 *  - greedy: repeatedly take an uncovered p-subset and, of a sample of tickets that cover it, the
 *    one covering the most uncovered p-subsets;
 *  - local search (simulated annealing, after Nurmela and Östergård's covering-design search):
 *    with one ticket fewer, pick an uncovered p-subset, a ticket one number short of covering it,
 *    and swap a number in; accept by the change in uncovered count and a falling temperature;
 *  - exact: depth-first search over the tickets covering the first uncovered p-subset, with a
 *    counting bound; it either finds a wheel of the asked size or proves none exists (within a
 *    node limit).
 * Everything random draws from a seeded Random, so a seed reproduces the wheel.
 */
import { Random } from '../random.js';
import { binomial, nextSameCount, popcount, subsetsOfMask } from './bits.js';
import { MAX_POOL, TICKET_SIZE } from './verify.js';

export interface CoverProblem {
  /** Pool size T (7..20). */
  readonly size: number;
  readonly match: number;
  readonly if: number;
  /** Pool indices on every ticket (mask). */
  readonly fixedMask: number;
}

export interface SearchOptions {
  seed: number;
  /** Annealing moves allowed at each ticket count below the greedy wheel (default 200,000). */
  movesPerLevel?: number;
  /** Total annealing moves over all levels (default 4,000,000). */
  totalMoves?: number;
  /**
   * Bound on the annealing's work over all levels, counted per move as the tickets it scans plus
   * twice the p-subsets a swap can change (swapReach), so costly moves get fewer of them; default
   * unbounded. The request path uses it to bound its time.
   */
  maxWork?: number;
  /** Stop once a wheel this small is found. */
  target?: number;
  /** Tickets sampled per greedy step (default 24). */
  greedySample?: number;
  /** Starting temperature of the annealing (default: scaled to how many p-subsets one swap can change). */
  temperature?: number;
  /** Share of annealing moves that swap at random instead of aiming at an uncovered p-subset (default 0). */
  randomMoves?: number;
  /**
   * A wheel (ticket masks) to continue from instead of the greedy one, e.g. a table cell to
   * improve; it must cover every p-subset. Default: the seeded greedy wheel.
   */
  start?: readonly number[];
}

export interface SearchResult {
  tickets: number[];
  movesUsed: number;
}

/** Why a problem has no wheel at all: the fixed numbers leave too few free places. */
export function infeasibility(pr: CoverProblem): string | null {
  const k = popcount(pr.fixedMask);
  const free = TICKET_SIZE - k;
  // The worst draw avoids the fixed numbers as far as the pool allows; a ticket then matches
  // its fixed numbers among the draw plus at most `free` others.
  const minFixedHit = Math.max(0, pr.if - (pr.size - k));
  const best = minFixedHit + Math.min(pr.if - minFixedHit, free);
  if (best >= pr.match) return null;
  return `with ${k} fixed numbers a ticket has ${free} free places, so ${pr.if} drawn pool numbers outside the fixed ones can match at most ${best}`;
}

/** Shared state: p-subsets, their ranks, cover counts and the list of uncovered ones. */
class Cover {
  readonly size: number;
  readonly m: number;
  readonly p: number;
  readonly fixed: number;
  readonly freeMask: number;
  readonly all: number;
  readonly draws: Int32Array;
  readonly rank: Int32Array;
  readonly cov: Uint16Array;
  readonly unc: Int32Array;
  readonly pos: Int32Array;
  uncCount: number;
  private readonly inBuf = new Int32Array(32);
  private readonly outBuf = new Int32Array(binomial(MAX_POOL, 3) + 1);

  constructor(pr: CoverProblem) {
    this.size = pr.size;
    this.m = pr.match;
    this.p = pr.if;
    this.fixed = pr.fixedMask;
    this.all = (1 << pr.size) - 1;
    this.freeMask = this.all & ~pr.fixedMask;
    const n = binomial(pr.size, pr.if);
    this.draws = new Int32Array(n);
    this.rank = new Int32Array(1 << pr.size);
    for (let d = (1 << pr.if) - 1, i = 0; i < n; d = nextSameCount(d), i++) {
      this.draws[i] = d;
      this.rank[d] = i;
    }
    this.cov = new Uint16Array(n);
    this.unc = new Int32Array(n);
    this.pos = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.unc[i] = i;
      this.pos[i] = i;
    }
    this.uncCount = n;
  }

  /** Calls fn(rank) for every p-subset that `ticket` meets in ≥ m numbers. */
  forCovered(ticket: number, fn: (d: number) => void): void {
    const off = this.all & ~ticket;
    for (let j = Math.max(this.m, this.p - (this.size - TICKET_SIZE)); j <= this.p; j++) {
      const nIn = subsetsOfMask(ticket, j, this.inBuf);
      const nOut = subsetsOfMask(off, this.p - j, this.outBuf);
      for (let a = 0; a < nIn; a++) for (let c = 0; c < nOut; c++) fn(this.rank[this.inBuf[a] | this.outBuf[c]]);
    }
  }

  /** How many currently uncovered p-subsets `ticket` would cover. */
  gain(ticket: number): number {
    let g = 0;
    this.forCovered(ticket, (d) => {
      if (this.cov[d] === 0) g++;
    });
    return g;
  }

  /** Draws only `ticket` covers (cover count 1 among its draws). */
  unique(ticket: number): number {
    let u = 0;
    this.forCovered(ticket, (d) => {
      if (this.cov[d] === 1) u++;
    });
    return u;
  }

  private markCovered(d: number): void {
    const i = this.pos[d];
    const last = this.unc[--this.uncCount];
    this.unc[i] = last;
    this.pos[last] = i;
    this.unc[this.uncCount] = d;
    this.pos[d] = this.uncCount;
  }

  private markUncovered(d: number): void {
    const i = this.pos[d];
    const first = this.unc[this.uncCount];
    this.unc[i] = first;
    this.pos[first] = i;
    this.unc[this.uncCount] = d;
    this.pos[d] = this.uncCount;
    this.uncCount++;
  }

  inc(d: number): void {
    if (this.cov[d]++ === 0) this.markCovered(d);
  }

  dec(d: number): void {
    if (--this.cov[d] === 0) this.markUncovered(d);
  }

  add(ticket: number): void {
    this.forCovered(ticket, (d) => this.inc(d));
  }

  remove(ticket: number): void {
    this.forCovered(ticket, (d) => this.dec(d));
  }
}

function randomBit(mask: number, rnd: Random): number {
  let n = rnd.nextInt(popcount(mask));
  for (let m = mask; ; m &= m - 1) {
    if (n-- === 0) return m & -m;
  }
}

/** A ticket that covers p-subset `d`: the fixed numbers, enough of d's numbers, random others. */
function ticketCovering(c: Cover, d: number, rnd: Random): number {
  let t = c.fixed;
  const needed = Math.max(0, c.m - popcount(d & c.fixed));
  let fromD = d & ~c.fixed;
  for (let i = 0; i < needed; i++) {
    const b = randomBit(fromD, rnd);
    t |= b;
    fromD &= ~b;
  }
  let rest = c.all & ~t;
  while (popcount(t) < TICKET_SIZE) {
    const b = randomBit(rest, rnd);
    t |= b;
    rest &= ~b;
  }
  return t;
}

function greedy(c: Cover, rnd: Random, sample: number): number[] {
  const tickets: number[] = [];
  while (c.uncCount > 0) {
    const d = c.draws[c.unc[rnd.nextInt(c.uncCount)]];
    let best = -1;
    let bestGain = -1;
    for (let s = 0; s < sample; s++) {
      const t = ticketCovering(c, d, rnd);
      const g = c.gain(t);
      if (g > bestGain) {
        bestGain = g;
        best = t;
      }
    }
    c.add(best);
    tickets.push(best);
  }
  return tickets;
}

/**
 * Change in uncovered count if ticket `t` swaps out x for y (single bits), and, when `apply`,
 * makes the swap in the cover counts. The p-subsets that change are exactly those holding m−1
 * numbers of t∖x, p−m numbers off t∪y, and x (lost) or y (gained).
 */
function swapDelta(c: Cover, t: number, x: number, y: number, apply: boolean, aBuf: Int32Array, oBuf: Int32Array): number {
  const rest = t & ~x;
  const nA = subsetsOfMask(rest, c.m - 1, aBuf);
  const nO = subsetsOfMask(c.all & ~(t | y), c.p - c.m, oBuf);
  let delta = 0;
  for (let a = 0; a < nA; a++) {
    for (let o = 0; o < nO; o++) {
      const base = aBuf[a] | oBuf[o];
      const lost = c.rank[base | x];
      const won = c.rank[base | y];
      if (apply) {
        c.dec(lost);
        c.inc(won);
      } else {
        if (c.cov[lost] === 1) delta++;
        if (c.cov[won] === 0) delta--;
      }
    }
  }
  return delta;
}

/**
 * Simulated annealing at a fixed ticket count until nothing is uncovered or `moves` run out.
 * Returns the moves used.
 */
function anneal(c: Cover, tickets: number[], rnd: Random, moves: number, t0: number, randomShare: number): number {
  const aBuf = new Int32Array(32);
  const oBuf = new Int32Array(binomial(MAX_POOL, 3) + 1);
  const tEnd = t0 / 14;
  const cool = Math.pow(tEnd / t0, 1 / Math.max(1, moves));
  let temp = t0;
  let used = 0;
  const n = tickets.length;
  while (c.uncCount > 0 && used < moves) {
    used++;
    temp *= cool;
    const d = c.draws[c.unc[rnd.nextInt(c.uncCount)]];
    // A ticket one number short of covering d, chosen uniformly (reservoir).
    let pick = -1;
    let seen = 0;
    const aimed = randomShare === 0 || rnd.nextFloat() >= randomShare;
    for (let i = 0; aimed && i < n; i++) {
      const t = tickets[i];
      if (popcount(t & d) === c.m - 1 && (t & ~d & c.freeMask) !== 0) {
        seen++;
        if (rnd.nextInt(seen) === 0) pick = i;
      }
    }
    let x: number;
    let y: number;
    if (pick < 0) {
      pick = rnd.nextInt(n);
      x = randomBit(tickets[pick] & c.freeMask, rnd);
      y = randomBit(c.freeMask & ~tickets[pick], rnd);
    } else {
      x = randomBit(tickets[pick] & ~d & c.freeMask, rnd);
      y = randomBit(d & ~tickets[pick], rnd);
    }
    const t = tickets[pick];
    const delta = swapDelta(c, t, x, y, false, aBuf, oBuf);
    if (delta <= 0 || rnd.nextFloat() < Math.exp(-delta / temp)) {
      swapDelta(c, t, x, y, true, aBuf, oBuf);
      tickets[pick] = (t & ~x) | y;
    }
  }
  return used;
}

/** p-subsets one swap can change: C(5, m−1) · C(T − 7, p − m). */
export function swapReach(pr: CoverProblem): number {
  return binomial(TICKET_SIZE - 1, pr.match - 1) * binomial(pr.size - TICKET_SIZE - 1, pr.if - pr.match);
}

/** Annealing temperature: 0.7 where a swap changes few p-subsets, growing with the square root of its reach. */
export function defaultTemperature(pr: CoverProblem): number {
  return 0.7 * Math.max(1, Math.sqrt(swapReach(pr) / 10));
}

/**
 * Greedy wheel, then one ticket fewer at a time: drop the ticket that alone covers the fewest
 * p-subsets and anneal until covered again; stops at the first count the moves do not reach.
 * Deterministic for a seed. Throws when the problem has no wheel (see infeasibility).
 */
export function searchWheel(pr: CoverProblem, opts: SearchOptions): SearchResult {
  const why = infeasibility(pr);
  if (why) throw new Error(why);
  const rnd = new Random(opts.seed);
  const c = new Cover(pr);
  let tickets: number[];
  if (opts.start) {
    tickets = [...opts.start];
    for (const t of tickets) c.add(t);
    if (c.uncCount > 0) throw new Error(`searchWheel: the start wheel leaves ${c.uncCount} p-subsets uncovered`);
  } else tickets = greedy(c, rnd, opts.greedySample ?? 24);
  let best = [...tickets].sort((a, b) => a - b);
  const perLevel = opts.movesPerLevel ?? 200_000;
  const t0 = opts.temperature ?? defaultTemperature(pr);
  let budget = opts.totalMoves ?? 4_000_000;
  let work = opts.maxWork ?? Infinity;
  const reach = swapReach(pr);
  let used = 0;
  while (tickets.length > 1 && budget > 0 && work > 0 && !(opts.target !== undefined && best.length <= opts.target)) {
    let drop = 0;
    let fewest = Infinity;
    for (let i = 0; i < tickets.length; i++) {
      const u = c.unique(tickets[i]);
      if (u < fewest) {
        fewest = u;
        drop = i;
      }
    }
    c.remove(tickets[drop]);
    tickets = tickets.filter((_, i) => i !== drop);
    const perMove = tickets.length + 2 * reach;
    const spent = anneal(c, tickets, rnd, Math.min(perLevel, budget, Math.ceil(work / perMove)), t0, opts.randomMoves ?? 0);
    work -= spent * perMove;
    used += spent;
    budget -= spent;
    if (c.uncCount > 0) break;
    best = [...tickets].sort((a, b) => a - b);
  }
  return { tickets: best, movesUsed: used };
}

export type ExactOutcome = { kind: 'found'; tickets: number[] } | { kind: 'none' } | { kind: 'unknown' };

/**
 * Exact search for a wheel of at most `count` tickets: depth-first over the tickets covering the
 * first uncovered p-subset (every wheel must hold one of them), pruned when the uncovered count
 * exceeds what the remaining tickets could cover at most. 'none' is a proof that no wheel of
 * `count` tickets exists; 'unknown' means the node limit ran out first. Meant for small pools.
 */
export function exactWheel(pr: CoverProblem, count: number, nodeLimit = 2_000_000): ExactOutcome {
  if (infeasibility(pr)) return { kind: 'none' };
  const c = new Cover(pr);
  const free = c.freeMask;
  const k = popcount(pr.fixedMask);
  const candidates: number[] = [];
  const freeBits: number[] = [];
  for (let i = 0; i < pr.size; i++) if (free & (1 << i)) freeBits.push(i);
  for (let s = (1 << (TICKET_SIZE - k)) - 1; s < 1 << freeBits.length; s = nextSameCount(s)) {
    let t = pr.fixedMask;
    for (let i = 0; i < freeBits.length; i++) if (s & (1 << i)) t |= 1 << freeBits[i];
    candidates.push(t);
    if (TICKET_SIZE - k === 0) break;
  }
  const coverLists = candidates.map((t) => {
    const out: number[] = [];
    c.forCovered(t, (d) => out.push(d));
    return Int32Array.from(out);
  });
  const maxCover = Math.max(...coverLists.map((l) => l.length));
  const byDraw: number[][] = Array.from({ length: c.draws.length }, () => []);
  coverLists.forEach((l, ci) => {
    for (const d of l) byDraw[d].push(ci);
  });
  const chosen: number[] = [];
  let nodes = 0;
  let aborted = false;
  let wheel: number[] | null = null;
  const cov = new Uint16Array(c.draws.length);
  let uncovered = c.draws.length;
  const dfs = (): boolean => {
    if (uncovered === 0) {
      wheel = chosen.map((ci) => candidates[ci]);
      return true;
    }
    if (++nodes > nodeLimit) {
      aborted = true;
      return false;
    }
    const left = count - chosen.length;
    if (left === 0 || uncovered > left * maxCover) return false;
    // Branch on the uncovered p-subset with the fewest covering tickets.
    let target = -1;
    let fewest = Infinity;
    for (let d = 0; d < cov.length; d++) {
      if (cov[d] === 0 && byDraw[d].length < fewest) {
        fewest = byDraw[d].length;
        target = d;
      }
    }
    // At the root every ticket covering the target is equivalent to any other that shares as
    // many free numbers with it (relabel the free numbers in and out of it), so one of each suffices.
    const seenOverlap = new Set<number>();
    for (const ci of byDraw[target]) {
      if (chosen.length === 0) {
        const overlap = popcount(candidates[ci] & c.draws[target] & free);
        if (seenOverlap.has(overlap)) continue;
        seenOverlap.add(overlap);
      }
      const l = coverLists[ci];
      for (let i = 0; i < l.length; i++) if (cov[l[i]]++ === 0) uncovered--;
      chosen.push(ci);
      const ok = dfs();
      chosen.pop();
      for (let i = 0; i < l.length; i++) if (--cov[l[i]] === 0) uncovered++;
      if (ok || aborted) return ok;
    }
    return false;
  };
  // TypeScript does not see the closure assign `wheel`, so it needs the cast.
  if (dfs() && wheel !== null) return { kind: 'found', tickets: [...(wheel as number[])].sort((a, b) => a - b) };
  return aborted ? { kind: 'unknown' } : { kind: 'none' };
}
