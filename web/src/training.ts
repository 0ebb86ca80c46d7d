/**
 * Training progress as the health answer reports it: `components.sync.training`, typed from the
 * server's schema, so the banner and the System page read the same object the server sends.
 * No DOM here: the labels take the language, so the unit tests run in Node.
 */
import type { Health } from './types.js';

export type TrainingProgress = NonNullable<NonNullable<Health['components']['sync']>['training']>;
export type TrainingModel = NonNullable<TrainingProgress['current']>;

/** The running retrain, or null when none runs (or the server has no weekly cycle). */
export function trainingOf(health: Health | null): TrainingProgress | null {
  return health?.components.sync?.training ?? null;
}

/** Whole percent 0..100 of the overall fraction, clamped (a bar never runs past its end). */
export function trainingPercent(t: TrainingProgress): number {
  return Math.round(Math.min(1, Math.max(0, t.fraction)) * 100);
}

/** "1호기 Transformer 12/20 에폭" / "Machine 1 Transformer 12/20 epochs". */
export function trainingModelLabel(m: TrainingModel, lang: 'ko' | 'en'): string {
  const ko = lang === 'ko';
  const machine = m.machine === 'all' ? (ko ? '전체 호기' : 'All machines') : ko ? `${m.machine}호기` : `Machine ${m.machine}`;
  const family = m.family === 'transformer' ? 'Transformer' : ko ? 'RF/GB/MLP 앙상블' : 'RF/GB/MLP ensemble';
  const unit = m.family === 'transformer' ? (ko ? '에폭' : 'epochs') : ko ? '단계' : 'steps';
  return `${machine} ${family} ${m.value}/${m.total} ${unit}`;
}

/** "모델 2/6 · 1호기 Transformer 12/20 에폭": how many models are done, and the one training now. */
export function trainingLabel(t: TrainingProgress, lang: 'ko' | 'en'): string {
  const models = lang === 'ko' ? `모델 ${t.models_done}/${t.models_total}` : `Models ${t.models_done}/${t.models_total}`;
  return t.current ? `${models} · ${trainingModelLabel(t.current, lang)}` : models;
}

const PHASES: Readonly<Record<string, [string, string]>> = {
  syncing: ['새 추첨 결과를 가져오는 중', 'fetching the new draw'],
  waiting_for_draw: ['추첨 결과 발표를 기다리는 중', 'waiting for the draw to be published'],
  scoring: ['저장된 예측을 채점하는 중', 'scoring stored predictions'],
  training: ['모델을 학습하는 중', 'training the models'],
  swapping: ['새 모델로 바꾸는 중', 'switching to the new models'],
};

/** A cycle phase in words ("waiting_for_draw" → "추첨 결과 발표를 기다리는 중"); an unknown one as sent. */
export function phaseLabel(phase: string, lang: 'ko' | 'en'): string {
  const p = PHASES[phase];
  return p ? p[lang === 'ko' ? 0 : 1] : phase;
}

/** The weekly cycle's phase (components.sync.phase) while it is doing something. */
export function cyclePhase(health: Health | null): string | null {
  const phase = health?.components.sync?.phase ?? null;
  return phase !== null && !['idle', 'stopped'].includes(phase) ? phase : null;
}
