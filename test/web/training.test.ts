// How the dashboard reads the weekly retrain's progress from the health answer (components.sync.training).
import { describe, expect, it } from 'vitest';
import { cyclePhase, trainingLabel, trainingModelLabel, trainingOf, trainingPercent, type TrainingProgress } from '../../web/src/training.js';
import type { Health } from '../../web/src/types.js';

type Sync = NonNullable<Health['components']['sync']>;

/** A complete health answer (typed from the server's schema, so tsc rejects a drifted fixture) with the given sync component. */
function health(sync: Partial<Sync> | null): Health {
  const database = { status: 'ok' as const, response_time_ms: 0.2, latest_round: 1200, total_draws: 1200, data_version: 3, freshness: null };
  const base: Sync = {
    status: 'ok',
    last_success: '2026-11-28T12:05:00.000Z',
    last_success_round: 1200,
    last_error: null,
    last_error_at: null,
    scheduler: 'on',
    schedule: 'Saturdays 21:00 KST',
    phase: 'idle',
    next_run: null,
    next_run_kst: null,
    last_cycle: null,
    training: null,
  };
  const h: Health = {
    status: 'healthy',
    timestamp: '2026-11-28T12:10:00.000Z',
    reasons: [],
    reason_codes: [],
    database,
    components: { database, ml_models: null, cache: null, sync: sync === null ? null : { ...base, ...sync } },
    hint: null,
  };
  return h;
}

// Two of six models done, the third (machine 1's Transformer) at epoch 12 of 20: (2 + 12/20) / 6.
const midway: TrainingProgress = {
  running: true,
  models_total: 6,
  models_done: 2,
  current: { key: 'transformer-m1-small', family: 'transformer', machine: 1, value: 12, total: 20 },
  fraction: (2 + 12 / 20) / 6,
  started_at: '2026-11-28T12:06:00.000Z',
};

describe('training progress in the health answer', () => {
  it('reads the running retrain from components.sync.training as the server sends it', () => {
    const h = health({ phase: 'training', training: midway });
    expect(trainingOf(h)).toEqual(midway);
    // 2.6 / 6 = 0.4333… → 43 %.
    expect(trainingPercent(trainingOf(h)!)).toBe(43);
  });

  it('reports nothing when no retrain runs or the server has no weekly cycle, so no bar is shown', () => {
    expect(trainingOf(health({ phase: 'idle', training: null }))).toBeNull();
    expect(trainingOf(health(null))).toBeNull();
    expect(trainingOf(null)).toBeNull();
  });

  it('names the model in training with its machine and epochs or steps, in Korean and English', () => {
    expect(trainingModelLabel(midway.current!, 'ko')).toBe('1호기 Transformer 12/20 에폭');
    expect(trainingModelLabel(midway.current!, 'en')).toBe('Machine 1 Transformer 12/20 epochs');
    const pooled = { key: 'ensemble-all-small', family: 'ensemble' as const, machine: 'all' as const, value: 3, total: 6 };
    expect(trainingModelLabel(pooled, 'ko')).toBe('전체 호기 RF/GB/MLP 앙상블 3/6 단계');
    expect(trainingModelLabel(pooled, 'en')).toBe('All machines RF/GB/MLP ensemble 3/6 steps');
    expect(trainingLabel(midway, 'en')).toBe('Models 2/6 · Machine 1 Transformer 12/20 epochs');
    // Between two models there is no current one: only the count.
    expect(trainingLabel({ ...midway, models_done: 3, current: null, fraction: 0.5 }, 'ko')).toBe('모델 3/6');
  });

  it('keeps the bar within 0..100 %', () => {
    expect(trainingPercent({ ...midway, fraction: 0 })).toBe(0);
    expect(trainingPercent({ ...midway, fraction: 1 })).toBe(100);
    expect(trainingPercent({ ...midway, fraction: 1.2 })).toBe(100);
  });

  it('names the weekly cycle phase only while the cycle is doing something', () => {
    expect(cyclePhase(health({ phase: 'training' }))).toBe('training');
    expect(cyclePhase(health({ phase: 'idle' }))).toBeNull();
    expect(cyclePhase(health({ phase: 'stopped' }))).toBeNull();
    expect(cyclePhase(health(null))).toBeNull();
  });
});
