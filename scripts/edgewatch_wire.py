#!/usr/bin/env python3
"""Decoder for edgewatch's wire format, standard library only.

Reads the sketch byte format (docs/wire-format.md) and WindowRecord JSON as a
device sends them to the collector (POST /v1/windows), so that code not written
in JavaScript (C++ or Python on a robot, a notebook) can read what edgewatch
devices produce, and check what it produces itself.

    python3 scripts/edgewatch_wire.py < batch.json        # {"windows": [...]} or one window
    python3 scripts/edgewatch_wire.py --sketch <base64>   # one sketch

prints JSON: each sketch decoded (scale, count, sum, min, max, zero count,
positive/negative {offset, counts}) with its 0.5/0.9/0.99 quantiles.
"""
import base64
import json
import math
import struct
import sys

MAGIC = 0xE5
FORMAT_VERSION = 1
MIN_SCALE = -4
MAX_SCALE = 10
MAX_SAFE = 2**53 - 1


class CorruptSketch(ValueError):
    """The bytes are not a valid edgewatch sketch (the TypeScript decoder throws KernelError)."""


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def left(self):
        return len(self.data) - self.pos

    def byte(self, what):
        if self.pos >= len(self.data):
            raise CorruptSketch(f"expected {what} at byte {self.pos}, got end of input")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def f64(self, what):
        if self.left() < 8:
            raise CorruptSketch(f"expected 8 bytes of {what} at byte {self.pos}, got {self.left()}")
        (x,) = struct.unpack_from("<d", self.data, self.pos)
        self.pos += 8
        return x

    def varint(self, what):
        start = self.pos
        value = 0
        for i in range(8):
            b = self.byte(what)
            value |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                if value > MAX_SAFE:
                    raise CorruptSketch(f"expected {what} <= 2^53 - 1 at byte {start}")
                return value
        raise CorruptSketch(f"expected {what} as a varint of at most 8 bytes at byte {start}")


def index_bounds(scale):
    """Lowest and highest bucket index a finite double can have at `scale`."""
    if scale >= 0:
        return (-1074 * 2**scale - 1, 1024 * 2**scale - 1)
    return (math.floor(-1075 / 2**-scale), math.floor(1023 / 2**-scale))


def _read_side(r, name, scale):
    zz = r.varint(f"{name} offset")
    offset = zz // 2 if zz % 2 == 0 else -(zz + 1) // 2
    length = r.varint(f"{name} length")
    if length > r.left():
        raise CorruptSketch(f"expected {name} length <= {r.left()} (bytes left), got {length}")
    if length == 0:
        if offset != 0:
            raise CorruptSketch(f"expected offset 0 for an empty {name} side, got {offset}")
        return {"offset": 0, "counts": []}
    lo, hi = index_bounds(scale)
    if offset < lo or offset + length - 1 > hi:
        raise CorruptSketch(f"expected {name} buckets within [{lo}, {hi}] at scale {scale}")
    counts = [r.varint(f"{name} count") for _ in range(length)]
    if counts[0] == 0 or counts[-1] == 0:
        raise CorruptSketch(f"expected trimmed {name} buckets (non-zero first and last)")
    return {"offset": offset, "counts": counts}


def decode_sketch(data):
    """Decodes sketch bytes into a dict; raises CorruptSketch on any invalid input."""
    r = _Reader(bytes(data))
    magic = r.byte("magic")
    if magic != MAGIC:
        raise CorruptSketch(f"expected magic 0xe5 at byte 0, got {magic:#x}")
    version = r.byte("version")
    if version != FORMAT_VERSION:
        raise CorruptSketch(f"expected version {FORMAT_VERSION}, got {version}")
    raw = r.byte("scale")
    scale = raw - 256 if raw > 127 else raw
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise CorruptSketch(f"expected scale in [{MIN_SCALE}, {MAX_SCALE}], got {scale}")
    total_sum = r.f64("sum")
    vmin = r.f64("min")
    vmax = r.f64("max")
    count = r.varint("count")
    zero = r.varint("zeroCount")
    positive = _read_side(r, "positive", scale)
    negative = _read_side(r, "negative", scale)
    if r.left() != 0:
        raise CorruptSketch(f"expected end of input at byte {r.pos}, got {r.left()} trailing bytes")
    total = zero + sum(positive["counts"]) + sum(negative["counts"])
    if total != count:
        raise CorruptSketch(f"expected count = zeroCount + bucket counts = {total}, got {count}")
    if count == 0:
        if not (vmin == math.inf and vmax == -math.inf and total_sum == 0):
            raise CorruptSketch("expected min=Infinity, max=-Infinity, sum=0 for an empty sketch")
    elif not (math.isfinite(vmin) and math.isfinite(vmax) and vmin <= vmax):
        raise CorruptSketch(f"expected finite min <= max, got min={vmin}, max={vmax}")
    return {
        "version": version,
        "scale": scale,
        "count": count,
        "sum": total_sum,
        "min": vmin,
        "max": vmax,
        "zeroCount": zero,
        "positive": positive,
        "negative": negative,
    }


def bucket_bounds(index, scale):
    """Bucket `index` holds values in (base**index, base**(index + 1)], base = 2**(2**-scale)."""
    w = 2.0**-scale
    return (2.0 ** (index * w), 2.0 ** ((index + 1) * w))


def bucket_representative(index, scale):
    """The value reported for a bucket: the harmonic mean of its bounds (relative error <= (b-1)/(b+1))."""
    lo, hi = bucket_bounds(index, scale)
    return 2 * lo * hi / (lo + hi)


def quantile(s, q):
    """The q-quantile as edgewatch's kernels compute it: rank floor(q * (count - 1)), clamped to [min, max]."""
    count = s["count"]
    if not 0 <= q <= 1 or count == 0:
        return math.nan
    rank = math.floor(q * (count - 1))
    if rank == 0:
        return s["min"]
    if rank == count - 1:
        return s["max"]

    def clamp(v):
        return min(max(v, s["min"]), s["max"])

    cum = 0
    neg = s["negative"]
    for i in range(len(neg["counts"]) - 1, -1, -1):
        cum += neg["counts"][i]
        if cum > rank:
            return clamp(-bucket_representative(neg["offset"] + i, s["scale"]))
    cum += s["zeroCount"]
    if cum > rank:
        return clamp(0.0)
    pos = s["positive"]
    for i, c in enumerate(pos["counts"]):
        cum += c
        if cum > rank:
            return clamp(bucket_representative(pos["offset"] + i, s["scale"]))
    return s["max"]


def decode_base64_sketch(text):
    """Decodes a sketch as it appears in a WindowRecord (standard base64)."""
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError as e:
        raise CorruptSketch(f"expected base64: {e}") from e
    return decode_sketch(data)


def _json_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def describe_sketch(s):
    """A decoded sketch as JSON-safe data, with its 0.5 / 0.9 / 0.99 quantiles."""
    out = dict(s)
    for k in ("sum", "min", "max"):
        out[k] = _json_float(s[k])
    out["quantiles"] = {str(q): _json_float(quantile(s, q)) for q in (0.5, 0.9, 0.99)}
    return out


def decode_window(w):
    """A WindowRecord with each sketch decoded (or {'error': …} for a corrupt one)."""
    out = dict(w)
    sketches = {}
    for name, text in w.get("sketches", {}).items():
        try:
            sketches[name] = describe_sketch(decode_base64_sketch(text))
        except CorruptSketch as e:
            sketches[name] = {"error": str(e)}
    out["sketches"] = sketches
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == "--sketch":
        try:
            print(json.dumps(describe_sketch(decode_base64_sketch(argv[2]))))
        except CorruptSketch as e:
            print(json.dumps({"error": str(e)}))
            return 1
        return 0
    body = json.load(sys.stdin)
    windows = body["windows"] if isinstance(body, dict) and "windows" in body else [body]
    print(json.dumps({"windows": [decode_window(w) for w in windows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
