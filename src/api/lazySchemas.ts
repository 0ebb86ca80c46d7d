/**
 * Route schemas compiled on their first use instead of all at start-up.
 *
 * fastify compiles every route's validators (ajv) and response serializers
 * (fast-json-stringify) while the app gets ready: ~0.5 s of a ~1.2 s cold start on the 2-core
 * target, for ~60 routes of which a process may serve a handful. These factories hand fastify
 * the same default compilers (same options, same shared schemas), each wrapped so that a route's
 * function is compiled the first time a request needs it, then reused. The compiler packages
 * themselves load on that first use too.
 *
 * What changes: a broken schema fails its first request (a 500) instead of the start-up; the
 * route tests compile every schema they reach, and test/api/lazySchemas.test.ts compiles all of them.
 * Header schemas are not lower-cased by fastify when the compiler is custom: hogi declares none.
 *
 * Two rules fastify's defaults do not have:
 * - JSON bodies are validated without type coercion: `true` is not 1, `5` is not [5], `["ko"]`
 *   is not "ko"; each answers 422 naming the field.
 * - Integer (and number) values in the path and the query string must be written as plain
 *   decimals before ajv's string coercion sees them: `1e3`, `0x10`, ` 1`, `Infinity` and
 *   `1e309` would otherwise be read as 1000, 16, 1 and infinity (which reached SQLite).
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

interface ValidatorRoute {
  schema: unknown;
  method?: string;
  url?: string;
  httpPart?: string;
}
interface SerializerRoute {
  schema: unknown;
  method?: string;
  url?: string;
  httpStatus?: string;
  contentType?: string;
}
type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Serialize = (data: unknown) => string;
type ValidatorCompiler = (route: ValidatorRoute) => Validate;
type SerializerCompiler = (route: SerializerRoute) => Serialize;
type BuildValidator = (externalSchemas: unknown, options: unknown) => ValidatorCompiler;
type BuildSerializer = (externalSchemas: unknown, options: unknown) => SerializerCompiler;

const require = createRequire(import.meta.url);
let defaultBuildValidator: BuildValidator | null = null;
let defaultBuildSerializer: BuildSerializer | null = null;
// fastify's own defaults (its dependencies); one factory each, as fastify keeps one per process.
const ajvBuilder = (): BuildValidator => (defaultBuildValidator ??= (require('@fastify/ajv-compiler') as () => BuildValidator)());
const fjsBuilder = (): BuildSerializer => (defaultBuildSerializer ??= (require('@fastify/fast-json-stringify-compiler') as () => BuildSerializer)());

/** Counts compilations (tests check that nothing compiles before a request needs it). */
export const lazySchemaStats = { validators: 0, serializers: 0 };

interface AjvOptions {
  customOptions?: Record<string, unknown>;
  [k: string]: unknown;
}

/** fastify's ajv options with coercion off: what JSON bodies are checked with. */
function withoutCoercion(options: unknown): AjvOptions {
  const o = (options ?? {}) as AjvOptions;
  return { ...o, customOptions: { ...(o.customOptions ?? {}), coerceTypes: false } };
}

const PLAIN_INTEGER = /^[+-]?[0-9]{1,15}$/;
const PLAIN_NUMBER = /^[+-]?[0-9]{1,15}(\.[0-9]{1,15})?$/;

interface PropertySchema {
  type?: unknown;
}

/** The top-level properties that hold integers or numbers, with the pattern their text must match. */
function numericProperties(schema: unknown): Array<[string, RegExp, string]> {
  const props = (schema as { properties?: Record<string, PropertySchema> } | null)?.properties;
  if (!props) return [];
  const out: Array<[string, RegExp, string]> = [];
  for (const [name, p] of Object.entries(props)) {
    if (p.type === 'integer') out.push([name, PLAIN_INTEGER, 'must be a plain decimal integer (digits only, at most 15)']);
    else if (p.type === 'number') out.push([name, PLAIN_NUMBER, 'must be a plain decimal number']);
  }
  return out;
}

/** The first numeric path/query value not written as a plain decimal, as an ajv-style error. */
function nonDecimal(data: unknown, numeric: ReadonlyArray<[string, RegExp, string]>): object | null {
  if (typeof data !== 'object' || data === null) return null;
  const values = data as Record<string, unknown>;
  for (const [name, pattern, message] of numeric) {
    if (!Object.prototype.hasOwnProperty.call(values, name)) continue;
    const v = values[name];
    const texts = Array.isArray(v) ? v : [v];
    for (const t of texts) {
      if (typeof t === 'string' && !pattern.test(t)) {
        return { instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, keyword: 'type', params: { type: 'integer' }, message };
      }
    }
  }
  return null;
}

function validatorFactory(lazy: boolean) {
  return (externalSchemas: unknown, options: unknown): ValidatorCompiler => {
    let compile: ValidatorCompiler | null = null;
    let compileBody: ValidatorCompiler | null = null;
    return (route) => {
      let fn: Validate | null = null;
      const textual = route.httpPart === 'querystring' || route.httpPart === 'params';
      const numeric = textual ? numericProperties(route.schema) : [];
      const ensure = (): Validate => {
        if (fn === null) {
          if (route.httpPart === 'body') {
            compileBody ??= ajvBuilder()(externalSchemas, withoutCoercion(options));
            fn = compileBody(route);
          } else {
            compile ??= ajvBuilder()(externalSchemas, options);
            fn = compile(route);
          }
          lazySchemaStats.validators++;
        }
        return fn;
      };
      if (!lazy) ensure();
      const validate: Validate = (data, ctx) => {
        const f = ensure();
        if (numeric.length > 0) {
          const bad = nonDecimal(data, numeric);
          if (bad) {
            validate.errors = [bad];
            return false;
          }
        }
        const ok = f(data, ctx);
        // fastify reads the errors from the function it called.
        validate.errors = f.errors;
        return ok;
      };
      // ajv's functions carry schemaEnv, which makes fastify pass the parent object so that a
      // coerced or defaulted root value (e.g. the querystring) is written back; keep that.
      validate.schemaEnv = true;
      return validate;
    };
  };
}

/** Validators compiled on first use, with the two rules above. */
export const lazyValidatorFactory = validatorFactory(true);
/** The same validators compiled when fastify asks (start-up): what the lazy ones must answer like. */
export const eagerValidatorFactory = validatorFactory(false);

export function lazySerializerFactory(externalSchemas: unknown, options: unknown): SerializerCompiler {
  let compile: SerializerCompiler | null = null;
  return (route) => {
    let fn: Serialize | null = null;
    return (data) => {
      if (fn === null) {
        compile ??= fjsBuilder()(externalSchemas, options);
        fn = compile(route);
        lazySchemaStats.serializers++;
      }
      return fn(data);
    };
  };
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * For fastify's `schemaController.compilersFactory`. Cast: fastify's declared types give the
 * per-route compiler the bare schema, while at run time it passes { schema, method, url, … }.
 */
export const lazyCompilersFactory = { buildValidator: lazyValidatorFactory, buildSerializer: lazySerializerFactory } as unknown as CompilersFactory;

/** Eager validators with the same rules and fastify's default serializers (the comparison in test/api/lazySchemas.test.ts). */
export const eagerCompilersFactory = {
  buildValidator: eagerValidatorFactory,
  buildSerializer: (externalSchemas: unknown, options: unknown) => fjsBuilder()(externalSchemas, options),
} as unknown as CompilersFactory;
