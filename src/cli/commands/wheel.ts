import { Command, Option } from 'commander';
import {
  GUARANTEE_NAMES,
  guaranteeName,
  makeWheel,
  parseGuaranteeName,
  WheelBudgetError,
  WheelInputError,
  WON_PER_TICKET,
  type Guarantee,
  type Wheel,
} from '../../domain/wheels/index.js';
import { CliFailure, parseIntOption, parsePositiveIntOption, UsageError } from '../errors.js';
import { wheelView } from '../../service/wheels.js';
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

const OPTION_OF: Record<string, string> = { pool: '--pool', fixed: '--fixed', guarantee: '--guarantee', budget: '--budget', seed: '--seed' };
const won = (n: number) => `${n.toLocaleString('en-US')} won`;

/** People's view of a wheel: the tickets, the cost and what was proved. */
export function renderWheel(w: Wheel, lang: 'ko' | 'en' = 'en'): string {
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
  return out.join('\n');
}

export function wheelCommand(): Command {
  return new Command('wheel')
    .description('a wheel (조합 축소): the fewest tickets over your pool that guarantee m matches if p drawn numbers are in it, verified')
    .requiredOption('--pool <numbers>', '7 to 20 distinct numbers from 1 to 45, comma-separated', numberListOption('--pool'))
    .option('--guarantee <g>', `m-if-p: ${GUARANTEE_NAMES.join('|')} (optional with --budget)`, guaranteeOption)
    .option('--fixed <numbers>', 'pool numbers to put on every ticket (at most 5)', numberListOption('--fixed'))
    .option('--budget <n>', 'most tickets: the strongest guarantee that fits (the requested one if it does)', parsePositiveIntOption('--budget'))
    .option('--seed <s>', 'seed of the search when a wheel is searched for (with --fixed)', parseIntOption('--seed'))
    .addOption(new Option('--lang <l>', 'language of the printed wheel and its messages').choices(['ko', 'en']).default('ko'))
    .option('--json', 'print JSON for scripts')
    .action((opts: { pool: number[]; guarantee?: Guarantee; fixed?: number[]; budget?: number; seed?: number; lang: 'ko' | 'en'; json?: boolean }) => {
      if (opts.guarantee === undefined && opts.budget === undefined) throw new UsageError(`give --guarantee (${GUARANTEE_NAMES.join('|')}), --budget N, or both`);
      if (opts.seed !== undefined && opts.seed < 0) throw new UsageError(`--seed must be ≥ 0, got ${opts.seed}`);
      let wheel: Wheel;
      try {
        wheel = makeWheel({ pool: opts.pool, guarantee: opts.guarantee, fixed: opts.fixed, budget: opts.budget, seed: opts.seed });
      } catch (e) {
        if (e instanceof WheelInputError) {
          const option = OPTION_OF[e.field.replace(/\[.*$/, '')] ?? e.field;
          throw new UsageError(`${option}: ${opts.lang === 'ko' ? e.reason.ko : e.reason.en}`);
        }
        if (e instanceof WheelBudgetError) throw new CliFailure(opts.lang === 'ko' ? e.reason.ko : e.reason.en);
        throw e;
      }
      if (opts.json) return printJson(wheelView(wheel));
      process.stdout.write(`${renderWheel(wheel, opts.lang)}\n`);
    });
}
