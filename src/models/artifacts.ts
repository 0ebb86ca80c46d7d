/**
 * Reading artefacts back: every loader gets `unknown` (a manifest parsed from disk, weights
 * from a file) and must say exactly which field is wrong instead of trusting a cast.
 */
import type { ArtifactManifest, Json, ModelArtifacts, TrainedRounds } from './types.js';

/** A saved model or member that cannot be loaded; the message names the class and the field. */
export class ArtifactError extends Error {
  constructor(who: string, field: string, problem: string) {
    super(`${who} artefact: ${field} ${problem}`);
    this.name = 'ArtifactError';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Field readers for one artefact: each throws an ArtifactError naming `who` and the field. */
export function fieldReader(who: string) {
  const fail = (field: string, problem: string): never => {
    throw new ArtifactError(who, field, problem);
  };
  return {
    fail,
    record(v: unknown, field: string): Record<string, unknown> {
      return isRecord(v) ? v : fail(field, `must be an object, got ${show(v)}`);
    },
    number(v: unknown, field: string): number {
      return typeof v === 'number' && Number.isFinite(v) ? v : fail(field, `must be a finite number, got ${show(v)}`);
    },
    integer(v: unknown, field: string, min = Number.MIN_SAFE_INTEGER): number {
      return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(field, `must be an integer ≥ ${min}, got ${show(v)}`);
    },
    string(v: unknown, field: string): string {
      return typeof v === 'string' ? v : fail(field, `must be a string, got ${show(v)}`);
    },
    boolean(v: unknown, field: string): boolean {
      return typeof v === 'boolean' ? v : fail(field, `must be true or false, got ${show(v)}`);
    },
    numbers(v: unknown, field: string): number[] {
      if (!Array.isArray(v)) return fail(field, `must be an array of numbers, got ${show(v)}`);
      return v.map((x, i) => (typeof x === 'number' && Number.isFinite(x) ? x : fail(`${field}[${i}]`, `must be a finite number, got ${show(x)}`)));
    },
    /** The trained-rounds record, or null when absent/null. */
    trainedRounds(v: unknown, field: string): TrainedRounds | null {
      if (v === null || v === undefined) return null;
      const r = isRecord(v) ? v : fail(field, `must be an object with from, to and count, got ${show(v)}`);
      return {
        from: this.integer(r.from, `${field}.from`),
        to: this.integer(r.to, `${field}.to`),
        count: this.integer(r.count, `${field}.count`, 0),
      };
    },
  };
}

export type FieldReader = ReturnType<typeof fieldReader>;

/**
 * Checks the envelope every artefact shares: an object with a manifest object (of class
 * `className`, with one of the `formatVersions` this build reads) and named Float32Array
 * weights. Returns them typed; the family then checks its own fields.
 */
export function readArtifacts(artifacts: unknown, className: string, formatVersions: readonly number[]): ModelArtifacts<ArtifactManifest> {
  const r = fieldReader(className);
  const a = r.record(artifacts, 'artefacts');
  const m = r.record(a.manifest, 'manifest');
  if (m.className !== className) r.fail('manifest.className', `is ${show(m.className)}, expected "${className}"`);
  if (typeof m.formatVersion !== 'number' || !formatVersions.includes(m.formatVersion)) {
    r.fail('manifest.formatVersion', `is ${show(m.formatVersion)}; this build reads format ${formatVersions.join(' or ')}`);
  }
  const w = r.record(a.weights ?? {}, 'weights');
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(w)) weights[k] = v instanceof Float32Array ? v : r.fail(`weights["${k}"]`, 'must be a Float32Array');
  return { manifest: { ...jsonRecord(m, 'manifest', r), className, formatVersion: m.formatVersion as number }, weights };
}

function jsonRecord(v: Record<string, unknown>, field: string, r: FieldReader): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x, `${field}.${k}`, r);
  return out;
}

function toJson(v: unknown, field: string, r: FieldReader): Json {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : r.fail(field, `must be a finite number, got ${String(v)}`);
  if (Array.isArray(v)) return v.map((x, i) => toJson(x, `${field}[${i}]`, r));
  if (isRecord(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) return jsonRecord(v, field, r);
  return r.fail(field, `is not JSON data (${typeof v})`);
}

/** A plain-data value (params, scores, a tree's JSON) as manifest JSON; throws on anything JSON cannot hold. */
export function asJson(value: unknown, what: string): Json {
  return toJson(value, what, fieldReader('manifest'));
}

/** The weights whose names start with `prefix/`, with the prefix taken off. */
export function weightsUnder(weights: Record<string, Float32Array>, prefix: string): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(weights)) if (k.startsWith(`${prefix}/`)) out[k.slice(prefix.length + 1)] = v;
  return out;
}

/**
 * Checks `value` against a template of the expected plain-data params: every key of the
 * template must be present with the same JSON type. Keys in `free` (unions such as
 * `machine: number | 'all'`) are left to the family's own validator. Returns the problems,
 * each naming its field.
 */
export function shapeProblems(value: unknown, template: unknown, field: string, free: readonly string[] = []): string[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (isRecord(template)) {
    if (!isRecord(value)) return [`${field} must be an object, got ${show(value)}`];
    return Object.keys(template).flatMap((k) => (free.includes(k) ? [] : shapeProblems(value[k], template[k], `${field}.${k}`, free)));
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(value)) return [`${field} must be an array, got ${show(value)}`];
    return template.length ? value.flatMap((x, i) => shapeProblems(x, template[0], `${field}[${i}]`, free)) : [];
  }
  if (kind(value) !== kind(template)) return [`${field} must be a ${kind(template)}, got ${show(value)}`];
  if (typeof value === 'number' && !Number.isFinite(value)) return [`${field} must be finite, got ${show(value)}`];
  return [];
}
