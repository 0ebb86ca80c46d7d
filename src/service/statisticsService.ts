import type { DrawsRepo } from '../data/drawsRepo.js';
import type { Machine } from '../domain/machine.js';
import { machineAnalysis, type MachineAnalysis } from './statistics.js';

/** Window statistics read straight from storage; only the window's draws are loaded. */
export function statisticsService(repo: DrawsRepo) {
  return {
    /** `machine` null means every draw, labelled or not. */
    machineAnalysis(machine: Machine | null, rounds: number): MachineAnalysis {
      const draws = repo.list({ ...(machine !== null ? { machine } : {}), descending: true, limit: rounds });
      return machineAnalysis(draws, machine, rounds);
    },
  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;
