import { Command, Option } from 'commander';
import {
  GUARANTEE_NAMES,
  guaranteeName,
  parseGuaranteeName,
  WheelBudgetError,
  WheelInputError,
  WON_PER_TICKET,
  type Guarantee,
  type Wheel,
} from '../../domain/wheels/index.js';
import { CliFailure, parseIntOption, parsePositiveIntOption, UsageError } from '../errors.js';
import { PopularityService } from '../../service/popularity/service.js';
import { servicesFor } from '../../service/services.js';
import { TicketInputError, ticketsService } from '../../service/tickets/service.js';
import { saveWheelAsTickets, wheelService, wheelView, type SavedWheel, type WheelPopularity } from '../../service/wheels.js';
import { closeDb, dbFor, defaultCliContext, type CliContext } from '../context.js';
import { printJson, renderTable } from '../output.js';

/** "1,5,9" or "1 5 9" → numbers; anything else is a usage error naming the option. */
export function numberListOption(name: string) {
  return (value: string): number[] => {
    const parts = value.split(/[\s,]+/).filter((p) => p.length > 0);
    if (parts.length === 0) throw new UsageError(`${name} needs numbers separated by commas, e.g. ${name} 1,5,9`);
    return parts.map((p) => {
      if (!/^\d+$/.test(p)) throw new UsageError(`${name} must list whole numbers from 1 to 45 separated by commas, got "${p}"`);
      return Number(p);
    });
  };
}

function guaranteeOption(value: string): Guarantee {
  const g = parseGuaranteeName(value);
  if (!g) throw new UsageError(`--guarantee must be one of ${GUARANTEE_NAMES.join(', ')}, got "${value}"`);
  return g;
}

const OPTION_OF: Record<string, string> = { pool: '--pool', fixed: '--fixed', guarantee: '--guarantee', budget: '--budget', seed: '--seed', round: '--round', label: '--label' };
const won = (n: number) => `${n.toLocaleString('en-US')} won`;

/** People's view of a wheel: the tickets, the cost and what was proved. */
export function renderWheel(w: Wheel, lang: 'ko' | 'en' = 'en', popularity: WheelPopularity | null = null): string {
  const name = guaranteeName(w.guarantee);
  const { match: m, if: p } = w.guarantee;
  const out: string[] = [];
  if (lang === 'ko') {
    out.push(`${name} 휠 — 풀 ${w.pool.length}개 번호: ${w.pool.join(' ')}${w.fixed.length ? ` (고정수 ${w.fixed.join(' ')})` : ''}`);
    out.push(`티켓 ${w.tickets.length}장, ${w.costWon.toLocaleString('ko-KR')}원 (장당 ${WON_PER_TICKET.toLocaleString('ko-KR')}원)`);
  } else {
    out.push(`${name} wheel on ${w.pool.length} numbers: ${w.pool.join(' ')}${w.fixed.length ? ` (fixed ${w.fixed.join(' ')})` : ''}`);
    out.push(`${w.tickets.length} ticket${w.tickets.length === 1 ? '' : 's'}, ${won(w.costWon)} (${won(WON_PER_TICKET)} each)`);
  }
  if (w.budget) {
    const tried = w.budget.considered.map((c) => `${guaranteeName(c.guarantee)} ${c.tickets ?? `≥${c.lowerBound}`}`).join(', ');
    out.push(lang === 'ko' ? `예산 ${w.budget.limit}장: ${tried}` : `Budget ${w.budget.limit} tickets: ${tried}`);
  }
  out.push('');
  out.push(renderTable(w.tickets.map((t, i) => ({ i: i + 1, t })), [
    { header: '#', value: (r) => r.i, align: 'right' },
    { header: lang === 'ko' ? '번호' : 'numbers', value: (r) => r.t.map((n) => String(n).padStart(2)).join(' ') },
  ]));
  out.push('');
  const how = w.source === 'table' ? (lang === 'ko' ? '표' : 'table') : w.source === 'exact' ? (lang === 'ko' ? '완전 탐색' : 'exact search') : lang === 'ko' ? `탐색, 시드 ${w.seed}` : `search, seed ${w.seed}`;
  if (lang === 'ko') {
    out.push(`검증: 당첨 번호 중 ${p}개가 풀에 들어오는 ${w.proof.subsetsChecked.toLocaleString('ko-KR')}가지 경우를 모든 티켓과 대조했고, 모두 어느 한 장이 ${m}개 이상 맞습니다 (${how}${w.minimal ? ', 최소 장수 증명됨' : ''}).`);
    out.push(`풀 번호가 ${p}개 이상 나오는 6/45 추첨 ${w.proof.drawsCovered.toLocaleString('ko-KR')}가지 모두에서 ${m}개 이상 맞는 티켓이 있습니다.`);
    out.push('휠은 풀의 번호가 충분히 나왔을 때 당첨을 보장할 뿐, 그 번호들이 나올 확률은 바꾸지 못합니다.');
  } else {
    out.push(
      `Verified: all ${w.proof.subsetsChecked.toLocaleString('en-US')} ways ${p} drawn numbers can fall in the pool were checked against every ticket; each meets a ticket in ≥ ${m} (${how}${w.minimal ? ', proved minimal' : ''}).`,
    );
    out.push(`So on every one of the ${w.proof.drawsCovered.toLocaleString('en-US')} 6/45 draws with ≥ ${p} pool numbers, a ticket matches ≥ ${m}.`);
    out.push('A wheel guarantees a prize only when enough of your pool is drawn; it does not change the chance that it is.');
  }
  const sharing = popularity ? renderSharing(popularity, lang) : '';
  if (sharing) out.push(sharing);
  return out.join('\n');
}

/** The least-shared labelling's figures (tiers 1–3 mean predicted co-winner ratio, before → after), or why it did not run. */
export function renderSharing(p: WheelPopularity, lang: 'ko' | 'en'): string {
  if (!p.applied || !p.before || !p.after) return p.requested && p.reason ? (lang === 'ko' ? `공유 최소화: ${p.reason.ko}` : `Least shared: ${p.reason.en}`) : '';
  const b = p.before.mean_ratio;
  const a = p.after.mean_ratio;
  const mean = (r: Record<'1' | '2' | '3', number>) => ((r['1'] + r['2'] + r['3']) / 3).toFixed(3);
  const tiers = (['1', '2', '3'] as const).map((k) => (lang === 'ko' ? `${k}등 ${b[k].toFixed(3)} → ${a[k].toFixed(3)}` : `tier ${k} ${b[k].toFixed(3)} → ${a[k].toFixed(3)}`)).join(', ');
  return lang === 'ko'
    ? `공유 최소화 (${p.after_round}회까지의 당첨금 자료로 맞춘 모델, 시드 ${p.seed}): 티켓들의 1–3등 예측 공동당첨 비율 평균 ${mean(b)} → ${mean(a)} (${tiers}; 1 = 평균 조합). ${p.note.ko}`
    : `Least shared (model fitted on the prize rounds through ${p.after_round}, seed ${p.seed}): mean predicted tier 1–3 co-winner ratio over the tickets ${mean(b)} → ${mean(a)} (${tiers}; 1 = an average combination). ${p.note.en}`;
}

function renderSaved(s: SavedWheel, lang: 'ko' | 'en'): string {
  const ids = s.tickets.map((t) => `#${t.id}`).join(' ');
  const when = s.roundSource === 'next_draw' ? (lang === 'ko' ? '다음 추첨' : 'the next draw') : lang === 'ko' ? '지정한 회차' : 'the given round';
  return lang === 'ko'
    ? `${s.round}회(${when})용 티켓 ${s.tickets.length}장으로 저장했습니다 (한 장에 5게임, 모두 ${s.wheel.tickets.length}게임): ${ids}. 추첨 결과가 들어오면 자동으로 확인됩니다 — hogi tickets list --round ${s.round}`
    : `Saved as ${s.tickets.length} ticket${s.tickets.length === 1 ? '' : 's'} for round ${s.round} (${when}; five games a ticket, ${s.wheel.tickets.length} games): ${ids}. They are checked automatically when the draw arrives: hogi tickets list --round ${s.round}`;
}

export function wheelCommand(ctx: CliContext = defaultCliContext): Command {
  return new Command('wheel')
    .description('a wheel (조합 축소): the fewest tickets over your pool that guarantee m matches if p drawn numbers are in it, verified')
    .requiredOption('--pool <numbers>', '7 to 20 distinct numbers from 1 to 45, comma-separated', numberListOption('--pool'))
    .option('--guarantee <g>', `m-if-p: ${GUARANTEE_NAMES.join('|')} (optional with --budget)`, guaranteeOption)
    .option('--fixed <numbers>', 'pool numbers to put on every ticket (at most 5)', numberListOption('--fixed'))
    .option('--budget <n>', 'most tickets: the strongest guarantee that fits (the requested one if it does)', parsePositiveIntOption('--budget'))
    .option('--seed <s>', 'seed of the search (with --fixed) and of the least-shared labelling', parseIntOption('--seed'))
    .option('--no-least-shared', 'keep the ascending labelling instead of the least-shared one (same guarantee, count and odds; only predicted sharing differs)')
    .option('--save', 'save the wheel as tickets (five games a ticket) for --round, checked automatically when the draw arrives')
    .option('--round <n>', 'round to save for (default: the next round not yet drawn)', parsePositiveIntOption('--round'))
    .option('--label <text>', 'label of the saved tickets (each gets its part, e.g. "· 1/3")')
    .addOption(new Option('--lang <l>', 'language of the printed wheel and its messages').choices(['ko', 'en']).default('ko'))
    .option('--json', 'print JSON for scripts')
    .action(async function (this: Command, opts: { pool: number[]; guarantee?: Guarantee; fixed?: number[]; budget?: number; seed?: number; leastShared: boolean; save?: boolean; round?: number; label?: string; lang: 'ko' | 'en'; json?: boolean }) {
      if (opts.guarantee === undefined && opts.budget === undefined) throw new UsageError(`give --guarantee (${GUARANTEE_NAMES.join('|')}), --budget N, or both`);
      if (opts.seed !== undefined && opts.seed < 0) throw new UsageError(`--seed must be ≥ 0, got ${opts.seed}`);
      if (!opts.save && (opts.round !== undefined || opts.label !== undefined)) throw new UsageError('--round and --label go with --save');
      const lang = opts.lang;
      const refusal = (e: unknown): unknown => {
        if (e instanceof WheelInputError) {
          const option = OPTION_OF[e.field.replace(/\[.*$/, '')] ?? e.field;
          return new UsageError(`${option}: ${lang === 'ko' ? e.reason.ko : e.reason.en}`);
        }
        if (e instanceof WheelBudgetError) return new CliFailure(lang === 'ko' ? e.reason.ko : e.reason.en);
        if (e instanceof TicketInputError) return new CliFailure(`${e.field}: ${e.message}`);
        return e;
      };
      const wheels = wheelService();
      const spec = { pool: opts.pool, guarantee: opts.guarantee, fixed: opts.fixed, budget: opts.budget, seed: opts.seed };
      let plain: ReturnType<typeof wheels.make>;
      try {
        // Bad input is refused before any database is opened.
        plain = wheels.make({ ...spec, leastShared: false });
      } catch (e) {
        throw refusal(e);
      }
      if (!opts.leastShared && !opts.save) {
        if (opts.json) return printJson(wheelView(plain.wheel, plain.popularity));
        process.stdout.write(`${renderWheel(plain.wheel, lang, plain.popularity)}\n`);
        return;
      }
      const db = dbFor(this);
      try {
        const made = wheels.make({ ...spec, leastShared: opts.leastShared }, new PopularityService(servicesFor(db).prizeSource()));
        let saved: SavedWheel | null = null;
        if (opts.save) {
          try {
            saved = saveWheelAsTickets(ticketsService({ db }), { pool: made.wheel.pool, guarantee: made.wheel.guarantee, fixed: made.wheel.fixed, tickets: made.wheel.tickets, round: opts.round, label: opts.label, lang }, ctx.now());
          } catch (e) {
            throw refusal(e);
          }
        }
        if (opts.json) {
          printJson({ ...wheelView(made.wheel, made.popularity), ...(saved ? { saved: { round: saved.round, round_source: saved.roundSource, ticket_ids: saved.tickets.map((t) => t.id), games: saved.wheel.tickets.length } } : {}) });
          return;
        }
        process.stdout.write(`${renderWheel(made.wheel, lang, made.popularity)}\n${saved ? `\n${renderSaved(saved, lang)}\n` : ''}`);
      } finally {
        await closeDb(db);
      }
    });
}
