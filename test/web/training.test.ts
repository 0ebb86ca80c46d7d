// How the dashboard reads training progress out of whatever the health answer reports.
import { describe, expect, it } from 'vitest';
import { cyclePhase, findTraining } from '../../web/src/training.js';

describe('training progress in the health answer', () => {
  it('finds a running retrain wherever a component reports it, as a fraction', () => {
    const health = { status: 'degraded', components: { ml_models: { status: 'ok', training: { running: true, done: 3, total: 12, machine: '2호기' } } } };
    expect(findTraining(health)).toEqual({ progress: 0.25, detail: '2호기' });
    expect(findTraining({ components: { retrain: { status: 'running', percent: 40 } } })?.progress).toBeCloseTo(0.4, 12);
  });

  it('reports nothing when no training runs, so no banner is shown', () => {
    expect(findTraining({ components: { ml_models: { training: { running: false, progress: 0.5 } } } })).toBeNull();
    expect(findTraining({ status: 'healthy', components: { database: { status: 'ok' } } })).toBeNull();
  });

  it('names the weekly cycle phase only while the cycle is doing something', () => {
    expect(cyclePhase({ components: { sync: { phase: 'training' } } })).toBe('training');
    expect(cyclePhase({ components: { sync: { phase: 'idle' } } })).toBeNull();
    expect(cyclePhase({ components: { sync: null } })).toBeNull();
  });
});
