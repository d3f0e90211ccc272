/**
 * A check of a Mermaid `gantt` block against the grammar Mermaid's gantt parser accepts
 * (mermaid `diagrams/gantt/parser/gantt.jison` and `ganttDb.ts`), for the subset the draft
 * writes: title, dateFormat, axisFormat, sections and tasks. Mermaid itself needs a DOM to load,
 * so the rules are restated here: a task is `name : [tags,] [id,] start, end|duration`, a name
 * has no `:`, `#` or `;`, dates parse with the dateFormat, an end is not before its start.
 * Returns the problems found, [] for a valid chart.
 */
const TAGS = new Set(['active', 'done', 'crit', 'milestone']);
const DURATION = /^\d+(?:\.\d+)?(?:ms|s|m|h|d|w)$/;
const ID = /^[A-Za-z_][\w-]*$/;
const AXIS_FORMAT = /^(?:%[aAbBcdefHIjmMLpSUwWxXyYZ%]|[ :\-./,])+$/;

function dateParser(format: string): ((text: string) => number | null) | null {
  const tokens: Record<string, string> = { YYYY: '(\\d{4})', MM: '(\\d{2})', DD: '(\\d{2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})' };
  const order: string[] = [];
  const pattern = format.replace(/YYYY|MM|DD|HH|mm|ss|[^A-Za-z]/g, (t) => {
    if (tokens[t]) {
      order.push(t);
      return tokens[t]!;
    }
    return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  if (/[A-Za-z]/.test(pattern.replace(/\\d/g, ''))) return null;
  const re = new RegExp(`^${pattern}$`);
  return (text) => {
    const m = re.exec(text);
    if (!m) return null;
    const f: Record<string, number> = { YYYY: 1970, MM: 1, DD: 1, HH: 0, mm: 0, ss: 0 };
    order.forEach((t, i) => (f[t] = Number(m[i + 1])));
    const ms = Date.UTC(f.YYYY!, f.MM! - 1, f.DD!, f.HH!, f.mm!, f.ss!);
    const back = new Date(ms);
    const valid = back.getUTCMonth() === f.MM! - 1 && back.getUTCDate() === f.DD! && f.HH! < 24 && f.mm! < 60 && f.ss! < 60;
    return valid ? ms : null;
  };
}

export function ganttProblems(block: string): string[] {
  const lines = block.split('\n');
  const problems: string[] = [];
  if (lines[0] !== '```mermaid' || lines.at(-1) !== '```') problems.push('not a ```mermaid fenced block');
  const body = lines.slice(1, -1).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('%%'));
  if (body[0] !== 'gantt') problems.push(`first line is ${JSON.stringify(body[0])}, not gantt`);
  let parse: ((text: string) => number | null) | null = null;
  const ids = new Set<string>();
  let tasks = 0;
  for (const line of body.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^title\s+([^#;\n]+)$/.exec(line))) continue;
    if ((m = /^dateFormat\s+(.+)$/.exec(line))) {
      parse = dateParser(m[1]!);
      if (!parse) problems.push(`dateFormat ${m[1]} is not one this check reads`);
      continue;
    }
    if ((m = /^axisFormat\s+(.+)$/.exec(line))) {
      if (!AXIS_FORMAT.test(m[1]!)) problems.push(`axisFormat ${m[1]} is not a d3 time format`);
      continue;
    }
    if ((m = /^section\s+([^:#;\n]+)$/.exec(line))) continue;
    if (!(m = /^([^:#;\n]+?)\s*:([^#;\n]+)$/.exec(line))) {
      problems.push(`not a gantt statement: ${JSON.stringify(line)}`);
      continue;
    }
    tasks++;
    const data = m[2]!.split(',').map((d) => d.trim());
    while (data.length > 0 && TAGS.has(data[0]!)) data.shift();
    if (data.length === 3) {
      const id = data.shift()!;
      if (!ID.test(id)) problems.push(`bad task id ${JSON.stringify(id)}`);
      if (ids.has(id)) problems.push(`task id ${id} used twice`);
      ids.add(id);
    }
    if (data.length !== 2) {
      problems.push(`task ${JSON.stringify(line)} needs a start and an end`);
      continue;
    }
    if (!parse) {
      problems.push('a task before any dateFormat');
      continue;
    }
    const start = parse(data[0]!);
    if (start === null) problems.push(`start ${JSON.stringify(data[0])} does not match the dateFormat`);
    if (DURATION.test(data[1]!)) continue;
    const end = parse(data[1]!);
    if (end === null) problems.push(`end ${JSON.stringify(data[1])} is neither a date nor a duration`);
    else if (start !== null && end < start) problems.push(`task ${JSON.stringify(line)} ends before it starts`);
  }
  if (tasks === 0) problems.push('no tasks');
  return problems;
}

/** The Mermaid block of a draft. */
export function mermaidBlockOf(markdown: string): string {
  const start = markdown.indexOf('```mermaid\n');
  if (start === -1) throw new Error('no mermaid block');
  return markdown.slice(start, markdown.indexOf('\n```', start + 1) + 4);
}
