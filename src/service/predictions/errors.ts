/** The prediction service's refusals (their HTTP status and CLI exit code: service/errors.ts). */

/** The database holds no draws, so there is nothing to predict after. */
export class NoDataError extends Error {
  readonly code = 'NO_DATA';
  constructor() {
    super('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`, then train with `hogi train`.');
    this.name = 'NoDataError';
  }
}

/** avoid_sharing was asked for but the prize tiers the popularity model needs are not stored. */
export class NoPopularityDataError extends Error {
  readonly code = 'NO_DATA';
  constructor(message: string) {
    super(`avoid_sharing needs the five prize tiers: ${message}`);
    this.name = 'NoPopularityDataError';
  }
}
