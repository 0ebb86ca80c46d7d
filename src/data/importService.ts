// Import rules: merge parsed records with what is stored, decide what changes, write all or nothing.
// planImport only reads; applyImport writes the whole plan in one transaction. `hogi import` and
// `hogi sync` both go through these two functions, so the rules below hold for every writer:
//  - every problem in every source is collected; any problem means nothing is written;
//  - a value the sources leave out (undefined) never clears a stored one;
//  - filling a stored null (e.g. a machine label for an unlabelled round) is an update;
//  - a value that differs from a stored non-null one is a conflict: the whole import is refused
//    unless `overwrite`, in which case the incoming value wins;
//  - two records of one batch that give different values for a round's field is a problem;
//  - a new round needs date, numbers and bonus from some record of the batch.
import { validateDraw, type Draw } from '../domain/draw.js';
import { formatMachine } from '../domain/machine.js';
import { describeLowerTiers, describeSplit, type FirstPrizeSplit, type LowerTiers } from '../domain/prizes.js';
import { show, type Problem } from '../domain/problems.js';
import type { DrawsRepo } from './drawsRepo.js';
import { RECORD_FIELDS, type IncomingRecord, type RecordField } from './formats/types.js';

/** Parsed input: the records of one or more sources and the problems their parsers found. */
export interface ImportInput {
  records: readonly IncomingRecord[];
  problems?: readonly Problem[];
}

export interface ImportOptions {
  /** Let incoming values replace differing stored ones (default false: refuse the import). */
  overwrite?: boolean;
}

/** A stored value an incoming record disagrees with. */
export interface Conflict {
  round: number;
  field: RecordField;
  stored: string;
  incoming: string;
  source: string;
  index: number;
}

export interface DrawUpdate {
  before: Draw;
  after: Draw;
  /** Fields whose value changes. */
  fields: RecordField[];
}

export interface ImportPlan {
  overwrite: boolean;
  /** New rounds, in round order. */
  added: Draw[];
  /** Stored rounds that change, in round order. */
  updated: DrawUpdate[];
  /** Rounds whose incoming values all match what is stored. */
  unchanged: number[];
  /** Records refused: with a problem, or (without overwrite) in conflict with stored data. */
  rejected: number;
  problems: Problem[];
  conflicts: Conflict[];
  /** True when applyImport would write: no problems, and no conflicts unless overwrite. */
  ok: boolean;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
}

export class ImportRefusedError extends Error {
  readonly plan: ImportPlan;
  constructor(plan: ImportPlan) {
    const why = plan.problems.length > 0 ? `${plan.problems.length} problem(s)` : `${plan.conflicts.length} conflict(s) with stored data (use --overwrite to replace them)`;
    super(`import refused: ${why}; nothing was written`);
    this.name = 'ImportRefusedError';
    this.plan = plan;
  }
}

/** Flatten several parse results into one input. */
export function combineInputs(inputs: readonly ImportInput[]): ImportInput {
  return { records: inputs.flatMap((i) => i.records), problems: inputs.flatMap((i) => i.problems ?? []) };
}

type FieldValue = Draw[RecordField];

function same(a: FieldValue, b: FieldValue): boolean {
  // Numbers are arrays of integers; prize tiers and the split are small plain objects with fixed keys.
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function display(field: RecordField, v: FieldValue): string {
  if (v === null || v === undefined) return 'nothing';
  if (field === 'machine') return formatMachine(v as number);
  if (field === 'numbers') return (v as readonly number[]).join(',');
  if (field === 'lowerTiers') return describeLowerTiers(v as LowerTiers);
  if (field === 'firstPrizeSplit') return describeSplit(v as FirstPrizeSplit);
  return show(v);
}

const recordKey = (source: string, index: number | undefined) => `${source}\u0000${index ?? 'file'}`;

/** Work out what importing `input` would do. Reads the repository; writes nothing. */
export function planImport(repo: DrawsRepo, input: ImportInput, options: ImportOptions = {}): ImportPlan {
  const overwrite = options.overwrite ?? false;
  const problems: Problem[] = [...(input.problems ?? [])];
  const conflicts: Conflict[] = [];
  const added: Draw[] = [];
  const updated: DrawUpdate[] = [];
  const unchanged: number[] = [];

  const byRound = new Map<number, IncomingRecord[]>();
  for (const r of input.records) {
    const group = byRound.get(r.round);
    if (group) group.push(r);
    else byRound.set(r.round, [r]);
  }
  const rounds = [...byRound.keys()].sort((a, b) => a - b);
  const stored = new Map<number, Draw>();
  if (rounds.length > 0) {
    for (const d of repo.list({ from: rounds[0], to: rounds[rounds.length - 1] })) stored.set(d.round, d);
  }

  for (const round of rounds) {
    const group = byRound.get(round) as IncomingRecord[];
    // Merge the batch's records for this round, field by field; disagreement inside a batch is a problem.
    const merged: Partial<Record<RecordField, FieldValue>> = {};
    const origin: Partial<Record<RecordField, IncomingRecord>> = {};
    let groupOk = true;
    for (const rec of group) {
      for (const f of RECORD_FIELDS) {
        const v = rec[f];
        if (v === undefined) continue;
        const first = origin[f];
        if (first === undefined) {
          merged[f] = v;
          origin[f] = rec;
        } else if (!same(merged[f] as FieldValue, v)) {
          groupOk = false;
          problems.push({
            source: rec.source, index: rec.index, round, field: f,
            expected: `${display(f, merged[f] as FieldValue)}, as ${first.source} record ${first.index} says`,
            found: display(f, v),
          });
        }
      }
    }
    if (!groupOk) continue;

    const before = stored.get(round);
    if (!before) {
      const missing = (['date', 'numbers', 'bonus'] as const).filter((f) => merged[f] === undefined);
      if (missing.length > 0) {
        const rec = group[0];
        for (const f of missing) {
          problems.push({ source: rec.source, index: rec.index, round, field: f, expected: `a ${f} (round ${round} is not stored, so the import must carry its date, numbers and bonus)`, found: 'nothing' });
        }
        continue;
      }
      const v = validateDraw({ round, ...merged }, { index: group[0].index, source: group[0].source });
      if (v.draw) added.push(v.draw);
      else problems.push(...v.problems);
      continue;
    }

    const after: Draw = { ...before, memo: before.memo ?? null };
    const changed: RecordField[] = [];
    for (const f of RECORD_FIELDS) {
      const v = merged[f];
      if (v === undefined) continue;
      const old = after[f] ?? null;
      if (old !== null && same(old, v)) continue;
      if (old !== null) {
        const rec = origin[f] as IncomingRecord;
        conflicts.push({ round, field: f, stored: display(f, old), incoming: display(f, v), source: rec.source, index: rec.index });
        if (!overwrite) continue;
      }
      // merged[f] holds field f's own kind of value (the parsers checked it), so the draw stays well-typed.
      Object.assign(after, { [f]: v });
      changed.push(f);
    }
    if (changed.length === 0) {
      unchanged.push(round);
      continue;
    }
    // Overwriting numbers or bonus alone could leave the bonus among the numbers.
    const v = validateDraw(after, { index: group[0].index, source: group[0].source });
    if (v.draw) updated.push({ before, after: v.draw, fields: changed });
    else problems.push(...v.problems);
  }

  const rejectedKeys = new Set(problems.map((p) => recordKey(p.source ?? '', p.index)));
  if (!overwrite) for (const c of conflicts) rejectedKeys.add(recordKey(c.source, c.index));
  return {
    overwrite,
    added,
    updated,
    unchanged,
    rejected: rejectedKeys.size,
    problems,
    conflicts,
    ok: problems.length === 0 && (overwrite || conflicts.length === 0),
  };
}

export function countPlan(plan: ImportPlan): ImportCounts {
  return { added: plan.added.length, updated: plan.updated.length, unchanged: plan.unchanged.length, rejected: plan.rejected, conflicts: plan.conflicts.length };
}

const sameDraw = (a: Draw | null, b: Draw | null) =>
  a === b || (a !== null && b !== null && RECORD_FIELDS.every((f) => same(a[f] ?? null, b[f] ?? null)) && a.round === b.round);

/**
 * Write a plan made by planImport: every added and updated draw in ONE transaction, or nothing.
 * Throws ImportRefusedError when the plan is not ok, and refuses a plan made against data that
 * changed since (another writer got in between). A plan with nothing to change writes nothing,
 * so the data version stays the same.
 */
export function applyImport(repo: DrawsRepo, plan: ImportPlan, options: { now?: Date } = {}): ImportCounts {
  if (!plan.ok) throw new ImportRefusedError(plan);
  const writes = [...plan.added, ...plan.updated.map((u) => u.after)];
  if (writes.length > 0) {
    const stale = [...plan.added.map((d) => [d.round, null] as const), ...plan.updated.map((u) => [u.before.round, u.before] as const)].find(
      ([round, expected]) => !sameDraw(repo.get(round), expected),
    );
    if (stale) throw new Error(`round ${stale[0]} changed since the import was planned; run the import again`);
    repo.upsertMany(writes, (options.now ?? new Date()).toISOString());
  }
  return countPlan(plan);
}
