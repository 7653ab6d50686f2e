import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateAtOffset,
  dateErrorCodes,
  daysBetween,
  daysLeft,
  formatDate,
  isPastDeadline,
  jakartaDate,
  parseUserDate,
  reportDeadline,
  validateLearnedDate,
  type DateError,
} from '../../../flows/report/parseDate.ts';

/** A Wednesday; the event window of the examples below. */
const TODAY = '2026-11-25';

describe('jakartaDate', () => {
  it.each([
    ['2026-11-20T00:00:00Z', '2026-11-20'],
    ['2026-11-20T16:59:59.999Z', '2026-11-20'],
    ['2026-11-20T17:00:00Z', '2026-11-21'],
    ['2026-11-20T17:00:00.000Z', '2026-11-21'],
    ['2026-11-20T23:59:59Z', '2026-11-21'],
    ['2026-12-31T17:00:00Z', '2027-01-01'],
    ['2028-02-28T17:30:00Z', '2028-02-29'],
    ['2026-11-21T00:30:00+07:00', '2026-11-21'],
    ['2026-11-21T00:30:00+09:00', '2026-11-20'],
  ])('reads %s as the Jakarta date %s', (at, expected) => {
    expect(jakartaDate(at)).toBe(expected);
  });

  it('is one day behind an eastern Indonesian user between 15:00 and 17:00 UTC (the documented edge)', () => {
    const at = '2026-11-20T15:30:00Z';
    expect(jakartaDate(at)).toBe('2026-11-20');
    expect(dateAtOffset(at, 9)).toBe('2026-11-21');
  });

  it.each(['', 'yesterday', '2026-11-20', '2026-11-20 10:00'])('throws on %j, which is not an ISO instant', (at) => {
    expect(() => jakartaDate(at)).toThrow(RangeError);
  });
});

describe('parseUserDate', () => {
  const accepted: [string, string][] = [
    // Relative words, Indonesian and English.
    ['hari ini', '2026-11-25'],
    ['Hari ini', '2026-11-25'],
    ['today', '2026-11-25'],
    ['kemarin', '2026-11-24'],
    ['kemaren', '2026-11-24'],
    ['yesterday', '2026-11-24'],
    ['kemarin lusa', '2026-11-23'],
    ['kemarin dulu', '2026-11-23'],
    ['2 hari lalu', '2026-11-23'],
    ['3 hari yang lalu', '2026-11-22'],
    ['3 hari yg lalu', '2026-11-22'],
    ['3 days ago', '2026-11-22'],
    ['1 day ago', '2026-11-24'],
    ['sehari lalu', '2026-11-24'],
    ['dua hari yang lalu', '2026-11-23'],
    ['two days ago', '2026-11-23'],
    ['seminggu lalu', '2026-11-18'],
    ['1 minggu yang lalu', '2026-11-18'],
    ['2 weeks ago', '2026-11-11'],
    ['0 hari lalu', '2026-11-25'],
    // Day names: the latest such day up to today (25 November 2026 is a Wednesday), or before today with "lalu".
    ['Senin', '2026-11-23'],
    ['hari senin', '2026-11-23'],
    ['pada hari Senin', '2026-11-23'],
    ['Monday', '2026-11-23'],
    ['rabu', '2026-11-25'],
    ['Rabu lalu', '2026-11-18'],
    ['last Wednesday', '2026-11-18'],
    ['kamis', '2026-11-19'],
    ['Jumat kemarin', '2026-11-20'],
    ['minggu', '2026-11-22'],
    ['ahad', '2026-11-22'],
    ['hari Minggu kemarin', '2026-11-22'],
    ['sabtu kmrn', '2026-11-21'],
    ['kmrn sabtu', '2026-11-21'],
    // The word for a date after the day's name.
    ['senin tgl 23 nov', '2026-11-23'],
    ['hari senin tgl 23', '2026-11-23'],
    ['rabu tanggal 18 november', '2026-11-18'],
    ['kemarin sabtu', '2026-11-21'],
    ['hari minggu lalu', '2026-11-22'],
    ['pada hari Minggu', '2026-11-22'],
    ['last Sunday', '2026-11-22'],
    ['sabtu yang lalu', '2026-11-21'],
    // Numbers, day first.
    ['20/11/2026', '2026-11-20'],
    ['20-11-2026', '2026-11-20'],
    ['20.11.2026', '2026-11-20'],
    ['20 11 2026', '2026-11-20'],
    ['20/11/26', '2026-11-20'],
    ['5/1/2026', '2026-01-05'],
    ['05/01/2026', '2026-01-05'],
    ['1/12/2025', '2025-12-01'],
    ['20 / 11 / 2026', '2026-11-20'],
    ['20/11', '2026-11-20'],
    ['2026-11-20', '2026-11-20'],
    ['2026/11/20', '2026-11-20'],
    // Month names.
    ['20 Nov 2026', '2026-11-20'],
    ['20 November 2026', '2026-11-20'],
    ['20 Nop 2026', '2026-11-20'],
    ['20 Nopember 2026', '2026-11-20'],
    ['20 nov. 2026', '2026-11-20'],
    ['20-Nov-2026', '2026-11-20'],
    ['20 Nov 26', '2026-11-20'],
    ['20 nov', '2026-11-20'],
    ['20 NOV', '2026-11-20'],
    ['20th November 2026', '2026-11-20'],
    ['November 20, 2026', '2026-11-20'],
    ['Nov 20', '2026-11-20'],
    // Surroundings.
    ['  20 nov!! ', '2026-11-20'],
    ['"20/11/2026".', '2026-11-20'],
    ['(20/11/2026)', '2026-11-20'],
    ['tgl 20/11/2026', '2026-11-20'],
    ['tgl. 20/11/2026', '2026-11-20'],
    ['tgl.20/11/2026', '2026-11-20'],
    ['Tanggal: 20-11-2026', '2026-11-20'],
    ['pada tanggal 20 nov', '2026-11-20'],
    ['on 20 November 2026', '2026-11-20'],
    ['Jumat, 20 Nov 2026', '2026-11-20'],
    ["Jum'at 20/11/2026", '2026-11-20'],
    ['hari Jumat, 20 November', '2026-11-20'],
    ['Friday, 20 November 2026', '2026-11-20'],
    ['２０/１１/２０２６', '2026-11-20'],
    // The time of day, a hedge or politeness around the date.
    ['kemarin sore', '2026-11-24'],
    ['kemaren sore', '2026-11-24'],
    ['kemarin kak', '2026-11-24'],
    ['kemarin jam 14.30 WIB', '2026-11-24'],
    ['yesterday evening', '2026-11-24'],
    ['Jumat malam', '2026-11-20'],
    ['2 hari yang lalu kak', '2026-11-23'],
    ['sekitar 2 hari lalu', '2026-11-23'],
    ['tadi pagi', '2026-11-25'],
    ['td siang', '2026-11-25'],
    ['td malam', '2026-11-24'],
    ['this morning', '2026-11-25'],
    ['this morning around 9', '2026-11-25'],
    ['this afternoon at 3pm', '2026-11-25'],
    ['tadi malam jam 11', '2026-11-24'],
    ['kemarin 15:00', '2026-11-24'],
    ['yesterday 15.30', '2026-11-24'],
    ['hari ini 9.30', '2026-11-25'],
    ['yesterday around 3pm', '2026-11-24'],
    ['yesterday 3pm', '2026-11-24'],
    ['yesterday, around 15:00', '2026-11-24'],
    ['kemarin sekitar jam 3', '2026-11-24'],
    ['kemarin sore sktr jam 4', '2026-11-24'],
    ['kira2 2 hari lalu', '2026-11-23'],
    ['3 hari lalu sekitar jam 9 pagi', '2026-11-22'],
    ['20 November at 3pm', '2026-11-20'],
    ['20.11.2026 pukul 08.00', '2026-11-20'],
    ['the day before yesterday', '2026-11-23'],
    // When it happened, beside the day.
    ['yesterday evening, when I saw the video', '2026-11-24'],
    ['kemarin pas upacara', '2026-11-24'],
    // Last night is dated the day before, its small hours the day after that evening.
    ['semalam', '2026-11-24'],
    ['tadi malam', '2026-11-24'],
    ['tadi malam jam 1', '2026-11-25'],
    ['tadi malam jam 12 malam', '2026-11-24'],
    ['tadi tengah malam', '2026-11-24'],
    // A clock said first, "around two", the eve of a day ("malam Minggu" is Saturday evening).
    ['jam 2 tadi malam', '2026-11-25'],
    ['pukul 23.00 kemarin', '2026-11-24'],
    ['jam 11 malam kemarin', '2026-11-24'],
    ['semalem jam 2an', '2026-11-25'],
    ['malam minggu', '2026-11-21'],
    ['malam Jumat lalu', '2026-11-19'],
    ['tengah malam kemarin', '2026-11-24'],
    // A day name that is the date's day.
    ['Selasa kemarin', '2026-11-24'],
    // A day alone after "tgl": this month's, or last month's while this month's is still to come.
    ['tgl 3', '2026-11-03'],
    ['tanggal 20', '2026-11-20'],
    ['tgl 28', '2026-10-28'],
    // "Kemarin" or "lalu" after a date: the latest such date.
    ['tgl 3 kmrn', '2026-11-03'],
    ['tgl 2 kyknya', '2026-11-02'],
    ['kemarin mungkin', '2026-11-24'],
    ['20 November kemarin', '2026-11-20'],
    ['20/11 lalu', '2026-11-20'],
    // "Hr" for "hari" before a day's name.
    ['hr sabtu', '2026-11-21'],
    // A day of last week (this Wednesday's week began on Monday 23 November).
    ['jumat minggu lalu', '2026-11-20'],
    ['Senin pekan lalu', '2026-11-16'],
    ['hari minggu minggu kemarin', '2026-11-22'],
    ['friday last week', '2026-11-20'],
  ];

  it.each(accepted)('reads %j as %s', (text, expected) => {
    expect(parseUserDate(text, TODAY)).toEqual({ ok: true, value: expected });
  });

  const monthNames: [number, string[]][] = [
    [1, ['Januari', 'January', 'Jan']],
    [2, ['Februari', 'Pebruari', 'February', 'Feb', 'Peb']],
    [3, ['Maret', 'March', 'Mar']],
    [4, ['April', 'Apr']],
    [5, ['Mei', 'May']],
    [6, ['Juni', 'June', 'Jun']],
    [7, ['Juli', 'July', 'Jul']],
    [8, ['Agustus', 'August', 'Agu', 'Agt', 'Ags', 'Aug']],
    [9, ['September', 'Sep', 'Sept']],
    [10, ['Oktober', 'October', 'Okt', 'Oct']],
    [11, ['November', 'Nopember', 'Nov', 'Nop']],
    [12, ['Desember', 'December', 'Des', 'Dec']],
  ];
  const monthCases = monthNames.flatMap(([month, names]) => names.map((name) => [name, month] as const));

  it.each(monthCases)('knows the month name %s as month %i', (name, month) => {
    const expected = `2025-${String(month).padStart(2, '0')}-10`;
    expect(parseUserDate(`10 ${name} 2025`, TODAY)).toEqual({ ok: true, value: expected });
    expect(parseUserDate(`10 ${name.toLowerCase()} 2025`, TODAY)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, DateError, string][] = [
    ['', 'empty', 'an empty message'],
    ['   ', 'empty', 'only spaces'],
    ['?!', 'empty', 'only punctuation'],
    ['abc', 'unrecognised', 'a word'],
    ['this', 'unrecognised', '"this" alone'],
    ['tanggal', 'unrecognised', 'a prefix alone'],
    ['minggu lalu', 'weekOnly', '"last week" or "last Sunday": no day'],
    ['minggu kemarin sore', 'weekOnly', 'the same, with a time of day'],
    ['pekan lalu', 'weekOnly', 'last week, no day'],
    ['last week', 'weekOnly', 'a week, not a day'],
    ['20 foo 2026', 'unrecognised', 'an unknown month name'],
    ['20 constructor 2026', 'unrecognised', "a name every object inherits, as a month"],
    ['toString 20', 'unrecognised', 'the same, month first'],
    ['constructor hari lalu', 'unrecognised', 'the same, as a count of days'],
    ['20/11/2026 atau 21/11/2026', 'unrecognised', 'two dates'],
    ['11/20/2026', 'invalidDate', 'month-first US order (month 20)'],
    ['31/02/2026', 'invalidDate', '31 February'],
    ['30 Feb 2026', 'invalidDate', '30 February by name'],
    ['29/02/2025', 'invalidDate', '29 February in a common year'],
    ['31/04/2026', 'invalidDate', '31 April'],
    ['32/01/2026', 'invalidDate', 'day 32'],
    ['0/01/2026', 'invalidDate', 'day 0'],
    ['20/13/2026', 'invalidDate', 'month 13'],
    ['20/00/2026', 'invalidDate', 'month 0'],
    ['besok', 'future', 'tomorrow in Indonesian'],
    ['tomorrow', 'future', 'tomorrow in English'],
    ['lusa', 'future', 'the day after tomorrow'],
    ['26/11/2026', 'future', 'tomorrow as a date'],
    ['1 Jan 2027', 'future', 'next year'],
    ['20/11/27', 'future', 'a two-digit year still to come'],
    ['24/11/2024', 'tooOld', 'a day more than two years back'],
    ['1/1/2016', 'tooOld', 'a typo for 2026'],
    ['1000 hari lalu', 'tooOld', 'a thousand days ago'],
    ['Minggu kemarin', 'weekOnly', 'last week or last Sunday'],
    ['awal desember', 'monthOnly', 'the start of a month, no day'],
    ['akhir bulan lalu', 'monthOnly', 'the end of last month'],
    ['pertengahan November 2026', 'monthOnly', 'the middle of a month with its year'],
    ['bulan ini', 'monthOnly', 'this month'],
    ['November', 'monthOnly', 'a month alone'],
    ['early December', 'monthOnly', 'English: the start of a month'],
    ['last month', 'monthOnly', 'English: last month'],
    ['Minggu 2 hari lalu', 'weekdayMismatch', 'two days ago was a Monday, not a Sunday'],
    ['Senin 20/11/2026', 'weekdayMismatch', '20 November 2026 was a Friday'],
    ['jumat 2 hari lalu', 'weekdayMismatch', 'two days ago was a Monday'],
    ['senin hari ini', 'weekdayMismatch', 'today is a Wednesday'],
    ['senin tgl 24', 'weekdayMismatch', 'the 24th was a Tuesday'],
    ['jam 11 malam', 'timeOnly', 'a time without a day'],
    ['tengah malam', 'timeOnly', 'midnight without a day'],
    ['sekitar jam 1 kak', 'timeOnly', 'a time with a hedge and politeness'],
  ];

  it.each(refused)('refuses %j with %s (%s)', (text, error) => {
    expect(parseUserDate(text, TODAY)).toMatchObject({ ok: false, error });
  });

  it('produces every date error code for some input', () => {
    const produced = new Set(refused.map(([, error]) => error));
    expect([...produced].sort()).toEqual([...dateErrorCodes].sort());
  });

  it('reports the date it read when refusing it as future or too old', () => {
    expect(parseUserDate('1 Jan 2027', TODAY)).toEqual({ ok: false, error: 'future', params: { date: '2027-01-01' } });
    expect(parseUserDate('besok', TODAY)).toEqual({ ok: false, error: 'future', params: { date: addDays(TODAY, 1) } });
    expect(parseUserDate('Tomorrow', TODAY)).toEqual({ ok: false, error: 'future', params: { date: addDays(TODAY, 1) } });
    expect(parseUserDate('lusa', TODAY)).toEqual({ ok: false, error: 'future', params: { date: addDays(TODAY, 2) } });
    expect(parseUserDate('besok lusa', TODAY)).toEqual({ ok: false, error: 'future', params: { date: addDays(TODAY, 2) } });
    expect(parseUserDate('1/1/2016', TODAY)).toEqual({ ok: false, error: 'tooOld', params: { date: '2016-01-01' } });
  });

  it('accepts a date exactly two years back and refuses the day before', () => {
    expect(parseUserDate('25/11/2024', TODAY)).toEqual({ ok: true, value: '2024-11-25' });
    expect(parseUserDate('24/11/2024', TODAY)).toMatchObject({ ok: false, error: 'tooOld' });
  });

  it('refuses a very long message without trying to read it', () => {
    expect(parseUserDate(`20/11/2026 ${'x'.repeat(10_000)}`, TODAY)).toEqual({ ok: false, error: 'unrecognised' });
  });

  describe('a date without a year', () => {
    it.each([
      ['20 nov', '2026-11-25', '2026-11-20', 'is this year when already past'],
      ['25 nov', '2026-11-25', '2026-11-25', 'is this year when it is today'],
      ['30 des', '2026-11-25', '2025-12-30', 'is last year when this year’s is more than a month away'],
      ['28 des', '2027-01-03', '2026-12-28', 'is last December just after New Year'],
      ['31/12', '2027-01-01', '2026-12-31', 'is New Year’s Eve on New Year’s Day'],
      ['1 jan', '2027-01-01', '2027-01-01', 'is New Year’s Day on New Year’s Day'],
      ['1 jan', '2026-12-31', '2026-01-01', 'is this January on New Year’s Eve'],
      ['31 des', '2026-12-31', '2026-12-31', 'is today on New Year’s Eve'],
      ['29 feb', '2028-03-01', '2028-02-29', 'is 29 February of this leap year'],
      ['29 feb', '2029-01-10', '2028-02-29', 'is 29 February of last year’s leap year'],
    ])('%j on %s reads %s (%s)', (text, today, expected) => {
      expect(parseUserDate(text, today)).toEqual({ ok: true, value: expected });
    });

    // A few weeks ahead is a slip to be told of, not last year's date, which would be past every deadline unseen.
    it.each([
      ['30 nov', '2026-11-25', '2026-11-30'],
      ['10/12', '2026-12-07', '2026-12-10'],
    ])('%j on %s is %s, which has not happened yet', (text, today, date) => {
      expect(parseUserDate(text, today)).toEqual({ ok: false, error: 'future', params: { date } });
    });

    it('refuses 29 February when neither this year nor last is a leap year', () => {
      expect(parseUserDate('29 feb', '2027-03-01')).toEqual({ ok: false, error: 'invalidDate' });
    });
  });

  describe('leap years', () => {
    it.each([
      ['29/02/2028', '2028-03-01', '2028-02-29'],
      ['29/02/2024', '2025-03-01', '2024-02-29'],
      ['29 Februari 2000', '2000-03-01', '2000-02-29'],
    ])('accepts %s, a real 29 February', (text, today, expected) => {
      expect(parseUserDate(text, today)).toEqual({ ok: true, value: expected });
    });

    it.each([
      ['29/02/2026', '2026-03-01'],
      ['29/02/2100', '2100-03-01'],
    ])('refuses %s, 29 February of a common year', (text, today) => {
      expect(parseUserDate(text, today)).toEqual({ ok: false, error: 'invalidDate' });
    });

    it('counts kemarin from 1 March back to 29 February in a leap year', () => {
      expect(parseUserDate('kemarin', '2028-03-01')).toEqual({ ok: true, value: '2028-02-29' });
      expect(parseUserDate('kemarin', '2027-03-01')).toEqual({ ok: true, value: '2027-02-28' });
    });

    it('measures two years back from 29 February as from 28 February', () => {
      expect(parseUserDate('28/02/2026', '2028-02-29')).toEqual({ ok: true, value: '2026-02-28' });
      expect(parseUserDate('27/02/2026', '2028-02-29')).toMatchObject({ ok: false, error: 'tooOld' });
    });
  });

  it('reads kemarin across a year boundary', () => {
    expect(parseUserDate('kemarin', '2027-01-01')).toEqual({ ok: true, value: '2026-12-31' });
  });

  it('throws when today is not a calendar date, which is a programming error', () => {
    expect(() => parseUserDate('kemarin', '2026-02-30')).toThrow(RangeError);
    expect(() => parseUserDate('kemarin', '25/11/2026')).toThrow(RangeError);
  });

  it('reads back every date it formats, in both languages and as dd/mm/yyyy', () => {
    const dayOffset = fc.integer({ min: 0, max: 730 });
    fc.assert(
      fc.property(dayOffset, fc.constantFrom('id' as const, 'en' as const), (back, locale) => {
        const date = addDays(TODAY, -back);
        const [y, m, d] = date.split('-');
        expect(parseUserDate(formatDate(date, locale), TODAY)).toEqual({ ok: true, value: date });
        expect(parseUserDate(`${d}/${m}/${y}`, TODAY)).toEqual({ ok: true, value: date });
      }),
    );
  });
});

describe('night words around midnight', () => {
  /** Instants of Wednesday 25 November 2026 in Jakarta (UTC+7), and of the evening before. */
  const JUST_AFTER_MIDNIGHT = '2026-11-24T17:30:00.000Z'; // 00:30 WIB on the 25th
  const BEFORE_DAWN = '2026-11-24T21:59:00.000Z'; // 04:59 WIB on the 25th
  const MORNING = '2026-11-24T23:00:00.000Z'; // 06:00 WIB on the 25th
  const AFTERNOON = '2026-11-25T07:00:00.000Z'; // 14:00 WIB on the 25th
  const EVENING = '2026-11-25T14:00:00.000Z'; // 21:00 WIB on the 25th
  const read = (text: string, now: string) => parseUserDate(text, now);

  it.each(['tadi malam', 'tadi malem', 'semalam', 'semalem', 'malam tadi', 'last night', 'tadi malam jam 11', 'semalam kak'])(
    'reads %j as the evening before, whether typed by day, in the evening or just after midnight',
    (text) => {
      for (const now of [JUST_AFTER_MIDNIGHT, BEFORE_DAWN, MORNING, AFTERNOON, EVENING, TODAY]) {
        expect(read(text, now)).toEqual({ ok: true, value: '2026-11-24' });
      }
    },
  );

  it.each(['malam ini', 'tonight', 'this evening', 'earlier tonight', 'malam ini jam 9', 'tonight around 9pm'])(
    'reads %j as this evening, and just after midnight as the night still running since the evening before',
    (text) => {
      for (const now of [MORNING, AFTERNOON, EVENING, TODAY]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-25' });
      for (const now of [JUST_AFTER_MIDNIGHT, BEFORE_DAWN]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-24' });
    },
  );

  it.each(['kemarin malam', 'kemaren malam', 'kemarin malem', 'kemarin malam jam 10', 'kemarin malam kak', 'yesterday evening', 'yesterday night'])(
    'reads %j as the evening of the day before, and just after midnight as the night before the one still running',
    (text) => {
      for (const now of [MORNING, AFTERNOON, EVENING, TODAY]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-24' });
      for (const now of [JUST_AFTER_MIDNIGHT, BEFORE_DAWN]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-23' });
    },
  );

  describe('the small hours of a night', () => {
    const SMALL_HOURS = ['tadi malam jam 1', 'semalam jam 2', 'tadi malam pukul 01.30', 'kemarin malam jam 1', 'semalem jam 1an kak', 'last night at 1am', 'jam 2 tadi malam', 'semalam 01.30', 'tadi malam jam 1 pagi', 'kemarin jam 1 malam'];

    it.each(SMALL_HOURS)('reads %j said by day or in the evening as those hours of today', (text) => {
      for (const now of [MORNING, AFTERNOON, EVENING, TODAY]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-25' });
    });

    it.each(['tadi malam jam 1', 'semalam jam 2', 'tadi malam pukul 01.30', 'jam 2 tadi malam'])(
      'reads %j said after that hour of the night as today, and before it as the night before',
      (text) => {
        expect(read(text, BEFORE_DAWN)).toEqual({ ok: true, value: '2026-11-25' });
        expect(read(text, JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-24' });
      },
    );

    it('reads "kemarin malam jam 1" said before dawn as the small hours after the evening before last', () => {
      expect(read('kemarin malam jam 1', BEFORE_DAWN)).toEqual({ ok: true, value: '2026-11-24' });
      expect(read('kemarin malam jam 1', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-24' });
    });

    it.each(['tadi malam jam 11', 'tadi malam jam 11 malam', 'semalam jam 12', 'tadi malam jam 12 malam', 'tadi tengah malam', 'semalam jam 12.30', 'last night at midnight', 'last night at 12am', 'semalam jam 9 kak'])(
      'keeps %j, before midnight or at it, with the evening', (text) => {
        for (const now of [MORNING, AFTERNOON, EVENING, BEFORE_DAWN, TODAY]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-24' });
      },
    );

    it.each(['kemarin jam 11 malam', 'kemarin jam 12 malam', 'kemarin tengah malam', 'kemarin malam jam 11'])('keeps %j with yesterday evening', (text) => {
      for (const now of [MORNING, AFTERNOON, EVENING, TODAY]) expect(read(text, now)).toEqual({ ok: true, value: '2026-11-24' });
    });

    it('reads the small hours of a night named by a day name or by "malam ini" as the next day, refusing one to come', () => {
      expect(read('Jumat malam jam 2', AFTERNOON)).toEqual({ ok: true, value: '2026-11-21' });
      expect(read('malam minggu jam 1', AFTERNOON)).toEqual({ ok: true, value: '2026-11-22' });
      expect(read('malam ini jam 1', AFTERNOON)).toEqual({ ok: false, error: 'future', params: { date: '2026-11-26' } });
      expect(read('malam ini jam 1', BEFORE_DAWN)).toEqual({ ok: true, value: '2026-11-25' });
    });

    it('keeps the day of hours that are no night\'s: in the afternoon, without a night word, or after a date', () => {
      expect(read('kemarin jam 1', AFTERNOON)).toEqual({ ok: true, value: '2026-11-24' });
      expect(read('kemarin jam 1 siang', AFTERNOON)).toEqual({ ok: true, value: '2026-11-24' });
      expect(read('yesterday at 1pm', AFTERNOON)).toEqual({ ok: true, value: '2026-11-24' });
      expect(read('tadi subuh jam 3', AFTERNOON)).toEqual({ ok: true, value: '2026-11-25' });
      expect(read('tadi jam 1 malam', AFTERNOON)).toEqual({ ok: true, value: '2026-11-25' });
      expect(read('20/11/2026 jam 1 malam', AFTERNOON)).toEqual({ ok: true, value: '2026-11-20' });
    });
  });

  it('keeps the calendar day for words that name no evening, typed just after midnight', () => {
    expect(read('hari ini', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-25' });
    expect(read('kemarin', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-24' });
    expect(read('kemarin sore', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-24' });
    expect(read('20/11/2026', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-20' });
    expect(read('Senin malam', JUST_AFTER_MIDNIGHT)).toEqual({ ok: true, value: '2026-11-23' });
  });

  it('reads the moment of the message in Jakarta time, whatever its offset, and refuses what is no instant nor date', () => {
    // 00:30 in Jakarta, written with Jakarta's offset and with Makassar's (01:30 WITA).
    expect(read('malam ini', '2026-11-25T00:30:00+07:00')).toEqual({ ok: true, value: '2026-11-24' });
    expect(read('malam ini', '2026-11-25T01:30:00+08:00')).toEqual({ ok: true, value: '2026-11-24' });
    // 05:00 in Jakarta: the night is over.
    expect(read('malam ini', '2026-11-24T22:00:00.000Z')).toEqual({ ok: true, value: '2026-11-25' });
    expect(read('besok', JUST_AFTER_MIDNIGHT)).toEqual({ ok: false, error: 'future', params: { date: '2026-11-26' } });
    expect(() => read('kemarin', '2026-11-25 00:30')).toThrow(RangeError);
  });
});

describe('validateLearnedDate', () => {
  it('accepts learning of an event on the day it happened', () => {
    expect(validateLearnedDate('2026-11-20', '2026-11-20')).toEqual({ ok: true, value: '2026-11-20' });
  });

  it('accepts learning of an event after it happened', () => {
    expect(validateLearnedDate('2026-11-20', '2026-11-22')).toEqual({ ok: true, value: '2026-11-22' });
  });

  it('rejects a learned date before the event', () => {
    expect(validateLearnedDate('2026-11-20', '2026-11-19')).toEqual({
      ok: false,
      error: 'beforeEvent',
      params: { eventDate: '2026-11-20' },
    });
  });

  it('rejects a learned date in the previous year of a December event', () => {
    expect(validateLearnedDate('2027-01-02', '2026-12-31')).toMatchObject({ ok: false, error: 'beforeEvent' });
  });
});

describe('the reporting deadline', () => {
  it('is seven calendar days after the learned date (learned 20 Nov 2026 -> 27 Nov 2026)', () => {
    expect(reportDeadline('2026-11-20')).toBe('2026-11-27');
  });

  it.each([
    ['2026-12-28', '2027-01-04', 'across New Year'],
    ['2028-02-25', '2028-03-03', 'across 29 February of a leap year'],
    ['2027-02-25', '2027-03-04', 'across the end of February in a common year'],
    ['2026-01-31', '2026-02-07', 'across the end of January'],
  ])('after learning on %s is %s (%s)', (learned, deadline) => {
    expect(reportDeadline(learned)).toBe(deadline);
  });

  it.each([
    ['2026-11-20', 7, false, 'on the learned day'],
    ['2026-11-26', 1, false, 'the day before the deadline'],
    ['2026-11-27', 0, false, 'on the deadline itself'],
    ['2026-11-28', -1, true, 'the day after the deadline'],
    ['2026-12-20', -23, true, 'weeks later'],
  ])('on %s leaves %i days and is past: %s (%s)', (today, left, past) => {
    expect(daysLeft('2026-11-20', today)).toBe(left);
    expect(isPastDeadline('2026-11-20', today)).toBe(past);
  });
});

describe('calendar arithmetic', () => {
  it('adds and subtracts days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('counts the days between two dates, negative when going back', () => {
    expect(daysBetween('2026-11-20', '2026-11-27')).toBe(7);
    expect(daysBetween('2026-11-27', '2026-11-20')).toBe(-7);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });
});

describe('formatDate', () => {
  it.each([
    ['2026-11-20', 'id', '20 November 2026'],
    ['2026-11-20', 'en', '20 November 2026'],
    ['2026-05-01', 'id', '1 Mei 2026'],
    ['2026-05-01', 'en', '1 May 2026'],
    ['2026-08-17', 'id', '17 Agustus 2026'],
    ['2026-08-17', 'en', '17 August 2026'],
    ['2026-01-09', 'id', '9 Januari 2026'],
    ['2026-02-09', 'id', '9 Februari 2026'],
    ['2026-03-09', 'id', '9 Maret 2026'],
    ['2026-06-09', 'id', '9 Juni 2026'],
    ['2026-07-09', 'id', '9 Juli 2026'],
    ['2026-10-09', 'id', '9 Oktober 2026'],
    ['2026-12-09', 'id', '9 Desember 2026'],
    ['2026-12-09', 'en', '9 December 2026'],
  ] as const)('writes %s in %s as %j', (date, locale, expected) => {
    expect(formatDate(date, locale)).toBe(expected);
  });

  it('throws on a string that is not a calendar date', () => {
    expect(() => formatDate('2026-02-30', 'id')).toThrow(RangeError);
  });
});
