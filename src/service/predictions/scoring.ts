/**
 * Scoring stored predictions once their target draw is stored.
 *
 * - Each set: how many of its six numbers were drawn, whether the bonus number is among
 *   them, and the prize rank (1: 6 matches; 2: 5 + bonus; 3: 5; 4: 4; 5: 3; none below).
 *   A ticket is a ticket whatever machine drew the balls, so sets are scored against the
 *   draw of their target round on any machine.
 * - Each family forecast: its per-draw log-likelihood of the actual draw (blending's
 *   performance measure, `drawLogLikelihood`).
 *
 * A score records the draw row's updated_at; if the draw is rewritten later (an import with
 * --overwrite), the row is scored again, so a corrected draw never leaves stale results.
 */
import { drawLogLikelihood } from '../../combination/blending.js';
import type { Db } from '../../data/db.js';
import { predictionsRepo } from '../../data/predictionsRepo.js';

/** Prize rank of a ticket, or null below 5th prize (fewer than 3 matches). */
export function prizeRank(matches: number, bonusMatch: boolean): 1 | 2 | 3 | 4 | 5 | null {
  if (matches === 6) return 1;
  if (matches === 5) return bonusMatch ? 2 : 3;
  if (matches === 4) return 4;
  if (matches === 3) return 5;
  return null;
}

export interface ScoringSummary {
  sets: number;
  forecasts: number;
}

/** Score every stored set and forecast whose target draw exists and is not (freshly) scored yet. */
export function scorePredictions(db: Db, now: Date = new Date()): ScoringSummary {
  const repo = predictionsRepo(db);
  const sets = repo.setsToScore().map((c) => {
    const drawn = new Set(c.drawn);
    const matches = c.numbers.filter((n) => drawn.has(n)).length;
    const bonusMatch = c.numbers.includes(c.bonus);
    return { ...c.key, matches, bonusMatch, prizeRank: prizeRank(matches, bonusMatch), drawUpdatedAt: c.drawUpdatedAt };
  });
  const forecasts = repo.forecastsToScore().map((c) => ({ ...c.key, logLikelihood: drawLogLikelihood(c.probabilities, c.drawn), drawUpdatedAt: c.drawUpdatedAt }));
  repo.saveScores(sets, forecasts, now.toISOString());
  return { sets: sets.length, forecasts: forecasts.length };
}
