// The one error table (service/errors.ts): what the API answers and the CLI exits with for each
// domain or service refusal, read by both edges.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb } from '../../src/data/db.js';
import { InvalidMachineError } from '../../src/domain/machine.js';
import { ValidationError } from '../../src/domain/problems.js';
import { errorRule, errorTable, EXIT_USAGE } from '../../src/service/errors.js';
import { FairnessBusyError } from '../../src/service/fairness.js';
import { TicketNotFoundError } from '../../src/service/tickets/service.js';
import { envelopeOf } from '../api/fixtures.js';

describe('the error table', () => {
  it('gives each known refusal its status, code, field and exit code, and nothing for other errors', () => {
    expect(errorRule(new TicketNotFoundError(3))).toEqual({ status: 404, code: 'NOT_FOUND', field: 'id', exitCode: 1 });
    expect(errorRule(new ValidationError([{ field: 'count', expected: '1..20', found: '0' }]))).toEqual({ status: 422, code: 'VALIDATION_ERROR', field: 'count', exitCode: 1 });
    expect(errorRule(new InvalidMachineError('x'))?.exitCode).toBe(EXIT_USAGE);
    expect(errorRule(new FairnessBusyError(1, 4))?.status).toBe(503);
    expect(errorRule(new Error('a bug'))).toBeNull();
    expect(errorRule('not an error')).toBeNull();
  });

  it('answers bad input and missing data with 4xx, never 5xx (busy is the one 503)', () => {
    for (const row of errorTable()) {
      if (row.error === 'FairnessBusyError') expect(row.status).toBe(503);
      else expect(row.status >= 400 && row.status < 500, row.error).toBe(true);
    }
  });

  it('is what the API error handler answers for a refusal no route maps itself', async () => {
    const db = openDb(':memory:');
    const app = buildApp({ db });
    // Registered after the app's own plugins, so its error handler covers this route.
    app.register(async (scope) => {
      scope.get('/probe', async () => {
        throw new TicketNotFoundError(9);
      });
    });
    try {
      const res = await app.inject({ url: '/probe' });
      expect(res.statusCode).toBe(404);
      expect(envelopeOf(res).error).toEqual({ code: 'NOT_FOUND', message: 'no ticket 9', field: 'id' });
    } finally {
      await app.close();
      db.close();
    }
  });
});
