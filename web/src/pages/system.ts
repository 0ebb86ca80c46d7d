import { api, ApiFailure, hasRoute } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { fmtInt, fmtNum, fmtPct, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import { countdownText, drawWhen, msUntilDraw } from '../drawCalendar.js';
import { healthHint, healthReasons } from '../healthReasons.js';
import { cyclePhase, phaseLabel, trainingLabel, trainingOf, trainingPercent } from '../training.js';
import type { Health, MetricsReport } from '../types.js';
import { card, errorBox, field, loading, note, pageHeader, stat } from '../ui.js';

const settings = { period: '1h' };

function when(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang() === 'ko' ? 'ko-KR' : 'en-GB');
}

function statusPill(status: string): HTMLElement {
  const label: Record<string, [string, string]> = {
    healthy: ['정상', 'Healthy'],
    degraded: ['부분 정상', 'Degraded'],
    unhealthy: ['장애', 'Unhealthy'],
    ok: ['정상', 'OK'],
    empty: ['비어 있음', 'Empty'],
    error: ['오류', 'Error'],
    fallback: ['대체 모델', 'Fallback'],
    warming: ['준비 중', 'Warming up'],
    absent: ['없음', 'Absent'],
    failed: ['실패', 'Failed'],
    timeout: ['시간 초과', 'Timed out'],
    never: ['기록 없음', 'Never run'],
    disabled: ['꺼짐', 'Disabled'],
  };
  const [ko, en] = label[status] ?? [status, status];
  const tone = ['healthy', 'ok'].includes(status) ? 'good' : ['unhealthy', 'error', 'failed'].includes(status) ? 'bad' : 'warn';
  return h('span', { class: `pill pill-${tone}`, 'data-status': status }, L(ko, en));
}

/** "Saturdays 21:00 KST" → "매주 토요일 21:00 KST" in Korean. */
function scheduleLabel(schedule: string): string {
  const m = /^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)days (\d\d:\d\d) KST$/.exec(schedule);
  if (!m || lang() === 'en') return schedule;
  const day = { Sun: '일', Mon: '월', Tues: '화', Wednes: '수', Thurs: '목', Fri: '금', Satur: '토' }[m[1]];
  return `매주 ${day}요일 ${m[2]} KST`;
}

type Family = NonNullable<Health['components']['ml_models']>['machines'][number]['transformer'];

function healthView(health: Health): HTMLElement[] {
  const { database: db, ml_models: models, cache, sync } = health.components;
  const reasons = healthReasons(health, lang());
  const training = trainingOf(health);
  const phase = cyclePhase(health);
  const out: HTMLElement[] = [];

  out.push(
    h('section', { class: `card status-card status-${health.status}`, id: 'health-status' },
      h('div', { class: 'status-line' }, h('h2', {}, L('서버 상태', 'Server status')), statusPill(health.status)),
      reasons.length ? h('ul', { class: 'reasons' }, reasons.map((r) => h('li', {}, r))) : h('p', { class: 'muted' }, L('모든 구성 요소가 정상입니다.', 'Every component is fine.')),
      health.hint ? note(healthHint(health, lang()) ?? '', 'warn') : null,
      training
        ? h('div', { class: 'training', id: 'training' },
            h('strong', {}, L('학습 진행', 'Training')),
            h('progress', { max: 100, value: trainingPercent(training), 'aria-label': L('학습 진행률', 'Training progress') }),
            h('span', { class: 'mono' }, `${trainingPercent(training)}%`),
            h('span', {}, trainingLabel(training, lang())),
            h('span', { class: 'muted small' }, L('시작 ', 'Started '), when(training.started_at)),
          )
        : phase
          ? h('div', { class: 'training' }, h('strong', {}, L('주간 갱신', 'Weekly update')), h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, phaseLabel(phase, lang())))
          : null,
      h('p', { class: 'muted small' }, L('확인 시각 ', 'Checked '), when(health.timestamp)),
    ),
  );

  out.push(
    h('div', { class: 'grid4' },
      h('section', { class: 'card mini' }, h('h3', {}, L('데이터베이스', 'Database'), ' ', statusPill(db.status)),
        h('div', { class: 'stats-row' }, stat(L('최근 회차', 'Latest round'), fmtInt(db.latest_round, lang())), stat(L('추첨 수', 'Draws'), fmtInt(db.total_draws, lang())), stat(L('응답', 'Response'), `${fmtNum(db.response_time_ms, 2)} ms`)),
        db.freshness
          ? h('p', { class: 'small', id: 'freshness' },
              db.freshness.stale
                ? h('strong', { class: 'error-text' }, L(`${db.freshness.missing_rounds}회차 빠짐 (추첨 제${db.freshness.expected_latest_round}회까지)`, `${db.freshness.missing_rounds} round(s) missing (drawn through ${db.freshness.expected_latest_round})`))
                : L('추첨 일정과 맞습니다', 'Up to date with the draw calendar'),
              h('br', {}),
              L(`다음 추첨 제${db.freshness.next_round}회 · ${drawWhen(db.freshness.next_draw_at, 'ko')} · ${countdownText(msUntilDraw(health, 0) ?? 0, 'ko')}`,
                `Next draw: round ${db.freshness.next_round} · ${drawWhen(db.freshness.next_draw_at, 'en')} · in ${countdownText(msUntilDraw(health, 0) ?? 0, 'en')}`))
          : null),
      models
        ? h('section', { class: 'card mini' }, h('h3', {}, L('모델', 'Models'), ' ', statusPill(models.status)),
            h('div', { class: 'stats-row' }, stat(L('로드됨', 'Loaded'), fmtInt(models.models_loaded, lang())), stat(L('크기', 'Size'), `${fmtNum(models.memory_usage_mb, 1)} MB`), stat(L('설정', 'Config'), models.config)),
            h('p', { class: 'muted small' }, L('마지막 학습 ', 'Last training '), when(models.last_training), h('br', {}), L('마지막 예측 ', 'Last prediction '), when(models.last_prediction)))
        : null,
      cache
        ? h('section', { class: 'card mini' }, h('h3', {}, L('캐시', 'Cache'), ' ', statusPill(cache.status)),
            h('div', { class: 'stats-row' }, stat(L('적중률', 'Hit rate'), fmtPct(cache.hit_rate)), stat(L('항목', 'Entries'), fmtInt(cache.entries, lang())), stat(L('메모리', 'Memory'), `${fmtNum(cache.memory_bytes / 1024, 1)} KB`)))
        : null,
      sync
        ? h('section', { class: 'card mini' }, h('h3', {}, L('동기화', 'Sync'), ' ', statusPill(sync.status)),
            h('p', { class: 'small' }, L('마지막 성공 ', 'Last success '), when(sync.last_success)),
            h('p', { class: 'small' }, L('다음 실행 ', 'Next run '), sync.next_run_kst ?? L('예약 없음', 'not scheduled'), sync.schedule ? h('span', { class: 'muted' }, ` (${scheduleLabel(sync.schedule)})`) : null),
            sync.last_error
              ? lang() === 'ko'
                ? h('details', { class: 'small error-text' }, h('summary', {}, L('마지막 동기화 실패 · 오류 원문 보기', '')), h('p', { lang: 'en' }, sync.last_error))
                : h('p', { class: 'small error-text' }, sync.last_error)
              : null)
        : null,
    ),
  );

  const machines = models?.machines ?? [];
  if (models && machines.length) {
    const fam = (f: Family) =>
      // The long reason (what to run) goes in the tooltip; the note under the table says it once.
      h('td', { title: f.reason ?? '' }, statusPill(f.status), ' ', h('span', { class: 'muted small' }, f.model ?? ''), f.trained_through_round !== null ? h('span', { class: 'muted small' }, L(` · ${f.trained_through_round}회까지`, ` · through ${f.trained_through_round}`)) : null);
    out.push(card(L('호기별 모델 상태', 'Models per machine'),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('호기별 모델 상태', 'Models per machine') },
        h('table', { class: 'data', id: 'models-table' },
          h('thead', {}, h('tr', {}, [L('호기', 'Machine'), 'Transformer', L('RF/GB/MLP 앙상블', 'RF/GB/MLP ensemble')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, machines.map((m) => h('tr', {}, h('th', { scope: 'row' }, machineName(m.machine_type)), fam(m.transformer), fam(m.ensemble)))),
        ),
      ),
      models.status === 'fallback' ? h('p', { class: 'muted small' }, L('학습된 모델이 없으면 빈도 기준선이 대신 번호를 만듭니다. ', 'Without trained models the frequency baseline makes the sets. '), h('code', {}, 'hogi train')) : null,
    ));
  }
  return out;
}

async function metricsView(box: HTMLElement): Promise<void> {
  box.replaceChildren(loading());
  let m: MetricsReport;
  if (!(await hasRoute('/api/monitoring/metrics'))) {
    box.replaceChildren(note(L('이 서버는 아직 지표를 제공하지 않습니다.', 'This server does not report metrics yet.')));
    return;
  }
  try {
    m = await api.get<MetricsReport>('/api/monitoring/metrics', { period: settings.period });
  } catch (e) {
    if (e instanceof ApiFailure && e.missingRoute) {
      box.replaceChildren(note(L('이 서버는 아직 지표를 제공하지 않습니다.', 'This server does not report metrics yet.')));
      return;
    }
    box.replaceChildren(errorBox(e));
    return;
  }
  const narrow = window.innerWidth < 640;
  const routes = m.routes.slice(0, 10);
  box.replaceChildren(
    h('div', { class: 'stats-row metrics', id: 'metrics-tiles' },
      stat(L('요청', 'Requests'), fmtInt(m.requests.total, lang()), `${fmtNum(m.requests.per_second, 2)} /s`),
      stat(L('실패', 'Failures'), fmtInt(m.requests.failed, lang()), L(`서버 오류 ${fmtInt(m.requests.server_errors, 'ko')}`, `server errors ${fmtInt(m.requests.server_errors, 'en')}`)),
      stat(L('지연 p95', 'Latency p95'), `${fmtNum(m.latency_ms.p95, 1)} ms`, `${L('평균', 'avg')} ${fmtNum(m.latency_ms.avg, 1)} · p99 ${fmtNum(m.latency_ms.p99, 1)}`),
      stat(L('생성한 예측', 'Predictions'), fmtInt(m.predictions.generated, lang()), L(`캐시 적중 ${fmtPct(m.predictions.cache_hit_rate)}`, `cache hits ${fmtPct(m.predictions.cache_hit_rate)}`)),
      stat('CPU', `${fmtNum(m.cpu.percent, 1)}%`, L(`${m.cpu.cores}코어`, `${m.cpu.cores} cores`)),
      stat(L('메모리 (RSS)', 'Memory (RSS)'), `${fmtNum(m.memory.rss_mb, 0)} MB`, `${L('힙', 'heap')} ${fmtNum(m.memory.heap_used_mb, 0)} MB`),
    ),
    routes.length
      ? chart(
          L('경로별 요청 수 (막대 끝: 평균 지연)', 'Requests per route (bar end: average latency)'),
          {
            grid: { left: narrow ? 110 : 160, right: 70, top: 8, bottom: 24 },
            tooltip: { trigger: 'axis' },
            yAxis: { type: 'category', inverse: true, data: routes.map((r) => r.route), axisLabel: { width: narrow ? 100 : 150, overflow: 'truncate', fontSize: 10 } },
            xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
            series: [
              {
                type: 'bar',
                name: L('요청', 'Requests'),
                data: routes.map((r) => r.requests),
                itemStyle: { color: COLORS.observed, borderRadius: [0, 4, 4, 0] },
                barMaxWidth: 18,
                label: { show: true, position: 'right', fontSize: 10, color: COLORS.muted, formatter: (p: unknown) => `${fmtNum(routes[(p as { dataIndex: number }).dataIndex]?.avg_ms ?? null, 1)} ms` },
              },
            ],
          },
          Math.max(160, routes.length * 30 + 40),
        )
      : h('p', { class: 'muted' }, L('이 기간에는 요청이 없습니다.', 'No requests in this period.')),
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('시스템', 'System'), L('서버, 모델, 캐시, 동기화의 상태와 측정한 지표.', 'The state of the server, models, cache and sync, and measured metrics.')));
  const healthBox = h('div', { id: 'health' }, loading());
  const period = h('select', { id: 'metrics-period' }, ...['5m', '1h', '24h'].map((p) => h('option', { value: p, selected: settings.period === p }, p)));
  const periodF = field(L('기간', 'Period'), period);
  const metricsBox = h('div', { id: 'metrics' });
  const refresh = h('button', { type: 'button', class: 'btn', id: 'refresh' }, L('새로 고침', 'Refresh'));
  main.append(healthBox, card(L('지표', 'Metrics'), h('div', { class: 'filters' }, periodF.wrap, h('div', { class: 'submit-wrap' }, refresh)), metricsBox));

  const loadHealth = async () => {
    try {
      const health = await api.get<Health>('/api/monitoring/health');
      healthBox.replaceChildren(...healthView(health));
    } catch (e) {
      healthBox.replaceChildren(errorBox(e));
    }
  };
  period.addEventListener('change', () => {
    settings.period = period.value;
    void metricsView(metricsBox);
  });
  refresh.addEventListener('click', () => void Promise.all([loadHealth(), metricsView(metricsBox)]));
  await Promise.all([loadHealth(), metricsView(metricsBox)]);
}

export const systemPage: Page = { id: 'system', title: () => L('시스템', 'System'), render };
