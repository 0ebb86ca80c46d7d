// Independent reference for ticket statistics: enumerate which numbers of the tickets' union
// are drawn (every subset of size ≤ 6), each weighted by the draws completing it from the
// numbers outside the union. A different algorithm from the library's DP and group search.

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** P(statistic = v) under a fair draw, for `stat(drawnUnionNumbers)`. */
export function enumerateOverUnion(tickets: readonly (readonly number[])[], stat: (drawn: Set<number>) => number): Map<number, number> {
  const union = [...new Set(tickets.flat())].sort((a, b) => a - b);
  const u = union.length;
  const total = choose(45, 6);
  const out = new Map<number, number>();
  const chosen: number[] = [];
  const rec = (start: number): void => {
    const w = choose(45 - u, 6 - chosen.length) / total;
    if (w > 0) {
      const v = stat(new Set(chosen));
      out.set(v, (out.get(v) ?? 0) + w);
    }
    if (chosen.length === 6) return;
    for (let i = start; i < u; i++) {
      chosen.push(union[i]);
      rec(i + 1);
      chosen.pop();
    }
  };
  rec(0);
  return out;
}
