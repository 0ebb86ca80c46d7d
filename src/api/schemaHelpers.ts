/**
 * TypeBox helpers every wire schema under src/api uses, defined once.
 */
import { Type, type TSchema } from '@sinclair/typebox';

/** `T | null`, as `anyOf [T, null]`. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string enum as plain `{type:'string', enum}` so validation errors name the field once. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
