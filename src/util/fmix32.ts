/**
 * MurmurHash3's 32-bit finaliser: the avalanche step that makes every input
 * bit affect every output bit. Shared by the A/B split hash and the
 * HyperLogLog hash, which must keep their exact values (stored profiles and
 * arm assignments depend on them).
 *
 * @param h - a 32-bit hash state.
 * @returns the mixed value, unsigned 32-bit.
 * @example fmix32(0) // => 0
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
