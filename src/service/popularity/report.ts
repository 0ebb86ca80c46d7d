/**
 * Self-contained HTML report of a popularity backtest: the summary table and, per tier, a scatter
 * of log predicted ratio against the centred realized log ratio, and the calibration by decile.
 * Inline SVG only (no scripts, no network).
 */
import type { PopularityBacktestReport, TierKey } from './backtest.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));
const won = (x: number | null) => (x === null ? '–' : `${Math.round(x).toLocaleString('en')} ₩`);

function scatter(points: Array<[number, number]>, title: string): string {
  const W = 320;
  const H = 240;
  const P = 32;
  if (points.length === 0) return '';
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => P + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * P);
  const sy = (y: number) => H - P - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * P);
  const dots = points.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2" fill="#2563eb" fill-opacity="0.5"/>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><rect x="${P}" y="${P / 2}" width="${W - 2 * P}" height="${H - 1.5 * P}" fill="none" stroke="#ccc"/>${dots}<text x="${W / 2}" y="${H - 6}" font-size="10" text-anchor="middle">log predicted ratio</text><text x="10" y="${H / 2}" font-size="10" transform="rotate(-90 10 ${H / 2})" text-anchor="middle">log realized − median52</text><text x="${W / 2}" y="12" font-size="11" text-anchor="middle">${esc(title)}</text></svg>`;
}

function bars(rows: Array<{ label: string; a: number; b: number }>, title: string): string {
  const W = 320;
  const H = 200;
  const P = 28;
  const max = Math.max(...rows.flatMap((r) => [r.a, r.b]), 1e-9);
  const bw = (W - 2 * P) / rows.length;
  const y = (v: number) => H - P - (v / max) * (H - 2 * P);
  const g = rows
    .map((r, i) => {
      const x = P + i * bw;
      return `<rect x="${(x + 2).toFixed(1)}" y="${y(r.a).toFixed(1)}" width="${(bw / 2 - 3).toFixed(1)}" height="${(H - P - y(r.a)).toFixed(1)}" fill="#94a3b8"/><rect x="${(x + bw / 2).toFixed(1)}" y="${y(r.b).toFixed(1)}" width="${(bw / 2 - 3).toFixed(1)}" height="${(H - P - y(r.b)).toFixed(1)}" fill="#2563eb"/><text x="${(x + bw / 2).toFixed(1)}" y="${H - P + 12}" font-size="9" text-anchor="middle">${esc(r.label)}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${g}<text x="${W / 2}" y="12" font-size="11" text-anchor="middle">${esc(title)}</text><text x="${W - P}" y="24" font-size="9" text-anchor="end" fill="#64748b">grey: expected · blue: realized</text></svg>`;
}

export function renderPopularityReportHtml(rep: PopularityBacktestReport): string {
  const keys: TierKey[] = ['1', '2', '3', '4', '5'];
  const rows = keys
    .map((k) => {
      const s = rep.summary.tiers[k];
      if (!s) return `<tr><td>${k}</td><td colspan="8">no data</td></tr>`;
      return `<tr><td>${k}</td><td>${s.n}</td><td>${f3(s.pearson)}</td><td>[${f3(s.pearson_ci95.low)}, ${f3(s.pearson_ci95.high)}]</td><td>${s.permutation_p.toPrecision(2)}</td><td>${f3(s.spearman)}</td><td>${f3(s.least_popular_quintile.mean_realized_ratio)} / ${f3(s.most_popular_quintile.mean_realized_ratio)} (×${s.quintile_ratio.toFixed(2)})</td><td>${Number(k) <= 3 ? `${won(s.least_popular_quintile.mean_prize_each_won)} / ${won(s.most_popular_quintile.mean_prize_each_won)}` : '–'}</td></tr>`;
    })
    .join('');
  const charts = keys
    .map((k) => {
      const s = rep.summary.tiers[k];
      if (!s) return '';
      const pts: Array<[number, number]> = [];
      for (const r of rep.rounds) {
        const t = r.tiers[k];
        if (t.realized_ratio !== null && t.realized_ratio > 0) pts.push([Math.log(t.predicted_ratio), Math.log(t.realized_ratio)]);
      }
      return `<figure>${scatter(pts, `Tier ${k}: predicted vs realized (log)`)}${bars(
        s.calibration.map((c) => ({ label: String(c.decile), a: c.mean_expected_ratio, b: c.mean_realized_ratio })),
        `Tier ${k}: by predicted decile`,
      )}</figure>`;
    })
    .join('');
  const goals = rep.summary.goals.map((g) => `<li>${esc(g.goal)}: ${f3(g.measured)} — ${!g.applies ? 'not judged (the goals are stated over rounds 939–1238)' : g.met ? 'met' : '<strong>not met</strong>'}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hogi popularity backtest ${rep.from}–${rep.to}</title><style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}figure{display:inline-block;margin:.5rem}</style></head><body>
<h1>Prize sharing (co-winner ratio) backtest, rounds ${rep.from}–${rep.to}</h1>
<p>Walk-forward: the model scoring round r was fitted only on rounds before r (refitted every ${rep.retrain_every} rounds). Every combination has the same chance of being drawn; this measures only how many others shared the prize. 모든 조합의 당첨 확률은 같습니다. 이 보고서는 당첨금을 나눈 사람 수만 측정합니다.</p>
<table><thead><tr><th>tier</th><th>rounds</th><th>Pearson</th><th>95% CI (bootstrap)</th><th>perm. p</th><th>Spearman</th><th>realized ratio least / most popular quintile</th><th>prize per winner least / most popular quintile</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Goals (issue 14)</h2><ul>${goals}</ul>
<h2>Charts</h2>${charts}
</body></html>`;
}
