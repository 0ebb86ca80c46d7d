// A Korean page words every API error itself (from the code, field and details) instead of showing
// the server's English message; an English page keeps the server's words.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/api/errors.js';
import { errorText, type ApiErrorLike } from '../../web/src/errorText.js';

const err = (code: string, message: string, field: string | null = null, details: Record<string, unknown> = {}): ApiErrorLike => ({ status: 422, code, message, field, details });

describe('API errors in the page language', () => {
  it('words the validation messages a Korean user met in Korean, naming the field as the form does', () => {
    expect(errorText(err('VALIDATION_ERROR', 'sets_count must be <= 20', 'sets_count'), 'ko')).toBe('세트 수는 20 이하여야 합니다.');
    expect(errorText(err('VALIDATION_ERROR', 'round must be >= 1', 'round'), 'ko')).toBe('회차는 1 이상이어야 합니다.');
    expect(errorText(err('VALIDATION_ERROR', 'include must NOT have more than 5 items', 'include'), 'ko')).toBe('고정 번호는 최대 5개까지 고를 수 있습니다.');
    expect(errorText(err('VALIDATION_ERROR', 'seed must be integer', 'seed'), 'ko')).toBe('시드는 정수여야 합니다.');
    expect(errorText(err('VALIDATION_ERROR', 'page must be a plain decimal integer (digits only, at most 15)', 'page'), 'ko')).toBe('페이지는 정수여야 합니다.');
    expect(errorText(err('VALIDATION_ERROR', 'something new', 'sets_count'), 'ko')).toBe('세트 수 값이 올바르지 않습니다.');
  });

  it('has Korean words, and no English sentence, for every error code the server sends', () => {
    const codes = [...Object.values(ErrorCode), 'NETWORK', 'SOMETHING_NEW'];
    for (const code of codes) {
      const text = errorText(err(code, 'an english sentence from the server', 'sets_count', { retry_after_seconds: 3 }), 'ko');
      expect(text, code).toMatch(/[가-힣]/);
      expect(text, code).not.toMatch(/english sentence/);
    }
    expect(errorText(err('RATE_LIMIT_EXCEEDED', 'x', null, { retry_after_seconds: 7 }), 'ko')).toContain('7초');
  });

  it('shows the refusals the server already worded in the requested Korean as they are', () => {
    const ko = '고정 번호가 5개라 모든 조합이 서로 5개를 공유합니다';
    expect(errorText(err('IMPOSSIBLE_CONSTRAINTS', ko, 'include'), 'ko')).toBe(ko);
    expect(errorText(err('IMPOSSIBLE_CONSTRAINTS', 'no set can satisfy the strategy', 'include'), 'ko')).toMatch(/[가-힣]/);
  });

  it('names the round that is not stored', () => {
    expect(errorText(err('NOT_FOUND', 'round 99999 is not stored', 'round'), 'ko')).toBe('제99999회는 저장되어 있지 않습니다.');
  });

  it('keeps the server message on an English page', () => {
    expect(errorText(err('VALIDATION_ERROR', 'sets_count must be <= 20', 'sets_count'), 'en')).toBe('sets_count must be <= 20');
  });
});
