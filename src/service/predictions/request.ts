/**
 * A prediction request: its validation (every problem named by field, one ValidationError), the
 * members it allows, the per-machine seeds, and the key of its cached answer.
 */
import { KNOWN_MACHINES, type Machine } from '../../domain/machine.js';
import { ValidationError, type Problem } from '../../domain/problems.js';
import type { Lang } from '../../strategies/constraints.js';
import { MAX_SETS } from '../../strategies/sets.js';
import { isModelFamily, type ModelFamily } from '../../models/families.js';
import { MEMBER_ORDER, type Algorithm } from '../combining/combine.js';
import { ALGORITHMS, COMBINATION_METHODS, DEFAULT_WINDOW, MAX_WINDOW, MIN_WINDOW, STACKING_NEEDS_BOTH, type PredictionRequest } from './types.js';
import type { VectorSnapshot } from './vectors.js';

/** A different, reproducible seed per machine when one request covers several. */
export function machineSeed(seed: number, machine: Machine): number {
  return ((seed | 0) + Math.imul(machine, 0x9e3779b1)) | 0;
}

/** The requested families in member order (an unknown name is refused by validateRequest). */
function membersOf(models: readonly ModelFamily[] | undefined): ModelFamily[] {
  if (!models) return [...MEMBER_ORDER];
  return MEMBER_ORDER.filter((f) => models.includes(f));
}

export interface ValidRequest {
  machines: Machine[];
  algorithm: Algorithm;
  window: number;
  members: ModelFamily[];
}

/** The request's machines, algorithm, window and members, or a ValidationError naming every bad field. */
export function validateRequest(req: PredictionRequest): ValidRequest {
  const problems: Problem[] = [];
  const machines = req.machine === 'all' ? [...KNOWN_MACHINES] : [req.machine];
  if (req.machine !== 'all' && !KNOWN_MACHINES.includes(req.machine)) {
    problems.push({ field: 'machine_type', expected: `one of ${KNOWN_MACHINES.join(', ')} or all`, found: String(req.machine) });
  }
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > MAX_SETS) problems.push({ field: 'sets_count', expected: `an integer 1..${MAX_SETS}`, found: String(req.count) });
  const algorithm = req.algorithm ?? 'enhanced';
  if (!ALGORITHMS.includes(algorithm)) problems.push({ field: 'algorithm', expected: ALGORITHMS.join(', '), found: String(algorithm) });
  if (req.method !== undefined) {
    if (!COMBINATION_METHODS.includes(req.method)) problems.push({ field: 'ensemble_method', expected: COMBINATION_METHODS.join(', '), found: String(req.method) });
    else if (algorithm !== 'enhanced') {
      problems.push({ field: 'ensemble_method', expected: `no combination method with algorithm ${algorithm} (basic uses no models; premium picks its own)`, found: req.method });
    }
  }
  const window = req.window ?? DEFAULT_WINDOW;
  if (!Number.isInteger(window) || window < MIN_WINDOW || window > MAX_WINDOW) problems.push({ field: 'analysis_window', expected: `an integer ${MIN_WINDOW}..${MAX_WINDOW}`, found: String(window) });
  if (req.seed !== undefined && !Number.isSafeInteger(req.seed)) problems.push({ field: 'seed', expected: 'an integer', found: String(req.seed) });
  const t = req.confidenceThreshold;
  if (t !== undefined && !(Number.isFinite(t) && t >= 0 && t <= 1)) problems.push({ field: 'confidence_threshold', expected: 'a number in 0..1', found: String(t) });
  const members = membersOf(req.models);
  if (req.models !== undefined) {
    const bad = req.models.filter((m) => !isModelFamily(m));
    if (bad.length) problems.push({ field: 'models', expected: MEMBER_ORDER.join(', '), found: bad.join(', ') });
    else if (members.length === 0) problems.push({ field: 'models', expected: 'at least one model', found: 'none' });
    else if (req.method === 'stacking' && members.length < 2) {
      // The API renders this problem with its own names of the families (src/api/wireNames.ts).
      problems.push({ field: 'models', expected: STACKING_NEEDS_BOTH, found: req.models.join(', ') });
    }
  }
  if (problems.length) throw new ValidationError(problems, 'invalid prediction request');
  return { machines, algorithm, window, members };
}

/**
 * Everything an answer depends on besides the seed: the vectors' identity, the normalised
 * request and, for premium, the method ranking it would follow.
 */
export function responseKey(
  snapshot: VectorSnapshot,
  req: PredictionRequest,
  valid: Omit<ValidRequest, 'machines'>,
  lang: Lang,
  ranking: { method: string; source: string } | null,
): string {
  const { algorithm, window, members } = valid;
  const sorted = (xs: readonly number[] | undefined) => (xs ? [...xs].sort((a, b) => a - b) : null);
  return JSON.stringify([
    snapshot.cacheKey,
    req.source ?? 'api-generate',
    // A cache hit returns the stored prediction of the first asker: only to the same key.
    req.apiKeyId ?? null,
    req.machine,
    req.count,
    algorithm,
    req.method ?? null,
    members,
    window,
    sorted(req.include),
    sorted(req.exclude),
    lang,
    req.confidenceThreshold ?? null,
    ranking,
    req.avoidSharing === true,
  ]);
}
