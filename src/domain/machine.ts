/** The draw machine (호기). The data has machines 1..3; strategies exist for those three. */
export type Machine = number;

export const KNOWN_MACHINES: readonly Machine[] = [1, 2, 3];

export class InvalidMachineError extends Error {
  readonly value: unknown;
  constructor(value: unknown) {
    super(
      `invalid machine ${JSON.stringify(value)}: use a positive integer such as 1, "1" or "1호기" (known machines: ${KNOWN_MACHINES.map(formatMachine).join(', ')})`,
    );
    this.name = 'InvalidMachineError';
    this.value = value;
  }
}

/** Accepts 1, "1" or "1호기" (whitespace tolerated); anything else throws InvalidMachineError. */
export function parseMachine(value: unknown): Machine {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1) return value;
    throw new InvalidMachineError(value);
  }
  if (typeof value === 'string') {
    const m = /^\s*([1-9][0-9]*)\s*(호기)?\s*$/u.exec(value);
    if (m) return Number(m[1]);
  }
  throw new InvalidMachineError(value);
}

export function formatMachine(machine: Machine): string {
  return `${machine}호기`;
}

export function isKnownMachine(machine: Machine): boolean {
  return KNOWN_MACHINES.includes(machine);
}
