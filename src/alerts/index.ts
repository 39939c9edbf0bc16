/** Alerts layer: rules, the alert system, rule factories and notifiers. */
export { AlertRule, AlertSeverity } from './alert-rule.js';
export type { AlertRuleOptions } from './alert-rule.js';
export { AlertSystem } from './alert-system.js';
export type { AlertSystemOptions } from './alert-system.js';
export {
  performanceDrop,
  latencyAbove,
  driftDetected,
  outputDriftDetected,
  dataQuality,
} from './rules.js';
export type { RuleFactoryOptions, PerformanceDropOptions, DataQualityOptions } from './rules.js';
export { callbackNotifier } from './notifiers/callback-notifier.js';
export { webhookNotifier } from './notifiers/webhook-notifier.js';
export type { WebhookNotifierOptions, WebhookPayload } from './notifiers/webhook-notifier.js';
export type { Notifier, AlertNotification } from './notifiers/notifier.js';
export { postJson, resolvePostOptions } from './notifiers/post-json.js';
export type { PostJsonOptions, PostJsonResult } from './notifiers/post-json.js';
export type {
  Alert,
  AlertMetrics,
  AlertState,
  AlertSystemError,
  AlertSystemEvents,
} from './types.js';
