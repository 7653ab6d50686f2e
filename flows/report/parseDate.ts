/**
 * Calendar dates for the report flow: reading what people type ("kemarin", "20/11/26", "20 Nop 2026"),
 * checking the event and learned dates, and the 7-day reporting window. Dates are ISO strings 'YYYY-MM-DD'
 * throughout; "today" is always passed in (flows have no clock) and comes from {@link jakartaDate}, or, for reading
 * a typed date, the moment of the message itself (night words depend on the hour).
 */
import { z } from 'zod';
import { POLITE_WORDS } from './answerWords.ts';
import { matchKey } from './normaliseAnswer.ts';
import { fail, ok, type ParseResult } from './parseResult.ts';
import { ownValue } from '../shared/ownValue.ts';

/** A calendar date 'YYYY-MM-DD' (for flow context schemas). */
export const isoDateSchema = z.iso.date();
export type IsoDate = z.infer<typeof isoDateSchema>;

const instantSchema = z.iso.datetime({ offset: true });
const DAY_MS = 86_400_000;

/** UTC offsets of Indonesia's three zones, in hours. None observes daylight saving time. */
export const indonesianUtcOffsets = { WIB: 7, WITA: 8, WIT: 9 } as const;

/** The calendar date at an ISO instant seen from a fixed UTC offset (hours). */
export function dateAtOffset(at: string, utcOffsetHours: number): IsoDate {
  if (!instantSchema.safeParse(at).success) throw new RangeError(`Not an ISO instant: ${at}`);
  return new Date(Date.parse(at) + utcOffsetHours * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The Jakarta (WIB, fixed UTC+7) calendar date at the ISO instant `at`, e.g. '2026-11-20T17:00:00Z' ->
 * '2026-11-21'. Users in WITA (UTC+8) and WIT (UTC+9) are one day ahead between 16:00 or 15:00 and 17:00 UTC;
 * in that hour or two their "today" reads as Jakarta's tomorrow and is refused as `future`. We accept that rare
 * edge rather than guess a user's zone; pass a zone to {@link dateAtOffset} if one is ever known.
 */
export function jakartaDate(at: string): IsoDate {
  return dateAtOffset(at, indonesianUtcOffsets.WIB);
}

// ---------------------------------------------------------------------------------------------------------
// Calendar arithmetic on 'YYYY-MM-DD' strings (UTC midnight epochs, so no time zone or DST can interfere).

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function toIso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Not an ISO date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealDate(year, month, day)) throw new RangeError(`Not a calendar date: ${date}`);
  return { year, month, day };
}

function epochDay(date: IsoDate): number {
  const { year, month, day } = parts(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

function fromEpochDay(days: number): IsoDate {
  const d = new Date(days * DAY_MS);
  return toIso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** `date` moved by `days` calendar days (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return epochDay(to) - epochDay(from);
}

/** The same day `years` earlier; 29 February falls back to the 28th in a common year. */
function yearsBefore(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = parts(date);
  const target = year - years;
  return toIso(target, month, Math.min(day, daysInMonth(target, month)));
}

// ---------------------------------------------------------------------------------------------------------
// Reading what people type.

/** Dates further back than this are refused as `tooOld` (a typo such as 2016 for 2026, or not a report). */
export const MAX_DATE_AGE_YEARS = 2;

export const dateErrorCodes = ['empty', 'unrecognised', 'invalidDate', 'future', 'tooOld', 'weekdayMismatch', 'timeOnly', 'weekOnly', 'monthOnly'] as const;
/** Why a typed date was refused. */
export type DateError = (typeof dateErrorCodes)[number];

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  [1, ['januari', 'january', 'jan']],
  [2, ['februari', 'pebruari', 'february', 'feb', 'peb']],
  [3, ['maret', 'march', 'mar']],
  [4, ['april', 'apr']],
  [5, ['mei', 'may']],
  [6, ['juni', 'june', 'jun']],
  [7, ['juli', 'july', 'jul']],
  [8, ['agustus', 'august', 'agu', 'agt', 'ags', 'agst', 'aug']],
  [9, ['september', 'sept', 'sep']],
  [10, ['oktober', 'october', 'okt', 'oct']],
  [11, ['november', 'nopember', 'nov', 'nop']],
  [12, ['desember', 'december', 'des', 'dec']],
];
for (const [month, names] of monthNames) for (const name of names) MONTHS[name] = month;

const NUMBER_WORDS: Record<string, number> = {
  se: 1, satu: 1, a: 1, an: 1, one: 1, dua: 2, two: 2, tiga: 3, three: 3, empat: 4, four: 4, lima: 5, five: 5,
  enam: 6, six: 6, tujuh: 7, seven: 7, delapan: 8, eight: 8, sembilan: 9, nine: 9, sepuluh: 10, ten: 10,
};

/** Words for today that name no evening: the early hours they are said with are today's own ("tadi jam 1 malam"). */
const TODAY_BY_DAY: ReadonlySet<string> = new Set([
  'hari ini', 'hr ini', 'today', 'sekarang', 'now', 'tadi', 'tadi pagi', 'tadi siang', 'tadi sore', 'pagi ini', 'siang ini',
  'sore ini', 'this morning', 'this afternoon', 'earlier today', 'skrg', 'td pagi', 'td siang', 'td sore',
]);
const TODAY = new Set([
  ...TODAY_BY_DAY, 'malam ini', 'malem ini', 'tonight', 'this evening', 'earlier tonight', 'earlier this evening',
]);
/**
 * "Tadi malam" and "semalam" are last night: the day before, as people date it, and so also just after midnight,
 * when that night is still running (it began the evening before).
 */
const LAST_NIGHT = new Set(['semalam', 'semalem', 'tadi malam', 'tadi malem', 'malam tadi', 'malem tadi', 'td malam', 'td malem', 'last night']);
const YESTERDAY = new Set(['kemarin', 'kemaren', 'kmrn', 'kmarin', 'yesterday', ...LAST_NIGHT]);
/** Words for the evening or the night ("kemarin malam", "malam ini", "yesterday evening"). */
const NIGHT_WORDS: ReadonlySet<string> = new Set(['malam', 'malem', 'petang', 'night', 'evening', 'tonight', 'semalam', 'semalem']);
/**
 * The Jakarta hour at which the night is over. Before it ("malam ini" typed at 00:30), the night that is still running
 * began the evening before: people date it, and the days counted from it ("kemarin malam"), from that evening.
 */
export const NIGHT_ENDS_HOUR = 5;
/** Words around a date that do not change it: the time of day (`kemarin sore`, `Jumat malam`), a hedge, politeness. */
/** A clock's digits: `1`, `01.30`, `01 30` (a colon reads as a space), `2an` ("around two"), with a zone or am/pm. */
const CLOCK = '\\d{1,2}(?:[. ]\\d{2})?(?:an)?(?: ?(?:wib|wita|wit|am|pm))?';
/** Parts of the day said after a clock ("jam 1 pagi", "jam 11 malam"). */
const PART_OF_DAY = 'pagi|siang|sore|petang|malam|malem|subuh|dini hari|morning|afternoon|evening|night';
const HEDGE = 'sekitar|sktr|skitar|kira kira|kira2|kurang lebih|kurleb|around|about|approximately|approx';
const TIME_OF_DAY_AFTER = new RegExp(
  `(?: (?:(?:(?:at )?(?:${HEDGE}) )?(?:(?:jam|pukul|pkl|at) )${CLOCK}|(?:at )?(?:${HEDGE}) ${CLOCK}|\\d{1,2}(?:[. ]\\d{2})? ?(?:wib|wita|wit|am|pm)` +
    `|pagi|siang|sore|petang|malam|malem|subuh|dini hari|morning|afternoon|evening|night|kira kira|kurang lebih|kayaknya|kyknya|kayanya|sepertinya|mungkin|maybe|probably` +
    `|${POLITE_WORDS.join('|')}))+$`,
);
/**
 * "kemarin pas upacara", "yesterday evening, when I saw the video": when it happened, not which day. Read off once,
 * from its first word to the end (inside the repeated words above, each "pas" could start it again: exponential).
 */
/** A clock without "jam" or a zone at the end ("kemarin 15:00" reads "kemarin 15 00"), after the words before it. */
const BARE_CLOCK_AFTER = /^(\D+?) \d{1,2}[. ]\d{2}$/;
/** A clock with the word that says it is one ("jam 3", "pukul 01.30", "around 9", "3pm"), and the part of the day after it. */
const CLOCK_PHRASE = `(?:(?:(?:at )?(?:${HEDGE}) )?(?:(?:jam|pukul|pkl|at) )${CLOCK}|(?:at )?(?:${HEDGE}) ${CLOCK}|\\d{1,2}(?:[. ]\\d{2})? ?(?:wib|wita|wit|am|pm))(?: (?:${PART_OF_DAY}))?`;
/**
 * Only the clock at the end, with its part of the day, and politeness ("kemarin jam 3", "this morning around 9",
 * "tadi malam jam 12 malam", "semalam jam 1 kak"): the words for the day stay whole ("tadi malam", not "tadi").
 */
const CLOCK_AFTER = new RegExp(`(?: (?:${CLOCK_PHRASE}|kira kira|kurang lebih|kayaknya|kyknya|kayanya|sepertinya|mungkin|maybe|probably|${POLITE_WORDS.join('|')}))+$`);
/** A clock said first ("jam 2 tadi malam", "pukul 23.00 kemarin"): read as said after the day. */
const CLOCK_BEFORE = new RegExp(`^((?:(?:${HEDGE}) )?(?:jam|pukul|pkl) ${CLOCK}(?: (?:${PART_OF_DAY}))?) (.+)$`);
/** The hour, minutes, am/pm and part of the day of a clock read off the end of the words. */
const CLOCK_PARTS = new RegExp(`(\\d{1,2})(?:[. ](\\d{2}))?(?:an)?(?: ?(am|pm|wib|wita|wit))?(?: (${PART_OF_DAY}))?`);
/** Parts of the day that are not the night: "jam 1 siang" is 13:00. */
const DAYTIME = new Set(['siang', 'sore', 'afternoon']);
/**
 * Hours that, said of a night ("tadi malam jam 1", "semalam jam 2", "kemarin malam pukul 01.30"), are its early hours:
 * the calendar day after the evening the night began on. Midnight ("jam 12 malam", "tengah malam") is dated with the
 * evening, as people date it; so is 12.30.
 */
const EARLY_HOURS_END = 6;
/** "Malam Minggu" is Saturday evening: the evening before the day named. */
const EVE_OF_DAY = /^(?:malam|malem) ([a-z]+)((?: (?:lalu|kemarin|kemaren|yang lalu|yg lalu))?)((?: .+)?)$/;
const WHEN_CLAUSE = / (?:when|while|ketika|saat|pas|sewaktu|waktu) [a-z0-9 ]+$/;
const HEDGE_BEFORE = /^(?:(?:sekitar|sktr|skitar|kira kira|kira2|kurang lebih|kurleb|kayaknya|sepertinya|mungkin|around|about|maybe|probably) )+/;
const DAY_BEFORE_YESTERDAY = new Set(['kemarin lusa', 'kemaren lusa', 'kemarin dulu', 'kemaren dulu', 'the day before yesterday', 'day before yesterday']);
/** Words for a day that no date follows ("kemarin", "tadi pagi"): a bare clock after them is the time. */
const RELATIVE_DAY_WORDS: ReadonlySet<string> = new Set([...TODAY, ...YESTERDAY, ...DAY_BEFORE_YESTERDAY]);
/** Words for days still to come, and how many days ahead: answered with `future` (and the date), not "unrecognised". */
const FUTURE_WORDS = new Map([
  ['besok', 1],
  ['besuk', 1],
  ['esok', 1],
  ['tomorrow', 1],
  ['lusa', 2],
  ['besok lusa', 2],
]);

const RELATIVE =
  /^(\d{1,4}|[a-z]+?) ?(hari|hr|days?|minggu|mgg|pekan|weeks?) (?:yang lalu|yg lalu|lalu|ago|sebelumnya)$/;

/** Day names, Sunday first (as `Date.getUTCDay` counts). */
const DAY_NAMES: ReadonlyArray<readonly string[]> = [
  ['minggu', 'ahad', 'sunday', 'sun'],
  ['senin', 'monday', 'mon'],
  ['selasa', 'tuesday', 'tue', 'tues'],
  ['rabu', 'wednesday', 'wed'],
  ['kamis', 'thursday', 'thu', 'thur', 'thurs'],
  ['jumat', 'jumaat', 'friday', 'fri'],
  ['sabtu', 'saturday', 'sat'],
];
const DAY_NUMBER = new Map(DAY_NAMES.flatMap((names, day) => names.map((name) => [name, day] as const)));
/**
 * A day name alone ("Senin", "Monday") is the latest such day up to today; with "lalu"/"kemarin" or "last" it is
 * the latest one before today. "Minggu lalu" is left alone: it usually means "last week", not "last Sunday".
 */
const DAY_NAME_ALONE = /^([a-z]+)$/;
const DAY_NAME_LAST = /^(?:last ([a-z]+)|([a-z]+) (?:lalu|kemarin|kemaren|kmrn|kmarin|yang lalu|yg lalu)|(?:kemarin|kemaren|kmrn|kmarin) ([a-z]+))$/;
/**
 * A week and no day: "pekan lalu", "last week", and "minggu lalu" / "minggu kemarin", which can mean last week as
 * well as last Sunday. "Hari Minggu kemarin" and "Minggu, 29/11" name the day.
 */
const WEEK_ONLY =
  /^(?:(?:minggu|mgg|pekan) (?:lalu|kemarin|kemaren|kmrn|kmarin|yang lalu|yg lalu|kemarin ini|sebelumnya)|(?:last|previous|the previous|past|the past) week)$/;
const PREFIX = /^(?:(?:pada|pd|on|tanggal|tangal|tgl|tg|date|kejadian|diketahui|hari|hr|day)(?:\.? |\.(?=\d)|$))+/;
/** Words after a time that say it is past ("minggu lalu", "tgl 3 kmrn", "bulan kemarin"). */
const PAST_WORDS = 'lalu|kemarin|kemaren|kmrn|kmarin|yang lalu|yg lalu';
/** "Kemarin" or "lalu" after a date ("tgl 3 kmrn", "20 November kemarin"): the latest such date, as without it. */
const PAST_AFTER_DATE = new RegExp(` (?:${PAST_WORDS}|kemarin ini)$`);
/**
 * A month or a part of one and no day: "awal Desember", "akhir bulan lalu", "pertengahan November 2026",
 * "early December", "last month".
 */
const MONTH_ONLY = new RegExp(
  `^(?:(?:awal|akhir|pertengahan|tengah|sekitar|early|late|mid|end of|the end of|beginning of|the beginning of|in) )*` +
    `(?:(?:bulan |bln )?(?:${monthNames.flatMap(([, names]) => names).join('|')})(?: \\d{4}| \\d{2})?` +
    `|(?:bulan|bln) (?:${PAST_WORDS}|ini)|(?:last|this) month` +
    `|(?:awal|akhir|pertengahan|tengah) (?:bulan|bln))$`,
);
/** A day name before a date ("Senin 20/11"), dropped when the rest reads as one. */
const WEEKDAY = new RegExp(`^(?:${[...DAY_NUMBER.keys()].join('|')}) `);
const ORDINAL = '(?:st|nd|rd|th)?';
/** 20/11/2026, 20-11-26, 20.11.2026, 20 11 2026, 20/11 (separators must agree). */
const DAY_MONTH_YEAR = /^(\d{1,2}) ?([/.\- ]) ?(\d{1,2})(?: ?\2 ?(\d{4}|\d{2}))?$/;
/** 2026-11-20, 2026/11/20. */
const YEAR_MONTH_DAY = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$/;
/** 20 Nov 2026, 20-nov-26, 20 November, 20th Nov. */
const DAY_NAME_YEAR = new RegExp(`^(\\d{1,2})${ORDINAL}[ ./-]*([a-z]+)\\.?(?:[ ./,-]*(\\d{4}|\\d{2}))?$`);
/** November 20, 2026 (a name makes month-first unambiguous; the year must then have four digits). */
const NAME_DAY_YEAR = new RegExp(`^([a-z]+)\\.? (\\d{1,2})${ORDINAL}(?:,? (\\d{4}))?$`);

type Fields = { day: number; month: number; year?: number };

function expandYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function readAbsolute(key: string): Fields | undefined {
  let m = YEAR_MONTH_DAY.exec(key);
  if (m) return { year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) };
  m = DAY_MONTH_YEAR.exec(key);
  if (m) return { day: Number(m[1]), month: Number(m[3]), ...(m[4] ? { year: expandYear(m[4]) } : {}) };
  m = DAY_NAME_YEAR.exec(key);
  const fromName = (name: string | undefined) => (name === undefined ? undefined : ownValue(MONTHS, name));
  if (m && fromName(m[2])) {
    return { day: Number(m[1]), month: fromName(m[2])!, ...(m[3] ? { year: expandYear(m[3]) } : {}) };
  }
  m = NAME_DAY_YEAR.exec(key);
  if (m && fromName(m[1])) {
    return { day: Number(m[2]), month: fromName(m[1])!, ...(m[3] ? { year: Number(m[3]) } : {}) };
  }
  return undefined;
}

function readDayName(key: string, today: IsoDate): IsoDate | undefined {
  const alone = DAY_NAME_ALONE.exec(key);
  const last = alone ? undefined : DAY_NAME_LAST.exec(key);
  const name = alone?.[1] ?? last?.[1] ?? last?.[2] ?? last?.[3];
  const day = name === undefined ? undefined : DAY_NUMBER.get(name);
  if (day === undefined || (last && name === 'minggu')) return undefined;
  const todayNumber = dayOfWeek(today);
  const back = (todayNumber - day + 7) % 7;
  return addDays(today, -(back === 0 && last ? 7 : back));
}

function dayOfWeek(date: IsoDate): number {
  return new Date(epochDay(date) * DAY_MS).getUTCDay();
}

/** Day `day` of today's month when it has come, else of the month before; undefined when neither has it. */
function dayOfRecentMonth(day: number, today: IsoDate): IsoDate | undefined {
  const { year, month } = parts(today);
  if (isRealDate(year, month, day) && toIso(year, month, day) <= today) return toIso(year, month, day);
  const [lastYear, lastMonth] = month === 1 ? [year - 1, 12] : [year, month - 1];
  return isRealDate(lastYear, lastMonth, day) ? toIso(lastYear, lastMonth, day) : undefined;
}

/**
 * `nightBack`: 1 when the text speaks of the evening or the night and was typed before the night was over (see
 * {@link NIGHT_ENDS_HOUR}): "malam ini" and "kemarin malam" then count from the evening before; "tadi malam" names
 * that evening itself.
 */
function readRelative(key: string, today: IsoDate, nightBack = 0): IsoDate | undefined {
  if (LAST_NIGHT.has(key)) return addDays(today, -1);
  if (TODAY.has(key)) return addDays(today, -nightBack);
  if (YESTERDAY.has(key)) return addDays(today, -1 - nightBack);
  if (DAY_BEFORE_YESTERDAY.has(key)) return addDays(today, -2 - nightBack);
  const ahead = FUTURE_WORDS.get(key);
  if (ahead !== undefined) return addDays(today, ahead);
  const named = readDayName(key, today);
  if (named !== undefined) return named;
  // A day of the week before this one, a day's name before last week's words ("Jumat minggu lalu", "Senin pekan
  // kemarin", "Friday last week"): on a Monday "Jumat minggu lalu" is three days back, on a Saturday eight.
  const lastWeek = /^([a-z]+) (.+)$/.exec(key);
  const dayLastWeek = lastWeek && WEEK_ONLY.test(lastWeek[2]!) ? DAY_NUMBER.get(lastWeek[1]!) : undefined;
  if (dayLastWeek !== undefined) {
    const monday = addDays(today, -((dayOfWeek(today) + 6) % 7));
    return addDays(monday, -7 + ((dayLastWeek + 6) % 7));
  }
  const m = RELATIVE.exec(key);
  if (!m) return undefined;
  const [count, unit] = [m[1]!, m[2]!];
  const n = /^\d+$/.test(count) ? Number(count) : ownValue(NUMBER_WORDS, count);
  if (n === undefined) return undefined;
  const perUnit = /^(?:hari|hr|days?)$/.test(unit) ? 1 : 7;
  return addDays(today, -n * perUnit);
}

/** Days ahead within which a date without a year is this year's, still to come, rather than last year's. */
const SOON_DAYS = 31;

/**
 * Picks the year for "20 nov": this year, or last year if this year's would still be to come. A date a few weeks
 * ahead ("10/12" on 7 December) stays this year's, to be told it has not happened yet: a report is about something
 * recent, and last year's would silently be past every deadline.
 */
function resolveYear(fields: Fields, today: IsoDate): IsoDate | undefined {
  const { day, month } = fields;
  if (fields.year !== undefined) return isRealDate(fields.year, month, day) ? toIso(fields.year, month, day) : undefined;
  const thisYear = parts(today).year;
  if (isRealDate(thisYear, month, day) && toIso(thisYear, month, day) <= addDays(today, SOON_DAYS)) return toIso(thisYear, month, day);
  return isRealDate(thisYear - 1, month, day) ? toIso(thisYear - 1, month, day) : undefined;
}

/**
 * The Jakarta date and time of day (in minutes) of `now`: an ISO instant (the moment a message was received), or a
 * Jakarta date alone when the time is not known (the time is then undefined, read as daytime).
 */
function jakartaMoment(now: string): { today: IsoDate; minutes: number | undefined } {
  if (instantSchema.safeParse(now).success) {
    const shifted = new Date(Date.parse(now) + indonesianUtcOffsets.WIB * 3_600_000);
    return { today: shifted.toISOString().slice(0, 10), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
  }
  parts(now); // a malformed date is a programming error: throw rather than misjudge every date
  return { today: now, minutes: undefined };
}

/**
 * The time of day a clock said in the small hours of a night stands for, in minutes ("jam 1" 60, "pukul 01.30" 90,
 * "1am", "jam 2 pagi"), or undefined for any other clock ("jam 11", "jam 12 malam", "jam 1 siang", "3pm") or none.
 */
function earlyHoursOf(clock: string): number | undefined {
  const m = CLOCK_PARTS.exec(clock);
  if (!m) return undefined;
  const [hour, minute] = [Number(m[1]), Number(m[2] ?? 0)];
  if (m[3] === 'pm' || DAYTIME.has(m[4] ?? '') || hour >= EARLY_HOURS_END || minute > 59) return undefined;
  return hour * 60 + minute;
}

/** "malam Minggu" -> "sabtu malam", "malam Jumat lalu jam 9" -> "kamis lalu malam jam 9": the evening before the day named. */
function eveOfDay(text: string): string {
  const m = EVE_OF_DAY.exec(text);
  const day = m ? DAY_NUMBER.get(m[1]!) : undefined;
  if (!m || day === undefined) return text;
  return `${DAY_NAMES[(day + 6) % 7]![0]}${m[2]} malam${m[3]}`;
}

/**
 * Reads a date as Indonesians type it, day first always: `hari ini`/`today`, `kemarin`/`yesterday`,
 * `kemarin lusa`, `3 hari yang lalu`/`3 days ago`, day names (`Senin`, `Jumat lalu`, `last Friday`),
 * `20/11/2026`, `20-11-26`, `20.11.2026`, `2026-11-20`,
 * `20 Nov 2026`, `20 Nop 2026`, `20 November 2026` (Indonesian and English names and abbreviations), and
 * `20 nov` (this year, or last year if that is still to come), optionally after `tgl`/`tanggal`/`pada` or a
 * weekday, with a clock before or after it (`jam 2 tadi malam`, `kemarin pukul 15.00`). Refuses dates after today
 * and dates more than {@link MAX_DATE_AGE_YEARS} years back, and a clock without a day (`jam 11 malam`) as `timeOnly`.
 * `params.date` carries the date read for `future` and `tooOld` when there is one, so the reply can show it.
 *
 * `now` is the moment the message was received (an ISO instant, read in Jakarta time), or only its Jakarta date.
 * The moment matters for the night: "tadi malam" and "semalam" are the evening before, by day and just after
 * midnight alike; before {@link NIGHT_ENDS_HOUR} "malam ini" is that same evening (the night still running) and
 * "kemarin malam" the one before it. The small hours of a night named by the day it began ("tadi malam jam 1",
 * "semalam jam 2", "kemarin malam pukul 01.30", "Jumat malam jam 3") are on the day after that evening: "tadi malam
 * jam 1" said by day is today, and said at 00:30, before it is one o'clock, the night before. "Jam 11 malam", "jam 12
 * malam" and "tengah malam" stay with the evening. Given a date alone, night words are read as typed by day.
 */
export function parseUserDate(text: string, now: IsoDate | string): ParseResult<IsoDate, DateError> {
  const { today, minutes } = jakartaMoment(now);
  if (text.length > 200) return fail('unrecognised');
  // Commas, colons and brackets only separate words here; spaces around a separator between digits go. Midnight is
  // said of the evening before ("tadi tengah malam", "last night at midnight").
  const key = matchKey(text)
    .replace(/[\s,:;()]+/g, ' ')
    .replace(/(?<=\d) ?([/.-]) ?(?=\d)/g, '$1')
    .replace(/\btengah (malam|malem)\b/g, '$1')
    .replace(/\b(night )?(?:at )?midnight\b/g, 'night')
    .replace(/\b(malam|malem|night) \1\b/g, '$1')
    .replace(/\b(?:malam|malem) (kemarin|kemaren)\b/g, '$1 malam')
    // "Hari Minggu" is always the day, never the week.
    .replace(/\b(hari|hr) minggu\b/g, '$1 ahad')
    .trim();
  if (key === '') return fail('empty');

  const prefixed = key.replace(PREFIX, '');
  const clockFirst = CLOCK_BEFORE.exec(prefixed);
  const stripped = eveOfDay(clockFirst ? `${clockFirst[2]} ${clockFirst[1]}` : prefixed);
  const loose = stripped.replace(HEDGE_BEFORE, '').replace(WHEN_CLAUSE, '').replace(TIME_OF_DAY_AFTER, '').replace(PREFIX, '');
  if (WEEK_ONLY.test(loose)) return fail('weekOnly');
  const withClock = stripped.replace(WHEN_CLAUSE, '');
  const atNight = withClock.split(' ').some((word) => NIGHT_WORDS.has(word));
  const nightBack = atNight && minutes !== undefined && minutes < NIGHT_ENDS_HOUR * 60 ? 1 : 0;
  // "this morning around 9": the day part stays ("this morning" is today), the clock goes.
  const dayPart = withClock.replace(CLOCK_AFTER, '');
  let clock = withClock.slice(dayPart.length);
  const candidates = [key, stripped, dayPart, loose];
  // "kemarin 15:00", "tadi pagi 09.00": a bare clock after a word for the day (never after a day name, where
  // "Senin 20.11" is a date).
  for (const text of [key, dayPart]) {
    const bareClock = BARE_CLOCK_AFTER.exec(text);
    if (bareClock && RELATIVE_DAY_WORDS.has(bareClock[1]!)) {
      candidates.push(bareClock[1]!);
      clock ||= text.slice(bareClock[1]!.length);
    }
  }
  // A day name before the date ("Senin 20/11", "Minggu kemarin") must be the date's day.
  const named = WEEKDAY.exec(loose)?.[0].trim();
  const withoutWeekday = candidates.length;
  // "Senin tgl 30 nov", "rabu tanggal 2 des": the word for a date may follow the day's name too.
  const unnamed = named === undefined ? undefined : loose.replace(WEEKDAY, '').replace(PREFIX, '');
  if (named !== undefined) candidates.push(loose.replace(WEEKDAY, ''));
  if (unnamed !== undefined) candidates.push(unnamed);
  let date: IsoDate | undefined;
  let sawImpossibleDate = false;
  for (const [index, candidate] of candidates.entries()) {
    const relative = readRelative(candidate, today, nightBack);
    const fields = relative === undefined ? readAbsolute(candidate) : undefined;
    const read = relative ?? (fields ? resolveYear(fields, today) : undefined);
    if (fields && read === undefined) sawImpossibleDate = true;
    if (read === undefined) continue;
    const weekday = named === undefined ? undefined : DAY_NUMBER.get(named);
    if (index >= withoutWeekday && weekday !== undefined && dayOfWeek(read) !== weekday) return fail('weekdayMismatch', { date: read, day: weekday });
    date = read;
    // The small hours of a night named by its evening are on the next day; those of "tadi" or "hari ini" today's.
    const early = atNight && relative !== undefined ? earlyHoursOf(clock) : undefined;
    if (early !== undefined) {
      date = TODAY_BY_DAY.has(candidate) ? today : addDays(read, 1);
      // Said before that hour has come tonight ("tadi malam jam 1" at 00:30): the night before.
      if (date === today && minutes !== undefined && early > minutes) date = addDays(date, -1);
    }
    break;
  }
  // "20 November kemarin", "tgl 3 kmrn": the date without the word that says it is past.
  const past = date === undefined ? loose.replace(PAST_AFTER_DATE, '') : loose;
  if (past !== loose) {
    const fields = readAbsolute(past);
    if (fields) {
      date = resolveYear(fields, today);
      if (date === undefined) sawImpossibleDate = true;
    }
  }
  // "tgl 3": a day of this month, or of the last one when this month's is still to come.
  const dayOnly = date === undefined && stripped !== key ? /^(\d{1,2})$/.exec(past) : null;
  if (dayOnly) date = dayOfRecentMonth(Number(dayOnly[1]), today);
  // "Hari senin tgl 30": that day of a recent month, which must fall on the day named.
  const namedDayOnly = date === undefined && unnamed !== undefined ? /^(\d{1,2})$/.exec(unnamed) : null;
  if (namedDayOnly) {
    const read = dayOfRecentMonth(Number(namedDayOnly[1]), today);
    const weekday = DAY_NUMBER.get(named ?? '');
    if (read !== undefined && weekday !== undefined && dayOfWeek(read) !== weekday) return fail('weekdayMismatch', { date: read, day: weekday });
    date = read;
  }
  // "awal Desember", "bulan lalu": no day to put it on.
  if (date === undefined && MONTH_ONLY.test(past)) return fail('monthOnly');
  // "jam 11 malam", "tengah malam": a time, and no day to put it on.
  if (date === undefined && /\d|\b(?:malam|malem|night)\b/.test(stripped) && ` ${stripped}`.replace(TIME_OF_DAY_AFTER, '') === '') {
    return fail('timeOnly');
  }
  if (date === undefined) return fail(sawImpossibleDate ? 'invalidDate' : 'unrecognised');
  if (date > today) return fail('future', { date });
  if (date < yearsBefore(today, MAX_DATE_AGE_YEARS)) return fail('tooOld', { date });
  return ok(date);
}

// ---------------------------------------------------------------------------------------------------------
// Event, learned date and the reporting window.

export const learnedDateErrorCodes = ['beforeEvent'] as const;
/** Why a learned date does not fit the event date. */
export type LearnedDateError = (typeof learnedDateErrorCodes)[number];

/** A reporter cannot have learned of an event before it happened; the same day is fine. */
export function validateLearnedDate(eventDate: IsoDate, learnedDate: IsoDate): ParseResult<IsoDate, LearnedDateError> {
  return daysBetween(eventDate, learnedDate) < 0 ? fail('beforeEvent', { eventDate }) : ok(learnedDate);
}

/** Calendar days after the learned date within which a formal report (laporan) must be filed. */
export const REPORT_WINDOW_DAYS = 7;

/**
 * The last day a formal report may be filed: learned date + 7 calendar days (learned 20 Nov -> 27 Nov).
 * The law is read as calendar days, the safe reading of "7 hari" / "7 hari kerja".
 */
export function reportDeadline(learnedDate: IsoDate): IsoDate {
  return addDays(learnedDate, REPORT_WINDOW_DAYS);
}

/** Whole days left to file, counting today as usable: 0 on the deadline itself, negative once it has passed. */
export function daysLeft(learnedDate: IsoDate, today: IsoDate): number {
  return daysBetween(today, reportDeadline(learnedDate));
}

/** True once `today` is after the deadline; filing on the deadline day itself is still in time. */
export function isPastDeadline(learnedDate: IsoDate, today: IsoDate): boolean {
  return daysLeft(learnedDate, today) < 0;
}

const MONTH_NAMES = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

/** A date as people write it, day first with the month's name: `20 November 2026`, `1 Mei 2026` / `1 May 2026`. */
export function formatDate(date: IsoDate, locale: 'id' | 'en'): string {
  const { year, month, day } = parts(date);
  return `${day} ${MONTH_NAMES[locale][month - 1]} ${year}`;
}
