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
    rnk2WnNope: 90,
    rnk2WnAmt: 55000000,
    sumWnNope: 1500000,
    // Half the sales: the prize pool, a different amount that must never be read as total sales.
    rlvtEpsdSumNtslAmt: Math.floor((d.totalSales ?? 0) / 2),
    wholEpsdSumNtslAmt: d.totalSales,
    winType0: 0,
    winType1: 7,
    excelRnk: '1등',
  });
  return e;
}

export function wireResponse(draws: readonly Draw[]): string {
  // The API lists the newest round first.
  return JSON.stringify({ resultCode: null, resultMessage: null, data: { list: [...draws].reverse().map(wireEntry) } });
}
