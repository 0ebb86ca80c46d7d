/**
 * Training progress, wherever the health answer reports it. The monitoring endpoint grows
 * components over time, so this looks for a `training` object (or a model component that says
 * it is training) rather than one fixed path.
 */
export interface TrainingState {
  /** 0..1, or null when only "running" is known. */
  progress: number | null;
  detail: string | null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function asTraining(x: Record<string, unknown>): TrainingState | null {
  const running = x.running === true || x.status === 'running' || x.status === 'training' || x.in_progress === true;
  if (!running) return null;
  let progress: number | null = null;
  for (const key of ['progress', 'fraction', 'percent']) {
    const v = x[key];
    if (typeof v === 'number' && Number.isFinite(v)) progress = key === 'percent' || v > 1 ? v / 100 : v;
  }
  if (progress === null && typeof x.done === 'number' && typeof x.total === 'number' && x.total > 0) progress = x.done / x.total;
  const parts: string[] = [];
  for (const key of ['stage', 'phase', 'step', 'machine', 'family', 'eta_seconds']) {
    const v = x[key];
    if (typeof v === 'string' || typeof v === 'number') parts.push(key === 'eta_seconds' ? `ETA ${Math.round(Number(v))} s` : String(v));
  }
  return { progress: progress === null ? null : Math.min(1, Math.max(0, progress)), detail: parts.length ? parts.join(' · ') : null };
}

export function findTraining(root: unknown, depth = 0): TrainingState | null {
  if (!isRecord(root) || depth > 4) return null;
  for (const [key, value] of Object.entries(root)) {
    if (!isRecord(value)) continue;
    if (/train|retrain/i.test(key)) {
      const t = asTraining(value);
      if (t) return t;
    }
    const nested = findTraining(value, depth + 1);
    if (nested) return nested;
  }
  return null;
}

/** The weekly cycle's phase (components.sync.phase) while it is doing something. */
export function cyclePhase(health: unknown): string | null {
  const sync = isRecord(health) && isRecord(health.components) ? health.components.sync : null;
  const phase = isRecord(sync) ? sync.phase : null;
  return typeof phase === 'string' && !['idle', 'stopped'].includes(phase) ? phase : null;
}
