// A local stand-in for dhlottery.co.kr and lottotapa.com on 127.0.0.1, answering in their
// wire formats with draws from the shipped history. Tests change `state` to simulate the
// site's moods (block page, hanging, renamed fields, out-of-order lists...).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Draw } from '../../../src/domain/draw.js';

export type DhMode = 'ok' | 'block-html' | 'block-html-as-json' | 'hang' | 'renamed-fields' | 'status-503' | 'status-404' | 'not-json';
export type TapaMode = 'ok' | 'hang' | 'no-pattern' | 'block-html' | 'status-503';

export interface FixtureState {
  /** The draws the fake dhlottery knows; the latest query answers the highest round. */
  draws: Draw[];
  /** Rounds the latest query already reports while their own query (and `all`) still answer an empty list, as when the site's caches lag. */
  unpublished: Set<number>;
  dhMode: DhMode;
  tapaMode: TapaMode;
  /** Answer the list in a scrambled order (records must be matched on ltEpsd). */
  shuffle: boolean;
  /** When set, only the next N dhlottery requests answer in `dhMode`; later ones answer normally. */
  dhFailNext: number | null;
  /** How the ten-round selectPstLt645InfoNew.do answers: 'same' follows dhMode (the whole site is down). */
  windowMode: DhMode | 'same';
}

export interface FixtureServer {
  state: FixtureState;
  dhlotteryUrl: string;
  lottotapaUrl: string;
  /** Every request path+query received, in order. */
  requests: string[];
  /** Headers of the last dhlottery request. */
  lastDhHeaders: IncomingMessage['headers'] | null;
  /** Back to a site that answers normally, knowing `draws` (default: the draws it started with). */
  reset(draws?: Draw[]): void;
  close(): Promise<void>;
}

/** A local port nothing listens on (a refused connection). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * One record exactly as selectPstLt645Info.do and selectPstLt645InfoNew.do spell it. Figures the
 * draw does not know read 0, as the site shows them before they are published.
 */
export function toWireRecord(d: Draw): Record<string, unknown> {
  const [n1, n2, n3, n4, n5, n6] = d.numbers;
  const sales = d.totalSales ?? 0;
  const t = d.lowerTiers ?? null;
  const tier = (k: 2 | 3 | 4 | 5) => ({ winners: t ? t[k - 2].winners : 0, each: t ? t[k - 2].prizeEach : 0 });
  const [t2, t3, t4, t5] = ([2, 3, 4, 5] as const).map(tier);
  return {
    winType0: 0,
    winType1: d.firstPrizeSplit?.auto ?? 0,
    winType2: d.firstPrizeSplit?.manual ?? 0,
    winType3: d.firstPrizeSplit?.semiAuto ?? 0,
    gmSqNo: 5133,
    ltEpsd: d.round,
    tm1WnNo: n1,
    tm2WnNo: n2,
    tm3WnNo: n3,
    tm4WnNo: n4,
    tm5WnNo: n5,
    tm6WnNo: n6,
    bnsWnNo: d.bonus,
    ltRflYmd: d.date.replaceAll('-', ''),
    rnk1WnNope: d.firstPrizeWinners ?? 0,
    rnk1WnAmt: d.firstPrizeEach ?? 0,
    rnk1SumWnAmt: (d.firstPrizeWinners ?? 0) * (d.firstPrizeEach ?? 0),
    rnk2WnNope: t2.winners,
    rnk2WnAmt: t2.each,
    rnk2SumWnAmt: t2.winners * t2.each,
    rnk3WnNope: t3.winners,
    rnk3WnAmt: t3.each,
    rnk3SumWnAmt: t3.winners * t3.each,
    rnk4WnNope: t4.winners,
    rnk4WnAmt: t4.each,
    rnk4SumWnAmt: t4.winners * t4.each,
    rnk5WnNope: t5.winners,
    rnk5WnAmt: t5.each,
    rnk5SumWnAmt: t5.winners * t5.each,
    sumWnNope: (d.firstPrizeWinners ?? 0) + t2.winners + t3.winners + t4.winners + t5.winners,
    // Deliberately different from the total sales, so reading the wrong field shows.
    rlvtEpsdSumNtslAmt: Math.floor(sales / 2) + 1,
    wholEpsdSumNtslAmt: sales,
    excelRnk: '1등',
  };
}

export const BLOCK_PAGE = `<!DOCTYPE html>
<html lang="ko">
<head><meta charset="UTF-8"><title>동행복권 - 서비스 접속 대기 중입니다</title></head>
<body>
  <div class="netfunnel-wait">
    <h1>서비스 접속 대기 중입니다.</h1>
    <p>현재 접속자가 많아 대기 중입니다. 잠시만 기다려 주시면 자동으로 접속됩니다.</p>
    <p>예상 대기 시간: <b>12</b>초</p>
  </div>
</body>
</html>`;

function scramble<T>(xs: T[]): T[] {
  // Deterministic reordering: evens descending, then odds ascending.
  const even = xs.filter((_, i) => i % 2 === 0).reverse();
  const odd = xs.filter((_, i) => i % 2 === 1);
  return [...even, ...odd];
}

function ballClass(n: number): string {
  return n <= 10 ? 'y' : n <= 20 ? 'b' : n <= 30 ? 'r' : n <= 40 ? 'g' : 'gr';
}

/** lottotapa's result_hogi page for rounds start..end, newest first, in its Korean layout. */
export function lottotapaPage(draws: readonly Draw[], start: number, end: number, withPattern = true): string {
  const rows = draws
    .filter((d) => d.round >= start && d.round <= end)
    .sort((a, b) => b.round - a.round)
    .map((d) => {
      const title = withPattern
        ? `<strong>${d.round}회</strong> 로또 당첨번호${d.machine === null ? '' : `&nbsp;<span class="hogi">(${d.machine}호기)</span>`}`
        : `<strong>제 ${d.round} 회</strong> <span class="hogi">${d.machine ?? '-'}</span>`;
      const balls = d.numbers.map((n) => `<li><span class="ball_645 ${ballClass(n)}">${n}</span></li>`).join('');
      return `
    <div class="result_box">
      <div class="tit">${title}</div>
      <div class="date">(${d.date} 추첨)</div>
      <ul class="ball">${balls}<li class="plus">+</li><li><span class="ball_645 ${ballClass(d.bonus)}">${d.bonus}</span></li></ul>
    </div>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="UTF-8">
<title>로또 호기별 당첨번호 - 로또타파</title>
<script>var sel = "1회 로또 당첨번호 (9호기)"; /* script text is not page text */</script>
<style>.hogi{color:#c00}</style>
</head>
<body>
<div id="wrap">
  <h2>추첨기(호기)별 당첨번호</h2>
  <form method="get" action="result_hogi.php">
    <select name="sel_start"><option value="262">262회</option></select> ~
    <select name="sel_end"><option value="${end}">${end}회</option></select>
    <select name="selHogi"><option value="">전체</option><option value="1">1호기</option><option value="2">2호기</option><option value="3">3호기</option></select>
    <input type="submit" value="검색">
  </form>
  <div class="hogi_list">${rows}
  </div>
</div>
</body>
</html>`;
}

const normal = (draws: Draw[]): FixtureState => ({ draws, unpublished: new Set(), dhMode: 'ok', tapaMode: 'ok', shuffle: false, dhFailNext: null, windowMode: 'same' });

export async function startFixtureServer(initial: Partial<FixtureState> & { draws: Draw[] }): Promise<FixtureServer> {
  const state: FixtureState = { ...normal(initial.draws), ...initial };
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const window = url.pathname === '/lt645/selectPstLt645InfoNew.do';
    if (url.pathname === '/lt645/selectPstLt645Info.do' || window) {
      fixture.lastDhHeaders = req.headers;
      let failing = true;
      if (state.dhFailNext !== null) {
        failing = state.dhFailNext > 0;
        if (failing) state.dhFailNext--;
      }
      const mode = window && state.windowMode !== 'same' ? state.windowMode : state.dhMode;
      return answerDh(state, failing ? mode : 'ok', url, res, window);
    }
    if (url.pathname === '/stat/result_hogi.php') return answerTapa(state, url, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const fixture: FixtureServer = {
    state,
    dhlotteryUrl: `${base}/lt645/selectPstLt645Info.do`,
    lottotapaUrl: `${base}/stat/result_hogi.php`,
    requests,
    lastDhHeaders: null,
    reset: (draws = initial.draws) => void Object.assign(state, normal(draws)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fixture;
}

function answerDh(state: FixtureState, mode: DhMode, url: URL, res: ServerResponse, window = false): void {
  switch (mode) {
    case 'hang':
      return; // never answers; the client's timeout must fire
    case 'block-html':
      res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(BLOCK_PAGE);
      return;
    case 'block-html-as-json':
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(BLOCK_PAGE);
      return;
    case 'status-503':
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    case 'status-404':
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    case 'not-json':
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end('{"resultCode":null,"data":{"list":[');
      return;
    default:
      break;
  }
  const q = url.searchParams.get('srchLtEpsd');
  const published = state.draws.filter((d) => !state.unpublished.has(d.round));
  let list: Draw[];
  if (window) {
    // srchDir=center&srchLtEpsd=N: the published rounds N−5..N+4, newest first.
    const n = Number(q);
    if (url.searchParams.get('srchDir') !== 'center' || !Number.isInteger(n)) list = [];
    else list = published.filter((d) => d.round >= n - 5 && d.round <= n + 4).sort((a, b) => b.round - a.round);
  } else if (q === null) {
    const top = state.draws.reduce<Draw | null>((a, b) => (a === null || b.round > a.round ? b : a), null);
    list = top ? [top] : [];
  } else if (q === 'all') {
    list = [...published].sort((a, b) => b.round - a.round);
  } else {
    list = published.filter((d) => d.round === Number(q));
  }
  if (state.shuffle) list = scramble(list);
  let records = list.map(toWireRecord);
  if (mode === 'renamed-fields') {
    records = records.map(({ tm1WnNo, tm2WnNo, ...rest }) => ({ ...rest, drwtNo1: tm1WnNo, drwtNo2: tm2WnNo }));
  }
  res
    .writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
    .end(JSON.stringify({ resultCode: null, resultMessage: null, data: { list: records } }));
}

function answerTapa(state: FixtureState, url: URL, res: ServerResponse): void {
  const start = Number(url.searchParams.get('sel_start') ?? '262');
  const end = Number(url.searchParams.get('sel_end') ?? '0');
  switch (state.tapaMode) {
    case 'hang':
      return;
    case 'status-503':
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    case 'block-html':
      res.writeHead(403, { 'content-type': 'text/html' }).end('<html><head><title>Access Denied</title></head><body>Access Denied</body></html>');
      return;
    case 'no-pattern':
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(lottotapaPage(state.draws, start, end, false));
      return;
    default:
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(lottotapaPage(state.draws, start, end));
  }
}
