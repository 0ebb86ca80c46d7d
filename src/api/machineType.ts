import { parseMachine, type Machine } from '../domain/machine.js';
import { apiErrors } from './errors.js';
import { MACHINE_TYPE_VALUES } from './schemas.js';

/**
 * "all" → null (every draw); 1, "1", "1호기" → the machine. Anything unparsable, or a machine
 * hogi neither knows nor has draws for, is INVALID_MACHINE_TYPE listing the valid values.
 */
export function parseMachineType(raw: string, isServed: (m: Machine) => boolean, field: string): Machine | null {
  if (raw.trim().toLowerCase() === 'all') return null;
  let machine: Machine;
  try {
    machine = parseMachine(raw);
  } catch {
    throw apiErrors.invalidMachineType(raw, MACHINE_TYPE_VALUES, field);
  }
  if (!isServed(machine)) throw apiErrors.invalidMachineType(raw, MACHINE_TYPE_VALUES, field);
  return machine;
}
