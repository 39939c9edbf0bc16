// Exact order statistics without a full sort (mirror of src/kernel/reference/select.ts,
// which sorts: both return the same values, bit for bit). Radix select on the
// sign-flipped IEEE keys: one pass for the smallest and largest key, one pass for a
// 16-bit histogram of the window just below their common prefix, one pass copying the
// values of the buckets that hold a requested rank, then a sort of those few.
import { keyOf, sortF64Impl } from './sort';
import { blockAlloc } from './alloc';

const WINDOW_BITS: u64 = 16;
const BUCKETS: i32 = 1 << 16;
let hist: usize = 0;
let slots: usize = 0;

/**
 * out[j] = the ranks[j]-th smallest of the n f64 at `input` (0-based; NaN for a rank that is not
 * an integer in [0, n)). `cand` holds n f64, `work` 2n f64; `info` holds 2k i32.
 */
export function selectImpl(
  input: usize, n: i32, ranks: usize, k: i32, out: usize, cand: usize, work: usize, info: usize,
): void {
  if (hist == 0) {
    hist = blockAlloc((<usize>BUCKETS) << 2);
    slots = blockAlloc((<usize>BUCKETS) << 2);
    memory.fill(slots, 0xff, (<usize>BUCKETS) << 2);
  }
  if (n == 0) {
    for (let j: i32 = 0; j < k; j++) store<f64>(out + ((<usize>j) << 3), NaN);
    return;
  }
  let mn: u64 = 0xffff_ffff_ffff_ffff;
  let mx: u64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const key = keyOf(load<u64>(input + ((<usize>i) << 3)));
    if (key < mn) mn = key;
    if (key > mx) mx = key;
  }
  const diff = mn ^ mx;
  const top: u64 = diff == 0 ? 0 : 63 - clz<u64>(diff);
  const shift: u64 = top >= WINDOW_BITS - 1 ? top - (WINDOW_BITS - 1) : 0;
  memory.fill(hist, 0, (<usize>BUCKETS) << 2);
  for (let i: i32 = 0; i < n; i++) {
    const key = keyOf(load<u64>(input + ((<usize>i) << 3)));
    const h = hist + (<usize>((key >> shift) & 0xffff) << 2);
    store<u32>(h, load<u32>(h) + 1);
  }
  // exclusive prefix sums: hist[d] = rank of the first value in bucket d
  let sum: u32 = 0;
  for (let d: i32 = 0; d < BUCKETS; d++) {
    const h = hist + ((<usize>d) << 2);
    const c = load<u32>(h);
    store<u32>(h, sum);
    sum += c;
  }
  // bucket of each valid rank; candidate regions, one per distinct bucket
  let total: i32 = 0;
  for (let j: i32 = 0; j < k; j++) {
    const r = load<f64>(ranks + ((<usize>j) << 3));
    let d: i32 = -1;
    if (r >= 0 && r < <f64>n && Math.floor(r) == r) {
      const ri = <u32>r;
      let lo: i32 = 0;
      let hi: i32 = BUCKETS - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (load<u32>(hist + ((<usize>mid) << 2)) <= ri) lo = mid;
        else hi = mid - 1;
      }
      d = lo;
      const s = slots + ((<usize>d) << 2);
      if (load<i32>(s) < 0) {
        const end = d + 1 < BUCKETS ? load<u32>(hist + ((<usize>(d + 1)) << 2)) : <u32>n;
        store<i32>(s, total);
        total += <i32>(end - load<u32>(hist + ((<usize>d) << 2)));
      }
    }
    store<i32>(info + ((<usize>j) << 3), d);
    store<i32>(info + ((<usize>j) << 3) + 4, d < 0 ? -1 : load<i32>(slots + ((<usize>d) << 2)));
  }
  if (total > 0) {
    for (let i: i32 = 0; i < n; i++) {
      const bits = load<u64>(input + ((<usize>i) << 3));
      const s = slots + (<usize>((keyOf(bits) >> shift) & 0xffff) << 2);
      const w = load<i32>(s);
      if (w >= 0) {
        store<u64>(cand + ((<usize>w) << 3), bits);
        store<i32>(s, w + 1);
      }
    }
  }
  const b = work + ((<usize>n) << 3);
  for (let j: i32 = 0; j < k; j++) {
    const d = load<i32>(info + ((<usize>j) << 3));
    const off = load<i32>(info + ((<usize>j) << 3) + 4);
    if (d < 0) {
      store<f64>(out + ((<usize>j) << 3), NaN);
      continue;
    }
    const first = load<u32>(hist + ((<usize>d) << 2));
    const s = slots + ((<usize>d) << 2);
    if (load<i32>(s) >= 0) {
      // first rank in this bucket: sort its candidates in place, then mark it done
      const cnt = (d + 1 < BUCKETS ? load<u32>(hist + ((<usize>(d + 1)) << 2)) : <u32>n) - first;
      const region = cand + ((<usize>off) << 3);
      const sorted = sortF64Impl(region, <i32>cnt, work, b);
      memory.copy(region, sorted, (<usize>cnt) << 3);
      store<i32>(s, -1);
    }
    const r = <u32>load<f64>(ranks + ((<usize>j) << 3));
    store<f64>(out + ((<usize>j) << 3), load<f64>(cand + ((<usize>(off + <i32>(r - first))) << 3)));
  }
}
