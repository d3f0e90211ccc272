import { fail, ok, type Result } from './errors.ts';

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `15m`, `1h30m`, `2d`: durations as configured (NAG_SCHEDULE) and typed (`snooze W-1 2h`). */
export function parseDuration(input: string): Result<number> {
  const text = input.trim().toLowerCase();
  if (!/^(\d+[smhd])+$/.test(text)) {
    return fail('bad_argument', `bad duration "${input}": use a number and s, m, h or d, e.g. 15m or 1h30m`);
  }
  let totalMs = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    totalMs += Number(n) * unitMs[unit as keyof typeof unitMs];
  }
  if (totalMs === 0) return fail('bad_argument', `bad duration "${input}": must be longer than zero`);
  return ok(totalMs);
}

/** `1h 05m`, `3d 2h 00m`, `4m 05s`, `45s`: how long something took, as a postmortem shows it. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${h}h ${pad(m)}m`;
  if (h > 0) return `${sign}${h}h ${pad(m)}m`;
  if (m > 0) return `${sign}${m}m${s ? ` ${pad(s)}s` : ''}`;
  return `${sign}${s}s`;
}
