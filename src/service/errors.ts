/**
 * The one table of refusals: each domain or service error with the HTTP status, the stable
 * code and the request field the API answers with, and the exit code the CLI ends with. The
 * API's error handler (api/errors.ts) and the CLI's `run` (cli/main.ts) both read it, so a new
 * error gets its status and exit code here, once. Routes may still add details (reasons in the
 * asker's language, hints) to the envelope; the status and code come from here.
 */
import { NotTrainedError } from '../combination/stacking.js';
import { InvalidMachineError } from '../domain/machine.js';
import { ValidationError } from '../domain/problems.js';
import { WheelBudgetError, WheelInputError } from '../domain/wheels/index.js';
import { InfeasibleRequestError } from '../strategies/sets.js';
import { ApiKeyNotFoundError } from './apiKeys.js';
import { FairnessBusyError } from './fairness.js';
import { PopularityDataError } from './popularity/service.js';
import { NoDataError, NoPopularityDataError } from './predictions/errors.js';
import { DuplicateTicketError, TicketInputError, TicketNotFoundError } from './tickets/service.js';

/** How an error is answered: HTTP status, envelope code and field; CLI exit code. */
export interface ErrorRule {
  status: number;
  code: string;
  field: string | null;
  exitCode: number;
}

/** CLI exit codes: 1 a refusal or failure the user reads, 2 a bad command line (commander's too). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

// An error class whose constructor takes anything: the table only tests `instanceof`.
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

interface Row<E extends Error> {
  type: ErrorClass<E>;
  status: number;
  code: string | ((e: E) => string);
  field?: string | null | ((e: E) => string | null);
  exitCode: number;
}

interface Entry {
  name: string;
  status: number;
  exitCode: number;
  match(e: Error): ErrorRule | null;
}

function row<E extends Error>(r: Row<E>): Entry {
  return {
    name: r.type.name,
    status: r.status,
    exitCode: r.exitCode,
    match(e) {
      if (!(e instanceof r.type)) return null;
      const code = typeof r.code === 'function' ? r.code(e) : r.code;
      const field = typeof r.field === 'function' ? r.field(e) : (r.field ?? null);
      return { status: r.status, code, field, exitCode: r.exitCode };
    },
  };
}

/** Status 4xx for the asker's input or missing data, 503 for "busy, retry"; never 5xx for input. */
const TABLE: readonly Entry[] = [
  row({ type: ValidationError, status: 422, code: 'VALIDATION_ERROR', field: (e) => e.problems[0]?.field ?? null, exitCode: EXIT_FAILURE }),
  row({ type: InvalidMachineError, status: 400, code: 'INVALID_MACHINE_TYPE', field: 'machine_type', exitCode: EXIT_USAGE }),
  row({ type: NoDataError, status: 409, code: 'NO_DATA', exitCode: EXIT_FAILURE }),
  row({ type: NoPopularityDataError, status: 409, code: 'NO_DATA', field: 'avoid_sharing', exitCode: EXIT_FAILURE }),
  row({ type: PopularityDataError, status: 409, code: 'NO_DATA', exitCode: EXIT_FAILURE }),
  row({ type: NotTrainedError, status: 409, code: (e) => e.code, field: 'ensemble_method', exitCode: EXIT_FAILURE }),
  row({ type: InfeasibleRequestError, status: 422, code: (e) => e.code, exitCode: EXIT_FAILURE }),
  row({ type: TicketInputError, status: 422, code: (e) => e.code, field: (e) => e.field, exitCode: EXIT_FAILURE }),
  row({ type: DuplicateTicketError, status: 409, code: 'DUPLICATE_TICKET', field: 'qr', exitCode: EXIT_FAILURE }),
  row({ type: TicketNotFoundError, status: 404, code: 'NOT_FOUND', field: 'id', exitCode: EXIT_FAILURE }),
  row({ type: WheelInputError, status: 422, code: 'VALIDATION_ERROR', field: (e) => e.field, exitCode: EXIT_FAILURE }),
  row({ type: WheelBudgetError, status: 422, code: 'WHEEL_BUDGET_TOO_SMALL', field: 'budget', exitCode: EXIT_FAILURE }),
  row({ type: FairnessBusyError, status: 503, code: 'FAIRNESS_BUSY', exitCode: EXIT_FAILURE }),
  row({ type: ApiKeyNotFoundError, status: 404, code: 'NOT_FOUND', exitCode: EXIT_FAILURE }),
];

/** The rule for a known domain or service error; null for anything else (a bug: 500 / the stack). */
export function errorRule(e: unknown): ErrorRule | null {
  if (!(e instanceof Error)) return null;
  for (const r of TABLE) {
    const hit = r.match(e);
    if (hit) return hit;
  }
  return null;
}

/** Every row's class name, status and exit code (docs and tests read the table through this). */
export function errorTable(): Array<{ error: string; status: number; exitCode: number }> {
  return TABLE.map((r) => ({ error: r.name, status: r.status, exitCode: r.exitCode }));
}
