/**
 * The API's error answers in the reader's language. The server words its messages in English
 * and sends a stable code, the field at fault and details (limits, reasons); the Korean page words
 * every code itself, so no raw English message reaches it. English keeps the server's words.
 * No DOM here: the unit tests run in Node.
 */

export interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  field: string | null;
  details: Readonly<Record<string, unknown>>;
}

/** Request fields as a Korean reader knows them from the forms. */
const FIELD_KO: Readonly<Record<string, string>> = {
  machine_type: '호기',
  machine: '호기',
  sets_count: '세트 수',
  algorithm: '알고리즘',
  analysis_window: '분석 기간',
  seed: '시드',
  include: '고정 번호',
  exclude: '제외 번호',
  lang: '언어',
  ensemble_method: '조합 방식',
  models: '모델',
  confidence_threshold: '신뢰 기준',
  round: '회차',
  from: '시작 회차',
  to: '끝 회차',
  page: '페이지',
  page_size: '페이지 크기',
  rounds: '분석 회차 수',
  order: '정렬',
  period: '기간',
  request_id: '예측 ID',
  id: 'ID',
  permutations: '순열 수',
  null_simulations: '귀무 시뮬레이션 수',
  power_simulations: '검정력 시뮬레이션 수',
  'X-API-Key': 'API 키',
  Host: '호스트',
};

function fieldKo(field: string | null): string {
  if (field === null) return '요청';
  const top = field.split('.')[0];
  return FIELD_KO[field] ?? FIELD_KO[top] ?? field;
}

/** The constraint an ajv message states, in Korean ("must be <= 20" → "20 이하여야 합니다"). */
function constraintKo(message: string): string | null {
  const m = (re: RegExp) => re.exec(message);
  let x: RegExpExecArray | null;
  if ((x = m(/must be <= (-?[\d.]+)/))) return `${x[1]} 이하여야 합니다`;
  if ((x = m(/must be >= (-?[\d.]+)/))) return `${x[1]} 이상이어야 합니다`;
  if ((x = m(/must be < (-?[\d.]+)/))) return `${x[1]}보다 작아야 합니다`;
  if ((x = m(/must be > (-?[\d.]+)/))) return `${x[1]}보다 커야 합니다`;
  if ((x = m(/must NOT have more than (\d+) items/))) return `최대 ${x[1]}개까지 고를 수 있습니다`;
  if ((x = m(/must NOT have fewer than (\d+) items/))) return `최소 ${x[1]}개가 필요합니다`;
  if ((x = m(/must NOT have more than (\d+) characters/))) return `최대 ${x[1]}자까지입니다`;
  if ((x = m(/must NOT have fewer than (\d+) characters/))) return `최소 ${x[1]}자가 필요합니다`;
  if (/duplicate items/.test(message)) return '같은 번호를 두 번 고를 수 없습니다';
  if (/must be (integer|a plain decimal integer)/.test(message)) return '정수여야 합니다';
  if (/must be number|plain decimal number/.test(message)) return '숫자여야 합니다';
  if (/must be string/.test(message)) return '문자열이어야 합니다';
  if (/must be array/.test(message)) return '번호 목록이어야 합니다';
  if (/must be boolean/.test(message)) return '참/거짓 값이어야 합니다';
  if (/must be equal to one of the allowed values|must match a schema in anyOf/.test(message)) return '허용된 값 중 하나여야 합니다';
  if (/must have required property/.test(message)) return '꼭 필요합니다';
  if (/must NOT have additional properties/.test(message)) return '알 수 없는 항목입니다';
  if (/must not exceed/.test(message)) return '끝 회차보다 클 수 없습니다';
  return null;
}

const josa = (word: string, withBatchim: string, without: string): string => {
  const last = word.charCodeAt(word.length - 1);
  if (last < 0xac00 || last > 0xd7a3) return withBatchim;
  return (last - 0xac00) % 28 === 0 ? without : withBatchim;
};

/** Refusals the prediction service words in the request's language (the dashboard sends lang). */
const WORDED_BY_SERVER = new Set(['IMPOSSIBLE_CONSTRAINTS', 'TOO_FEW_DISTINCT_SETS']);

function koreanText(e: ApiErrorLike): string {
  if (WORDED_BY_SERVER.has(e.code) && /[가-힣]/.test(e.message)) return e.message;
  const d = e.details;
  const seconds = typeof d.retry_after_seconds === 'number' ? d.retry_after_seconds : null;
  switch (e.code) {
    case 'VALIDATION_ERROR': {
      const name = fieldKo(e.field);
      const rule = constraintKo(e.message);
      return rule ? `${name}${josa(name, '은', '는')} ${rule}.` : `${name} 값이 올바르지 않습니다.`;
    }
    case 'INVALID_MACHINE_TYPE':
      return '호기는 1, 2, 3 또는 전체(all) 중 하나여야 합니다.';
    case 'NOT_FOUND':
      if (e.field === 'round') {
        const round = /round (\d+)/.exec(e.message)?.[1];
        return round ? `제${round}회는 저장되어 있지 않습니다.` : '그 회차는 저장되어 있지 않습니다.';
      }
      return e.field === 'request_id' ? '그 예측을 찾을 수 없습니다.' : '찾을 수 없습니다.';
    case 'NO_DATA':
      return '아직 추첨 기록이 없습니다. `hogi sync` 또는 `hogi import 파일`로 불러오세요.';
    case 'STACKING_NOT_TRAINED':
      return '스태킹 모델이 아직 학습되지 않았습니다. `hogi train --stacking`을 먼저 실행하세요.';
    case 'IMPOSSIBLE_CONSTRAINTS':
      return '이 고정·제외 조합으로는 호기 전략을 만족하는 세트를 만들 수 없습니다.';
    case 'TOO_FEW_DISTINCT_SETS':
      return '이 조건으로는 서로 다른 세트를 요청한 만큼 만들 수 없습니다. 세트 수를 줄이거나 조건을 풀어 주세요.';
    case 'RATE_LIMIT_EXCEEDED':
      return seconds !== null ? `요청이 너무 많습니다. ${seconds}초 뒤에 다시 시도하세요.` : '요청이 너무 많습니다. 잠시 뒤에 다시 시도하세요.';
    case 'API_KEY_REQUIRED':
      return '이 서버는 API 키가 필요합니다.';
    case 'INVALID_API_KEY':
      return 'API 키를 알 수 없습니다.';
    case 'API_KEY_REVOKED':
      return '취소된 API 키입니다.';
    case 'TIER_REQUIRED':
      return '이 기능은 premium 또는 enterprise 키가 필요합니다.';
    case 'PAYLOAD_TOO_LARGE':
      return '요청이 너무 큽니다.';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return '요청 형식이 JSON이 아닙니다.';
    case 'JSON_TOO_DEEP':
      return '요청 JSON이 너무 깊게 중첩되어 있습니다.';
    case 'REQUEST_TIMEOUT':
      return '요청이 제시간에 도착하지 않았습니다. 다시 시도하세요.';
    case 'HOST_NOT_ALLOWED':
      return '이 서버는 이 주소(호스트 이름)로는 응답하지 않습니다. 서버 관리자가 --allowed-hosts로 허용해야 합니다.';
    case 'FAIRNESS_BUSY':
      return '공정성 분석이 이미 많이 실행 중입니다. 잠시 뒤에 다시 시도하세요.';
    case 'METHOD_NOT_ALLOWED':
    case 'NOT_ACCEPTABLE':
    case 'BAD_REQUEST':
    case 'HEADERS_TOO_LARGE':
      return `서버가 요청을 거절했습니다 (${e.code}).`;
    case 'INTERNAL_ERROR':
      return '서버에서 예기치 못한 오류가 났습니다. 서버 로그를 확인하세요.';
    case 'NETWORK':
      return '서버에 연결할 수 없습니다. hogi serve가 실행 중인지 확인하세요.';
    default:
      return `요청을 처리하지 못했습니다 (${e.code}, HTTP ${e.status}).`;
  }
}

/** The error in the reader's language: Korean worded here from the code, English as the server wrote it. */
export function errorText(e: ApiErrorLike, lang: 'ko' | 'en'): string {
  if (lang === 'en') return e.code === 'NETWORK' ? 'Cannot reach the server. Check that hogi serve is running.' : e.message;
  return koreanText(e);
}
