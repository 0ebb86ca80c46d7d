// Why a set request cannot be met, in plain words (ko/en): which rule, alone or with another, your fixed and excluded numbers rule out. Pure.
import { NUMBERS_PER_DRAW } from '../domain/draw.js';
import { formatMachine } from '../domain/machine.js';
import { consecutivePairs, lastDigitSum, oddCount, SECTIONS, sectionCounts, totalSum } from '../domain/stats.js';
import { CONSTRAINT_KEYS, describeConstraint, describeConstraints, pickConstraint, SPECIAL_NUMBERS, specialCount, type ConstraintKey, type HardConstraints } from './constraints.js';
import type { Localized, MachineStrategy } from './machineStrategies.js';
import { searchSets } from './search.js';
import { list, tr } from './text.js';

function who(strategy: MachineStrategy): Localized {
  if (strategy.machine === null) return tr('요청', 'the request');
  return tr(`${formatMachine(strategy.machine)}(${strategy.persona.ko})`, `${formatMachine(strategy.machine)} (${strategy.persona.en})`);
}

/** Plain-words reason why constraint `key` alone cannot be met with include/exclude. */
function explainConstraint(strategy: MachineStrategy, key: ConstraintKey, include: readonly number[], available: readonly number[]): Localized {
  const spec = strategy.constraints;
  const w = who(strategy);
  const free = NUMBERS_PER_DRAW - include.length;
  const rule = tr(describeConstraint(spec, key, 'ko'), describeConstraint(spec, key, 'en'));
  const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const range = (vals: readonly number[], fixed: number) => {
    const s = [...vals].sort((a, b) => a - b);
    return [fixed + sumOf(s.slice(0, free)), fixed + sumOf(s.slice(s.length - free))];
  };
  switch (key) {
    case 'oddCount': {
      const [lo, hi] = spec.oddCount as readonly [number, number];
      const incOdd = oddCount(include);
      const incEven = include.length - incOdd;
      const oddAvail = available.filter((n) => n % 2 === 1).length;
      const evenAvail = available.length - oddAvail;
      const most = incOdd + Math.min(free, oddAvail);
      const least = incOdd + Math.max(0, free - evenAvail);
      if (most < lo) {
        const why: Localized[] = [];
        if (incEven > 0) why.push(tr(`짝수 ${incEven}개를 고정했고`, `you fixed ${incEven} even number(s)`));
        if (oddAvail < free) why.push(tr(`제외 후 남은 홀수가 ${oddAvail}개뿐이라`, `only ${oddAvail} odd number(s) are left after your exclusions`));
        return tr(
          `${w.ko}은(는) 홀수가 ${lo}개 이상 필요하지만 ${why.map((x) => x.ko).join(' ')} 홀수는 최대 ${most}개만 가능합니다.`,
          `${w.en} needs at least ${lo} odd numbers, but ${why.map((x) => x.en).join(' and ')}, so at most ${most} are possible.`,
        );
      }
      if (least > hi) {
        const why: Localized[] = [];
        if (incOdd > hi) why.push(tr(`홀수 ${incOdd}개를 고정했고`, `you fixed ${incOdd} odd numbers`));
        if (evenAvail < free) why.push(tr(`제외 후 남은 짝수가 ${evenAvail}개뿐이라`, `only ${evenAvail} even number(s) are left after your exclusions`));
        return tr(
          `${w.ko}은(는) 홀수를 ${hi}개까지만 허용하지만 ${why.map((x) => x.ko).join(' ')} 홀수가 최소 ${least}개가 됩니다.`,
          `${w.en} allows at most ${hi} odd numbers, but ${why.map((x) => x.en).join(' and ')}, so at least ${least} would be odd.`,
        );
      }
      break;
    }
    case 'sectionCounts': {
      const want = spec.sectionCounts as readonly number[];
      const inc = sectionCounts(include);
      const av = sectionCounts(available);
      for (let t = 0; t < 3; t++) {
        const label = `${SECTIONS[t][0]}–${SECTIONS[t][1]}`;
        if (inc[t] > want[t]) {
          return tr(
            `${w.ko}은(는) ${label} 구간에 정확히 ${want[t]}개가 필요하지만 그 구간에 ${inc[t]}개(${list(include.filter((n) => n >= SECTIONS[t][0] && n <= SECTIONS[t][1]))})를 고정했습니다.`,
            `${w.en} needs exactly ${want[t]} numbers in ${label}, but you fixed ${inc[t]} there (${list(include.filter((n) => n >= SECTIONS[t][0] && n <= SECTIONS[t][1]))}).`,
          );
        }
        if (inc[t] + av[t] < want[t]) {
          return tr(
            `${w.ko}은(는) ${label} 구간에 정확히 ${want[t]}개가 필요하지만 제외 후 그 구간에 ${inc[t] + av[t]}개만 남습니다.`,
            `${w.en} needs exactly ${want[t]} numbers in ${label}, but only ${inc[t] + av[t]} remain there after your exclusions.`,
          );
        }
      }
      break;
    }
    case 'totalSum':
    case 'lastDigitSum': {
      const [lo, hi] = spec[key] as readonly [number, number];
      const [a, b] =
        key === 'totalSum' ? range(available, totalSum(include)) : range(available.map((n) => n % 10), lastDigitSum(include));
      if (b < lo || a > hi) {
        const what = key === 'totalSum' ? tr('총합', 'total sum') : tr('끝수합', 'last-digit sum');
        return tr(
          `${w.ko}은(는) ${what.ko} ${lo}–${hi}이 필요하지만 고정·제외한 번호로는 ${what.ko}이 ${a}–${b} 범위만 가능합니다.`,
          `${w.en} needs a ${what.en} of ${lo}–${hi}, but with your fixed and excluded numbers it can only be ${a}–${b}.`,
        );
      }
      break;
    }
    case 'maxConsecutivePairs': {
      const max = spec.maxConsecutivePairs as number;
      const have = consecutivePairs(include);
      if (have > max) {
        const pairs = include.filter((n) => include.includes(n + 1)).map((n) => `${n}-${n + 1}`);
        return tr(
          `${w.ko}은(는) 연속 번호 쌍을 ${max}개까지만 허용하지만 고정한 번호가 이미 ${have}쌍(${pairs.join(', ')})을 이룹니다.`,
          `${w.en} allows at most ${max} consecutive pair(s), but your fixed numbers already form ${have} (${pairs.join(', ')}).`,
        );
      }
      break;
    }
    case 'minSpecial': {
      const need = spec.minSpecial as number;
      const most = specialCount(include) + Math.min(free, available.filter((n) => SPECIAL_NUMBERS.has(n)).length);
      if (most < need) {
        return tr(
          `${w.ko}은(는) 소수·피보나치 번호가 ${need}개 이상 필요하지만 고정·제외한 번호로는 최대 ${most}개만 가능합니다.`,
          `${w.en} needs at least ${need} prime or Fibonacci numbers, but with your fixed and excluded numbers at most ${most} are possible.`,
        );
      }
      break;
    }
    case 'minAc':
      return tr(
        `${w.ko}은(는) AC값 ${spec.minAc} 이상이 필요하지만 고정한 번호(${list(include)})를 포함하는 어떤 조합도 이에 이르지 못합니다 (차이값이 너무 적게 나옵니다).`,
        `${w.en} needs an AC value of at least ${spec.minAc}, but no set containing your fixed numbers (${list(include)}) reaches it: they leave too few distinct differences.`,
      );
  }
  return tr(
    `${w.ko}의 조건 "${rule.ko}"을(를) 고정·제외한 번호로는 만족할 수 없습니다.`,
    `${w.en}'s rule "${rule.en}" cannot be met with your fixed and excluded numbers.`,
  );
}

/** Why no set at all meets the strategy with include/exclude. */
export function diagnose(strategy: MachineStrategy, include: readonly number[], available: readonly number[]): Localized[] {
  const free = NUMBERS_PER_DRAW - include.length;
  if (available.length < free) {
    return [
      tr(
        `제외 후 남은 번호가 ${available.length}개뿐이라 ${free}자리를 채울 수 없습니다.`,
        `only ${available.length} numbers are left after your exclusions, not enough to fill ${free} places.`,
      ),
    ];
  }
  const spec = strategy.constraints;
  const keys = CONSTRAINT_KEYS.filter((k) => spec[k] !== undefined);
  const order = [...available].sort((a, b) => a - b);
  const none = (c: HardConstraints) => searchSets({ order, include, constraints: c }).sets.length === 0;
  const single = keys.filter((k) => none(pickConstraint(spec, k)));
  if (single.length) return single.map((k) => explainConstraint(strategy, k, include, available));
  const w = who(strategy);
  for (let a = 0; a < keys.length; a++) {
    for (let b = a + 1; b < keys.length; b++) {
      if (none({ ...pickConstraint(spec, keys[a]), ...pickConstraint(spec, keys[b]) })) {
        const ka = describeConstraint(spec, keys[a], 'ko');
        const kb = describeConstraint(spec, keys[b], 'ko');
        const ea = describeConstraint(spec, keys[a], 'en');
        const eb = describeConstraint(spec, keys[b], 'en');
        return [
          tr(
            `${w.ko}의 조건 "${ka}"와(과) "${kb}"를 고정·제외한 번호로는 동시에 만족할 수 없습니다.`,
            `${w.en}'s rules "${ea}" and "${eb}" cannot both be met with your fixed and excluded numbers.`,
          ),
        ];
      }
    }
  }
  return [
    tr(
      `${w.ko}의 조건(${describeConstraints(spec, 'ko').join(', ')})을 고정·제외한 번호로는 모두 만족하는 조합이 없습니다.`,
      `no set meets all of ${w.en}'s rules (${describeConstraints(spec, 'en').join('; ')}) with your fixed and excluded numbers.`,
    ),
  ];
}
