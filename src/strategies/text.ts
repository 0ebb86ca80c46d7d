// Small text helpers shared by the set generator's messages. Pure.
import type { Localized } from './machineStrategies.js';

/** A message in both languages. */
export const tr = (ko: string, en: string): Localized => ({ ko, en });

/** Numbers as "1, 2, 3". */
export const list = (ns: readonly number[]): string => ns.join(', ');
