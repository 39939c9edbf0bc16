/**
 * Bytes on the wire: the remote-write body (protobuf, then snappy) and the
 * ingest body (JSON windows, then gzip), per request and per window.
 *
 *   node --import tsx bench/wire-bytes.ts
 */
import { gzipSync } from 'node:zlib';
import SnappyJS from 'snappyjs';
import { encodeWriteRequest } from '../src/collector/protobuf.js';
import { windowToSeries } from '../src/collector/remote-write.js';
import { snappyEncode } from '../src/collector/snappy.js';
import { createReferenceKernel } from '../src/kernel/reference/index.js';
import { makeRecord } from '../test/window/make-record.js';

const kernel = createReferenceKernel();
const rows: string[] = [];
for (const n of [1, 10, 80, 200]) {
  const recs = Array.from({ length: n }, (_, i) => makeRecord(i, { deviceId: `robot-${i % 7}` }));
  const raw = encodeWriteRequest(recs.flatMap((r) => windowToSeries(r, kernel)));
  const ours = snappyEncode(raw).length;
  const theirs = SnappyJS.compress(raw).length;
  const json = new TextEncoder().encode(JSON.stringify({ windows: recs }));
  const gz = gzipSync(json).length;
  rows.push(
    `| ${n} | ${raw.length} | ${ours} | ${theirs} | ${json.length} (${Math.round(json.length / n)}) | ${gz} (${Math.round(gz / n)}) |`,
  );
}
console.log(
  '| windows | remote-write protobuf B | + snappy (edgewatch) B | + snappy (snappyjs) B | ingest JSON B (per window) | + gzip B (per window) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
