/**
 * The backtest report: report.json (the stored params and summary, the fairness report over
 * the same rounds and machines, and the exact data every chart draws) and report.html, one
 * self-contained page (ECharts inlined from node_modules, no network) with those charts.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Draw } from '../../domain/draw.js';
import { fairnessReport, type FairnessOptions, type FairnessReport, type FairnessScopeSpec } from '../../domain/fairness/index.js';
import type { BacktestDetail } from './service.js';
import type { MethodSummary, ScopeSummary } from './summary.js';

export interface ReportCharts {
  /** Matches per set per method with the 95% interval, and the chance line. */
  matches: Array<{ scope: string; method: string; mean: number; lower: number | null; upper: number | null; chance: number; p_value_holm: number | null; verdict: string }>;
  best_of_n: Array<{ method: string; observed: number; chance: number; independent: number }>;
  prize_tiers: Array<{ method: string; tier: number; rule: string; count: number; expected: number; p_value: number }>;
  log_loss: Array<{ method: string; mean: number; uniform: number; lower: number | null; upper: number | null }>;
  calibration: Array<{ method: string; bins: Array<{ predicted: number; observed: number; low: number; high: number; count: number }> }>;
  fairness: Array<{ scope: string; test: string; name: string; p_value: number; adjusted_p: number; detectable_effect: number | null; effect_unit: string; conclusion: string }>;
}

export interface BacktestReport {
  format: 'hogi-backtest-report';
  formatVersion: 1;
  generated_at: string;
  backtest: BacktestDetail;
  fairness: FairnessReport | null;
  charts: ReportCharts;
}

function matchesRows(scope: ScopeSummary): ReportCharts['matches'] {
  return scope.methods.map((m) => ({
    scope: scope.scope,
    method: m.method,
    mean: m.mean_matches,
    lower: m.mean_matches_ci?.lower ?? null,
    upper: m.mean_matches_ci?.upper ?? null,
    chance: m.chance_mean_matches,
    p_value_holm: m.p_value_holm,
    verdict: m.verdict,
  }));
}

/** The data of every chart, from the summary and the fairness report. */
export function reportCharts(detail: BacktestDetail, fairness: FairnessReport | null): ReportCharts {
  const s = detail.summary;
  if (!s) throw new Error(`backtest ${detail.id} has no summary yet (status ${detail.status})`);
  const methods: MethodSummary[] = s.overall.methods;
  return {
    matches: [s.overall, ...s.machines].flatMap(matchesRows),
    best_of_n: methods.filter((m) => m.best_of_n).map((m) => ({ method: m.method, observed: m.best_of_n!.observed_mean, chance: m.best_of_n!.chance_mean, independent: m.best_of_n!.independent_chance })),
    prize_tiers: methods.flatMap((m) => m.prize_tiers.map((t) => ({ method: m.method, tier: t.tier, rule: t.rule, count: t.count, expected: t.expected, p_value: t.p_value }))),
    log_loss: methods
      .filter((m) => m.log_loss)
      .map((m) => ({
        method: m.method,
        mean: m.log_loss!.mean,
        uniform: m.log_loss!.uniform,
        lower: m.log_loss!.difference_ci ? m.log_loss!.uniform + m.log_loss!.difference_ci.lower : null,
        upper: m.log_loss!.difference_ci ? m.log_loss!.uniform + m.log_loss!.difference_ci.upper : null,
      })),
    calibration: methods
      .filter((m) => m.calibration)
      .map((m) => ({ method: m.method, bins: m.calibration!.map((b) => ({ predicted: b.meanPredicted, observed: b.observedRate, low: b.observedLow, high: b.observedHigh, count: b.count })) })),
    fairness: (fairness?.scopes ?? []).flatMap((sc) =>
      sc.tests.map((t) => ({
        scope: sc.label.en,
        test: t.test,
        name: t.name,
        p_value: t.pValue,
        adjusted_p: t.adjustedP,
        detectable_effect: t.power.detectableEffect,
        effect_unit: t.power.effectUnit,
        conclusion: t.conclusion.en,
      })),
    ),
  };
}

export interface ReportOptions {
  /** Fairness settings (defaults: the report's seed and fairnessReport's own defaults); null skips fairness. */
  fairness?: Partial<Pick<FairnessOptions, 'permutations' | 'nullSimulations' | 'powerSimulations'>> | null;
  now?: () => Date;
}

/** The report object: summary, fairness over the same rounds and machines, chart data. */
export function buildReport(detail: BacktestDetail, draws: readonly Draw[], options: ReportOptions = {}): BacktestReport {
  let fairness: FairnessReport | null = null;
  if (options.fairness !== null && detail.summary) {
    const machines: FairnessScopeSpec[] = ['all', ...detail.summary.machines.map((m) => m.machine).filter((m): m is number => m !== null)];
    // The rounds the backtest scored: labelled draws of its range (and machine filter).
    const first = detail.summary.overall.first_round ?? detail.params.from;
    const last = detail.summary.overall.last_round ?? detail.params.to;
    const pick = draws.filter((d) => d.round >= first && d.round <= last && d.machine !== null && (detail.params.machine === 'all' || `${d.machine}호기` === detail.params.machine));
    fairness = fairnessReport(pick, { machines, from: first, to: last, seed: detail.params.seed, ...(options.fairness ?? {}) });
  }
  return {
    format: 'hogi-backtest-report',
    formatVersion: 1,
    generated_at: (options.now ?? (() => new Date()))().toISOString(),
    backtest: detail,
    fairness,
    charts: reportCharts(detail, fairness),
  };
}

function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON safe inside <script>: no "</script>" or "<!--" can appear. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));
const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(4));
const pv = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));

function methodTable(scope: ScopeSummary): string {
  const rows = scope.methods
    .map(
      (m) => `<tr class="${m.verdict}"><td>${escapeHtml(m.method)}</td><td>${m.rounds}</td><td>${m.sets}</td><td><b>${f3(m.mean_matches)}</b></td><td>${m.mean_matches_ci ? `${f3(m.mean_matches_ci.lower)} – ${f3(m.mean_matches_ci.upper)}` : '–'}</td><td>${f3(m.chance_mean_matches)}</td><td>${pv(m.p_value)}</td><td>${pv(m.p_value_holm)}</td><td>${f3(m.best_of_n?.observed_mean)}</td><td>${f3(m.best_of_n?.chance_mean)}</td><td>${pv(m.best_of_n?.p_value_holm)}</td><td>${f4(m.log_loss?.mean)}</td><td>${f4(m.brier?.mean)}</td><td><span class="badge ${m.verdict}">${m.verdict.replace(/_/g, ' ')}</span></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>method</th><th>rounds</th><th>sets</th><th>matches/set</th><th>95% CI</th><th>chance</th><th>p</th><th>p (Holm)</th><th>best of N</th><th>chance</th><th>p (Holm)</th><th>log-loss</th><th>Brier</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function prizeTable(scope: ScopeSummary): string {
  const head = scope.methods[0]?.prize_tiers.map((t) => `<th>${t.tier}${t.tier === 1 ? 'st' : t.tier === 2 ? 'nd' : t.tier === 3 ? 'rd' : 'th'} (${escapeHtml(t.rule)})</th>`).join('') ?? '';
  const rows = scope.methods
    .map((m) => `<tr><td>${escapeHtml(m.method)}</td><td>${m.sets}</td>${m.prize_tiers.map((t) => `<td title="one-sided p = ${pv(t.p_value)}">${t.count} <span class="muted">/ ${t.expected < 0.01 ? t.expected.toExponential(1) : t.expected.toFixed(2)}</span>${t.p_value < 0.05 ? ' <span class="badge better_than_chance">p ' + pv(t.p_value) + '</span>' : ''}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr><th>method</th><th>tickets</th>${head}</tr></thead><tbody>${rows}</tbody></table><p class="muted">Each cell: observed count / expected under chance (tickets × hypergeometric probability). A badge marks a binomial upper-tail p &lt; 0.05.</p>`;
}

function fairnessTable(f: FairnessReport | null): string {
  if (!f) return '<p class="muted">Fairness tests were not run for this report.</p>';
  return f.scopes
    .map((sc) => {
      const rows = sc.tests
        .map(
          (t) =>
            `<tr><td>${escapeHtml(t.name)}</td><td>${f3(t.statistic)}</td><td>${pv(t.pValue)}</td><td>${pv(t.adjustedP)}</td><td>${t.power.detectableEffect === null ? `not even ${t.power.maxEffectTried}` : t.power.effectUnit === 'rho' ? `ρ = ${t.power.detectableEffect.toFixed(3)}` : `${t.power.detectableEffect.toFixed(2)}×`}</td><td>${escapeHtml(t.conclusion.en)}</td></tr>`,
        )
        .join('');
      return `<h3>${escapeHtml(sc.label.en)} · ${sc.draws} draws${sc.fromRound !== null ? ` (rounds ${sc.fromRound}–${sc.toRound})` : ''}</h3><p>${escapeHtml(sc.conclusion.en)}<br><span class="ko">${escapeHtml(sc.conclusion.ko)}</span></p>${rows ? `<table><thead><tr><th>test</th><th>statistic</th><th>p</th><th>p (Holm)</th><th>detectable at 80% power</th><th>in words</th></tr></thead><tbody>${rows}</tbody></table>` : ''}`;
    })
    .join('');
}

const PAGE_SCRIPT = String.raw`
const R = JSON.parse(document.getElementById('report-data').textContent);
const C = R.charts;
const palette = ['#5470c6','#91cc75','#fac858','#ee6666','#73c0de','#3ba272','#fc8452','#9a60b4','#ea7ccc','#2f4554'];
function errorBars(data, color) {
  return { type: 'custom', name: '95% CI', itemStyle: { color }, z: 10,
    renderItem(params, api) {
      const x = api.value(0); const lo = api.coord([x, api.value(1)]); const hi = api.coord([x, api.value(2)]);
      const w = api.size([1, 0])[0] * 0.15;
      const style = { stroke: '#333', lineWidth: 1.5 };
      return { type: 'group', children: [
        { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
        { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
        { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style } ] };
    },
    data, encode: { x: 0, y: [1, 2] } };
}
function chart(id, option) { const el = document.getElementById(id); if (!el) return; const c = echarts.init(el); c.setOption(option); window.addEventListener('resize', () => c.resize()); }
const overall = C.matches.filter(r => r.scope === 'all');
const chance = overall.length ? overall[0].chance : 0.8;
chart('chart-matches', {
  tooltip: { trigger: 'axis', formatter: (ps) => { const r = overall[ps[0].dataIndex]; return r.method + '<br>matches/set ' + r.mean.toFixed(3) + (r.lower !== null ? '<br>95% CI ' + r.lower.toFixed(3) + ' – ' + r.upper.toFixed(3) : '') + '<br>chance ' + r.chance.toFixed(3) + (r.p_value_holm !== null ? '<br>Holm p ' + r.p_value_holm.toFixed(3) : ''); } },
  grid: { left: 50, right: 70, top: 30, bottom: 90 },
  xAxis: { type: 'category', data: overall.map(r => r.method), axisLabel: { rotate: 35 } },
  yAxis: { type: 'value', name: 'matches per set', min: (v) => Math.max(0, Math.floor((Math.min(v.min, chance) - 0.1) * 10) / 10) },
  series: [
    { type: 'bar', name: 'mean', data: overall.map((r, i) => ({ value: r.mean, itemStyle: { color: r.verdict === 'better_than_chance' ? '#3ba272' : r.verdict === 'worse_than_chance' ? '#ee6666' : '#5470c6' } })),
      markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#d14' }, label: { formatter: 'chance ' + chance.toFixed(1) }, data: [{ yAxis: chance }] } },
    errorBars(overall.map((r, i) => [i, r.lower ?? r.mean, r.upper ?? r.mean]), '#333') ] });
const machineScopes = [...new Set(C.matches.map(r => r.scope))].filter(s => s !== 'all');
const methodsAll = [...new Set(C.matches.map(r => r.method))];
chart('chart-machines', {
  tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 90 },
  xAxis: { type: 'category', data: methodsAll, axisLabel: { rotate: 35 } },
  yAxis: { type: 'value', name: 'matches per set', min: (v) => Math.max(0, Math.floor((Math.min(v.min, chance) - 0.1) * 10) / 10) },
  series: machineScopes.map((s, k) => ({ type: 'bar', name: s, itemStyle: { color: palette[k] }, data: methodsAll.map(m => { const r = C.matches.find(x => x.scope === s && x.method === m); return r ? +r.mean.toFixed(4) : null; }),
    markLine: k === 0 ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#d14' }, data: [{ yAxis: chance }] } : undefined })) });
chart('chart-best', {
  tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 90 },
  xAxis: { type: 'category', data: C.best_of_n.map(r => r.method), axisLabel: { rotate: 35 } },
  yAxis: { type: 'value', name: 'best of N', min: (v) => Math.max(0, Math.floor((v.min - 0.2) * 10) / 10) },
  series: [ { type: 'bar', name: 'observed', data: C.best_of_n.map(r => +r.observed.toFixed(4)) },
            { type: 'bar', name: 'chance (same tickets)', data: C.best_of_n.map(r => +r.chance.toFixed(4)), itemStyle: { color: '#ccc' } } ] });
chart('chart-logloss', {
  tooltip: { trigger: 'axis' }, grid: { left: 60, right: 20, top: 30, bottom: 90 },
  xAxis: { type: 'category', data: C.log_loss.map(r => r.method), axisLabel: { rotate: 35 } },
  yAxis: { type: 'value', name: 'log-loss (lower is better)', scale: true },
  series: [ { type: 'scatter', name: 'mean', symbolSize: 12, data: C.log_loss.map((r, i) => [i, r.mean]),
      markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#d14' }, label: { formatter: 'uniform 6/45' }, data: [{ yAxis: C.log_loss.length ? C.log_loss[0].uniform : 0.3927 }] } },
    errorBars(C.log_loss.map((r, i) => [i, r.lower ?? r.mean, r.upper ?? r.mean]), '#333') ] });
chart('chart-calibration', {
  tooltip: { trigger: 'item', formatter: (p) => p.seriesName + '<br>predicted ' + p.value[0].toFixed(4) + '<br>observed ' + p.value[1].toFixed(4) },
  legend: { type: 'scroll', top: 0, selected: Object.fromEntries(C.calibration.map(c => [c.method, ['ensemble', 'weighted_voting', 'stacking', 'blending'].includes(c.method)])) }, grid: { left: 60, right: 20, top: 40, bottom: 50 },
  xAxis: { type: 'value', name: 'mean predicted probability', scale: true, nameLocation: 'middle', nameGap: 30 },
  yAxis: { type: 'value', name: 'observed rate', scale: true },
  series: [ { type: 'line', name: 'perfect calibration', symbol: 'none', lineStyle: { type: 'dashed', color: '#999' },
      data: (() => { const xs = C.calibration.flatMap(c => c.bins.map(b => b.predicted)); const lo = Math.min(...xs, 0.1), hi = Math.max(...xs, 0.17); return [[lo, lo], [hi, hi]]; })() },
    ...C.calibration.map((c, k) => ({ type: 'line', name: c.method, smooth: false, itemStyle: { color: palette[k % palette.length] }, data: c.bins.map(b => [b.predicted, b.observed]) })),
    { type: 'line', name: 'chance 6/45', symbol: 'none', lineStyle: { color: '#d14', type: 'dotted' }, data: (() => { const xs = C.calibration.flatMap(c => c.bins.map(b => b.predicted)); return [[Math.min(...xs, 0.1), 6/45], [Math.max(...xs, 0.17), 6/45]]; })() } ] });
const fair = C.fairness;
chart('chart-fairness', fair.length === 0 ? { title: { text: 'no fairness tests', left: 'center', top: 'middle', textStyle: { color: '#999' } } } : {
  tooltip: { trigger: 'item', formatter: (p) => { const r = fair[p.dataIndex]; return r.scope + ' · ' + r.name + '<br>p ' + r.p_value.toFixed(4) + ', Holm ' + r.adjusted_p.toFixed(4) + '<br>' + r.conclusion; } },
  grid: { left: 220, right: 30, top: 20, bottom: 40 },
  xAxis: { type: 'value', name: 'Holm-adjusted p', min: 0, max: 1 },
  yAxis: { type: 'category', data: fair.map(r => r.scope + ' · ' + r.test), inverse: true },
  series: [ { type: 'bar', data: fair.map(r => ({ value: +r.adjusted_p.toFixed(4), itemStyle: { color: r.adjusted_p < 0.05 ? '#ee6666' : '#91cc75' } })),
    markLine: { symbol: 'none', lineStyle: { color: '#d14', type: 'dashed' }, label: { formatter: 'α = 0.05' }, data: [{ xAxis: 0.05 }] } } ] });
`;

/** The whole page: styles, tables, charts, the data, and ECharts itself. */
export function renderReportHtml(report: BacktestReport): string {
  const d = report.backtest;
  const s = d.summary!;
  const p = d.params;
  const title = `hogi backtest ${d.id}: rounds ${p.from}–${p.to}`;
  const machineSections = s.machines.map((m) => `<h3>${escapeHtml(m.scope)} · ${m.rounds} draws</h3>${methodTable(m)}`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
:root { --fg:#1f2329; --muted:#6b7280; --line:#e5e7eb; --bg:#f7f8fa; --card:#fff; --accent:#5470c6; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 -apple-system, "Segoe UI", "Noto Sans KR", "Apple SD Gothic Neo", sans-serif; color:var(--fg); background:var(--bg); }
header { background:linear-gradient(120deg,#2f4554,#5470c6); color:#fff; padding:28px 40px; }
header h1 { margin:0 0 6px; font-size:24px; } header p { margin:2px 0; opacity:.9; }
main { max-width:1200px; margin:0 auto; padding:24px 20px 60px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:20px 24px; margin:18px 0; box-shadow:0 1px 2px rgba(0,0,0,.04); }
h2 { margin:0 0 12px; font-size:18px; } h3 { font-size:15px; margin:18px 0 8px; }
.conclusion { font-size:15px; } .ko { color:#374151; }
.grid { display:grid; grid-template-columns:repeat(auto-fit,minmax(180px,1fr)); gap:12px; margin-top:12px; }
.kpi { background:var(--bg); border-radius:8px; padding:10px 14px; } .kpi b { display:block; font-size:20px; } .kpi span { color:var(--muted); font-size:12px; }
.chart { width:100%; height:380px; } .chart.tall { height:460px; }
table { border-collapse:collapse; width:100%; font-size:13px; margin:6px 0; } th, td { padding:6px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
th:first-child, td:first-child { text-align:left; } th { background:var(--bg); font-weight:600; } td:last-child, th:last-child { white-space:normal; text-align:left; }
.muted { color:var(--muted); font-size:12px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:#e5e7eb; }
.badge.better_than_chance { background:#d1fae5; color:#065f46; } .badge.worse_than_chance { background:#fee2e2; color:#991b1b; } .badge.no_evidence { background:#e0e7ff; color:#3730a3; }
code { background:var(--bg); padding:1px 5px; border-radius:4px; }
.scroll { overflow-x:auto; }
</style></head>
<body>
<header><h1>Does it predict? · 예측이 되는가?</h1>
<p>${escapeHtml(title)} · ${d.progress.rounds_done} draws scored · ${escapeHtml(p.machine)} · ${p.sets} sets per method · retrain every ${p.retrain_every} · config ${escapeHtml(p.config)} · seed ${p.seed}</p>
<p>generated ${escapeHtml(report.generated_at)} · data ${escapeHtml(p.data_hash)}${p.skipped_unlabelled ? ` · ${p.skipped_unlabelled} unlabelled rounds skipped` : ''}</p></header>
<main>
<section><h2>Conclusion · 결론</h2><p class="conclusion">${escapeHtml(s.conclusion.en)}</p><p class="conclusion ko">${escapeHtml(s.conclusion.ko)}</p>
<div class="grid">
<div class="kpi"><b>${f3(s.chance.mean_matches)}</b><span>chance matches per set (exact)</span></div>
<div class="kpi"><b>${f3(s.chance.best_of_n_independent)}</b><span>chance best of ${p.sets} independent tickets</span></div>
<div class="kpi"><b>${f4(s.chance.uniform_log_loss)}</b><span>uniform 6/45 log-loss</span></div>
<div class="kpi"><b>${s.significant_methods.length}</b><span>methods beating chance (Holm, α = 0.05)</span></div>
<div class="kpi"><b>${escapeHtml(s.ranking.best ?? '–')}</b><span>premium's method (lowest log-loss)${s.ranking.beats_chance ? '' : ', not better than chance'}</span></div>
</div></section>
<section><h2>Matches per set against chance</h2><p class="muted">Bars: mean matches per set over all scored rounds; whiskers: 95% bootstrap interval over rounds; dashed line: the exact chance value. Green = better than chance after Holm correction, red = worse.</p><div id="chart-matches" class="chart"></div>
<div class="scroll">${methodTable(s.overall)}</div></section>
<section><h2>Per machine</h2><div id="chart-machines" class="chart"></div><div class="scroll">${machineSections}</div></section>
<section><h2>Best of N</h2><p class="muted">Mean of the best ticket per round, against the chance value of the very same tickets (exact; overlapping tickets lower it) — ${f3(s.chance.best_of_n_independent)} for ${p.sets} independent tickets.</p><div id="chart-best" class="chart"></div></section>
<section><h2>Prize tiers</h2><div class="scroll">${prizeTable(s.overall)}</div></section>
<section><h2>Probability quality</h2><p class="muted">Mean binary log-loss of the 45 probabilities per draw (lower is better) with the 95% interval; dashed: the uniform 6/45.</p><div id="chart-logloss" class="chart"></div>
<h3>Calibration</h3><p class="muted">Numbers grouped by predicted probability (deciles over all rounds); a calibrated model lies on the diagonal, and a flat line at 6/45 means the probabilities carried no information. Click the legend to show the other methods.</p><div id="chart-calibration" class="chart tall"></div></section>
<section><h2>Fairness of the draws over the same rounds</h2><div id="chart-fairness" class="chart tall"></div>${fairnessTable(report.fairness)}</section>
<section><h2>Method</h2><p>For every labelled draw t in the range, models are trained only on draws before t (retrained every ${p.retrain_every} rounds and reused in between); every method's tickets go through the product's own combination, strategy and set code. Matches are tested with an exact one-sided test (the summed matches' null distribution for the tickets actually chosen), Holm-corrected across methods. Reproduce with <code>hogi backtest --from ${p.from} --to ${p.to} --machine ${p.machine === 'all' ? 'all' : p.machine.replace('호기', '')} --retrain-every ${p.retrain_every} --sets ${p.sets} --seed ${p.seed} --config ${escapeHtml(p.config)}</code>.</p></section>
</main>
<script id="report-data" type="application/json">${scriptJson(report)}</script>
<script>${echartsSource().replace(/<\/script/gi, '<\\/script')}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Write report.json and report.html into `dir` (created if needed). */
export function writeReport(dir: string, detail: BacktestDetail, draws: readonly Draw[], options: ReportOptions = {}): { json: string; html: string; report: BacktestReport } {
  const report = buildReport(detail, draws, options);
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeAtomically(json, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(html, renderReportHtml(report));
  return { json, html, report };
}
