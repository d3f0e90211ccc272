/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the sample with this name and exactly these labels; undefined when absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"\s*(,|$)/y;

/**
 * Parses the text format (version 0.0.4) strictly: any line that is not a comment, a HELP or TYPE
 * line, or a well-formed sample throws, naming the line.
 */
export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      const fail = (why: string) => {
        throw new Error(`line ${i + 1} (${why}): ${line}`);
      };
      if (line === '') return;
      if (line.startsWith('#')) {
        const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
        if (!keyword) return;
        if (!METRIC_NAME.test(name!)) fail('bad metric name');
        if (keyword === 'TYPE') {
          if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest!)) fail('bad type');
          if (types.has(name!)) fail('TYPE given twice');
          types.set(name!, rest!);
        }
        return;
      }
      const m = SAMPLE.exec(line);
      if (!m) return fail('not a sample');
      const labels: Record<string, string> = {};
      if (m[2] !== undefined && m[2] !== '') {
        LABEL.lastIndex = 0;
        while (LABEL.lastIndex < m[2].length) {
          const l = LABEL.exec(m[2]);
          if (!l) return fail('bad labels');
          labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
          if (l[3] === '') break;
        }
      }
      const value = parseSampleValue(m[3]!);
      if (value === null) return fail('bad value');
      samples.push({ name: m[1]!, labels, value });
    });
  const same = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    types,
    samples,
    value: (name, labels = {}) => samples.find((s) => s.name === name && same(s.labels, labels))?.value,
  };
}

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): a number, or NaN and Inf in any
 * case (prom-client writes an empty event-loop histogram's mean as `Nan`).
 */
function parseSampleValue(text: string): number | null {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? null : value;
}
