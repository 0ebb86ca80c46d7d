/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user should read (offline, refused import...): printed as is, exit code 1 unless given. */
export class CliFailure extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliFailure';
    this.exitCode = exitCode;
  }
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`${name} must be an integer, got "${value}"`);
    return Number(value);
  };
}

/** An integer option within [min, max]; anything else is a usage error (exit 2). */
export function parseRangeOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = parseIntOption(name)(value);
    if (n < min || n > max) throw new UsageError(`${name} must be ${min}..${max}, got ${n}`);
    return n;
  };
}

/** --from after --to is refused the same way by every command that takes both. */
export function checkRoundRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${from}) must not exceed --to (${to})`);
}

export function parsePositiveIntOption(name: string) {
  return (value: string): number => {
    const n = parseIntOption(name)(value);
    if (n < 1) throw new UsageError(`${name} must be ≥ 1, got ${n}`);
    return n;
  };
}
