/**
 * Wheel guarantees: "m if p" means that whenever p of the drawn numbers are in the pool, at
 * least one ticket matches at least m of them. Tickets hold only pool numbers, so the other
 * 6 − p drawn numbers can never help or hurt: checking every p-subset of the pool proves it.
 */

export interface Guarantee {
  /** Numbers a ticket must match (3, 4 or 5). */
  readonly match: number;
  /** Drawn numbers that fall in the pool (3 to 6). */
  readonly if: number;
}

/** The guarantees hogi builds, from the weakest to the strongest (see STRENGTH_ORDER). */
export const GUARANTEE_NAMES = ['3if6', '3if5', '3if4', '3if3', '4if6', '4if5', '4if4', '5if6'] as const;
export type GuaranteeName = (typeof GUARANTEE_NAMES)[number];

/**
 * Strength order, weakest first: by the prize the guarantee promises (matching 5 numbers beats 4,
 * 4 beats 3: 로또 3등, 4등, 5등), then by how few of the drawn numbers must fall in the pool (3 of
 * them beats 6). It extends every implication that holds on all pools: m-if-p implies
 * m-if-(p+1) (more pool numbers drawn still contain the p that were covered), (m−1)-if-(p−1) (add
 * any pool number to the p−1 drawn ones; a ticket meeting the p-set in m meets the p−1 in ≥ m−1)
 * and (m−1)-if-p. It is not an order of ticket counts: 3if3 can take more tickets than 4if6.
 */
export const STRENGTH_ORDER: readonly GuaranteeName[] = GUARANTEE_NAMES;

export function guaranteeName(g: Guarantee): string {
  return `${g.match}if${g.if}`;
}

export function parseGuaranteeName(name: string): Guarantee | null {
  const m = /^\s*([3-5])\s*(?:if|-if-|\/)\s*([3-6])\s*$/i.exec(name);
  if (!m) return null;
  const g = { match: Number(m[1]), if: Number(m[2]) };
  return isSupported(g) ? g : null;
}

export function isSupported(g: Guarantee): boolean {
  // Widened to string[] so any name can be looked up.
  return (GUARANTEE_NAMES as readonly string[]).includes(guaranteeName(g));
}

/** 0 for the weakest guarantee; higher is stronger. */
export function strengthRank(g: Guarantee): number {
  // An unsupported name is simply not found (−1).
  return STRENGTH_ORDER.indexOf(guaranteeName(g) as GuaranteeName);
}

/** True when every wheel with guarantee `a` also has guarantee `b` (on any pool of ≥ 7 numbers). */
export function implies(a: Guarantee, b: Guarantee): boolean {
  // The closure of the three one-step implications in the strength-order comment.
  const seen = new Set<string>();
  const stack: Guarantee[] = [a];
  while (stack.length > 0) {
    const g = stack.pop() as Guarantee; // the loop condition says the stack is not empty
    const key = guaranteeName(g);
    if (seen.has(key)) continue;
    seen.add(key);
    if (g.match === b.match && g.if === b.if) return true;
    if (g.if < 6) stack.push({ match: g.match, if: g.if + 1 });
    if (g.match > 1 && g.if > g.match) stack.push({ match: g.match - 1, if: g.if });
    if (g.match > 1) stack.push({ match: g.match - 1, if: g.if - 1 });
  }
  return false;
}
