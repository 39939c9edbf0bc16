/**
 * Group commit spaces its commits: a request arriving within the gap after a
 * commit started waits and shares the next commit with the requests arriving
 * meanwhile (one transaction, one fsync, for all of them), while a request
 * arriving after a quiet spell is committed at once.
 */
import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/collector/group-commit.js';
import type { BatchResult } from '../../src/collector/window-db.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord } from '../window/make-record.js';

/** A store that records the batches of each commit and answers them all as new. */
function countingStore(groupsCommits = false) {
  const commits: (readonly (readonly WindowRecord[])[])[] = [];
  return {
    commits,
    groupsCommits,
    addBatches: (batches: readonly (readonly WindowRecord[])[]): Promise<BatchResult[]> => {
      commits.push(batches);
      return Promise.resolve(
        batches.map((b) => ({ ok: true as const, outcomes: b.map(() => 'new' as const) })),
      );
    },
  };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  for (const groupsCommits of [false, true])
    it(`requests arriving in the turns after a commit share the next one (store ${groupsCommits ? 'groups' : 'does not group'} commits)`, async () => {
      const store = countingStore(groupsCommits);
      const commit = createGroupCommit(store, undefined, 200);
      await commit([makeRecord(1)]);
      expect(store.commits).toHaveLength(1);
      // Three requests in three turns of the event loop, within the gap: one commit.
      const answers: Promise<BatchResult>[] = [];
      for (let i = 2; i <= 4; i++) {
        answers.push(commit([makeRecord(i)]));
        await nextTurn();
      }
      const results = await Promise.all(answers);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(store.commits.map((c) => c.length)).toEqual([1, 3]);
    });

  it('a request after a quiet spell is committed in the next turn', async () => {
    const store = countingStore();
    const commit = createGroupCommit(store, undefined, 50);
    await commit([makeRecord(1)]);
    await new Promise((r) => setTimeout(r, 80));
    const answer = commit([makeRecord(2)]);
    await nextTurn();
    expect(store.commits).toHaveLength(2);
    await answer;
  });
});
