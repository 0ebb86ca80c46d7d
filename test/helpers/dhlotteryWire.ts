// Test-only: the dhlottery API's wire format (GET /lt645/selectPstLt645Info.do), built from stored draws.
import type { Draw } from '../../src/domain/draw.js';

/** One list entry in the API's wire format, built from a stored draw (extra fields as the API sends them). */
export function wireEntry(d: Draw): Record<string, unknown> {
  const e: Record<string, unknown> = { gmSqNo: 5000 + d.round, ltEpsd: d.round };
  d.numbers.forEach((n, i) => (e[`tm${i + 1}WnNo`] = n));
  Object.assign(e, {
    bnsWnNo: d.bonus,
    ltRflYmd: d.date.replaceAll('-', ''),
    rnk1WnNope: d.firstPrizeWinners,
    rnk1WnAmt: d.firstPrizeEach,
    rnk1SumWnAmt: (d.firstPrizeEach ?? 0) * (d.firstPrizeWinners ?? 0),
    // Tiers 2–5 and the split as the draw knows them; 0 where it does not, as the site shows unpublished figures.
    ...Object.fromEntries(
      ([2, 3, 4, 5] as const).flatMap((k) => {
        const t = d.lowerTiers?.[k - 2];
        return [[`rnk${k}WnNope`, t?.winners ?? 0], [`rnk${k}WnAmt`, t?.prizeEach ?? 0], [`rnk${k}SumWnAmt`, (t?.winners ?? 0) * (t?.prizeEach ?? 0)]];
      }),
    ),
    sumWnNope: 1500000,
    // Half the sales: the prize pool, a different amount that must never be read as total sales.
    rlvtEpsdSumNtslAmt: Math.floor((d.totalSales ?? 0) / 2),
    wholEpsdSumNtslAmt: d.totalSales,
    winType0: 0,
    winType1: d.firstPrizeSplit?.auto ?? 0,
    winType2: d.firstPrizeSplit?.manual ?? 0,
    winType3: d.firstPrizeSplit?.semiAuto ?? 0,
    excelRnk: '1등',
  });
  return e;
}

export function wireResponse(draws: readonly Draw[]): string {
  // The API lists the newest round first.
  return JSON.stringify({ resultCode: null, resultMessage: null, data: { list: [...draws].reverse().map(wireEntry) } });
}
