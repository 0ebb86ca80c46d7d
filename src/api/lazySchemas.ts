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

export function lazyValidatorFactory(externalSchemas: unknown, options: unknown): ValidatorCompiler {
  let compile: ValidatorCompiler | null = null;
  return (route) => {
    let fn: Validate | null = null;
    const validate: Validate = (data, ctx) => {
      if (fn === null) {
        compile ??= ajvBuilder()(externalSchemas, options);
        fn = compile(route);
        lazySchemaStats.validators++;
      }
      const ok = fn(data, ctx);
      // fastify reads the errors from the function it called.
      validate.errors = fn.errors;
      return ok;
    };
    // ajv's functions carry schemaEnv, which makes fastify pass the parent object so that a
    // coerced or defaulted root value (e.g. the querystring) is written back; keep that.
    validate.schemaEnv = true;
    return validate;
  };
}

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
