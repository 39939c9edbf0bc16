/**
 * Stable traffic splitting for A/B tests: a unit id (user, device, session)
 * always lands in the same arm, on every device and every run, because the arm
 * is a pure function of (salt, unit id).
 */
import { fmix32 } from '../util/fmix32.js';

/**
 * 32-bit FNV-1a hash of a string's UTF-16 code units, with a final avalanche
 * (murmur3 fmix32) so nearby ids spread evenly.
 * @param text - any string.
 * @returns an unsigned 32-bit integer. O(length).
 * @example fnv1a32('user-1') === fnv1a32('user-1') // => true
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Assigns a unit to an arm by a stable hash.
 * @param unitId - the unit's id.
 * @param candidateShare - fraction of units sent to the candidate, in [0, 1].
 * @param salt - per-experiment salt, so two experiments split independently.
 * @returns `'candidate'` for a `candidateShare` fraction of ids, else `'control'`.
 * @example assignArm('user-42', 0.5, 'exp-1') // => the same answer every time
 */
export function assignArm(
  unitId: string,
  candidateShare: number,
  salt = '',
): 'control' | 'candidate' {
  const u = fnv1a32(salt + '\u0000' + unitId) / 4294967296;
  return u < candidateShare ? 'candidate' : 'control';
}
