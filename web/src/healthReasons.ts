/**
 * The health answer's reasons in the reader's language. The server words them in English and
 * sends a code for each (same order); Korean is written here, English keeps the server's words.
 */
import type { Health } from './types.js';

type Code = Health['reason_codes'][number];

const KOREAN: Readonly<Record<Code, string>> = {
  database_unreadable: '데이터베이스를 읽을 수 없습니다',
  no_draws: '저장된 추첨 기록이 없습니다',
  DATA_STALE: '저장된 추첨 기록이 최신이 아닙니다. `hogi sync`(인터넷 필요) 또는 `hogi import 파일`로 빠진 회차를 불러오세요',
  no_models: '학습된 모델이 없어 모든 호기를 빈도 기준선으로 생성합니다 (`hogi train` 실행)',
  fallback: '일부 호기가 대체 모델로 생성됩니다 (모델 상태 참고)',
  sync_failed: '마지막 동기화가 실패했습니다',
  retrain_failed: '지난 주간 재학습에서 일부 모델이 실패했습니다 (이전 모델로 계속 제공)',
};

export function healthReasons(health: Health, lang: 'ko' | 'en'): string[] {
  if (lang === 'en' || health.reason_codes.length !== health.reasons.length) return [...health.reasons];
  return health.reason_codes.map((code) => {
    const error = health.components.sync?.last_error;
    const fresh = health.components.database.freshness;
    if (code === 'DATA_STALE' && fresh) {
      return `저장된 기록이 ${fresh.missing_rounds}회차 뒤처져 있습니다: ${fresh.expected_latest_round}회까지 추첨되었지만 최신 저장 회차는 ${fresh.stored_latest_round ?? '-'}회입니다. \`hogi sync\`(인터넷 필요) 또는 \`hogi import 파일\`로 빠진 회차를 불러오세요`;
    }
    // The sync error itself is the server's English; the System page offers it folded away as the original text.
    return code === 'sync_failed' && error ? `${KOREAN[code]} (원인은 동기화 칸의 오류 원문에 있습니다)` : KOREAN[code];
  });
}

/** What to do next, in the reader's language (the server's `hint` is English). */
export function healthHint(health: Health, lang: 'ko' | 'en'): string | null {
  if (lang === 'en' || health.hint === null) return health.hint;
  const db = health.components.database;
  if (health.status === 'unhealthy' || db.status === 'error') return '데이터베이스 파일(--db / HOGI_DB)과 서버 로그를 확인하세요.';
  if (db.status === 'empty') return '아직 추첨 기록이 없습니다. `hogi sync`(공식 사이트) 또는 `hogi import 파일`(res.json / CSV)로 불러오세요.';
  if (db.freshness?.stale) return '빠진 회차가 있습니다. `hogi sync`(인터넷 필요)로 가져오거나 더 새로운 파일을 `hogi import 파일`로 불러오세요.';
  return '서버가 알려 준 조치가 있습니다. 자세한 내용은 영어 화면에서 볼 수 있습니다.';
}
