import { fail, ok, type Result } from './errors.ts';
import {
  fieldsOfWallClockMillis,
  formatDateFields,
  formatTimeFields,
  instantsOfLocal,
  isAmbiguousAbbreviation,
  offsetMillisAt,
  parseZone,
  toLocal,
  wallClockMillis,
  type LocalDateTime,
  type Zone,
} from './zone.ts';

/** A time as typed, before it is placed on the timeline (which needs the incident's zone, anchor and now). */
export type When =
  | { kind: 'clock'; hour: number; minute: number; second: number; zone: Zone | null; text: string }
  | { kind: 'local'; local: LocalDateTime; zone: Zone | null; text: string }
  | { kind: 'instant'; at: Date; text: string };

export interface WhenContext {
  zone: Zone;
  anchor: Date;
  now: Date;
}

const CLOCK_WORD = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DATE_WORD = /^(\d{4})-(\d{2})-(\d{2})$/;
const STARTS_WITH_DATE = /^\d{4}-\d{2}-\d{2}/;
const ISO_WORD = /^(\d{4}-\d{2}-\d{2})T(.+)$/i;
// The time half of a date-time: RFC 3339 allows a space instead of the T, which is how many logs print it.
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+\-\u2212])(\d{2})(?::?(\d{2}))?)?$/i;
const IANA_AREAS = /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\//i;
const UTC_OFFSET_ATTEMPT = /^(UTC|GMT)[+\-\u2212]\d/i;
// Table abbreviations that are also English words; in free text they count as zones only in capitals.
const ABBREVIATIONS_THAT_ARE_WORDS = new Set(['west', 'wet']);

/** Clock skew between chat platforms and the bot must not make "just now" look like the future. */
const FUTURE_TOLERANCE_MS = 60_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const USAGE = 'use HH:MM, YYYY-MM-DD HH:MM or ISO 8601 like 2026-03-01T23:40:00+01:00, optionally followed by a time zone';

interface Word {
  text: string;
  end: number;
}

interface LeadingWhen {
  when: When;
  end: number;
  takesZone: boolean;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number | null;
}

function firstWords(input: string, count: number): Word[] {
  const words: Word[] = [];
  for (const match of input.matchAll(/\S+/g)) {
    if (words.length === count) break;
    words.push({ text: match[0], end: match.index + match[0].length });
  }
  return words;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Earliest year accepted. Postgres and PGlite disagree on very old instants (year 0 is refused by
 * one and stored by the other), and no incident is that old: a year like 0026 is a typo.
 */
const FIRST_YEAR = 1900;

/** `2026-03-01`, checked against the calendar (February 2008 has 29 days). */
export function parseCalendarDate(text: string): Result<CalendarDate> {
  const match = DATE_WORD.exec(text);
  if (!match) return fail('bad_date', `bad date "${text}": use YYYY-MM-DD`);
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  if (year < FIRST_YEAR) return fail('bad_date', `bad date "${text}": the year must be ${FIRST_YEAR} or later`);
  if (month < 1 || month > 12) return fail('bad_date', `bad date "${text}": months run 01-12`);
  if (day < 1) return fail('bad_date', `bad date "${text}": days start at 01`);
  const monthLength = daysInMonth(year, month);
  if (day > monthLength) {
    return fail('bad_date', `bad date "${text}": ${MONTH_NAMES[month - 1]} ${year} has ${monthLength} days`);
  }
  return ok({ year, month, day });
}

function checkClockFields(text: string, hour: number, minute: number, second: number): Result<true> {
  if (hour > 23) return fail('bad_time', `bad time "${text}": hours run 00-23`);
  if (minute > 59) return fail('bad_time', `bad time "${text}": minutes run 00-59`);
  if (second > 59) return fail('bad_time', `bad time "${text}": seconds run 00-59`);
  return ok(true);
}

/** `23:40`, `23:40:05`, `23:40:05.123`, `23:40Z`, `23:40+01:00`, `23:40+0100`, `23:40+01`; `quoted` names it in errors. */
function parseTimeOfDay(text: string, quoted: string): Result<TimeOfDay> {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return fail('bad_time', `bad time "${quoted}": ${USAGE}`);
  const [, hourText = '', minuteText = '', secondText = '0', fraction, zulu, sign, offsetHours, offsetMinutes] =
    match;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  const fieldsOk = checkClockFields(quoted, hour, minute, second);
  if (!fieldsOk.ok) return fieldsOk;
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (zulu !== undefined) return ok({ hour, minute, second, millisecond, offsetMinutes: 0 });
  if (sign === undefined) return ok({ hour, minute, second, millisecond, offsetMinutes: null });
  const offsetHour = Number(offsetHours);
  const offsetMinute = Number(offsetMinutes ?? '0');
  if (offsetHour > 23) return fail('bad_time', `bad time "${quoted}": offset hours run 00-23`);
  if (offsetMinute > 59) return fail('bad_time', `bad time "${quoted}": offset minutes run 00-59`);
  const magnitude = offsetHour * 60 + offsetMinute;
  return ok({ hour, minute, second, millisecond, offsetMinutes: sign === '+' ? magnitude : -magnitude });
}

function whenOfDateAndTime(date: CalendarDate, time: TimeOfDay, text: string): { when: When; takesZone: boolean } {
  const local: LocalDateTime = { ...date, hour: time.hour, minute: time.minute, second: time.second };
  if (time.offsetMinutes === null) return { when: { kind: 'local', local, zone: null, text }, takesZone: true };
  const at = new Date(wallClockMillis(local) - time.offsetMinutes * MINUTE_MS + time.millisecond);
  return { when: { kind: 'instant', at, text }, takesZone: false };
}

/** The time at the start of the input without its zone word; null when the first word is not a time attempt. */
function readLeadingTime(words: Word[]): Result<LeadingWhen | null> {
  const [first, second] = words;
  if (!first) return ok(null);
  const clock = CLOCK_WORD.exec(first.text);
  if (clock) {
    const [hour, minute, secondOfMinute] = [clock[1], clock[2], clock[3] ?? '0'].map(Number) as [number, number, number];
    const fieldsOk = checkClockFields(first.text, hour, minute, secondOfMinute);
    if (!fieldsOk.ok) return fieldsOk;
    const when: When = { kind: 'clock', hour, minute, second: secondOfMinute, zone: null, text: first.text };
    return ok({ when, end: first.end, takesZone: true });
  }
  if (DATE_WORD.test(first.text)) {
    const date = parseCalendarDate(first.text);
    if (!date.ok) return date;
    if (!second || !TIME_OF_DAY.test(second.text)) {
      return fail('bad_time', `a date needs a time: ${first.text} HH:MM`);
    }
    const time = parseTimeOfDay(second.text, second.text);
    if (!time.ok) return time;
    const text = `${first.text} ${second.text}`;
    return ok({ ...whenOfDateAndTime(date.value, time.value, text), end: second.end });
  }
  const iso = ISO_WORD.exec(first.text);
  if (iso) {
    const [, dateText = '', timeText = ''] = iso;
    const date = parseCalendarDate(dateText);
    if (!date.ok) return date;
    const time = parseTimeOfDay(timeText, first.text);
    if (!time.ok) return time;
    return ok({ ...whenOfDateAndTime(date.value, time.value, first.text), end: first.end });
  }
  if (STARTS_WITH_DATE.test(first.text)) return fail('bad_time', `bad time "${first.text}": ${USAGE}`);
  return ok(null);
}

/**
 * In free text the word after a time is prose unless it can only be a zone: an Area/Location name
 * (US/Eastern too), a UTC±hh:mm form or a table abbreviation. Single-word IANA links (Japan, GB,
 * Universal) stay prose. A word under a real IANA area, or a UTC± form, that is not a valid zone is
 * an error rather than prose, so a typo like Europe/Berln cannot silently put the time in the
 * incident's zone; so is an ambiguous abbreviation in capitals (14:05 IST), as --at and --tz
 * refuse it too. Otherwise it is prose: "14:05 ist kaputt".
 */
function readZoneWordInText(word: Word | undefined): Result<Zone | null> {
  if (!word) return ok(null);
  const zone = parseZone(word.text);
  if (IANA_AREAS.test(word.text) || UTC_OFFSET_ATTEMPT.test(word.text)) return zone;
  if (!zone.ok) {
    const meantAsZone = isAmbiguousAbbreviation(word.text) && word.text === word.text.toUpperCase();
    return meantAsZone ? zone : ok(null);
  }
  if (word.text.includes('/')) return zone;
  if (zone.value.fixedOffsetMinutes === null) return ok(null);
  const isEnglishWord = ABBREVIATIONS_THAT_ARE_WORDS.has(word.text.toLowerCase());
  if (isEnglishWord && word.text !== word.text.toUpperCase()) return ok(null);
  return zone;
}

function withZone(when: When, zone: Zone, text: string): When {
  return when.kind === 'instant' ? when : { ...when, zone, text };
}

/** A time given on its own, e.g. a --at value: `23:40`, `2026-03-01 23:40 Europe/Berlin`, `2026-03-01T23:40Z`. */
export function parseWhen(input: string): Result<When> {
  const words = firstWords(input, 4);
  const leading = readLeadingTime(words);
  if (!leading.ok) return leading;
  if (!leading.value) return fail('bad_time', `bad time "${input.trim()}": ${USAGE}`);
  const { when, end, takesZone } = leading.value;
  const [zoneWord, ...extra] = words.filter((word) => word.end > end);
  if (!zoneWord) return ok(when);
  if (!takesZone) {
    return fail('bad_time', `bad time "${input.trim()}": a time with an offset cannot also have a time zone`);
  }
  if (extra.length > 0) return fail('bad_time', `bad time "${input.trim()}": ${USAGE}`);
  const zone = parseZone(zoneWord.text);
  if (!zone.ok) return zone;
  return ok(withZone(when, zone.value, `${when.text} ${zoneWord.text}`));
}

/** For free text that may start with a time: `14:05 Rolled back` → the time and `Rolled back`. */
export function splitLeadingWhen(input: string): Result<{ when: When | null; rest: string }> {
  const words = firstWords(input, 3);
  const leading = readLeadingTime(words);
  if (!leading.ok) return leading;
  if (!leading.value) return ok({ when: null, rest: input });
  const { when, end, takesZone } = leading.value;
  const zoneWord = takesZone ? words.find((word) => word.end > end) : undefined;
  const zone = readZoneWordInText(zoneWord);
  if (!zone.ok) return zone;
  if (!zone.value || !zoneWord) return ok({ when, rest: input.slice(end).trimStart() });
  return ok({
    when: withZone(when, zone.value, `${when.text} ${zoneWord.text}`),
    rest: input.slice(zoneWord.end).trimStart(),
  });
}

const formatClockOf = (local: LocalDateTime) => formatTimeFields(local, 'when-set');

function wallClockAt(atMs: number, offsetMs: number): LocalDateTime {
  return fieldsOfWallClockMillis(atMs + offsetMs);
}

/** `(clocks skipped from 02:00 to 03:00)`: where the DST transition that swallowed this wall-clock time is. */
function describeGap(local: LocalDateTime, zone: Zone): string {
  const wallMs = wallClockMillis(local);
  const offsetBefore = offsetMillisAt(zone, wallMs - DAY_MS);
  const offsetAfter = offsetMillisAt(zone, wallMs + DAY_MS);
  let before = wallMs - offsetAfter;
  let after = wallMs - offsetBefore;
  if (offsetAfter <= offsetBefore || offsetMillisAt(zone, after) !== offsetAfter) return '';
  while (after - before > 1000) {
    const middle = before + Math.floor((after - before) / 2000) * 1000;
    if (offsetMillisAt(zone, middle) === offsetAfter) after = middle;
    else before = middle;
  }
  const from = wallClockAt(after, offsetBefore);
  const to = wallClockAt(after, offsetAfter);
  const sameDay = formatDateFields(from) === formatDateFields(to);
  const show = (wall: LocalDateTime) => (sameDay ? formatClockOf(wall) : `${formatDateFields(wall)} ${formatClockOf(wall)}`);
  return ` (clocks skipped from ${show(from)} to ${show(to)})`;
}

function nonexistent(local: LocalDateTime, zone: Zone): Result<Date> {
  const shown = `${formatDateFields(local)} ${formatClockOf(local)}`;
  return fail('nonexistent_time', `${shown} does not exist in ${zone.name}${describeGap(local, zone)}`);
}

interface Candidate {
  atMs: number;
  local: LocalDateTime;
  exists: boolean;
}

/** Nearest the anchor; on an exact tie the earlier one, so replaying notes never jumps forward by accident. */
function nearestToAnchor<T extends { atMs: number }>(candidates: T[], anchorMs: number): T | undefined {
  return [...candidates].sort(
    (a, b) => Math.abs(a.atMs - anchorMs) - Math.abs(b.atMs - anchorMs) || a.atMs - b.atMs,
  )[0];
}

function refuseFuture(at: Date, text: string, zone: Zone, now: Date, showDate: boolean): Result<Date> {
  if (at.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS) return ok(at);
  const nowLocal = toLocal(now, zone);
  const clock = formatTimeFields(nowLocal);
  const shownNow = showDate ? `${formatDateFields(nowLocal)} ${clock}` : clock;
  return fail('future_time', `${text} is in the future (it is ${shownNow} ${zone.name} now)`);
}

function resolveClock(when: Extract<When, { kind: 'clock' }>, ctx: WhenContext): Result<Date> {
  const zone = when.zone ?? ctx.zone;
  const anchorMs = ctx.anchor.getTime();
  const anchorDayMs = wallClockMillis({ ...toLocal(ctx.anchor, zone), hour: 0, minute: 0, second: 0 });
  const candidates = [-1, 0, 1].flatMap((dayShift): Candidate[] => {
    const day = fieldsOfWallClockMillis(anchorDayMs + dayShift * DAY_MS);
    const local: LocalDateTime = { ...day, hour: when.hour, minute: when.minute, second: when.second };
    const instants = instantsOfLocal(local, zone);
    if (instants.length > 0) return instants.map((at) => ({ atMs: at.getTime(), local, exists: true }));
    // A swallowed time still competes, at where it would be had the clocks not moved: if it is the
    // nearest, the user meant that day, and silently taking another day would misplace the entry.
    const wallMs = wallClockMillis(local);
    return [{ atMs: wallMs - offsetMillisAt(zone, wallMs - DAY_MS), local, exists: false }];
  });
  const nearest = nearestToAnchor(candidates, anchorMs);
  if (!nearest) return fail('bad_time', `bad time "${when.text}": ${USAGE}`);
  if (!nearest.exists) return nonexistent(nearest.local, zone);
  return refuseFuture(new Date(nearest.atMs), when.text, zone, ctx.now, false);
}

function resolveLocal(when: Extract<When, { kind: 'local' }>, ctx: WhenContext): Result<Date> {
  const zone = when.zone ?? ctx.zone;
  const instants = instantsOfLocal(when.local, zone).map((at) => ({ atMs: at.getTime() }));
  const nearest = nearestToAnchor(instants, ctx.anchor.getTime());
  if (!nearest) return nonexistent(when.local, zone);
  return refuseFuture(new Date(nearest.atMs), when.text, zone, ctx.now, true);
}

/** Places a typed time on the timeline: in its zone (or the incident's), nearest the anchor, never in the future. */
export function resolveWhen(when: When, ctx: WhenContext): Result<Date> {
  switch (when.kind) {
    case 'clock':
      return resolveClock(when, ctx);
    case 'local':
      return resolveLocal(when, ctx);
    case 'instant':
      return refuseFuture(when.at, when.text, ctx.zone, ctx.now, true);
  }
}
