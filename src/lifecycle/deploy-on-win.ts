/**
 * The last step of the retraining flow: a retrained model is registered,
 * evaluated beside the active one (shadow or split {@link ABTest}), and
 * activated ONLY when the test decides `'promote'`.
 *
 * ```
 * RetrainTrigger.run(evidence) → train → registry.register(candidate, { activate: false })
 *   → new ABTest({ candidate: tag, ... }) + ShadowEvaluator → deployOnWin(test, registry, tag)
 * ```
 */
import { ConfigError, describeValue } from '../errors.js';
import type { ABTest } from './ab-test.js';
import type { ABDecision } from './ab-decision.js';
import type { ModelRegistry, ModelRecord } from './model-registry.js';
import type { ModelTag } from './model-tag.js';

/** Callbacks of {@link deployOnWin}. */
export interface DeployOnWinOptions {
  /** Called after the candidate became the active version. */
  onDeployed?: (record: ModelRecord, decision: ABDecision) => void;
  /** Called when the test decides `'keep'` (the candidate lost or showed no gain). */
  onRejected?: (decision: ABDecision) => void;
  /** Activation failures (storage, unknown version). */
  onError?: (error: unknown) => void;
}

/**
 * Activates `candidate` in `registry` when `test` decides `'promote'`, never before.
 * @param test - the running A/B or shadow test.
 * @param registry - where the candidate is registered.
 * @param candidate - the candidate's tag (must be registered).
 * @param options - callbacks.
 * @returns an unsubscribe function.
 * @throws ConfigError when the candidate is not registered.
 * @example deployOnWin(ab, registry, { model: 'perception', modelVersion: '3' }, { onDeployed: () => location.reload() });
 */
export function deployOnWin(
  test: ABTest,
  registry: ModelRegistry,
  candidate: ModelTag,
  options: DeployOnWinOptions = {},
): () => void {
  if (!registry.has(candidate?.model, candidate?.modelVersion)) {
    throw new ConfigError(
      `expected a registered candidate model, got ${describeValue(candidate?.model)}@${describeValue(candidate?.modelVersion)}`,
    );
  }
  return test.on('decision', (decision) => {
    if (decision.decision !== 'promote') {
      options.onRejected?.(decision);
      return;
    }
    registry.setActive(candidate.model, candidate.modelVersion).then(
      (record) => options.onDeployed?.(record, decision),
      (error: unknown) => options.onError?.(error),
    );
  });
}
