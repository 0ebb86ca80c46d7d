/** Schemas of GET /api/statistics/fairness (TypeBox: validation, serialization and OpenAPI). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './schemaHelpers.js';


export const FairnessQuery = Type.Object({
  machine: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'One scope: 1, "1", "1호기" or "all" (all machines together). Absent: all machines together, then each machine.',
      examples: ['3', 'all'],
    }),
  ),
  from: Type.Optional(Type.Integer({ minimum: 1, description: 'First round (inclusive).' })),
  to: Type.Optional(Type.Integer({ minimum: 1, description: 'Last round (inclusive).' })),
  seed: Type.Integer({ minimum: 0, maximum: 2147483647, default: 2002, description: 'Seed of the permutations and simulations; the same seed gives the same report.' }),
  permutations: Type.Integer({ minimum: 100, maximum: 20000, default: 2000, description: 'Machine-label shuffles for the machines-differ test.' }),
  null_simulations: Type.Integer({ minimum: 20, maximum: 5000, default: 1000, description: 'Fair data sets calibrating the pair and gap tests.' }),
  power_simulations: Type.Integer({ minimum: 10, maximum: 1000, default: 200, description: 'Simulated data sets per point of each power curve.' }),
});
export type FairnessQuery = Static<typeof FairnessQuery>;

const Bilingual = Type.Object({ ko: Type.String(), en: Type.String() });
const Scope = Type.Union([Type.Literal('all'), Type.Integer({ minimum: 1 })]);
const Detail = Type.Union([Type.Number(), Type.String(), Type.Array(Type.Number()), Type.Null()]);

export const FairnessTestView = Type.Object({
  test: Type.Union(['frequency', 'pairs', 'gaps', 'runs', 'autocorrelation', 'machines_differ'].map((t) => Type.Literal(t))),
  name: Type.String(),
  statistic: Type.Number(),
  df: Nullable(Type.Integer({ description: 'Degrees of freedom of the reference χ²; null when the p-value is simulated, permuted or normal.' })),
  p_value: Type.Number(),
  adjusted_p: Type.Number({ description: 'Holm-adjusted across the tests of the same scope.' }),
  p_method: Type.Union(['chi-square', 'simulation', 'permutation', 'normal'].map((t) => Type.Literal(t))),
  power: Type.Object({
    effect_model: Type.String({ description: 'The simulated bias, in words.' }),
    effect_unit: Type.Union([Type.Literal('ratio'), Type.Literal('rho')]),
    detectable_effect: Nullable(Type.Number({ description: 'Smallest effect detected with ≥ 80% power at α = 0.05; null when not even max_effect_tried.' })),
    max_effect_tried: Type.Number(),
    power: Type.Number(),
    simulations: Type.Integer(),
    alpha: Type.Number(),
    target_power: Type.Number(),
  }),
  conclusion: Bilingual,
  details: Type.Record(Type.String(), Detail),
});

export const FairnessScopeView = Type.Object({
  machine: Scope,
  label: Bilingual,
  draws: Type.Integer(),
  from_round: Nullable(Type.Integer()),
  to_round: Nullable(Type.Integer()),
  min_adjusted_p: Nullable(Type.Number()),
  conclusion: Bilingual,
  tests: Type.Array(FairnessTestView),
});

export const FairnessResponse = Type.Object({
  data_version: Type.Integer({ description: 'The stored data version the report was computed on (it is cached per version and parameters).' }),
  params: Type.Object({
    machines: Type.Array(Scope),
    from: Nullable(Type.Integer()),
    to: Nullable(Type.Integer()),
    seed: Type.Integer(),
    permutations: Type.Integer(),
    null_simulations: Type.Integer(),
    power_simulations: Type.Integer(),
    ljung_box_lags: Type.Integer(),
    alpha: Type.Number(),
    target_power: Type.Number(),
  }),
  correction: Type.String(),
  scopes: Type.Array(FairnessScopeView),
});
export type FairnessResponse = Static<typeof FairnessResponse>;
