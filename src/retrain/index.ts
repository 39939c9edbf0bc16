/** Retraining layer: the retraining trigger. */
export { RetrainTrigger } from './retrain-trigger.js';
export type { RetrainTriggerOptions, AttachFilter } from './retrain-trigger.js';
export type {
  DetectorLike,
  DriftVerdict,
  RetrainEvidence,
  RetrainOutcome,
  RetrainReason,
  RetrainSkipReason,
  RetrainCheckResult,
  RetrainTriggerEvents,
} from './types.js';
export { retrainWebhook } from './retrain-webhook.js';
