/**
 * Response shapes of the hogi API, derived from the server's own TypeBox schemas (the objects that
 * also serialize the responses and write the OpenAPI document), so the dashboard cannot drift from
 * what the server sends. Every import here is `import type`: it is erased at build time, so neither
 * server code nor typebox enters the bundle (web/ may only import src/ this way; see
 * test/architecture.test.ts).
 */
import type { Static } from '@sinclair/typebox';
import type { BacktestDetail as BacktestDetailSchema, BacktestList as BacktestListSchema } from '../../src/api/backtestSchemas.js';
import type { FairnessResponse as FairnessResponseSchema } from '../../src/api/fairnessSchemas.js';
import type { Health as HealthSchema, MetricsReport as MetricsReportSchema } from '../../src/api/monitoringSchemas.js';
import type {
  PredictionList as PredictionListSchema,
  PredictionResponse as PredictionResponseSchema,
  StoredPrediction as StoredPredictionSchema,
} from '../../src/api/predictionSchemas.js';
import type { WheelResponse as WheelResponseSchema, WheelTicketsResponse as WheelTicketsResponseSchema } from '../../src/api/wheelSchemas.js';
import type { PopularityEvidence as PopularityEvidenceSchema, PopularityScore as PopularityScoreSchema } from '../../src/api/popularitySchemas.js';
import type {
  CombinationHistory as CombinationHistorySchema,
  TicketCheckResult as TicketCheckResultSchema,
  TicketPage as TicketPageSchema,
  TicketSummary as TicketSummarySchema,
  TicketView as TicketViewSchema,
} from '../../src/api/ticketSchemas.js';
import type { DrawItem as DrawItemSchema, DrawPage as DrawPageSchema, MachineAnalysis as MachineAnalysisSchema } from '../../src/api/schemas.js';

// ---- draws and statistics ----------------------------------------------------------------------

export type DrawItem = Static<typeof DrawItemSchema>;
export type DrawPage = Static<typeof DrawPageSchema>;
export type MachineAnalysis = Static<typeof MachineAnalysisSchema>;

// ---- predictions -------------------------------------------------------------------------------

export type PredictionResponse = Static<typeof PredictionResponseSchema>;
export type PredictionItem = PredictionResponse['predictions'][number];
export type PredictionMetadata = PredictionResponse['metadata'];
export type StoredPrediction = Static<typeof StoredPredictionSchema>;
export type PredictionList = Static<typeof PredictionListSchema>;
export type PredictionListItem = PredictionList['items'][number];

// ---- backtests and fairness --------------------------------------------------------------------

export type BacktestList = Static<typeof BacktestListSchema>;
export type BacktestListItem = BacktestList['items'][number];
export type BacktestDetail = Static<typeof BacktestDetailSchema>;
export type BacktestSummary = NonNullable<BacktestDetail['summary']>;
export type BacktestScope = BacktestSummary['overall'];
export type BacktestMethod = BacktestScope['methods'][number];
export type FairnessResponse = Static<typeof FairnessResponseSchema>;

// ---- monitoring --------------------------------------------------------------------------------

export type Health = Static<typeof HealthSchema>;
export type MetricsReport = Static<typeof MetricsReportSchema>;

// ---- wheels ------------------------------------------------------------------------------------

export type WheelResponse = Static<typeof WheelResponseSchema>;
export type WheelTicketsResponse = Static<typeof WheelTicketsResponseSchema>;
// ---- tickets -----------------------------------------------------------------------------------

export type Ticket = Static<typeof TicketViewSchema>;
export type TicketPage = Static<typeof TicketPageSchema>;
export type TicketSummary = Static<typeof TicketSummarySchema>;
export type TicketCheckResult = Static<typeof TicketCheckResultSchema>;
export type CombinationHistory = Static<typeof CombinationHistorySchema>;

// ---- popularity (prize sharing) ----------------------------------------------------------------

export type PopularityScore = Static<typeof PopularityScoreSchema>;
export type PopularityEvidence = Static<typeof PopularityEvidenceSchema>;
