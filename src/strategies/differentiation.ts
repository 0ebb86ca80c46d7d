// How different the machines' sets are. Pure.

export interface Differentiation {
  /**
   * Share of numbers not shared between machines:
   * 1 − |numbers appearing in the sets of ≥ 2 machines| / |distinct numbers in all sets|.
   */
  score: number;
  distinctNumbers: number;
  /** Numbers that appear in the sets of two or more machines, ascending. */
  sharedNumbers: number[];
  perMachine: { machine: string; distinct: number; exclusive: number }[];
}

/** How different the machines' sets are; see `Differentiation.score`. Needs ≥ 2 machines with sets. */
export function differentiation(
  setsByMachine: ReadonlyMap<string | number, readonly (readonly number[])[]> | Readonly<Record<string, readonly (readonly number[])[]>>,
): Differentiation {
  const entries: [string, readonly (readonly number[])[]][] =
    setsByMachine instanceof Map
      ? [...setsByMachine.entries()].map(([k, v]) => [String(k), v])
      : Object.entries(setsByMachine as Readonly<Record<string, readonly (readonly number[])[]>>);
  const unions = entries.map(([m, sets]) => [m, new Set(sets.flat())] as const).filter(([, s]) => s.size > 0);
  if (unions.length < 2) throw new Error('differentiation needs sets from at least two machines');
  const machinesOf = new Map<number, number>();
  for (const [, s] of unions) for (const n of s) machinesOf.set(n, (machinesOf.get(n) ?? 0) + 1);
  const shared = [...machinesOf].filter(([, c]) => c >= 2).map(([n]) => n).sort((a, b) => a - b);
  return {
    score: 1 - shared.length / machinesOf.size,
    distinctNumbers: machinesOf.size,
    sharedNumbers: shared,
    perMachine: unions.map(([machine, s]) => ({ machine, distinct: s.size, exclusive: [...s].filter((n) => machinesOf.get(n) === 1).length })),
  };
}
