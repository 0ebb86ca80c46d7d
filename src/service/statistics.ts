import type { Draw } from '../domain/draw.js';
import { formatMachine, type Machine } from '../domain/machine.js';
import { windowStats, type WindowStats } from '../domain/stats.js';

/** The machine-analysis answer (API and `hogi stats --json`), in the design's snake_case shape. */
export interface MachineAnalysis {
  machine_type: string;
  analysis_period: { total_rounds: number; start_round: number | null; end_round: number | null };
  number_frequency: {
    most_frequent: number[];
    least_frequent: number[];
    /** number → share of draws in the window that contained it (0..1). */
    frequency_distribution: Record<string, number>;
  };
  pattern_analysis: {
    avg_odd_count: number;
    avg_even_count: number;
    avg_high_count: number;
    avg_low_count: number;
    avg_ac_value: number;
    avg_last_digit_sum: number;
    avg_total_sum: number;
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function machineAnalysis(draws: readonly Draw[], machine: Machine | null, rounds: number): MachineAnalysis {
  const w: WindowStats = windowStats(draws, { rounds, ...(machine !== null ? { machine } : {}) });
  const byCount = [...w.frequencies];
  const most = [...byCount].sort((a, b) => b.count - a.count || a.number - b.number).slice(0, 5).map((f) => f.number);
  const least = [...byCount].sort((a, b) => a.count - b.count || a.number - b.number).slice(0, 5).map((f) => f.number);
  const dist: Record<string, number> = {};
  for (const f of w.frequencies) dist[String(f.number)] = round4(f.share);
  return {
    machine_type: machine === null ? 'all' : formatMachine(machine),
    analysis_period: { total_rounds: w.totalRounds, start_round: w.startRound, end_round: w.endRound },
    number_frequency: { most_frequent: most, least_frequent: least, frequency_distribution: dist },
    pattern_analysis: {
      avg_odd_count: round4(w.averages.odd),
      avg_even_count: round4(w.averages.even),
      avg_high_count: round4(w.averages.high),
      avg_low_count: round4(w.averages.low),
      avg_ac_value: round4(w.averages.ac),
      avg_last_digit_sum: round4(w.averages.lastDigitSum),
      avg_total_sum: round4(w.averages.totalSum),
    },
  };
}
