import { describe, expect, it } from 'vitest';
import { clockFrom, ConfigError, loadConfig } from '../../src/config/env.js';

describe('the configuration from the environment', () => {
  it('gives the documented defaults when nothing is set, and counts an empty variable as unset', () => {
    const none = loadConfig({});
    expect(none).toMatchObject({ logLevel: 'info', schedule: true, snapshot: true, startupTraining: true });
    for (const key of ['db', 'host', 'port', 'logFormat', 'modelsDir', 'modelConfig', 'runtime', 'requireKey', 'now', 'dhlotteryUrl'] as const) {
      expect(none[key], key).toBeUndefined();
    }
    expect(loadConfig({ HOGI_DB: '', HOGI_RUNTIME: '', HOGI_SNAPSHOT: '' })).toEqual(none);
  });

  it('reads every variable into its typed field', () => {
    const c = loadConfig({
      HOGI_DB: '/tmp/x.db', HOGI_HOST: '0.0.0.0', HOGI_PORT: '9000', HOGI_LOG_LEVEL: 'warn', HOGI_LOG_FORMAT: 'json',
      HOGI_MODELS_DIR: '/m', HOGI_MODEL_CONFIG: 'reference', HOGI_INFERENCE_TIMEOUT_MS: '1500', HOGI_REQUIRE_KEY: 'true',
      HOGI_CORS_ORIGINS: 'https://a.org/, https://b.org', HOGI_ALLOWED_HOSTS: 'hogi.example.org, x.org', HOGI_BODY_TIMEOUT_MS: '200',
      HOGI_SCHEDULE: '0', HOGI_PREDICTION_CACHE_TTL_S: '0', HOGI_RUNTIME: 'tfjs', HOGI_SNAPSHOT: 'false', HOGI_STARTUP_TRAINING: '0',
      HOGI_NOW: '2026-12-05T21:00:00+09:00', HOGI_DHLOTTERY_URL: 'http://d/', HOGI_LOTTOTAPA_URL: 'http://t/',
    });
    expect(c).toEqual({
      db: '/tmp/x.db', host: '0.0.0.0', port: 9000, logLevel: 'warn', logFormat: 'json', modelsDir: '/m', modelConfig: 'reference',
      inferenceTimeoutMs: 1500, requireKey: true, corsOrigins: ['https://a.org', 'https://b.org'], allowedHosts: ['hogi.example.org', 'x.org'],
      bodyTimeoutMs: 200, schedule: false, predictionCacheTtlSeconds: 0, runtime: 'tfjs', snapshot: false, startupTraining: false,
      now: Date.parse('2026-12-05T12:00:00Z'), dhlotteryUrl: 'http://d/', lottotapaUrl: 'http://t/',
    });
  });

  it('takes PORT only when HOGI_PORT is not set', () => {
    expect(loadConfig({ PORT: '81' }).port).toBe(81);
    expect(loadConfig({ PORT: '81', HOGI_PORT: '82' }).port).toBe(82);
    // A platform's PORT is not checked when HOGI_PORT decides.
    expect(loadConfig({ PORT: 'x', HOGI_PORT: '82' }).port).toBe(82);
  });

  it.each([
    ['HOGI_PORT', '65536', /HOGI_PORT must be a port number 0\.\.65535, got "65536"/],
    ['PORT', '1e3', /PORT must be a port number/],
    ['HOGI_LOG_FORMAT', 'xml', /HOGI_LOG_FORMAT must be pretty or json, got "xml"/],
    ['HOGI_LOG_LEVEL', 'loud', /HOGI_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    ['HOGI_MODEL_CONFIG', 'huge', /HOGI_MODEL_CONFIG must be small or reference, got "huge"/],
    ['HOGI_INFERENCE_TIMEOUT_MS', '0', /HOGI_INFERENCE_TIMEOUT_MS must be a positive integer, got "0"/],
    ['HOGI_BODY_TIMEOUT_MS', '-5', /HOGI_BODY_TIMEOUT_MS must be a positive integer, got "-5"/],
    ['HOGI_PREDICTION_CACHE_TTL_S', '1.5', /HOGI_PREDICTION_CACHE_TTL_S must be a whole number ≥ 0, got "1.5"/],
    ['HOGI_REQUIRE_KEY', 'yes please', /HOGI_REQUIRE_KEY must be 1 or 0, got "yes please"/],
    ['HOGI_SNAPSHOT', 'no', /HOGI_SNAPSHOT must be 1 or 0, got "no"/],
    ['HOGI_SCHEDULE', 'off', /HOGI_SCHEDULE must be 1 or 0, got "off"/],
    ['HOGI_STARTUP_TRAINING', '2', /HOGI_STARTUP_TRAINING must be 1 or 0, got "2"/],
    ['HOGI_RUNTIME', 'cuda', /HOGI_RUNTIME must be onnx or tfjs, got "cuda"/],
    ['HOGI_NOW', 'next saturday', /HOGI_NOW must be an ISO date-time .*, got "next saturday"/],
  ])('refuses %s=%s, naming the variable and the value', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ HOGI_RUNTIME: 'cuda', HOGI_SNAPSHOT: 'no' })).toThrow(/HOGI_RUNTIME must be onnx or tfjs.*; HOGI_SNAPSHOT must be 1 or 0/);
  });

  it('HOGI_NOW gives a clock that starts at that instant and advances with real time', () => {
    let real = 1_000_000;
    const clock = clockFrom(loadConfig({ HOGI_NOW: '2026-12-05T21:00:00+09:00' }), () => real);
    expect(clock?.().toISOString()).toBe('2026-12-05T12:00:00.000Z');
    real += 60_000;
    expect(clock?.().toISOString()).toBe('2026-12-05T12:01:00.000Z');
    expect(clockFrom(loadConfig({}))).toBeUndefined();
  });
});
