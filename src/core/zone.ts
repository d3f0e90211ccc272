import { fail, ok, type Result } from './errors.ts';

/** An incident's time zone: an IANA zone (offset varies, e.g. DST) or a fixed offset from UTC. */
export interface Zone {
  name: string;
  fixedOffsetMinutes: number | null;
}

export const UTC_ZONE: Zone = Object.freeze({ name: 'UTC', fixedOffsetMinutes: 0 });

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Abbreviations always mean their fixed offset. IANA also knows some of these names ("MST", "CET", "EST")
 * as legacy zones — some with DST, and Intl maps them to cities (MST → America/Phoenix) — so this table
 * is consulted first. Ambiguous abbreviations (IST: India, Ireland or Israel) are left out on purpose.
 */
const ABBREVIATION_OFFSET_MINUTES: ReadonlyMap<string, number> = new Map([
  ['UTC', 0],
  ['GMT', 0],
  ['Z', 0],
  ['EST', -5 * 60],
  ['EDT', -4 * 60],
  ['CST', -6 * 60],
  ['CDT', -5 * 60],
  ['MST', -7 * 60],
  ['MDT', -6 * 60],
  ['PST', -8 * 60],
  ['PDT', -7 * 60],
  ['AKST', -9 * 60],
  ['AKDT', -8 * 60],
  ['HST', -10 * 60],
  ['WET', 0],
  ['WEST', 1 * 60],
  ['BST', 1 * 60],
  ['CET', 1 * 60],
  ['CEST', 2 * 60],
  ['EET', 2 * 60],
  ['EEST', 3 * 60],
  ['MSK', 3 * 60],
  ['JST', 9 * 60],
  ['KST', 9 * 60],
  ['AWST', 8 * 60],
  ['ACST', 9 * 60 + 30],
  ['ACDT', 10 * 60 + 30],
  ['AEST', 10 * 60],
  ['AEDT', 11 * 60],
  ['NZST', 12 * 60],
  ['NZDT', 13 * 60],
]);

const UTC_OFFSET_FORM = /^(?:UTC|GMT)([+\-\u2212])(\d{1,2})(?::?(\d{2}))?$/i;
const MAX_UTC_OFFSET_MINUTES = 14 * 60;
// IANA names start with a letter; this also keeps newer Intl versions from accepting bare offsets like "+02:00".
const IANA_NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/**
 * ICU also accepts Java's three-letter IDs, which are not IANA and mislead: IST → Asia/Calcutta,
 * AST → America/Anchorage (not Atlantic), NST → Pacific/Auckland (not Newfoundland). So a short
 * all-letter name must be in the abbreviation table or be one of tzdb's own short names.
 */
const SHORT_NAME = /^[A-Za-z]{1,4}$/;
const TZDB_SHORT_NAME_BY_LOWERCASE: ReadonlyMap<string, string> = new Map(
  ['GB', 'NZ', 'PRC', 'ROC', 'ROK', 'UCT', 'MET', 'Cuba', 'Eire', 'Iran', 'Zulu'].map((name) => [name.toLowerCase(), name]),
);

function unknownZone(input: string): Result<Zone> {
  return fail(
    'bad_zone',
    `unknown time zone "${input}": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC`,
  );
}

/** `Europe/Berlin`, `europe/berlin`, `MST`, `utc`, `UTC+2`, `GMT-07:00`, `UTC+05:30`. */
export function parseZone(input: string): Result<Zone> {
  const text = input.trim();
  const abbreviation = text.toUpperCase();
  const abbreviationOffset = ABBREVIATION_OFFSET_MINUTES.get(abbreviation);
  if (abbreviationOffset !== undefined) {
    // "Z" is ISO notation for UTC; as a heading "All times Z" would read oddly.
    const name = abbreviation === 'Z' ? 'UTC' : abbreviation;
    return ok({ name, fixedOffsetMinutes: abbreviationOffset });
  }
  const offsetForm = UTC_OFFSET_FORM.exec(text);
  if (offsetForm) return parseUtcOffsetForm(text, offsetForm);
  if (!IANA_NAME_SHAPE.test(text)) return unknownZone(text);
  if (isAmbiguousAbbreviation(text)) {
    return fail(
      'bad_zone',
      `ambiguous time zone abbreviation "${text}": use an IANA name like Europe/Berlin or an offset like UTC+05:30`,
    );
  }
  const name = canonicalIanaName(TZDB_SHORT_NAME_BY_LOWERCASE.get(text.toLowerCase()) ?? text);
  if (name === null) return unknownZone(text);
  return ok({ name, fixedOffsetMinutes: null });
}

/** A short name ICU knows but firebell refuses to guess at: IST, AST, SST, NST, … in any case. */
export function isAmbiguousAbbreviation(input: string): boolean {
  const text = input.trim();
  return (
    SHORT_NAME.test(text) &&
    !ABBREVIATION_OFFSET_MINUTES.has(text.toUpperCase()) &&
    !TZDB_SHORT_NAME_BY_LOWERCASE.has(text.toLowerCase()) &&
    canonicalIanaName(text) !== null
  );
}

function parseUtcOffsetForm(text: string, match: RegExpExecArray): Result<Zone> {
  const [, sign = '+', hoursText = '0', minutesText = '00'] = match;
  const hours = Number(hoursText);
  const minutes = Number(minutesText);
  if (minutes > 59) return fail('bad_zone', `bad time zone "${text}": offset minutes run 00-59`);
  const magnitude = hours * 60 + minutes;
  if (magnitude > MAX_UTC_OFFSET_MINUTES) {
    return fail('bad_zone', `bad time zone "${text}": offsets run from UTC-14:00 to UTC+14:00`);
  }
  const offsetMinutes = sign === '+' || magnitude === 0 ? magnitude : -magnitude;
  return ok({ name: `UTC${formatOffset(offsetMinutes)}`, fixedOffsetMinutes: offsetMinutes });
}

const formatterByZoneName = new Map<string, Intl.DateTimeFormat>();
const ianaNameByTypedLowercase = new Map<string, string>();
let canonicalSpellingByLowercase: Map<string, string> | null = null;

/** Throws RangeError for a name Intl does not know. */
function createWallClockFormatter(zoneName: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zoneName,
    // hour12: false would give "24:00" at midnight in en-US; h23 gives "00:00".
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

function wallClockFormatter(zoneName: string): Intl.DateTimeFormat {
  let formatter = formatterByZoneName.get(zoneName);
  if (!formatter) {
    formatter = createWallClockFormatter(zoneName);
    formatterByZoneName.set(zoneName, formatter);
  }
  return formatter;
}

/**
 * The name as the user typed it, in IANA's spelling, or null if Intl does not know it.
 * Intl (Node 20 / ICU) resolves aliases to ICU's own canonical IDs — Asia/Kolkata → Asia/Calcutta,
 * Europe/Kyiv → Europe/Kiev, Etc/UTC → UTC — so its resolved name is only used when it is the typed name.
 */
function canonicalIanaName(typed: string): string | null {
  const key = typed.toLowerCase();
  const known = ianaNameByTypedLowercase.get(key);
  if (known !== undefined) return known;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = createWallClockFormatter(typed);
  } catch {
    return null;
  }
  const resolved = formatter.resolvedOptions().timeZone;
  const name =
    resolved.toLowerCase() === key ? resolved : (canonicalSpellings().get(key) ?? spellLikeIana(typed));
  ianaNameByTypedLowercase.set(key, name);
  if (!formatterByZoneName.has(name)) formatterByZoneName.set(name, formatter);
  return name;
}

function canonicalSpellings(): Map<string, string> {
  canonicalSpellingByLowercase ??= new Map(
    Intl.supportedValuesOf('timeZone').map((name) => [name.toLowerCase(), name]),
  );
  return canonicalSpellingByLowercase;
}

/**
 * Best-effort IANA capitalisation for aliases Intl will not spell for us: `asia/kolkata` → `Asia/Kolkata`,
 * `us/eastern` → `US/Eastern`, `etc/utc` → `Etc/UTC`, `est5edt` → `EST5EDT`. Mixed-case input is kept,
 * because IANA has irregular names (America/Knox_IN) the user may well have typed correctly.
 */
function spellLikeIana(typed: string): string {
  const isMixedCase = typed !== typed.toLowerCase() && typed !== typed.toUpperCase();
  if (isMixedCase) return typed;
  return typed.split('/').map(spellSegmentLikeIana).join('/');
}

function spellSegmentLikeIana(segment: string): string {
  if (segment.toLowerCase() === 'etc') return 'Etc';
  if (/\d/.test(segment) || /^[a-z]{1,3}$/i.test(segment)) return segment.toUpperCase();
  return segment.replace(/[a-z]+/gi, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * The wall-clock fields as if they were UTC, as milliseconds, so calendar arithmetic is plain
 * addition; years 0-99 included (Date.UTC maps them to 19xx).
 */
export function wallClockMillis(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

/** The inverse of wallClockMillis. */
export function fieldsOfWallClockMillis(ms: number): LocalDateTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

function ianaWallClock(zoneName: string, atMs: number): LocalDateTime {
  const fields: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let isBeforeCommonEra = false;
  for (const part of wallClockFormatter(zoneName).formatToParts(new Date(atMs))) {
    const value = Number(part.value);
    switch (part.type) {
      case 'era':
        isBeforeCommonEra = part.value === 'BC';
        break;
      case 'year':
        fields.year = value;
        break;
      case 'month':
        fields.month = value;
        break;
      case 'day':
        fields.day = value;
        break;
      case 'hour':
        // Some ICU versions still say 24 for midnight despite h23; it is the start of the same day.
        fields.hour = value % 24;
        break;
      case 'minute':
        fields.minute = value;
        break;
      case 'second':
        fields.second = value;
        break;
    }
  }
  // Intl counts years before 1 AD as 1 BC, 2 BC, …; the proleptic Gregorian year is 1 - that.
  if (isBeforeCommonEra) fields.year = 1 - fields.year;
  return fields;
}

/** Milliseconds to add to UTC to get the zone's wall clock at that instant. */
export function offsetMillisAt(zone: Zone, atMs: number): number {
  if (zone.fixedOffsetMinutes !== null) return zone.fixedOffsetMinutes * MINUTE_MS;
  const atSecond = floorToSecond(atMs);
  return wallClockMillis(ianaWallClock(zone.name, atSecond)) - atSecond;
}

/** Minutes to add to UTC to get the zone's wall clock at that instant (pre-1900 local mean time can be fractional). */
export function offsetMinutesAt(zone: Zone, at: Date): number {
  return offsetMillisAt(zone, at.getTime()) / MINUTE_MS;
}

/** The wall clock in the zone at that instant, to the second. */
export function toLocal(at: Date, zone: Zone): LocalDateTime {
  const atSecond = floorToSecond(at.getTime());
  if (zone.fixedOffsetMinutes === null) return ianaWallClock(zone.name, atSecond);
  return fieldsOfWallClockMillis(atSecond + zone.fixedOffsetMinutes * MINUTE_MS);
}

/** Every instant at which the zone's clock shows this wall-clock time: none in a DST gap, two in an overlap. */
export function instantsOfLocal(local: LocalDateTime, zone: Zone): Date[] {
  const wallMs = wallClockMillis(local);
  if (zone.fixedOffsetMinutes !== null) return [new Date(wallMs - zone.fixedOffsetMinutes * MINUTE_MS)];
  // Any instant showing this wall clock lies within a day of it, so the offsets in force a day either side
  // (and at it) are the only ones that can apply — the approach Temporal uses.
  const candidateOffsets = new Set([-DAY_MS, 0, DAY_MS].map((shift) => offsetMillisAt(zone, wallMs + shift)));
  const instants = [...candidateOffsets]
    .map((offset) => wallMs - offset)
    .filter((instantMs) => offsetMillisAt(zone, instantMs) === wallMs - instantMs);
  return [...new Set(instants)].sort((a, b) => a - b).map((instantMs) => new Date(instantMs));
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `+01:00`, `-07:00`, `+05:30`, `+00:00`. */
export function formatOffset(minutes: number): string {
  const rounded = Math.round(minutes);
  const sign = rounded < 0 ? '-' : '+';
  const magnitude = Math.abs(rounded);
  return `${sign}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`;
}

/** For "All times …" headings: `Europe/Berlin`, `MST (UTC-07:00)`, `UTC`, `UTC+05:30`. */
export function describeZone(zone: Zone): string {
  const nameShowsOffset = zone.name === 'UTC' || /^UTC[+-]/.test(zone.name);
  if (zone.fixedOffsetMinutes === null || nameShowsOffset) return zone.name;
  return `${zone.name} (UTC${formatOffset(zone.fixedOffsetMinutes)})`;
}

/** `2026-03-01`. */
export function formatDateFields(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/**
 * `23:40`. Timelines are read to the minute; seconds of a command typed "now" would only be noise
 * (the JSON export keeps exact instants). An error message quoting a typed time shows its seconds.
 */
export function formatTimeFields(local: LocalDateTime, seconds: 'drop' | 'when-set' = 'drop'): string {
  const s = seconds === 'when-set' && local.second !== 0 ? `:${pad(local.second)}` : '';
  return `${pad(local.hour)}:${pad(local.minute)}${s}`;
}

/** `2026-03-01`. */
export function formatLocalDate(at: Date, zone: Zone): string {
  return formatDateFields(toLocal(at, zone));
}

/** `23:40`. */
export function formatLocalTime(at: Date, zone: Zone): string {
  return formatTimeFields(toLocal(at, zone));
}

/** `2026-03-01 23:40`. */
export function formatLocalDateTime(at: Date, zone: Zone): string {
  const local = toLocal(at, zone);
  return `${formatDateFields(local)} ${formatTimeFields(local)}`;
}

/** `2026-03-01 23:40 +01:00`: the offset tells which of two identical wall-clock times in a DST overlap is meant. */
export function formatLocalDateTimeWithOffset(at: Date, zone: Zone): string {
  return `${formatLocalDateTime(at, zone)} ${formatOffset(offsetMinutesAt(zone, at))}`;
}
