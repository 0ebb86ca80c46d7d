/**
 * One configuration: the only module in src/ that reads the environment. The edges (`hogi serve`,
 * the CLI commands) call `loadConfig()` once and pass the values down as options; the layers below
 * never look at `process.env`. Every variable is checked against one TypeBox schema, and a bad value
 * is refused with the variable's name and the value it had. An empty variable counts as unset.
 * Explicit options (command-line flags, `startServer` options) win over these values; the defaults
 * stay where they are documented (server.ts, the commands).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ConfigName } from '../service/registry.js';
import type { InferenceRuntime } from '../service/onnx/serving.js';

/** The typed configuration; undefined means "not set" (the caller's default applies). */
export interface HogiConfig {
  /** HOGI_DB: the SQLite file (--db wins; default ./data/hogi.db). */
  db?: string;
  /** HOGI_HOST: the address `hogi serve` binds. */
  host?: string;
  /** HOGI_PORT, else PORT (what hosting platforms set). */
  port?: number;
  /** HOGI_LOG_LEVEL (default info). */
  logLevel: LogLevel;
  /** HOGI_LOG_FORMAT: pretty or json (default: pretty on a terminal, JSON otherwise). */
  logFormat?: 'pretty' | 'json';
  /** HOGI_MODELS_DIR: where trained models are (default ./data/models). */
  modelsDir?: string;
  /** HOGI_MODEL_CONFIG: the served config, small or reference. */
  modelConfig?: ConfigName;
  /** HOGI_INFERENCE_TIMEOUT_MS: per-family inference timeout. */
  inferenceTimeoutMs?: number;
  /** HOGI_REQUIRE_KEY: require API keys even on loopback. */
  requireKey?: boolean;
  /** HOGI_CORS_ORIGINS, comma-separated ("*" for any). */
  corsOrigins?: string[];
  /** HOGI_ALLOWED_HOSTS, comma-separated ("*" for any). */
  allowedHosts?: string[];
  /** HOGI_BODY_TIMEOUT_MS: how long a request body may take to arrive. */
  bodyTimeoutMs?: number;
  /** HOGI_SCHEDULE (0 = no weekly sync-and-retrain cycle; default on). */
  schedule: boolean;
  /** HOGI_PREDICTION_CACHE_TTL_S (0 = no prediction response cache). */
  predictionCacheTtlSeconds?: number;
  /** HOGI_RUNTIME: onnx or tfjs. */
  runtime?: InferenceRuntime;
  /** HOGI_SNAPSHOT (0 = an empty database stays empty; default on). */
  snapshot: boolean;
  /** HOGI_STARTUP_TRAINING (0 = no training of missing models at start-up; default on). */
  startupTraining: boolean;
  /** HOGI_NOW: run as if started at this instant (epoch ms). */
  now?: number;
  /** HOGI_DHLOTTERY_URL and HOGI_LOTTOTAPA_URL: the two sync sources (the --…-url flags win). */
  dhlotteryUrl?: string;
  lottotapaUrl?: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A variable with a value its schema refuses (the message names every one). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PORT_PATTERN = '^(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';
const SWITCH_PATTERN = '^(?:0|1|true|false)$';

/** Each variable: its schema and, for the error message, what it must be. */
const VARIABLES = {
  HOGI_DB: { schema: Type.String(), expect: 'a file path' },
  HOGI_HOST: { schema: Type.String(), expect: 'an address' },
  HOGI_PORT: { schema: Type.String({ pattern: PORT_PATTERN }), expect: 'a port number 0..65535' },
  PORT: { schema: Type.String({ pattern: PORT_PATTERN }), expect: 'a port number 0..65535' },
  HOGI_LOG_LEVEL: { schema: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))), expect: `one of ${LOG_LEVELS.join(', ')}` },
  HOGI_LOG_FORMAT: { schema: Type.Union([Type.Literal('pretty'), Type.Literal('json')]), expect: 'pretty or json' },
  HOGI_MODELS_DIR: { schema: Type.String(), expect: 'a folder' },
  HOGI_MODEL_CONFIG: { schema: Type.Union([Type.Literal('small'), Type.Literal('reference')]), expect: 'small or reference' },
  HOGI_INFERENCE_TIMEOUT_MS: { schema: Type.String({ pattern: '^0*[1-9][0-9]*$' }), expect: 'a positive integer' },
  HOGI_REQUIRE_KEY: { schema: Type.String({ pattern: SWITCH_PATTERN }), expect: '1 or 0' },
  HOGI_CORS_ORIGINS: { schema: Type.String(), expect: 'comma-separated origins' },
  HOGI_ALLOWED_HOSTS: { schema: Type.String(), expect: 'comma-separated host names' },
  HOGI_BODY_TIMEOUT_MS: { schema: Type.String({ pattern: '^0*[1-9][0-9]*$' }), expect: 'a positive integer' },
  HOGI_SCHEDULE: { schema: Type.String({ pattern: SWITCH_PATTERN }), expect: '1 or 0' },
  HOGI_PREDICTION_CACHE_TTL_S: { schema: Type.String({ pattern: '^[0-9]+$' }), expect: 'a whole number ≥ 0' },
  HOGI_RUNTIME: { schema: Type.Union([Type.Literal('onnx'), Type.Literal('tfjs')]), expect: 'onnx or tfjs' },
  HOGI_SNAPSHOT: { schema: Type.String({ pattern: SWITCH_PATTERN }), expect: '1 or 0' },
  HOGI_STARTUP_TRAINING: { schema: Type.String({ pattern: SWITCH_PATTERN }), expect: '1 or 0' },
  HOGI_NOW: { schema: Type.String(), expect: 'an ISO date-time such as 2026-12-05T21:00:00+09:00' },
  HOGI_DHLOTTERY_URL: { schema: Type.String(), expect: 'a URL' },
  HOGI_LOTTOTAPA_URL: { schema: Type.String(), expect: 'a URL' },
} satisfies Record<string, { schema: TSchema; expect: string }>;

export type VariableName = keyof typeof VARIABLES;
export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[]; // Object.keys loses the literal key type

/** The schema of the raw variables (every one optional, every value a string to check). */
export const EnvSchema = Type.Object(
  Object.fromEntries(VARIABLE_NAMES.map((name) => [name, Type.Optional(VARIABLES[name].schema)])),
  { additionalProperties: true },
);

type Raw = Partial<Record<VariableName, string>>;

const toSwitch = (raw: string | undefined): boolean | undefined => (raw === undefined ? undefined : raw === '1' || raw === 'true');
const toInt = (raw: string | undefined): number | undefined => (raw === undefined ? undefined : Number(raw));
const toList = (raw: string | undefined, clean: (s: string) => string): string[] | undefined =>
  raw === undefined ? undefined : raw.split(',').map(clean).filter((s) => s !== '');

/**
 * Read and check the environment once. Throws a ConfigError naming every variable with a bad
 * value (and the value); `env` defaults to the process's own (tests pass a plain object).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): HogiConfig {
  const raw: Raw = {};
  for (const name of VARIABLE_NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  // PORT (set by hosting platforms) only counts when HOGI_PORT is not set.
  if (raw.HOGI_PORT !== undefined) delete raw.PORT;

  const problems = new Map<string, string>();
  for (const error of Value.Errors(EnvSchema, raw)) {
    const name = error.path.slice(1) as VariableName; // an error's path is /NAME: every property of EnvSchema is a VariableName
    if (!problems.has(name)) problems.set(name, `${name} must be ${VARIABLES[name].expect}, got "${raw[name]}"`);
  }
  if (raw.HOGI_NOW !== undefined && !problems.has('HOGI_NOW') && Number.isNaN(Date.parse(raw.HOGI_NOW))) {
    problems.set('HOGI_NOW', `HOGI_NOW must be ${VARIABLES.HOGI_NOW.expect}, got "${raw.HOGI_NOW}"`);
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()].join('; '));

  return {
    db: raw.HOGI_DB,
    host: raw.HOGI_HOST,
    port: toInt(raw.HOGI_PORT ?? raw.PORT),
    logLevel: (raw.HOGI_LOG_LEVEL as LogLevel | undefined) ?? 'info', // checked by the schema above
    logFormat: raw.HOGI_LOG_FORMAT as HogiConfig['logFormat'], // checked by the schema above
    modelsDir: raw.HOGI_MODELS_DIR,
    modelConfig: raw.HOGI_MODEL_CONFIG as ConfigName | undefined, // checked by the schema above
    inferenceTimeoutMs: toInt(raw.HOGI_INFERENCE_TIMEOUT_MS),
    requireKey: toSwitch(raw.HOGI_REQUIRE_KEY),
    corsOrigins: toList(raw.HOGI_CORS_ORIGINS, (o) => o.trim().replace(/\/+$/, '')),
    allowedHosts: raw.HOGI_ALLOWED_HOSTS?.trim() === '' ? undefined : toList(raw.HOGI_ALLOWED_HOSTS, (h) => h.trim()),
    bodyTimeoutMs: toInt(raw.HOGI_BODY_TIMEOUT_MS),
    schedule: toSwitch(raw.HOGI_SCHEDULE) ?? true,
    predictionCacheTtlSeconds: toInt(raw.HOGI_PREDICTION_CACHE_TTL_S),
    runtime: raw.HOGI_RUNTIME as InferenceRuntime | undefined, // checked by the schema above
    snapshot: toSwitch(raw.HOGI_SNAPSHOT) ?? true,
    startupTraining: toSwitch(raw.HOGI_STARTUP_TRAINING) ?? true,
    now: raw.HOGI_NOW === undefined ? undefined : Date.parse(raw.HOGI_NOW),
    dhlotteryUrl: raw.HOGI_DHLOTTERY_URL,
    lottotapaUrl: raw.HOGI_LOTTOTAPA_URL,
  };
}

/**
 * HOGI_NOW as a clock: it reads that instant when the process started and advances in real time
 * from there (health freshness, countdowns and prediction target rounds follow it).
 */
export function clockFrom(config: Pick<HogiConfig, 'now'>, realNow: () => number = Date.now): (() => Date) | undefined {
  if (config.now === undefined) return undefined;
  const offset = config.now - realNow();
  return () => new Date(realNow() + offset);
}
