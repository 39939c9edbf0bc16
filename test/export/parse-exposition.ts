/**
 * A strict, independent parser of the Prometheus text format 0.0.4 and
 * OpenMetrics 1.0, written from the format specifications for the tests: it
 * rejects escapes the format does not define, so a writer bug shows up as a
 * parse error or a round-trip mismatch.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface ParsedFamily {
  name: string;
  type?: string;
  help?: string;
  unit?: string;
  samples: ParsedSample[];
}

function unescape(s: string, allowQuote: boolean, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === '\\') out += '\\';
    else if (n === 'n') out += '\n';
    else if (n === '"' && allowQuote) out += '"';
    else throw new Error(`invalid escape \\${n ?? ''} in ${where}`);
  }
  return out;
}

function parseNumber(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s))
    throw new Error(`bad number ${JSON.stringify(s)}`);
  return Number(s);
}

/** Parses `name{labels} value` (no timestamps are written by edgewatch). */
function parseSample(line: string): ParsedSample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`bad sample line ${JSON.stringify(line)}`);
  const name = m[1] as string;
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      if (!lm) throw new Error(`bad label at ${i} in ${JSON.stringify(line)}`);
      const lname = lm[1] as string;
      i += lm[0].length;
      let raw = '';
      while (line[i] !== '"') {
        if (i >= line.length)
          throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
        if (line[i] === '\\') raw += line[i++];
        raw += line[i++];
      }
      i++;
      if (lname in labels) throw new Error(`duplicate label ${lname}`);
      labels[lname] = unescape(raw, true, 'label value');
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected , or } in ${JSON.stringify(line)}`);
    }
    i++;
  }
  if (line[i] !== ' ')
    throw new Error(`expected one space before the value in ${JSON.stringify(line)}`);
  const rest = line.slice(i + 1);
  if (rest.includes(' '))
    throw new Error(`unexpected timestamp or trailing text in ${JSON.stringify(line)}`);
  return { name, labels, value: parseNumber(rest) };
}

/**
 * Parses an exposition. For OpenMetrics the text must end with `# EOF\n`.
 * Samples are attached to the last family whose name prefixes them.
 */
export function parseExposition(
  text: string,
  format: 'prometheus' | 'openmetrics',
): ParsedFamily[] {
  const om = format === 'openmetrics';
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (om) {
    if (lines.pop() !== '# EOF') throw new Error('OpenMetrics must end with # EOF');
    if (lines.includes('# EOF')) throw new Error('# EOF before the end');
  }
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily>();
  const family = (name: string): ParsedFamily => {
    let f = byName.get(name);
    if (!f) {
      f = { name, samples: [] };
      byName.set(name, f);
      families.push(f);
    }
    return f;
  };
  let current: ParsedFamily | undefined;
  for (const line of lines) {
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/s.exec(line);
      if (!m) {
        if (om) throw new Error(`bad comment in OpenMetrics: ${JSON.stringify(line)}`);
        continue;
      }
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      const f = family(name);
      current = f;
      if (kind === 'HELP') f.help = unescape(rest, om, 'HELP');
      else if (kind === 'TYPE') f.type = rest;
      else f.unit = rest;
      continue;
    }
    if (line === '') {
      if (om) throw new Error('blank line in OpenMetrics');
      continue;
    }
    const s = parseSample(line);
    const owner = current && s.name.startsWith(current.name) ? current : family(s.name);
    owner.samples.push(s);
  }
  return families;
}
