/**
 * Write-behind storage of predictions. Under load many requests finish in one turn of the
 * event loop; writing them in one transaction right after it (setImmediate) costs a fraction
 * of a transaction each. Reads flush first, so a stored prediction is visible to GET at once;
 * a crash can lose at most the predictions of the last turn.
 */
import type { NewPredictionSet, PredictionRow, PredictionsRepo } from '../../data/predictionsRepo.js';
import { formatMachine, type Machine } from '../../domain/machine.js';
import type { PredictionLogger } from './parallel.js';
import type { PredictionRequest, PredictionResponse } from './types.js';

export class PredictionWriter {
  private pending: Array<{ prediction: PredictionRow; sets: NewPredictionSet[] }> = [];
  private flushScheduled = false;

  constructor(
    private readonly repo: Pick<PredictionsRepo, 'insertMany'>,
    private readonly logger: PredictionLogger,
  ) {}

  /** Write the predictions still queued, in one transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.repo.insertMany(batch);
  }

  /** Queue the prediction for storage; returns the size of its stored JSON (the response cache's measure). */
  queue(response: PredictionResponse, req: PredictionRequest, machines: readonly Machine[]): number {
    const md = response.metadata;
    const responseJson = JSON.stringify(response);
    this.pending.push({
      prediction: {
        requestId: response.request_id,
        createdAt: response.generated_at,
        source: req.source ?? 'api-generate',
        machineType: req.machine === 'all' ? 'all' : String(req.machine),
        targetRound: md.target_round,
        algorithm: md.algorithm,
        method: md.combination_method,
        dataVersion: md.data_version,
        seed: md.seed,
        modelVersion: md.model_version,
        requestJson: JSON.stringify({ ...req, machine: req.machine }),
        apiKeyId: req.apiKeyId ?? null,
        modelVersionsJson: JSON.stringify(md.machines.map((m) => ({ machine_type: m.machine_type, models: m.models }))),
        responseJson,
      },
      sets: response.predictions.map((p) => ({
        requestId: response.request_id,
        setNumber: p.set_number,
        // The item's machine_type was formatted from one of these machines.
        machine: machines.find((m) => formatMachine(m) === p.machine_type) as Machine,
        targetRound: md.target_round,
        numbers: p.numbers,
        confidenceScore: p.confidence_score,
        expectedMatches: p.expected_matches,
      })),
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        try {
          this.flush();
        } catch (e) {
          this.logger.error({ err: { message: (e as Error).message } }, 'could not store predictions');
        }
      });
    }
    return responseJson.length;
  }
}
