/**
 * The questions of the report flow and how each answer is read. Every step has a prompt (the question, built
 * from the draft) and a reader that turns an answer into an outcome: a name the machine maps to the next state,
 * plus the changes to the draft, the replies and the commands that go with it. Readers are pure; the machine in
 * report.machine.ts decides where each outcome leads.
 */
import { getViolation, isViolationId, violations, type ViolationId } from '../../content/violations.ts';
import { districtsOf, getDistrict, getProvince, getRegency, regenciesOf, type Regency } from '../../content/regions/regions.ts';
import type { FlowCommand } from '../flow.ts';
import { ask, askTyped, asField, choice, feedback, say, type Choice, type InboundEvent, type Localized, type OutboundMessage, type StoredMedia, type TextParams, type TextRef } from '../messages.ts';
import { districtLabel, placesNamedIn, regenciesNamedExactly, regencyLabel, regencyShortName, searchInProvince, searchRegions, type ProvinceSearchResult } from '../shared/regionSearch.ts';
import { guessCategories } from './categoryGuess.ts';
import { descriptionBeforeUnknownName, employmentFromWords, evidenceToRemove, type EvidenceKind, type EvidenceRemoval, isYesToOffer, withoutOpening, isAnonymousWish, positionAfterName, isDoneWord, isEarlierWord, isKeepWord, storyAddition, isNoIndonesianNumberWord, isNoWitnessWord, isNoWord, isSameDayWord, isSendWord, isSkipWord, isUnknownWord, isYesWord, CHATTER_TRAILING } from './answerWords.ts';
import { evidenceLines } from './evidenceLines.ts';
import { joinLocalized, localize } from './localize.ts';
import { matchKey, normaliseAnswer } from './normaliseAnswer.ts';
import { addDays, daysLeft, formatDate, isPastDeadline, jakartaDate, parseUserDate, reportDeadline, validateLearnedDate, type IsoDate } from './parseDate.ts';
import { parseEmail, suggestEmailDomain } from './parseEmail.ts';
import { parseEvidenceLinks } from './parseEvidenceLinks.ts';
import { normalisePhone, type PhoneError } from './parsePhone.ts';
import type { ParseResult } from './parseResult.ts';
import type { PersonalOp } from './personalData.ts';
import {
  emptyPersonalState,
  employmentValues,
  MAX_EVIDENCE,
  MAX_WITNESSES,
  nonAsnGroupOf,
  type EvidenceItem,
  type Place,
  type RegionOption,
  type ReportContext,
} from './reportContext.ts';
import { asksQuestion, isQuestion, textLimits, validateAddress, validateDescription, validateName, validateShortText, type NameError, type TextError } from './validateText.ts';
import { capitaliseName } from '../shared/capitaliseName.ts';
import { ownValue } from '../shared/ownValue.ts';
import { notCleanedNotice } from '../shared/mediaFormat.ts';
import { keptQuote, normaliseForMatch } from '../shared/texts.ts';
import { isChoiceNumber, matchChoice } from '../shared/matchChoice.ts';
import { placeKindOfWord, placeKindWord, regencyKind, type PlaceKind } from '../shared/placeKind.ts';

/** The steps (one per waiting state of the machine, same names). */
export const reportSteps = [
  'choosingKind',
  'consenting',
  'askingTerlaporName',
  'askingTerlaporPosition',
  'askingTerlaporAgency',
  'askingEmployment',
  'choosingCategory',
  'askingEventDate',
  'askingLearnedDate',
  'offeringTipConversion',
  'askingRegion',
  'choosingRegion',
  'confirmingDistrict',
  'askingRegencyInProvince',
  'askingPlaceDetail',
  'confirmingPlaceDetail',
  'askingDescription',
  'collectingEvidence',
  'confirmingEvidenceClear',
  'confirmingNoEvidence',
  'choosingWitnessChange',
  'askingWitnessName',
  'askingWitnessContact',
  'askingMoreWitnesses',
  'askingReporterName',
  'askingReporterAddress',
  'askingReporterPhone',
  'askingReporterEmail',
  'reviewing',
  'choosingEditField',
  'confirmingCancel',
] as const;
export type ReportStep = (typeof reportSteps)[number];

/** What the user answered, whatever the channel made of it. */
export type Answer =
  | { kind: 'text'; text: string }
  | { kind: 'choice'; value: string }
  | { kind: 'contact'; phone: string }
  | { kind: 'location'; latitude: number; longitude: number }
  | { kind: 'media'; media: StoredMedia };

/** The answer an event carries, if it is one. */
export function answerOf(event: InboundEvent): Answer | undefined {
  switch (event.type) {
    case 'user.sendText':
      return { kind: 'text', text: event.text };
    case 'user.chooseOption':
      return { kind: 'choice', value: event.value };
    case 'user.sendContact':
      return { kind: 'contact', phone: event.phone };
    case 'user.sendLocation':
      return { kind: 'location', latitude: event.latitude, longitude: event.longitude };
    case 'user.sendMedia':
      return { kind: 'media', media: event.media };
    default:
      return undefined;
  }
}

/** What an answer leads to. `outcome` names the transition; `invalid` keeps the user on the step. */
export interface StepOutcome {
  outcome: string;
  patch?: Partial<ReportContext>;
  replies?: OutboundMessage[];
  commands?: FlowCommand[];
}

/** Reads an answer; `today` is the Jakarta date, `at` the message's instant ("tadi malam" at 00:30 is the evening before). */
type Reader = (answer: Answer, context: ReportContext, today: IsoDate, at?: string) => StepOutcome;

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

const k = (key: string) => `report.${key}`;

/** Most words of a name given capitals: more, or a digit, is more likely a description than a name. */
const SPELLED_NAME_MAX_WORDS = 6;

/**
 * A name as it is kept: with capitals when it was typed without any ("pak sukirman" is "Pak Sukirman" to Bawaslu), as
 * typed otherwise, and as typed when it reads more like a description ("kades sy pak budi ikut kampanye paslon 2").
 */
function spelled(name: string): string {
  if (/\d/.test(name) || name.trim().split(/\s+/).length > SPELLED_NAME_MAX_WORDS) return name;
  return capitaliseName(name, textLimits.name.max);
}

function invalid(key: string, params?: TextParams): StepOutcome {
  return { outcome: 'invalid', replies: [say(k(key), params)] };
}

/** An answer of a kind the step does not take (a contact where a date is asked, a typed word beside buttons). */
function notAnAnswer(answer: Answer): StepOutcome {
  switch (answer.kind) {
    case 'media':
      // A voice note cannot be read as an answer: said so, not that "the file" waits for the evidence.
      return invalid(answer.media.kind === 'voice' ? 'errors.voiceNotNow' : 'errors.mediaNotNow');
    case 'location':
      return invalid('errors.locationNotNow');
    case 'contact':
      return invalid('errors.contactNotNow');
    case 'choice':
      // The router only turns typed answers into current choices: a value that fits no step is an old button.
      return invalid('errors.staleChoice');
    default:
      // A number the router did not turn into a choice is beyond the list ("15" of twelve categories).
      return isChoiceNumber(answer.text) ? invalid('errors.noSuchChoice', { number: answer.text.replace(/\D/g, '') }) : invalid('errors.useChoices');
  }
}

function textError(error: TextError | NameError, params?: Record<string, string | number>): StepOutcome {
  return invalid(`errors.text.${error}`, params);
}

/** A yes or a no, from a button or typed words. */
function yesNo(answer: Answer, yes = 'yes', no = 'no'): 'yes' | 'no' | undefined {
  if (answer.kind === 'choice') return answer.value === yes ? 'yes' : answer.value === no ? 'no' : undefined;
  if (answer.kind === 'text') return isYesWord(answer.text) ? 'yes' : isNoWord(answer.text) ? 'no' : undefined;
  return undefined;
}

/** True for a "skip" button or typed skip/none words. */
function isSkip(answer: Answer, value = 'skip'): boolean {
  return (answer.kind === 'choice' && answer.value === value) || (answer.kind === 'text' && isSkipWord(answer.text));
}

function isUnknown(answer: Answer): boolean {
  return (answer.kind === 'choice' && answer.value === 'unknown') || (answer.kind === 'text' && isUnknownWord(answer.text));
}

function isDone(answer: Answer): boolean {
  if (answer.kind === 'choice') return answer.value === 'done';
  return answer.kind === 'text' && isDoneWord(answer.text);
}

/** Day names, Sunday first, in both languages. */
const WEEKDAY_NAMES: readonly Localized[] = [
  { id: 'Minggu', en: 'Sunday' },
  { id: 'Senin', en: 'Monday' },
  { id: 'Selasa', en: 'Tuesday' },
  { id: 'Rabu', en: 'Wednesday' },
  { id: 'Kamis', en: 'Thursday' },
  { id: 'Jumat', en: 'Friday' },
  { id: 'Sabtu', en: 'Saturday' },
];

/** The day of the week of a date, in both languages. */
function weekdayParam(date: IsoDate): Localized {
  return WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** A calendar date in both languages, for parameters. */
export function dateParam(date: IsoDate): { id: string; en: string } {
  return { id: formatDate(date, 'id'), en: formatDate(date, 'en') };
}

/**
 * A phone number typed or shared: a shared contact carries its country code without the `+` (`60123456789`), as the
 * chat apps give it. Undefined for an answer of another kind.
 */
function phoneAnswer(answer: Answer): ParseResult<string, PhoneError> | undefined {
  if (answer.kind === 'contact') return normalisePhone(answer.phone, { international: true });
  return answer.kind === 'text' ? normalisePhone(answer.text) : undefined;
}

/**
 * The text asking for the number again: for a number abroad too short or too long for its country, one that says so;
 * for one written without its `+`, one that shows it with it.
 */
function phoneErrorKey(error: PhoneError, params?: Record<string, string | number>): string {
  if (error === 'foreignInvalid' && params?.reason === 'tooShort') return 'errors.phone.foreignTooShort';
  if (error === 'foreignInvalid' && params?.reason === 'tooLong') return 'errors.phone.foreignTooLong';
  if (error === 'unrecognised' && params?.suggestion !== undefined) return 'errors.phone.missingPlus';
  return `errors.phone.${error}`;
}

/** Asks the bot to apply one change to the sealed personal data. */
function personalCommand(context: ReportContext, op: PersonalOp): FlowCommand {
  return { type: 'updatePersonal', sealed: context.personal.sealed, op };
}

function withPersonal(context: ReportContext, change: Partial<ReportContext['personal']>): Partial<ReportContext> {
  return { personal: { ...context.personal, ...change, pending: true } };
}

// ---------------------------------------------------------------------------------------------------------
// Places.

/** How a place reads in every language ("Kabupaten Bangka Barat, Kepulauan Bangka Belitung"). */
export function placeParam(place: Place): string | { id: string; en: string } {
  const regency = place.regencyCode ? getRegency(place.regencyCode) : undefined;
  const district = place.districtCode ? getDistrict(place.districtCode) : undefined;
  const province = getProvince(place.provinceCode);
  if (district && regency) return `${districtLabel(district, regency)}, ${province?.name ?? ''}`.replace(/, $/, '');
  if (regency) return regencyLabel(regency, province);
  return localize(k('where.provinceOnly'), { province: province?.name ?? place.provinceCode });
}

/**
 * The most precise name of a place alone ("Kecamatan Koba", "Kabupaten Bangka Barat", "Provinsi Jawa Barat"), as
 * short enough for a button: "Kota Jakarta Pusat", "Kab. Ogan Komering Ulu Selatan" (see `regencyShortName`).
 */
function shortPlaceName(place: Place): string | Localized {
  const district = place.districtCode ? getDistrict(place.districtCode) : undefined;
  if (district) return districtLabel(district, null);
  const regency = place.regencyCode ? getRegency(place.regencyCode) : undefined;
  return regency ? regencyShortName(regency) : provinceWords(place.provinceCode);
}

/** A place as a choice's label. */
function placeLabel(place: Place): TextRef {
  const param = placeParam(place);
  return typeof param === 'string' ? { literal: param } : { localized: param };
}

function placeOf(option: RegionOption): Place | undefined {
  const regency = getRegency(option.regencyCode);
  if (!regency) return undefined;
  return { provinceCode: regency.provinceCode, regencyCode: regency.code, districtCode: option.districtCode };
}

function choosePlace(place: Place): StepOutcome {
  return {
    outcome: 'placed',
    patch: { place, regionOptions: [], pendingDistrict: null, pendingProvince: null },
    replies: [feedback(k('where.chosen'), { place: placeParam(place) })],
  };
}

/**
 * A district or regency that a place detail names with its kind ("Kec. Koba") and that lies outside the chosen
 * regency, or inside the province when only a province was chosen: where the detail points instead (none when the
 * detail also names the chosen regency). A name shared by
 * places in several regencies is left alone, since it cannot tell which. So is a place outside the served `area`.
 */
function placeNamedElsewhere(detail: string, place: Place, area: readonly string[] | undefined): RegionOption | undefined {
  const mentions = placesNamedIn(detail);
  // A detail that names the chosen regency anywhere ("Kec. Sukamaju, Kab. Garut") agrees with it.
  if (place.regencyCode && mentions.some((mention) => mention.some((c) => c.regency.code === place.regencyCode))) return undefined;
  for (const mention of mentions) {
    // A place this deployment does not serve could not be moved to; the answer stands as the detail it is.
    if (area?.length && !mention.every((c) => isServed(area, c.regency.provinceCode, c.regency.code))) continue;
    const regencyCodes = new Set(mention.map((c) => c.regency.code));
    const first = mention[0];
    if (!first || regencyCodes.size !== 1) continue;
    return { regencyCode: first.regency.code, districtCode: mention.length === 1 ? (first.district?.code ?? null) : null };
  }
  // "Sorry salah, maksudnya kab tasik": a correction of the place, named without the words a detail would have, or a
  // regency's name alone ("garut"), is asked about too (the report would go to the office of the place first chosen).
  const corrected = CORRECTION_WORD.test(detail) ? detail.split(CORRECTION_SPLIT).at(-1)?.trim() : detail;
  const named = corrected ? searchRegions(corrected) : undefined;
  const alone = corrected !== detail || regenciesNamedExactly(detail).length === 1;
  if (named?.kind === 'exact' && alone && named.regency.code !== place.regencyCode) {
    if (area?.length && !isServed(area, named.regency.provinceCode, named.regency.code)) return undefined;
    return { regencyCode: named.regency.code, districtCode: null };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The area this deployment serves (NETRA_SERVED_AREA): a place outside it is explained and asked again.

const PLACE_STEPS: ReadonlySet<ReportStep> = new Set<ReportStep>([
  'askingRegion',
  'choosingRegion',
  'confirmingDistrict',
  'askingRegencyInProvince',
  'confirmingPlaceDetail',
]);

/** Whether a place (or a regency, or a whole province when `regencyCode` is null) lies in the served area. */
function isServed(area: readonly string[], provinceCode: string, regencyCode: string | null): boolean {
  return area.some((code) => code === provinceCode || (regencyCode !== null && code === regencyCode));
}

/** Whether any part of a province is served (so its regencies may be asked for). */
function servesPartOf(area: readonly string[], provinceCode: string): boolean {
  return area.some((code) => code.slice(0, 2) === provinceCode);
}

function provinceWords(code: string): Localized {
  return localize(k('where.provinceName'), { province: getProvince(code)?.name ?? code });
}

/** The served area in words: "Provinsi Kepulauan Bangka Belitung, Kabupaten Bogor". */
function areaParam(area: readonly string[]): Localized {
  const names = area.map((code): Localized => {
    const name = code.includes('.') ? (getRegency(code)?.name ?? code) : undefined;
    return name === undefined ? provinceWords(code) : { id: name, en: name };
  });
  return joinLocalized(names, ', ');
}

/**
 * The served area in words, with a regency and a district in it written as a citizen would type them, for the place
 * question's examples (its usual ones, Bangka Barat and Kota Padang, may lie outside the area); undefined when the
 * deployment takes reports from everywhere.
 */
function servedExamples(area: readonly string[] | undefined): ServedExamples | undefined {
  if (!area || area.length === 0) return undefined;
  const key = area.join(',');
  if (!servedExamplesByArea.has(key)) servedExamplesByArea.set(key, findServedExamples(area));
  return servedExamplesByArea.get(key);
}

type ServedExamples = { area: Localized; regency: string; district: string };

/** A deployment has one served area: its examples are searched for once. */
const servedExamplesByArea = new Map<string, ServedExamples | undefined>();

function findServedExamples(area: readonly string[]): ServedExamples | undefined {
  const candidates = area.flatMap((code) => (code.includes('.') ? [getRegency(code)].filter((r) => r !== undefined) : regenciesOf(code)));
  // The first regency whose short name finds it at once ("Bangka" alone also offers Bangka Barat and the rest).
  const pick = candidates
    .map((regency) => ({ regency, typed: regency.name.replace(/^Kabupaten (?:Administrasi )?/, '') }))
    .find(({ regency, typed }) => {
      const found = searchRegions(typed);
      return found.kind === 'exact' && found.regency.code === regency.code;
    });
  const chosen = pick ?? (candidates[0] ? { regency: candidates[0], typed: candidates[0].name } : undefined);
  if (!chosen) return undefined;
  const district = districtsOf(chosen.regency.code).find((d) => {
    const found = searchRegions(d.name);
    return found.kind === 'district' && found.district.code === d.code;
  });
  return { area: areaParam(area), regency: chosen.typed, district: district?.name ?? chosen.typed };
}

function outsideArea(area: readonly string[], place: string | Localized): StepOutcome {
  return invalid('where.outsideArea', { area: areaParam(area), place });
}

/** Turns a place outside the served area into an explanation; keeps only served places among choices. */
function keepToServedArea(outcome: StepOutcome, area: readonly string[] | undefined): StepOutcome {
  if (!area || area.length === 0) return outcome;
  const patch = outcome.patch ?? {};
  if (patch.place) {
    if (isServed(area, patch.place.provinceCode, patch.place.regencyCode)) return outcome;
    return outsideArea(area, patch.place.regencyCode ? placeParam(patch.place) : provinceWords(patch.place.provinceCode));
  }
  if (outcome.outcome === 'district' && patch.pendingDistrict) {
    const place = placeOf(patch.pendingDistrict);
    return place && !isServed(area, place.provinceCode, place.regencyCode) ? outsideArea(area, placeParam(place)) : outcome;
  }
  if (outcome.outcome === 'province' && patch.pendingProvince && !servesPartOf(area, patch.pendingProvince)) {
    return outsideArea(area, provinceWords(patch.pendingProvince));
  }
  if (outcome.outcome === 'choices' && patch.regionOptions) {
    const served = patch.regionOptions.filter((o) => {
      const place = placeOf(o);
      return place !== undefined && isServed(area, place.provinceCode, place.regencyCode);
    });
    if (served.length === patch.regionOptions.length) return outcome;
    if (served.length === 0) {
      const first = placeOf(patch.regionOptions[0]!);
      return first ? outsideArea(area, placeParam(first)) : outcome;
    }
    return { ...outcome, patch: { ...patch, regionOptions: served } };
  }
  return outcome;
}

/** A place named as a village or something smaller ("desa ciherang", "kel. sukamaju", "dusun krajan"). */
const VILLAGE_FIRST = /^(?:desa|ds|kelurahan|kel|kalurahan|dusun|dsn|kampung|nagari|gampong|jorong|rt|rw|village)(?: |$)/;

function shortQuery(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
}

function fromSearch(result: ProvinceSearchResult, query: string, provinceCode: string | null): StepOutcome {
  switch (result.kind) {
    case 'exact':
      return choosePlace({ provinceCode: result.regency.provinceCode, regencyCode: result.regency.code, districtCode: null });
    case 'choices':
      return {
        outcome: 'choices',
        patch: {
          regionOptions: result.options.map((o) => ({ regencyCode: o.regency.code, districtCode: o.district?.code ?? null })),
          pendingProvince: provinceCode,
        },
      };
    case 'district':
      return {
        outcome: 'district',
        patch: { pendingDistrict: { regencyCode: result.regency.code, districtCode: result.district.code }, pendingProvince: provinceCode },
      };
    case 'province':
      return { outcome: 'province', patch: { pendingProvince: result.province.code } };
    case 'none':
      // "Desa Ciherang": villages are not in the place data, and the spelling is likely right. The village goes in the
      // place's details, asked next.
      if (VILLAGE_FIRST.test(normaliseForMatch(query))) return invalid('where.village');
      return provinceCode
        ? invalid('where.notFoundInProvince', { query: shortQuery(query), province: getProvince(provinceCode)?.name ?? '' })
        : invalid('where.notFound', { query: shortQuery(query) });
  }
}

/**
 * None of the places offered was meant: the question again, inside the province when the places were found in one
 * the reporter named (the province is not asked for twice).
 */
/** Where a post was seen, not where it happened. */
const ONLINE_PLACE =
  /^(?:di |in |on |lewat |via )?(?:online|daring|internet|medsos|media sosial|sosmed|social media|facebook|fb|instagram|ig|tiktok|twitter|x|youtube|whatsapp|wa|grup wa|grup whatsapp)$/;

/** One of the places the list offered, as chosen. */
function chooseListedPlace(option: RegionOption, context: ReportContext): StepOutcome {
  const place = placeOf(option);
  if (!place) return invalid('errors.useChoices');
  const { pendingProvince } = context;
  const regency = place.regencyCode === null ? undefined : getRegency(place.regencyCode);
  // One of the places of that name elsewhere, listed after a province ("Bekasi" after "DKI Jakarta").
  if (pendingProvince && regency && place.provinceCode !== pendingProvince) return withOtherProvinceNote(choosePlace(place), regency, pendingProvince);
  return choosePlace(place);
}

function placeKindOf(option: RegionOption): PlaceKind | undefined {
  return option.districtCode ? 'kecamatan' : regencyKind(option.regencyCode);
}

function retryPlace(context: ReportContext): StepOutcome {
  const patch = { regionOptions: [], pendingDistrict: null };
  return context.pendingProvince ? { outcome: 'province', patch } : { outcome: 'retry', patch };
}

/** As many places as the place question lists at once. */
const MAX_PLACE_CHOICES = 8;

function searchPlace(answer: Answer, provinceCode: string | null): StepOutcome {
  if (answer.kind !== 'text') return notAnAnswer(answer);
  if (answer.text.trim() === '') return invalid('where.empty');
  // "Gatau" or "di Facebook" is no place to search for (it found Kecamatan Gatak), at the place question or at a
  // place offered for it: say what will do instead.
  if (isUnknownWord(answer.text) || ONLINE_PLACE.test(matchKey(answer.text))) return invalid('where.noPlace');
  // "2" is a choice that is not on offer, not a place's name (it would be "no place called “2”").
  if (isChoiceNumber(answer.text)) {
    return provinceCode
      ? invalid('where.numberInProvince', { province: getProvince(provinceCode)?.name ?? '' })
      : invalid('where.number');
  }
  const outcome = searchPlaceNamed(answer.text, provinceCode);
  // "desa sukamaju kec cibadak kab sukabumi", "di balai desa sukamaju kec cibadak": villages and buildings are not in
  // the place data, but the kecamatan or regency named after them is; "pangkalpinang kota" is "kota pangkalpinang".
  const beyond = outcome.outcome === 'invalid' ? placeNamedWithKind(answer.text) : undefined;
  const found = beyond === undefined ? undefined : searchPlaceNamed(beyond, provinceCode);
  return found && found.outcome !== 'invalid' ? found : outcome;
}

function searchPlaceNamed(text: string, provinceCode: string | null): StepOutcome {
  if (!provinceCode) return fromSearch(searchRegions(text, { limit: MAX_PLACE_CHOICES }), text, null);
  const result = searchInProvince(text, provinceCode, MAX_PLACE_CHOICES);
  const outcome = fromSearch(result, text, provinceCode);
  return 'otherProvince' in result ? withOtherProvinceNote(outcome, result.regency, provinceCode) : outcome;
}

/**
 * The place a longer answer names with its kind: the part from a kecamatan, regency or city on, after a village or a
 * building ("desa sukamaju, kec. cibadak", "di balai desa sukamaju kec cibadak", "kantor bupati kab. sleman"), or the
 * kind said after the name ("pangkalpinang kota"). Undefined when no kind is named after the first word.
 */
function placeNamedWithKind(text: string): string | undefined {
  const words = normaliseForMatch(text).split(' ').filter((word) => word !== '');
  const from = words.findIndex((word, i) => i > 0 && i < words.length - 1 && placeKindOfWord(word) !== undefined);
  if (from > 0) return words.slice(from).join(' ');
  const last = words.at(-1);
  return words.length >= 2 && last !== undefined && placeKindOfWord(last) !== undefined ? [last, ...words.slice(0, -1)].join(' ') : undefined;
}

/** A place taken from another province than the one named a moment ago says so, and how to go back. */
function withOtherProvinceNote(outcome: StepOutcome, regency: Regency, named: string): StepOutcome {
  const note = say(k('where.otherProvince'), {
    regency: regency.name,
    province: getProvince(regency.provinceCode)?.name ?? regency.provinceCode,
    named: getProvince(named)?.name ?? named,
  });
  return { ...outcome, replies: [note, ...(outcome.replies ?? [])] };
}

function notePin(answer: Extract<Answer, { kind: 'location' }>): StepOutcome {
  return {
    outcome: 'pin',
    patch: { location: { latitude: answer.latitude, longitude: answer.longitude } },
    replies: [say(k('where.pinNoted'))],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Evidence.

/** Adds stored files or links, skipping duplicates and stopping at the maximum. */
function addEvidence(context: ReportContext, items: EvidenceItem[]): StepOutcome {
  const evidence = [...context.evidence];
  let added = 0;
  let duplicates = 0;
  let refused = 0;
  const notices = new Set<string>();
  for (const item of items) {
    const same = evidence.some((e) =>
      e.type === 'file' && item.type === 'file' ? e.media.sha256 === item.media.sha256 : e.type === 'link' && item.type === 'link' && e.url === item.url,
    );
    if (same) duplicates += 1;
    else if (evidence.length >= MAX_EVIDENCE) refused += 1;
    else {
      evidence.push(item);
      added += 1;
      const notice = item.type === 'file' ? notCleanedNotice(item.media) : undefined;
      if (notice) notices.add(notice);
    }
  }
  const replies: OutboundMessage[] = [];
  // A file whose metadata could not be removed is kept but not sent: the reporter can send it another way.
  for (const notice of notices) replies.push(say(notice));
  // The notice with the choices is the question on screen from now on: a typed "2" must mean its second choice
  // (Hapus semua bukti), not the second choice of the step's first question (Tidak ada bukti).
  if (added > 0) {
    replies.push(ask(k('evidence.received'), { number: evidence.length, max: MAX_EVIDENCE }, evidenceChoices({ ...context, evidence })));
  }
  if (duplicates > 0 && added === 0) replies.push(say(k('evidence.duplicate')));
  if (refused > 0) replies.push(say(k('evidence.full'), { max: MAX_EVIDENCE }));
  // Nothing new came in: the last notice offers the same choices again (in the terminal or on WhatsApp the user
  // would otherwise be left without them; on Telegram the earlier buttons are far up the chat).
  const last = replies.at(-1);
  if (added === 0 && last?.type === 'text' && !last.choices?.length) {
    replies[replies.length - 1] = { ...last, choices: evidenceChoices(context), prompt: true };
  }
  return { outcome: added > 0 ? 'added' : 'kept', patch: { evidence }, replies };
}

/** Most characters of a file's caption kept with the evidence. */
const MAX_CAPTION = 1000;

/**
 * A stored file as the draft keeps it: the caption cleaned like any answer (control characters such as NUL cannot
 * even be stored in a JSON column) and capped.
 */
function cleanMedia(media: StoredMedia): StoredMedia {
  const { caption, ...rest } = media;
  const cleaned = caption === undefined ? '' : normaliseAnswer(caption.slice(0, MAX_CAPTION * 2), { multiline: true }).slice(0, MAX_CAPTION);
  return cleaned === '' ? rest : { ...rest, caption: cleaned };
}

/**
 * Offered where a formal report cannot go on without something the reporter lacks (the reported person's name, any
 * evidence): the draft continues as initial information, keeping every answer but the reporter's identity (as after a
 * missed deadline, see {@link continueAsTip}).
 */
const tipInsteadChoice = (label: 'noName' | 'noEvidence' | 'noPhone'): Choice => choice('tipInstead', k(`kind.tipInstead.${label}`));


function continueAsTip(context: ReportContext, outcome: string, patch: Partial<ReportContext> = {}): StepOutcome {
  const hadIdentity = context.personal.sealed !== null;
  return {
    outcome,
    patch: { ...patch, kind: 'tip', personal: emptyPersonalState() },
    replies: [say(k(hadIdentity ? 'when.convertedIdentityRemoved' : 'when.converted'))],
  };
}

function evidenceChoices(context: ReportContext): Choice[] {
  const choices = [choice('done', k('evidence.done'))];
  if (context.evidence.length === 0 && context.kind === 'tip') choices.push(choice('none', k('evidence.none')));
  if (context.evidence.length === 0 && context.kind === 'formal') choices.push(tipInsteadChoice('noEvidence'));
  if (context.evidence.length > 0) choices.push(choice('clear', k('evidence.clear')));
  return choices;
}

/** Links sent as evidence, as the draft keeps them. */
function linkItems(urls: readonly string[]): EvidenceItem[] {
  return urls.map((url) => ({ type: 'link' as const, url }));
}

/** True when a message is links and nothing else (a few words around them at most): no account of what happened. */
function isLinkOnly(text: string): boolean {
  const rest = text.replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ');
  return rest !== text && normaliseForMatch(rest).split(' ').filter((w) => w !== '').length <= 3;
}

/** Whether a piece of evidence is of the kind named ("foto" is a photo, or an image sent as a file). */
function isOfKind(item: EvidenceItem, kind: EvidenceKind): boolean {
  if (item.type === 'link') return kind === 'link';
  const { media } = item;
  switch (kind) {
    case 'link':
      return false;
    case 'file':
      return true;
    case 'photo':
      return media.kind === 'photo' || (media.mime?.startsWith('image/') ?? false);
    case 'video':
      return media.kind === 'video' || media.kind === 'animation';
    case 'document':
      return media.kind === 'document';
  }
}

/**
 * Takes one file or link back ("hapus bukti 2", "hapus foto tadi"): the others stay, numbered again, and are listed so
 * the reporter sees what the report now holds. A file taken back is deleted with the draft's other unused files.
 */
function removeEvidence(context: ReportContext, which: EvidenceRemoval): StepOutcome {
  const count = context.evidence.length;
  if (count === 0) return invalid('evidence.noneToRemove');
  // "Hapus" alone: which one is asked, with the list.
  if ('unnamed' in which) return invalid('evidence.whichToRemove', { list: evidenceLines(context.evidence, { fullDigest: false }) });
  let number: number;
  if ('number' in which) {
    number = which.number;
    if (number < 1 || number > count) return invalid('evidence.noSuchItem', { number, count });
    // "Hapus foto 2" where the second piece is a link: which one is meant is asked, not guessed.
    const item = context.evidence[number - 1];
    if (which.kind && item && !isOfKind(item, which.kind)) {
      return invalid('evidence.notThatKind', { number, list: evidenceLines(context.evidence, { fullDigest: false }) });
    }
  } else {
    const { kind } = which;
    number = kind ? context.evidence.findLastIndex((item) => isOfKind(item, kind)) + 1 : count;
    if (number === 0) return invalid('evidence.noSuchKind', { list: evidenceLines(context.evidence, { fullDigest: false }) });
  }
  const evidence = context.evidence.filter((_, index) => index !== number - 1);
  const rest = evidence.length > 0 ? evidenceLines(evidence, { fullDigest: false }) : { key: k('evidence.noneLeft') };
  return {
    outcome: 'kept',
    patch: { evidence },
    replies: [ask(k('evidence.removed'), { number, list: rest, count: evidence.length, max: MAX_EVIDENCE }, evidenceChoices({ ...context, evidence }))],
  };
}

function finishEvidence(context: ReportContext): StepOutcome {
  if (context.evidence.length > 0) return { outcome: 'done' };
  return context.kind === 'formal' ? invalid('evidence.formalNeedsEvidence') : { outcome: 'none' };
}

// ---------------------------------------------------------------------------------------------------------
// Prompts.

const yesNoChoices = (yes = 'common.yes', no = 'common.no') => [choice('yes', yes), choice('no', no)];

/** Categories as numbered choices, labelled from the catalogue. */
export const categoryChoices: Choice[] = violations.map((v) => ({ value: v.id, label: { localized: v.label } }));

/** Fields offered for editing from the review. */
const CHANGE_PART =
  /^(?:(?:actually|sorry|maaf|saya|aku|mau|ingin|tolong|please|i|want|would|like|d|to|let|me|can|could|you|bisa|boleh|minta|the)\s+)*(?:ubah|ganti|edit|change|perbaiki|koreksi|fix|correct|revisi|update)\s+(.+)$/;
/** Words before or after a part's name that do not change it ("bagian uraian", "tanggal kejadian", "the place"). */
const PART_AROUND = /^(?:(?:the|my|bagian|isian|data|yang)\s+)+|\s+(?:kejadian(?:nya)?|of the event|nya)$/g;
/** Names people give the parts beside their labels. */
const PART_WORDS: Readonly<Record<string, string>> = {
  lokasi: 'place', lokasinya: 'place', location: 'place', tempatnya: 'place', tanggalnya: 'dates', date: 'dates', waktu: 'dates', kategori: 'category',
  pelanggaran: 'category', category: 'category', violation: 'category', uraian: 'description', uraiannya: 'description',
  cerita: 'description', kronologi: 'description', story: 'description', buktinya: 'evidence', foto: 'evidence',
  photos: 'evidence', saksinya: 'witnesses', witness: 'witnesses', identitas: 'reporter', identitasnya: 'reporter',
  'identitas saya': 'reporter', 'data saya': 'reporter', details: 'reporter', 'my details': 'reporter', identity: 'reporter',
  nama: 'terlapor', 'nama terlapor': 'terlapor', 'reported person': 'terlapor', jenis: 'kind', 'jenis laporan': 'kind',
  namanya: 'terlapor', name: 'terlapor', jabatan: 'terlapor', jabatannya: 'terlapor', position: 'terlapor', instansi: 'terlapor',
  instansinya: 'terlapor', agency: 'terlapor', status: 'terlapor', 'status kepegawaian': 'terlapor', employment: 'terlapor',
};

/** The part of the review a "change …" text names, if it names one this draft has. */
function namedPart(text: string, context: ReportContext): string | undefined {
  const named = CHANGE_PART.exec(normaliseForMatch(text).replace(CHATTER_TRAILING, ''))?.[1];
  if (named === undefined) return undefined;
  const fields = editFields(context);
  for (const candidate of [named, named.replace(PART_AROUND, '')]) {
    const word = ownValue(PART_WORDS, candidate);
    if (word !== undefined) return fields.includes(word) ? word : undefined;
    const labelled = matchChoice(candidate, fields.map((f) => choice(f, k(`review.fields.${f}`))))?.value;
    if (labelled !== undefined) return labelled;
  }
  return undefined;
}

export function editFields(context: ReportContext): string[] {
  const fields = ['kind', 'terlapor', 'category', 'dates', 'place', 'description', 'evidence'];
  return context.kind === 'formal' ? [...fields, 'witnesses', 'reporter'] : fields;
}

/**
 * Whether an earlier answer can be kept at this step while editing from the review: `offered` (a button, first among
 * the choices), `typed` (only a typed "tetap": the question's own choice gives the same answer again, or a button
 * would not fit), `unknown` (as `typed`, and what is kept is "not known" or skipped: the draft holds nothing, so it
 * cannot tell that answer from a question not yet asked) or `none` (no answer to keep: "tetap" is asked again). Null
 * for a step outside the parts edited (the reported person, the category, the dates, the place, the description, the
 * reporter's identity).
 */
type Keeping = 'offered' | 'typed' | 'unknown' | 'none';
const keepingRules: Partial<Record<ReportStep, (context: ReportContext) => Keeping>> = {
  // A formal report cannot keep "not known": that is why it was sent here.
  askingTerlaporName: ({ terlapor, kind }) => (terlapor.name !== null ? 'offered' : kind === 'formal' ? 'none' : 'unknown'),
  askingTerlaporPosition: ({ terlapor }) => (terlapor.position !== null ? 'offered' : 'unknown'),
  askingTerlaporAgency: ({ terlapor }) => (terlapor.agency !== null ? 'offered' : 'unknown'),
  askingEmployment: ({ terlapor }) => (terlapor.employment === null ? 'none' : terlapor.employment === 'unknown' ? 'typed' : 'offered'),
  askingEventDate: ({ eventDate }) => (eventDate !== null ? 'offered' : 'none'),
  // A learned date now before a changed event date gets no button: typed, "tetap" is told why it cannot stay.
  askingLearnedDate: ({ learnedDate, eventDate }) =>
    learnedDate === null ? 'none' : eventDate !== null && learnedDate < eventDate ? 'typed' : 'offered',
  askingRegion: ({ place }) => (place !== null ? 'offered' : 'none'),
  askingPlaceDetail: ({ placeDetail }) => (placeDetail !== null ? 'offered' : 'unknown'),
  // Edited alone, the category and the description can be kept too, should the reporter change their mind; a
  // thirteenth button would page the category's list, so there only a typed "tetap" keeps it.
  choosingCategory: ({ category }) => (category !== null ? 'typed' : 'none'),
  askingDescription: ({ description }) => (description !== null ? 'offered' : 'none'),
  // The witnesses given before, while they are changed from the review: replaced, or added to (their names stay
  // sealed: not quoted).
  choosingWitnessChange: ({ personal }) => (personal.witnessCount > 0 ? 'offered' : 'none'),
  askingWitnessName: ({ personal, editing }) => (personal.keepingWitnesses || (editing && personal.witnessCount > 0) ? 'offered' : 'none'),
  askingReporterName: ({ personal }) => (personal.reporter.name ? 'offered' : 'none'),
  askingReporterAddress: ({ personal }) => (personal.reporter.address ? 'offered' : 'none'),
  askingReporterPhone: ({ personal }) => (personal.reporter.phone ? 'offered' : 'none'),
  askingReporterEmail: ({ personal }) => (personal.reporter.email === 'given' ? 'offered' : personal.reporter.email === 'skipped' ? 'typed' : 'none'),
};

/**
 * How this step's earlier answer can be kept now. Outside editing, a step whose answer the draft holds was reached
 * again by going back: it can be kept as while editing, so that going forward again does not mean answering anew.
 * An `unknown` answer is not held, so there it cannot.
 */
function keepingAt(step: ReportStep, context: ReportContext): Keeping | null {
  const rule = keepingRules[step]?.(context) ?? null;
  if (context.editing) return rule;
  return rule === 'offered' || rule === 'typed' ? rule : null;
}

const KEEP = 'keep';
/** The choice that takes the description given with an unknown name as the position. */
const HINT = 'hint';

/**
 * The question of a step, as it applies to this draft, with a way to keep an earlier answer (see `keepingAt`).
 * `today` (the Jakarta date of the event that leads here, when known) lets a date question leave out a quick choice
 * that would give the same day as another one or as the answer kept ("Hari ini" beside "Pada hari kejadian" when it
 * happened today).
 */
export function promptFor(step: ReportStep, context: ReportContext, today?: IsoDate): OutboundMessage {
  const question = questionFor(step, context);
  if (step === 'askingTerlaporPosition' && context.positionHint !== undefined && context.terlapor.position === null && question.type === 'text') {
    const hint = { ...choice(HINT, k('terlapor.useHint'), { value: keptQuote(context.positionHint) }), exact: true };
    return { ...question, choices: [hint, ...(question.choices ?? [])], typed: true };
  }
  if (step === 'askingDescription' && context.storyHint !== undefined && context.description === null && question.type === 'text') {
    const story = { ...choice(HINT, k('description.useStory'), { value: keptQuote(context.storyHint) }), exact: true };
    return { ...question, choices: [story, ...(question.choices ?? [])], typed: true };
  }
  if (question.type !== 'text') return question;
  const offered = keepingAt(step, context) === 'offered';
  const choices = withoutRepeats(step, question.choices ?? [], context, offered, today);
  if (!offered) return choices === question.choices ? question : { ...question, choices };
  // A question with no choices wants a typed answer; keeping is then a shortcut beside it. Keeping comes first, so
  // that "1" keeps at every question of the group.
  const typed = question.typed ?? !question.choices?.length;
  const kept = keptValue(step, context);
  const keep = kept === undefined ? choice(KEEP, k('common.keep')) : { ...choice(KEEP, k('common.keepValue'), { value: kept }), exact: true };
  return { ...question, choices: [keep, ...choices], ...(typed ? { typed } : {}) };
}

/**
 * A step's choices without those that would give again what the keep button keeps ("PNS" beside "Biarkan: PNS") or
 * what a choice before them gives (the same day twice): one answer, one choice. The same array when none goes.
 */
function withoutRepeats(step: ReportStep, choices: Choice[], context: ReportContext, keeping: boolean, today?: IsoDate): Choice[] {
  const kept = keeping ? answerKept(step, context) : undefined;
  const seen = new Set<string>(kept ? [kept] : []);
  const left = choices.filter((c) => {
    const answer = answerOfChoice(step, c.value, context, today);
    if (answer === undefined) return true;
    if (seen.has(answer)) return false;
    seen.add(answer);
    return true;
  });
  return left.length === choices.length ? choices : left;
}

/** What a choice of the status or a date question answers (a status, a day), where two choices can answer the same. */
function answerOfChoice(step: ReportStep, value: string, context: ReportContext, today?: IsoDate): string | undefined {
  if (step === 'askingEmployment') return employmentValues.find((v) => v === value);
  if (today === undefined) return undefined;
  return quickDays(step, context, today)[value] ?? undefined;
}

/** The days a date question's own choices give ("Hari ini", "Kemarin", "Pada hari kejadian"), by choice value. */
function quickDays(step: ReportStep, context: ReportContext, today: IsoDate): Record<string, IsoDate | null> {
  if (step === 'askingEventDate') return { today, yesterday: addDays(today, -1) };
  if (step === 'askingLearnedDate') return { sameDay: context.eventDate, today };
  return {};
}

/** The answer a keep button keeps at the status or a date question. */
function answerKept(step: ReportStep, context: ReportContext): string | null | undefined {
  if (step === 'askingEmployment') return context.terlapor.employment;
  if (step === 'askingEventDate') return context.eventDate;
  if (step === 'askingLearnedDate') return context.learnedDate;
  return undefined;
}


/**
 * The earlier answer a keep button names ("Biarkan: Camat"), so the reporter sees what stays. None for the reporter's
 * own identity: the button's label is stored with the question, and their contact data is kept only encrypted.
 */
function keptValue(step: ReportStep, context: ReportContext): TextParams[string] | undefined {
  const quote = (text: string | null) => (text === null ? undefined : keptQuote(text));
  const { terlapor } = context;
  switch (step) {
    case 'askingTerlaporName':
      return quote(terlapor.name);
    case 'askingTerlaporPosition':
      return quote(terlapor.position);
    case 'askingTerlaporAgency':
      return quote(terlapor.agency);
    case 'askingEmployment':
      return terlapor.employment === null ? undefined : { key: k(`employment.${terlapor.employment}`) };
    case 'askingEventDate':
      return context.eventDate === null ? undefined : dateParam(context.eventDate);
    case 'askingLearnedDate':
      return context.learnedDate === null ? undefined : dateParam(context.learnedDate);
    case 'askingRegion': {
      if (context.place === null) return undefined;
      const name = shortPlaceName(context.place);
      return typeof name === 'string' ? quote(name) : name;
    }
    case 'askingPlaceDetail':
      return quote(context.placeDetail);
    case 'askingDescription':
      return quote(context.description);
    default:
      return undefined;
  }
}

function questionFor(step: ReportStep, context: ReportContext): OutboundMessage {
  const unknownChoice = [choice('unknown', k('common.unknown'))];
  const skipChoice = [choice('skip', k('common.skip'))];
  switch (step) {
    case 'choosingKind': {
      const kinds = [choice('tip', k('kind.tip')), choice('formal', k('kind.formal'))];
      // Changed from the review: which of the two it is now, and what a tip would drop of a formal report.
      if (!context.editing || context.kind === null) return ask(k('kind.ask'), undefined, kinds);
      const losesIdentity = context.kind === 'formal' && context.personal.sealed !== null;
      return ask(k(losesIdentity ? 'kind.askEditingFormal' : 'kind.askEditing'), { current: { key: k(`kind.${context.kind}`) } }, kinds);
    }
    case 'consenting':
      return ask(k(context.kind === 'formal' ? 'consent.askFormal' : 'consent.askTip'), {
        draftDays: context.policy?.draftDays ?? 7,
        retentionDays: context.policy?.retentionDays ?? 365,
      }, [
        choice('agree', k('consent.agree')),
        choice('decline', k('consent.decline')),
      ]);
    case 'askingTerlaporName':
      return context.kind === 'formal'
        ? asField(askTyped(k('terlapor.askNameFormal'), undefined, [tipInsteadChoice('noName')]))
        : asField(askTyped(k('terlapor.askName'), undefined, unknownChoice));
    case 'askingTerlaporPosition':
      return asField(askTyped(k('terlapor.askPosition'), undefined, unknownChoice));
    case 'askingTerlaporAgency':
      return asField(askTyped(k('terlapor.askAgency'), undefined, unknownChoice));
    case 'askingEmployment':
      return ask(k('terlapor.askEmployment'), undefined, employmentValues.map((v) => choice(v, k(`employment.${v}`))));
    case 'choosingCategory': {
      // The category chosen before, which a typed "tetap" keeps. It comes first, named as kept ("Biarkan: …"), so that
      // "1" keeps here as at every other question of the group, without a button more (which would page the list).
      const current = heldCategory(context);
      if (!current) return ask(k('category.ask'), undefined, categoryChoices);
      const held: Choice = { value: current.id, label: { key: k('common.keepValue'), params: { value: current.label } } };
      return ask(k('category.askEditing'), { current: current.label }, [held, ...categoryChoices.filter((c) => c.value !== current.id)]);
    }
    case 'askingEventDate':
      return askTyped(k('when.askEventDate'), undefined, [choice('today', k('when.today')), choice('yesterday', k('when.yesterday'))]);
    case 'askingLearnedDate':
      return askTyped(k('when.askLearnedDate'), context.eventDate ? { eventDate: dateParam(context.eventDate) } : undefined, [
        choice('sameDay', k('when.sameDay')),
        choice('today', k('when.today')),
      ]);
    case 'offeringTipConversion':
      return ask(k('when.askConvert'), undefined, [choice('convert', k('when.convert')), choice('cancel', k('when.cancel'))]);
    case 'askingRegion': {
      const served = servedExamples(context.policy?.servedArea);
      return served ? ask(k('where.askRegionServed'), served) : ask(k('where.askRegion'));
    }
    case 'choosingRegion':
      return ask(k('where.askChoice'), undefined, [
        ...context.regionOptions.flatMap((o) => {
          const place = placeOf(o);
          const value = o.districtCode ? `d:${o.districtCode}` : `r:${o.regencyCode}`;
          return place ? [{ value, label: { literal: String(placeParam(place)) } }] : [];
        }),
        choice('other', k('where.notListed')),
      ]);
    case 'confirmingDistrict': {
      const pending = context.pendingDistrict;
      const place = pending ? placeOf(pending) : undefined;
      return ask(k('where.confirmDistrict'), { place: place ? placeParam(place) : '' }, yesNoChoices());
    }
    case 'askingRegencyInProvince':
      return askTyped(k('where.askRegencyInProvince'), { province: getProvince(context.pendingProvince ?? '')?.name ?? '' }, [
        choice('unknown', k('where.unknownRegency')),
      ]);
    case 'askingPlaceDetail':
      return asField(askTyped(k('where.askPlaceDetail'), undefined, skipChoice));
    case 'confirmingPlaceDetail': {
      const named = context.pendingDistrict ? placeOf(context.pendingDistrict) : undefined;
      const chosen = context.place;
      // Codes come from the region data, so this cannot miss; should it, the chosen place stays as the only choice.
      if (!named || !chosen) return ask(k('help.confirmingPlaceDetail'), undefined, [choice('chosen', k('common.keep'))]);
      const narrower = chosen.regencyCode === null && named.provinceCode === chosen.provinceCode;
      return ask(k(narrower ? 'where.detailNarrower' : 'where.detailElsewhere'), { named: placeParam(named), chosen: placeParam(chosen) }, [
        { value: 'named', label: placeLabel(named) },
        { value: 'chosen', label: placeLabel(chosen) },
      ]);
    }
    case 'askingDescription':
      return asField(ask(k('description.ask')), 'long');
    case 'collectingEvidence': {
      // Once something is in, the question counts it (and no longer offers "no evidence", which is not a choice then).
      const key = context.evidence.length > 0 ? 'evidence.askMore' : context.kind === 'formal' ? 'evidence.askFormal' : 'evidence.askTip';
      return askTyped(k(key), { max: MAX_EVIDENCE, number: context.evidence.length }, evidenceChoices(context));
    }
    case 'confirmingEvidenceClear':
      return ask(k(context.evidence.length === 1 ? 'evidence.askClearOne' : 'evidence.askClear'), { number: context.evidence.length }, [
        choice('clear', k('evidence.clearYes')),
        choice('keep', k('evidence.clearNo')),
      ]);
    case 'confirmingNoEvidence':
      return ask(k('evidence.askContinueWithout'), undefined, [
        choice('continue', k('evidence.continueWithout')),
        choice('add', k('evidence.addEvidence')),
      ]);
    case 'choosingWitnessChange': {
      const { witnessCount } = context.personal;
      return ask(k('witness.askChange'), { number: witnessCount, max: MAX_WITNESSES }, [
        ...(witnessCount < MAX_WITNESSES ? [choice('add', k('witness.add'))] : []),
        choice('replace', k('witness.replace')),
        choice('clear', k('witness.clear')),
      ]);
    }
    case 'askingWitnessName': {
      // While witnesses given before are kept to be replaced (see `keepingWitnesses`), a new list starts at the first;
      // one added to them from the review is the next, and its keep button already says "no more".
      const { keepingWitnesses, witnessCount } = context.personal;
      const adding = context.editing && !keepingWitnesses && witnessCount > 0;
      const params = { number: keepingWitnesses ? 1 : witnessCount + 1, max: MAX_WITNESSES };
      return asField(adding ? askTyped(k('witness.askNameAdded'), params, []) : askTyped(k('witness.askName'), params, [choice('skip', k('witness.none'))]));
    }
    case 'askingWitnessContact':
      return asField(askTyped(k('witness.askContact'), undefined, skipChoice));
    case 'askingMoreWitnesses':
      return ask(k('witness.askMore'), { number: context.personal.witnessCount, max: MAX_WITNESSES }, yesNoChoices());
    case 'askingReporterName':
      return asField(ask(k('reporter.askName')));
    case 'askingReporterAddress':
      return asField(ask(k('reporter.askAddress')));
    case 'askingReporterPhone':
      return ask(k('reporter.askPhone'), undefined, context.foreignPhone ? [tipInsteadChoice('noPhone')] : undefined);
    case 'askingReporterEmail':
      return askTyped(k('reporter.askEmail'), undefined, skipChoice);
    case 'reviewing':
      return ask(k('review.ask'), undefined, [
        choice('confirm', confirmKey(context)),
        choice('edit', k('review.edit')),
        choice('cancel', k('review.cancel')),
      ]);
    case 'choosingEditField':
      return ask(k('review.askField'), undefined, [
        ...editFields(context).map((f) => choice(f, k(`review.fields.${f}`))),
        choice('back', k('review.backToSummary')),
      ]);
    case 'confirmingCancel':
      return ask(k('review.askCancel'), undefined, yesNoChoices('report.review.cancelYes', 'report.review.cancelNo'));
  }
}

/** Categories as lines of the list the category question shows, with the number each has there. */
function categoryLines(ids: readonly ViolationId[], context: ReportContext): Localized {
  const order = categoryOrder(context);
  return joinLocalized(
    ids.map((id) => {
      const number = order.findIndex((v) => v.id === id) + 1;
      const { label } = order[number - 1]!;
      return { id: `${number}. ${label.id}`, en: `${number}. ${label.en}` };
    }),
  );
}

/** The category a question come back to holds, which a typed "tetap" keeps; undefined where none is held. */
function heldCategory(context: ReportContext) {
  return keepingAt('choosingCategory', context) === 'typed' && context.category !== null ? getViolation(context.category) : undefined;
}

/** The categories in the order the question numbers them: the one held first, else the catalogue's. */
function categoryOrder(context: ReportContext) {
  const held = heldCategory(context);
  return held ? [held, ...violations.filter((v) => v.id !== held.id)] : violations;
}

/** Help for a step (`/bantuan`); the category help lists every category with its examples. */
export function helpFor(step: ReportStep, context: ReportContext): OutboundMessage {
  const served = step === 'askingRegion' ? servedExamples(context.policy?.servedArea) : undefined;
  if (served) return say(k('help.askingRegionServed'), served);
  if (step === 'choosingCategory') {
    const list = joinLocalized(categoryOrder(context).map((v, i) => ({ id: `${i + 1}. ${v.label.id}: ${v.examples.id}`, en: `${i + 1}. ${v.label.en}: ${v.examples.en}` })));
    return say(k('help.choosingCategory'), { list });
  }
  if (step === 'reviewing') return say(k('help.reviewing'), { confirm: { key: confirmKey(context) } });
  return say(k(`help.${step}`));
}

/** Asking at the summary whether the report went in ("laporan sy udh kekirim blm?", "has it been sent?"). */
const SENT_WORDS = /\b(?:terkirim|kekirim|dikirim|masuk|sent|submitted|received)\b/;
const NOT_YET_WORDS = /\b(?:udah|udh|sudah|sdh|dah|blm|belum|blom|apa|apakah|was|has|is|did|yet)\b/;
function asksIfSent(text: string): boolean {
  const words = normaliseForMatch(text);
  return SENT_WORDS.test(words) && NOT_YET_WORDS.test(words) && (text.includes('?') || /\b(?:blm|belum|blom|yet)\b/.test(words));
}

/** Asking at the summary who will learn who reported ("camatnya bakal tau gak ini dari sy?", "will he know it was me?"). */
const KNOWS_WORDS = /\b(?:tahu|tau|ketahuan|kenal|know|knows|find out|identitas|identity|anonim|anonymous)\b/;
function asksWhoKnows(text: string): boolean {
  return KNOWS_WORDS.test(normaliseForMatch(text)) && asksQuestion(text);
}

/** The review's send button: a tip is sent as information, not as a report. */
function confirmKey(context: ReportContext): string {
  return k(context.kind === 'formal' ? 'review.confirm' : 'review.confirmTip');
}

// ---------------------------------------------------------------------------------------------------------
// Readers.

function readTerlaporText(field: 'position' | 'agency', max: number): Reader {
  return (answer, context) => {
    if (answer.kind !== 'text' && answer.kind !== 'choice') return notAnAnswer(answer);
    if (isUnknown(answer) || isSkip(answer)) return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, [field]: null } } };
    if (answer.kind === 'choice') return notAnAnswer(answer);
    // "Bukan, dia kepala sekolah": the correction's opening and "dia" are no part of the position or agency.
    const result = validateShortText(withoutOpening(answer.text), max);
    if (!result.ok) return textError(result.error, result.params);
    return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, [field]: result.value } } };
  };
}

function readDate(answer: Answer, today: IsoDate, quick: Record<string, IsoDate | null>, at?: string): { date: IsoDate } | StepOutcome {
  if (answer.kind === 'choice') {
    const date = ownValue(quick, answer.value);
    return date ? { date } : notAnAnswer(answer);
  }
  if (answer.kind !== 'text') return notAnAnswer(answer);
  const typed = parseUserDate(answer.text, at ?? today);
  const result = typed.ok ? typed : (correctedDate(answer.text, at ?? today) ?? typed);
  if (!result.ok) {
    const read = result.params?.date;
    if (read === undefined) return invalid(`errors.date.${result.error}`);
    const params: TextParams = { date: dateParam(String(read)) };
    const day = result.params?.day;
    const named = typeof day === 'number' ? WEEKDAY_NAMES[day] : undefined;
    if (named) Object.assign(params, { weekday: weekdayParam(String(read)), named });
    return invalid(`errors.date.${result.error}`, params);
  }
  return { date: result.value };
}

/** A correction in a date's answer ("eh salah bukan kemarin, 2 hari lalu", "salah, maksudnya tgl 3"). */
const CORRECTION_WORD = /\b(?:salah|keliru|bukan|maksudnya|maksud saya|maksud sy|yang benar|yg benar|yg bener|wrong|i mean|actually|sorry|maaf)\b/i;
/** Where the corrected date starts: after the last comma, or after "maksudnya" and the like. */
const CORRECTION_SPLIT = /[,;]|\b(?:maksudnya|maksud saya|maksud sy|yang benar|yg benar|yg bener|i mean|actually)\b/i;

/** The date a correction ends with, when the whole answer reads as none but its last part does. */
function correctedDate(text: string, now: string): ReturnType<typeof parseUserDate> | undefined {
  if (!CORRECTION_WORD.test(text)) return undefined;
  const last = text.split(CORRECTION_SPLIT).at(-1)?.trim();
  if (!last) return undefined;
  const read = parseUserDate(last, now);
  return read.ok ? read : undefined;
}

/** Where a reason starts after a short answer ("ga ada, postingannya udh dihapus", "tidak ada karena sudah dihapus"). */
const REASON_AFTER = /[,;]|\s(?:karena|krn|karna|soalnya|soale|because|since)\s/i;

const readers: Record<ReportStep, Reader> = {
  choosingKind(answer, context) {
    if (answer.kind !== 'choice' || (answer.value !== 'tip' && answer.value !== 'formal')) return notAnAnswer(answer);
    const kind = answer.value;
    if (!context.editing) return { outcome: 'chosen', patch: { kind } };
    if (kind === context.kind) return { outcome: 'unchanged' };
    if (kind === 'formal') return { outcome: 'toFormal', patch: { kind, convertedFromFormal: false, changingToFormal: true } };
    return {
      outcome: 'toTip',
      patch: { kind, personal: emptyPersonalState() },
      replies: [say(k('kind.identityRemoved'))],
    };
  },

  consenting(answer, context, today) {
    const reply = yesNo(answer, 'agree', 'decline');
    // "Harus isi nama sy?": why a formal report asks who the reporter is, and the way without.
    if (reply === undefined && answer.kind === 'text' && context.kind === 'formal' && isQuestion(answer.text)) return invalid('consent.whyIdentity');
    if (reply === undefined) return notAnAnswer(answer);
    if (reply === 'yes') {
      if (!context.editing) return { outcome: 'agree' };
      if (context.kind === 'formal' && context.learnedDate && isPastDeadline(context.learnedDate, today)) {
        return { outcome: 'agreePastDeadline', replies: [pastDeadlineMessage(context.learnedDate)] };
      }
      return { outcome: 'agreeEditing' };
    }
    if (!context.editing) return { outcome: 'decline', replies: [say(k('consent.declined'))] };
    return { outcome: 'declineEditing', patch: { kind: 'tip' }, replies: [say(k('consent.keptAsTip'))] };
  },

  askingTerlaporName(answer, context) {
    const formal = context.kind === 'formal';
    if (answer.kind === 'choice' && answer.value === 'unknown' && !formal) {
      return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, name: null } } };
    }
    if (answer.kind === 'choice' && answer.value === 'tipInstead' && formal) {
      return continueAsTip(context, 'ok', { terlapor: { ...context.terlapor, name: null } });
    }
    if (answer.kind !== 'text') return notAnAnswer(answer);
    const result = validateName(answer.text, { allowUnknown: !formal });
    if (!result.ok) {
      return result.error === 'unknownNotAllowed' ? invalid('terlapor.nameRequiredFormal') : textError(result.error, result.params);
    }
    const typed = result.value.kind === 'known' ? result.value.name : null;
    // "pak budi, camatnya": the name, and the position after it offered at the position question, next.
    const described = typed === null ? undefined : positionAfterName(typed);
    const bare = described ? validateName(described.name, { allowUnknown: false }) : undefined;
    const given = bare?.ok && bare.value.kind === 'known' ? bare.value.name : typed;
    const name = given === null ? null : spelled(given);
    // "kepala desa Sukamaju, tidak tahu namanya": the description is offered there too.
    const description = given === null ? descriptionBeforeUnknownName(answer.text) : given !== typed ? described?.position : undefined;
    const hint = context.terlapor.position === null ? description : undefined;
    return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, name }, positionHint: hint } };
  },

  askingTerlaporPosition(answer, context, today) {
    const hint = context.positionHint;
    if (answer.kind === 'choice' && answer.value === HINT && hint !== undefined) {
      // Read as a typed position would be.
      const position = validateShortText(hint, 150);
      if (position.ok) return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, position: position.value }, positionHint: undefined } };
    }
    const read = readTerlaporText('position', 150)(answer, context, today);
    return read.outcome === 'ok' ? { ...read, patch: { ...read.patch, positionHint: undefined } } : read;
  },
  askingTerlaporAgency(answer, context, today) {
    const read = readTerlaporText('agency', 200)(answer, context, today);
    const terlapor = read.patch?.terlapor;
    return read.outcome === 'ok' && terlapor ? withStatusFromPosition(read, terlapor, context) : read;
  },

  askingEmployment(answer, context) {
    if (answer.kind === 'text' && isUnknownWord(answer.text)) {
      return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, employment: 'unknown' }, statusPosition: context.terlapor.position } };
    }
    if (answer.kind === 'text') {
      const named = employmentFromWords(answer.text);
      if (named === 'asn') return invalid('errors.asnWhich');
      if (named !== undefined) return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, employment: named }, statusPosition: context.terlapor.position } };
    }
    if (answer.kind !== 'choice') return notAnAnswer(answer);
    const employment = employmentValues.find((v) => v === answer.value);
    if (!employment) return notAnAnswer(answer);
    return { outcome: 'ok', patch: { terlapor: { ...context.terlapor, employment }, statusPosition: context.terlapor.position } };
  },

  choosingCategory(typed, context) {
    // "Ya", "iya itu" after one category was suggested: that one.
    const suggested = context.categoryGuess ?? null;
    const answer: Answer = typed.kind === 'text' && suggested !== null && isYesToOffer(typed.text) ? { kind: 'choice', value: suggested } : typed;
    if (answer.kind === 'text') {
      // A story typed here instead of a choice: the categories its words point to are named, to choose from.
      const guesses = guessCategories(answer.text);
      const [only] = guesses;
      if (guesses.length === 1 && only !== undefined) {
        return { ...invalid('category.guessOne', { guesses: categoryLines(guesses, context) }), patch: { categoryGuess: only } };
      }
      if (guesses.length > 0) return { ...invalid('category.guess', { guesses: categoryLines(guesses, context) }), patch: { categoryGuess: null } };
    }
    if (answer.kind !== 'choice' || !isViolationId(answer.value)) return notAnAnswer(answer);
    const violation = getViolation(answer.value);
    if (!violation) return notAnAnswer(answer);
    // The catalogue's legal basis and sanction are the ASN rules; a village head, a soldier or an honorary employee
    // answers to other rules, so the reporter is told those instead.
    const employment = context.terlapor.employment;
    const group = nonAsnGroupOf(employment);
    const chosen =
      group !== null
        ? feedback(k('category.chosenOther'), {
            label: violation.label,
            examples: violation.examples,
            rules: { key: k(`category.rules.${group}`) },
          })
        : feedback(k('category.chosen'), {
            label: violation.label,
            examples: violation.examples,
            legalBasis: violation.legalBasis,
            sanction: { key: k(`sanction.${violation.sanctionLevel}`) },
            pppkNote: employment === 'pppk' ? { key: k('category.pppkNote') } : '',
          });
    return { outcome: 'ok', patch: { category: violation.id, categoryGuess: null }, replies: [chosen] };
  },

  askingEventDate(answer, context, today, at) {
    const read = readDate(answer, today, quickDays('askingEventDate', context, today), at);
    if ('outcome' in read) return read;
    return { outcome: 'ok', patch: { eventDate: read.date } };
  },

  askingLearnedDate(answer, context, today, at) {
    if (answer.kind === 'text' && context.eventDate && isSameDayWord(answer.text)) return acceptLearnedDate(context.eventDate, context, today);
    const read = readDate(answer, today, quickDays('askingLearnedDate', context, today), at);
    if ('outcome' in read) return read;
    return acceptLearnedDate(read.date, context, today);
  },

  offeringTipConversion(answer, context) {
    const reply = yesNo(answer, 'convert', 'cancel');
    if (reply === undefined) return notAnAnswer(answer);
    if (reply === 'no') return { outcome: 'cancel', replies: [say(k('review.cancelled'))] };
    return continueAsTip(context, 'convert', { convertedFromFormal: true });
  },

  askingRegion(answer) {
    if (answer.kind === 'location') return notePin(answer);
    return searchPlace(answer, null);
  },

  choosingRegion(answer, context) {
    if (answer.kind === 'location') return notePin(answer);
    if (answer.kind === 'choice') {
      if (answer.value === 'other') return retryPlace(context);
      const option = context.regionOptions.find((o) =>
        o.districtCode ? answer.value === `d:${o.districtCode}` : answer.value === `r:${o.regencyCode}`,
      );
      return option ? chooseListedPlace(option, context) : notAnAnswer(answer);
    }
    if (answer.kind === 'text') {
      // A number beyond the list picks nothing, and is no place either.
      if (isChoiceNumber(answer.text)) return invalid('errors.useChoices');
      // "kabupatennya", "yang kota": the one listed place of that kind. A kind word is no place to search for.
      const kind = placeKindWord(answer.text);
      if (kind !== undefined) {
        const listed = context.regionOptions.filter((o) => placeKindOf(o) === kind);
        return listed.length === 1 && listed[0] ? chooseListedPlace(listed[0], context) : invalid('errors.useChoices');
      }
    }
    return searchPlace(answer, context.pendingProvince);
  },

  confirmingDistrict(answer, context) {
    const reply = yesNo(answer);
    if (reply === undefined) {
      // "Gatau" is not sure of the place offered: what yes and no do, rather than what a place needs.
      if (answer.kind === 'text' && isUnknownWord(answer.text)) return invalid('help.confirmingDistrict');
      // A new place typed instead of yes/no is a new search.
      if (answer.kind === 'text') return searchPlace(answer, null);
      return notAnAnswer(answer);
    }
    const place = context.pendingDistrict ? placeOf(context.pendingDistrict) : undefined;
    if (reply === 'no' || !place) return retryPlace(context);
    return choosePlace(place);
  },

  askingRegencyInProvince(answer, context) {
    if (answer.kind === 'location') return notePin(answer);
    const provinceCode = context.pendingProvince;
    if (!provinceCode) return { outcome: 'retry' };
    if (isUnknown(answer)) return choosePlace({ provinceCode, regencyCode: null, districtCode: null });
    return searchPlace(answer, provinceCode);
  },

  askingPlaceDetail(answer, context) {
    if (answer.kind === 'location') {
      return {
        outcome: 'ok',
        patch: { location: { latitude: answer.latitude, longitude: answer.longitude } },
        replies: [say(k('where.pinNoted'))],
      };
    }
    // "Gak tau" is no detail of the place: the same as skipping the question.
    if (isSkip(answer) || isUnknown(answer)) return { outcome: 'ok', patch: { placeDetail: null } };
    if (answer.kind !== 'text') return notAnAnswer(answer);
    const result = validateShortText(answer.text, 300);
    if (!result.ok) return textError(result.error, result.params);
    // The office is chosen by the place: a detail that names a district or regency elsewhere is asked about.
    const elsewhere = context.place ? placeNamedElsewhere(result.value, context.place, context.policy?.servedArea) : undefined;
    if (elsewhere) return { outcome: 'elsewhere', patch: { placeDetail: result.value, pendingDistrict: elsewhere } };
    return { outcome: 'ok', patch: { placeDetail: result.value } };
  },

  confirmingPlaceDetail(answer, context) {
    if (answer.kind !== 'choice') return notAnAnswer(answer);
    const named = context.pendingDistrict ? placeOf(context.pendingDistrict) : undefined;
    if (answer.value === 'named' && named) return choosePlace(named);
    if (answer.value === 'chosen') return { outcome: 'kept', patch: { pendingDistrict: null } };
    return notAnAnswer(answer);
  },

  askingDescription(answer, context) {
    const story = context.storyHint;
    const useStory = (answer.kind === 'choice' && answer.value === HINT) || (answer.kind === 'text' && isEarlierWord(answer.text));
    if (useStory && story !== undefined) return { outcome: 'ok', patch: { description: story, storyHint: undefined } };
    if (answer.kind !== 'text') return notAnAnswer(answer);
    // A link alone is evidence, not the account: kept as evidence, and the account asked for again.
    const links = isLinkOnly(answer.text) ? parseEvidenceLinks(answer.text) : undefined;
    if (links?.ok) {
      const added = addEvidence(context, linkItems(links.value));
      return { outcome: 'invalid', ...(added.patch ? { patch: added.patch } : {}), replies: [say(k('errors.description.linkKept'))] };
    }
    // "Pakai yg tadi tp tambahin: …": the story kept, and what is added after it.
    const addition = story === undefined ? undefined : storyAddition(answer.text);
    const result = validateDescription(addition === undefined ? answer.text : `${story}\n${addition}`);
    if (!result.ok) return invalid(`errors.description.${result.error}`, result.params);
    return { outcome: 'ok', patch: { description: result.value, storyHint: undefined } };
  },

  collectingEvidence(answer, context) {
    switch (answer.kind) {
      case 'media':
        return addEvidence(context, [{ type: 'file', media: cleanMedia(answer.media) }]);
      case 'location':
        return notePin(answer);
      case 'contact':
        return invalid('evidence.contactNotEvidence');
      case 'choice':
        // Every file and link sent goes at once, and "2" picked it where it had been "no evidence": asked first.
        if (answer.value === 'clear') return context.evidence.length > 0 ? { outcome: 'clear' } : notAnAnswer(answer);
        if (answer.value === 'done' || answer.value === 'none') return finishEvidence(context);
        if (answer.value === 'tipInstead' && context.kind === 'formal' && context.evidence.length === 0) return continueAsTip(context, 'none');
        return notAnAnswer(answer);
      case 'text': {
        // "ga ada, postingannya udh dihapus": none, with the reason after it.
        if (isDone(answer) || isSkipWord(answer.text) || isSkipWord(answer.text.split(REASON_AFTER)[0] ?? '')) return finishEvidence(context);
        const removal = evidenceToRemove(answer.text);
        if (removal !== undefined) return removeEvidence(context, removal);
        const links = parseEvidenceLinks(answer.text);
        if (!links.ok) {
          if (links.error === 'noLink') return invalid('evidence.notEvidenceText', { days: context.policy?.draftDays ?? 7 });
          return invalid(`errors.link.${links.error}`, links.params);
        }
        return addEvidence(context, linkItems(links.value));
      }
    }
  },

  confirmingEvidenceClear(answer) {
    const reply = yesNo(answer, 'clear', 'keep');
    if (reply === undefined) return notAnAnswer(answer);
    if (reply === 'no') return { outcome: 'kept', replies: [say(k('evidence.clearKept'))] };
    return { outcome: 'cleared', patch: { evidence: [] }, replies: [say(k('evidence.cleared'))] };
  },

  confirmingNoEvidence(answer, context) {
    // The warning asks for a link or a screenshot: one sent here is taken, and the evidence question comes back with it.
    const links = answer.kind === 'text' ? parseEvidenceLinks(answer.text) : undefined;
    if (answer.kind === 'media' || links?.ok) {
      const items: EvidenceItem[] =
        answer.kind === 'media' ? [{ type: 'file', media: cleanMedia(answer.media) }] : linkItems(links?.ok ? links.value : []);
      const added = addEvidence(context, items);
      // The evidence question that follows counts it: the notice's own question would be asked twice.
      const replies = (added.replies ?? []).filter((m) => !(m.type === 'text' && m.prompt));
      return { outcome: 'add', ...(added.patch ? { patch: added.patch } : {}), replies };
    }
    const reply = yesNo(answer, 'continue', 'add');
    if (reply === undefined) return notAnAnswer(answer);
    return { outcome: reply === 'yes' ? 'continue' : 'add' };
  },

  askingWitnessName(answer, context) {
    // Witnesses given before and changed from the review: "none" or a new first witness replaces them.
    const replacing = context.personal.keepingWitnesses === true;
    // "selesai" typed once more after the evidence, "eh ga ada lg deh": no witness, not one of that name.
    const none =
      isSkip(answer) ||
      (answer.kind === 'text' && (isNoWitnessWord(answer.text) || (!replacing && isDoneWord(answer.text)) || isSkipWord(answer.text.replace(LEADING_INTERJECTION, ''))));
    if (none && replacing) {
      return {
        outcome: 'skip',
        patch: withPersonal(context, { witnessesAsked: true, witnessCount: 0, keepingWitnesses: false }),
        commands: [personalCommand(context, { type: 'clearWitnesses' })],
      };
    }
    if (none) return { outcome: 'skip', patch: { personal: { ...context.personal, witnessesAsked: true } } };
    if (answer.kind !== 'text') return notAnAnswer(answer);
    // "Siti Aminah, no hp 0813 1111 2222": the name and the contact in one answer, noted at once.
    const withPhone = nameThenPhone(answer.text);
    const result = validateName(withPhone?.name ?? answer.text, { allowUnknown: false });
    if (!result.ok) return result.error === 'unknownNotAllowed' ? invalid('witness.nameNeeded') : textError(result.error, result.params);
    if (result.value.kind !== 'known') return invalid('witness.nameNeeded');
    if (withPhone) {
      const op = { type: 'addWitness' as const, name: spelled(result.value.name), contact: withPhone.phone, ...(replacing ? { replace: true } : {}) };
      const noted = noteWitness(context, personalCommand(context, op));
      return { ...noted, outcome: noted.outcome === 'full' ? 'full' : 'noted' };
    }
    return {
      outcome: 'ok',
      // Replacing, those given before stay until this one is noted (going back from its contact loses none).
      patch: withPersonal(context, { pendingWitness: true }),
      commands: [personalCommand(context, { type: 'startWitness', name: spelled(result.value.name), ...(replacing ? { replace: true } : {}) })],
    };
  },

  askingWitnessContact(answer, context) {
    let contact: string | null;
    if (answer.kind === 'contact') {
      const phone = phoneAnswer(answer)!;
      contact = phone.ok ? phone.value : normaliseAnswer(answer.phone.slice(0, 80)).slice(0, 40) || null;
    } else if (isSkip(answer) || isUnknown(answer)) {
      // "Tidak tahu" is no way to reach the witness: the same as skipping the question.
      contact = null;
    } else if (answer.kind === 'text' && CHANGE_PART.test(normaliseForMatch(answer.text)) && namedPart(answer.text, context) !== undefined) {
      // "ubah lokasi" here is no way to reach the witness: the witness is finished first, then the part can change.
      return invalid('witness.contactFirst');
    } else if (answer.kind === 'text') {
      const phone = normalisePhone(answer.text);
      if (phone.ok) contact = phone.value;
      else {
        const text = validateShortText(answer.text, 200, 5);
        if (!text.ok) return invalid('witness.contactInvalid');
        contact = text.value;
      }
    } else {
      return notAnAnswer(answer);
    }
    return noteWitness(context, personalCommand(context, { type: 'finishWitness', contact }));
  },

  askingMoreWitnesses(answer, context, today) {
    // "tidak ada lagi", "ga ada lg": none more, as at any question that can be skipped.
    const reply = yesNo(answer) ?? (answer.kind === 'text' && (isDoneWord(answer.text) || isNoWitnessWord(answer.text) || isSkipWord(answer.text)) ? 'no' : undefined);
    // "iya, pak RT Joko": yes, and the next witness's name (and perhaps number) at once.
    const more = reply === undefined && answer.kind === 'text' ? YES_THEN_MORE.exec(answer.text.trim())?.[2] : undefined;
    // "iya, tambah satu lagi", "ya, 2 orang lagi": a yes, with no name in it.
    const named = more !== undefined && (nameThenPhone(more) || !/\d/.test(more)) && !tokensOf(more).every((w) => MORE_WORDS.has(w)) ? more : undefined;
    if (more !== undefined && named === undefined) return context.personal.witnessCount < MAX_WITNESSES ? { outcome: 'yes' } : notAnAnswer(answer);
    // "ada 1 lg", "masih ada satu lagi", "one more": a yes in words of more alone.
    if (reply === undefined && answer.kind === 'text' && isMoreAlone(answer.text)) {
      return context.personal.witnessCount < MAX_WITNESSES ? { outcome: 'yes' } : notAnAnswer(answer);
    }
    if (named !== undefined && context.personal.witnessCount < MAX_WITNESSES) {
      const read = readers.askingWitnessName({ kind: 'text', text: named }, context, today);
      if (read.outcome === 'ok' || read.outcome === 'noted' || read.outcome === 'full') return { ...read, outcome: read.outcome === 'ok' ? 'named' : read.outcome };
    }
    if (reply === undefined) return notAnAnswer(answer);
    if (reply === 'yes' && context.personal.witnessCount < MAX_WITNESSES) return { outcome: 'yes' };
    return { outcome: 'no', patch: { personal: { ...context.personal, witnessesAsked: true } } };
  },

  askingReporterName(answer, context) {
    if (answer.kind !== 'text') return notAnAnswer(answer);
    const wary = reporterWariness(answer.text, context);
    if (wary) return wary;
    const result = validateName(answer.text, { allowUnknown: false });
    if (!result.ok) return result.error === 'unknownNotAllowed' ? invalid('reporter.nameRequired') : textError(result.error, result.params);
    if (result.value.kind !== 'known') return invalid('reporter.nameRequired');
    return setReporter(context, 'name', spelled(result.value.name));
  },

  askingReporterAddress(answer, context) {
    if (answer.kind !== 'text') return notAnAnswer(answer);
    const wary = reporterWariness(answer.text, context);
    if (wary) return wary;
    const result = validateAddress(answer.text);
    if (!result.ok) return invalid(`errors.address.${result.error}`, result.params);
    return setReporter(context, 'address', result.value);
  },

  askingReporterPhone(answer, context) {
    // Without a number Bawaslu can call, the report can still go as initial information (offered once it shows).
    if (answer.kind === 'choice' && answer.value === 'tipInstead') return continueAsTip(context, 'tipInstead');
    if (answer.kind === 'text' && isAnonymousWish(answer.text)) return continueAsTip(context, 'tipInstead');
    // "Saya tidak punya nomor Indonesia", "nomor saya Malaysia": how to write a number abroad, or go on as a tip.
    if (answer.kind === 'text' && isNoIndonesianNumberWord(answer.text)) return { ...invalid('errors.phone.noNumber'), patch: { foreignPhone: true } };
    const result = phoneAnswer(answer);
    if (result === undefined) return notAnAnswer(answer);
    if (!result.ok) {
      const refused = invalid(phoneErrorKey(result.error, result.params), result.params);
      // A number abroad that does not check out: its owner may have no other, so the tip is offered too.
      return result.error === 'unknownCountry' || result.error === 'foreignInvalid' ? { ...refused, patch: { foreignPhone: true } } : refused;
    }
    const saved = setReporter(context, 'phone', result.value);
    return context.foreignPhone ? { ...saved, patch: { ...saved.patch, foreignPhone: false } } : saved;
  },

  askingReporterEmail(answer, context) {
    // "tidak" to the query of a misspelt domain is an answer to that question, not a wish to skip the e-mail.
    if (context.queriedEmailDomain && answer.kind === 'text' && isNoWord(answer.text)) return invalid('errors.email.sendAgain');
    if (isSkip(answer)) return clearingEmailQuery(setReporter(context, 'email', null));
    if (answer.kind !== 'text') return notAnAnswer(answer);
    if (context.queriedEmailDomain && isYesWord(answer.text)) {
      const suggestion = suggestEmailDomain(`x@${context.queriedEmailDomain}`);
      if (suggestion && context.queriedEmailSealed) {
        const reporter = { ...context.personal.reporter, email: 'given' as const };
        return {
          outcome: 'ok',
          patch: { ...withPersonal(context, { reporter }), queriedEmailDomain: null, queriedEmailSealed: false },
          replies: [say(k('reporter.emailCorrected'), { suggestion })],
          commands: [personalCommand(context, { type: 'acceptEmailSuggestion', domain: suggestion })],
        };
      }
      // A draft queried before the address was kept: it must be typed again with the suggested domain.
      if (suggestion) return invalid('errors.email.typeAgain', { suggestion });
    }
    const result = parseEmail(answer.text);
    if (!result.ok) return invalid(`errors.email.${result.error}`);
    const domain = result.value.slice(result.value.lastIndexOf('@') + 1);
    const suggestion = suggestEmailDomain(result.value);
    if (suggestion && context.queriedEmailDomain !== domain) {
      // Asked once: the same domain sent again is what the reporter means, and "yes" takes the suggestion.
      return {
        ...invalid('errors.email.didYouMean', { domain, suggestion }),
        patch: { ...withPersonal(context, {}), queriedEmailDomain: domain, queriedEmailSealed: true },
        commands: [personalCommand(context, { type: 'queryReporterEmail', address: result.value })],
      };
    }
    return clearingEmailQuery(setReporter(context, 'email', result.value));
  },

  reviewing(answer, context, today) {
    const value =
      answer.kind === 'choice' ? answer.value : answer.kind === 'text' && (isYesWord(answer.text) || isSendWord(answer.text)) ? 'confirm' : undefined;
    if (value === 'confirm') {
      if (context.kind === 'formal' && context.learnedDate && isPastDeadline(context.learnedDate, today)) {
        return { outcome: 'pastDeadline', patch: { editing: true }, replies: [pastDeadlineMessage(context.learnedDate)] };
      }
      return { outcome: 'confirm' };
    }
    if (value === 'edit') return { outcome: 'edit' };
    if (value === 'cancel') return { outcome: 'cancel' };
    // "ubah uraian", "actually change the place": that part's questions at once.
    const part = answer.kind === 'text' ? namedPart(answer.text, context) : undefined;
    if (part) return readers.choosingEditField({ kind: 'choice', value: part }, context, today);
    // "Udh kekirim blm?": not yet, and how; "will the camat know it was me?": who sees what.
    if (answer.kind === 'text' && asksIfSent(answer.text)) return invalid('review.notSentYet', { confirm: { key: confirmKey(context) } });
    if (answer.kind === 'text' && asksWhoKnows(answer.text)) return invalid(context.kind === 'formal' ? 'review.whoSeesFormal' : 'review.whoSeesTip');
    return notAnAnswer(answer);
  },

  choosingEditField(answer, context) {
    if (answer.kind !== 'choice') return notAnAnswer(answer);
    if (answer.value === 'back') return { outcome: 'back' };
    if (!editFields(context).includes(answer.value)) return notAnAnswer(answer);
    if (answer.value === 'witnesses') {
      // Those given are shown first, to keep, add to, replace or remove; without any, the first is asked for.
      if (context.personal.witnessCount > 0) return { outcome: 'witnessChange', patch: { editing: true } };
      return { outcome: 'witnesses', patch: { editing: true, personal: { ...context.personal, witnessesAsked: false, keepingWitnesses: false } } };
    }
    return { outcome: answer.value, patch: { editing: true } };
  },

  choosingWitnessChange(answer, context) {
    const { personal } = context;
    const value = answer.kind === 'choice' ? answer.value : answer.kind === 'text' && isNoWitnessWord(answer.text) ? 'clear' : undefined;
    switch (value) {
      case 'add':
        if (personal.witnessCount >= MAX_WITNESSES) return invalid('witness.full', { max: MAX_WITNESSES });
        return { outcome: 'add', patch: { personal: { ...personal, witnessesAsked: false, keepingWitnesses: false } } };
      case 'replace':
        // They stay until the first new one is given: going back, or keeping, loses none.
        return { outcome: 'replace', patch: { personal: { ...personal, witnessesAsked: false, keepingWitnesses: true } } };
      case 'clear':
        return {
          outcome: 'clear',
          patch: withPersonal(context, { witnessesAsked: true, witnessCount: 0, pendingWitness: false, keepingWitnesses: false }),
          replies: [say(k('witness.cleared'))],
          commands: [personalCommand(context, { type: 'clearWitnesses' })],
        };
      default:
        return notAnAnswer(answer);
    }
  },

  confirmingCancel(answer) {
    const reply = yesNo(answer);
    if (reply === undefined) return notAnAnswer(answer);
    return reply === 'yes' ? { outcome: 'yes', replies: [say(k('review.cancelled'))] } : { outcome: 'no' };
  },
};

/**
 * A witness noted with `command` (its contact given): counted, and the last one allowed says so. The first of a new
 * list replaces those given before (see `startWitness`).
 */
function noteWitness(context: ReportContext, command: FlowCommand): StepOutcome {
  const witnessCount = (context.personal.keepingWitnesses ? 0 : context.personal.witnessCount) + 1;
  const full = witnessCount >= MAX_WITNESSES;
  return {
    outcome: full ? 'full' : 'ok',
    patch: withPersonal(context, { witnessCount, pendingWitness: false, witnessesAsked: full, keepingWitnesses: false }),
    commands: [command],
    replies: [say(k(full ? 'witness.savedLast' : 'witness.saved'), { number: witnessCount, max: MAX_WITNESSES })],
  };
}

/** A yes with more after it, at "another witness?" ("iya, pak RT Joko", "ada, Siti 0813…"). */
const YES_THEN_MORE = /^(ya|iya|iyaa|yes|yup|ada|masih ada|boleh|ok|oke)\s*[,.:;!-]\s*(.+)$/iu;
/** Words after such a yes that name no one ("iya, tambah satu lagi", "yes, one more please"). */
const MORE_WORDS: ReadonlySet<string> = new Set([
  'tambah', 'lagi', 'lg', 'lgi', 'satu', 'dua', '1', '2', 'masih', 'ada', 'lanjut', 'mau', 'boleh', 'dong', 'deh', 'ya', 'iya',
  'saksi', 'saksinya', 'orang', 'org', 'yang', 'yg', 'lain', 'kak', 'min', 'add', 'another', 'one', 'more', 'please',
  'witness', 'other', 'sure',
]);
/** Among those, the words that say there is more ("ada", "lagi", "another"), where a bare "satu" or "kak" does not. */
const MORE_SIGNAL: ReadonlySet<string> = new Set(['ada', 'lagi', 'lg', 'lgi', 'tambah', 'lain', 'another', 'more', 'other', 'add']);

/** "ada 1 lg", "one more": words of there being another witness, and nothing else. */
function isMoreAlone(text: string): boolean {
  const words = tokensOf(text);
  return words.length <= 6 && words.every((w) => MORE_WORDS.has(w)) && words.some((w) => MORE_SIGNAL.has(w));
}

function tokensOf(text: string): string[] {
  return normaliseForMatch(text).split(' ').filter((w) => w !== '');
}

/** Interjections before an answer that do not change it ("eh ga ada lg deh", "oh tidak ada"). */
const LEADING_INTERJECTION = /^\s*(?:eh|ehh|oh|ohh|hmm+|emm+|umm+|wah|aduh|lho|loh)\b[\s,.]*/i;

/** Words between a name and the number after it ("Siti, no hp 0813…", "Siti - WA: 0813…"). */
const NAME_THEN_PHONE = /^(.*?\p{L}.*?)[\s,;:–-]+(?:(?:no|nmr|nomor|nomer|hp|wa|whatsapp|telp|telepon|tlp|kontak|contact|phone|number)\b[\s.:]*)*(\+?\d[\d\s().-]{6,}\d)$/u;

/** A name with a phone number after it, as a witness is given in one line; undefined when the number does not check. */
function nameThenPhone(text: string): { name: string; phone: string } | undefined {
  // A name and a number are short; a longer paste is not read this way (the pattern would take long over it).
  if (text.length > 200) return undefined;
  const match = NAME_THEN_PHONE.exec(text.trim());
  if (!match) return undefined;
  const phone = normalisePhone(match[2]!);
  return phone.ok ? { name: match[1]!.trim(), phone: phone.value } : undefined;
}

/**
 * A reporter who would rather not give their identity: "anonim aja" goes on as initial information (what the phone
 * question's button offers), and a question ("kenapa harus nama saya?") is told why a formal report needs it and how
 * to go on without. Neither is stored as the name or the address.
 */
function reporterWariness(text: string, context: ReportContext): StepOutcome | undefined {
  if (isAnonymousWish(text)) return continueAsTip(context, 'tipInstead');
  return isQuestion(text) ? invalid('reporter.whyIdentity') : undefined;
}

/** The queried e-mail domain is forgotten once the question is answered. */
function clearingEmailQuery(outcome: StepOutcome): StepOutcome {
  return { ...outcome, patch: { ...outcome.patch, queriedEmailDomain: null, queriedEmailSealed: false } };
}

function setReporter(context: ReportContext, field: 'name' | 'address' | 'phone' | 'email', value: string | null): StepOutcome {
  const reporter = { ...context.personal.reporter, [field]: field === 'email' ? (value === null ? 'skipped' : 'given') : true };
  return {
    outcome: 'ok',
    patch: withPersonal(context, { reporter }),
    commands: [personalCommand(context, { type: 'setReporterField', field, value })],
  };
}

/** A learned date, checked against the event date; a formal report is told its deadline (or that it has passed). */
function acceptLearnedDate(date: IsoDate, context: ReportContext, today: IsoDate): StepOutcome {
  const eventDate = context.eventDate ?? date;
  const checked = validateLearnedDate(eventDate, date);
  if (!checked.ok) return invalid('errors.date.beforeEvent', { eventDate: dateParam(eventDate) });
  const learnedDate = checked.value;
  if (context.kind !== 'formal') return { outcome: 'ok', patch: { learnedDate } };
  if (isPastDeadline(learnedDate, today)) {
    return { outcome: 'pastDeadline', patch: { learnedDate }, replies: [pastDeadlineMessage(learnedDate)] };
  }
  const left = daysLeft(learnedDate, today);
  const deadline = dateParam(reportDeadline(learnedDate));
  return {
    outcome: 'ok',
    patch: { learnedDate },
    replies: [left === 0 ? say(k('when.deadlineToday'), { deadline }) : say(k('when.deadlineOk'), { deadline, days: left })],
  };
}

function pastDeadlineMessage(learnedDate: IsoDate): OutboundMessage {
  return say(k('when.pastDeadline'), { learnedDate: dateParam(learnedDate), deadline: dateParam(reportDeadline(learnedDate)) });
}

/**
 * Keeps a step's earlier answer, checked again against what may have changed around it: the learned date against a
 * new event date (and the deadline), the place against the served area, the place detail against a new place.
 */
/**
 * After the agency, the next question is the status; a position that names it ("Kepala Desa", "Camat", "Polisi")
 * answers it the first time through, and is offered as the status to keep when the position was changed later.
 */
function withStatusFromPosition(read: StepOutcome, terlapor: ReportContext['terlapor'], context: ReportContext): StepOutcome {
  const named = terlapor.position === null || AMBIGUOUS_POSITION.test(matchKey(terlapor.position)) ? undefined : employmentFromWords(terlapor.position, { leading: true });
  if (named === undefined || named === 'asn' || named === terlapor.employment) return read;
  const employment = { key: k(`employment.${named}`) };
  const patch = { ...read.patch, terlapor: { ...terlapor, employment: named }, statusPosition: terlapor.position };
  if (context.editing || terlapor.employment !== null) {
    // Only a changed position offers another status: one chosen for this position stays (a PNS acting as village
    // head stays a PNS when the name is corrected).
    if (terlapor.employment === null || terlapor.position === context.statusPosition) return read;
    return { outcome: 'ok', patch, replies: [say(k('terlapor.employmentFromNewPosition'), { employment })] };
  }
  return { outcome: 'okEmploymentFromPosition', patch, replies: [say(k('terlapor.employmentFromPosition'), { employment })] };
}

/** Words that name a village head in one region and any senior official in everyday speech ("petinggi"). */
const AMBIGUOUS_POSITION = /\bpetinggi\b/;

function keepAnswer(step: ReportStep, context: ReportContext, today: IsoDate): StepOutcome {
  if (step === 'askingLearnedDate' && context.learnedDate) return acceptLearnedDate(context.learnedDate, context, today);
  if (step === 'askingRegion' && context.place) return keepToServedArea(choosePlace(context.place), context.policy?.servedArea);
  if (step === 'askingPlaceDetail' && context.placeDetail && context.place) {
    const elsewhere = placeNamedElsewhere(context.placeDetail, context.place, context.policy?.servedArea);
    if (elsewhere) return { outcome: 'elsewhere', patch: { pendingDistrict: elsewhere } };
  }
  if (step === 'askingWitnessName' || step === 'choosingWitnessChange') {
    return { outcome: step === 'askingWitnessName' ? 'skip' : 'keep', patch: { personal: { ...context.personal, witnessesAsked: true, keepingWitnesses: false } } };
  }
  if (step === 'askingTerlaporAgency') return withStatusFromPosition({ outcome: 'ok' }, context.terlapor, context);
  return step === 'askingReporterEmail' ? clearingEmailQuery({ outcome: 'ok' }) : { outcome: 'ok' };
}

/**
 * Steps where a typed "tetap" can be nothing but a wish to keep: the parts edited, and the witnesses' free text. Not
 * the learned date ("sama saja" is the event's day) nor the place (Kecamatan Tetap, Kaur, is a place).
 */
function keepWordIsNoAnswer(step: ReportStep): boolean {
  if (step === 'askingLearnedDate' || step === 'askingRegion') return false;
  return step in keepingRules || step === 'askingWitnessName' || step === 'askingWitnessContact';
}

/**
 * Steps where a part being changed from the review cannot be left for another one: the kind and its consent (a tip
 * turning formal), the offer made at a missed deadline and a witness whose contact is still asked each need their
 * answer first; the review and its list of parts read part names themselves.
 */
const STAYING_STEPS: ReadonlySet<ReportStep> = new Set<ReportStep>([
  'choosingKind',
  'consenting',
  'offeringTipConversion',
  'askingWitnessContact',
  'reviewing',
  'choosingEditField',
  'confirmingCancel',
]);

/** Prefix of the outcome that leaves the part being changed for another one the reporter named. */
export const SWITCH_PART = 'switch.';

/** Whether, while a part is changed, this step can leave it for another part named ("ubah saksi"). */
export function canSwitchPart(step: ReportStep): boolean {
  return !STAYING_STEPS.has(step);
}

/**
 * While a part is changed from the review, "ubah saksi" (a part named as at the review) opens that part instead of
 * being taken as this question's answer: it is no one's position, and no place. What was answered so far is kept.
 */
function switchingPart(step: ReportStep, answer: Answer, context: ReportContext, today: IsoDate, at: string): StepOutcome | undefined {
  if (!context.editing || !canSwitchPart(step) || answer.kind !== 'text') return undefined;
  const part = namedPart(answer.text, context);
  if (part === undefined) return undefined;
  const opened = readers.choosingEditField({ kind: 'choice', value: part }, context, today, at);
  return { ...opened, outcome: `${SWITCH_PART}${opened.outcome}` };
}

/** Reads an answer at a step; `at` is the event's instant (for "today" in Jakarta). */
export function readAnswer(step: ReportStep, answer: Answer, context: ReportContext, at: string): StepOutcome {
  const switched = switchingPart(step, answer, context, jakartaDate(at), at);
  if (switched) return switched;
  // "Kirim" while a part is changed is no place detail or name: the part must be finished first ("kirim" had become
  // the place's detail).
  if (context.editing && canSwitchPart(step) && answer.kind === 'text' && isSendWord(answer.text)) return invalid('review.sendWhileEditing');
  // At the learned date a bare "sama" is the event's day; "sama saja" still keeps.
  const wantsKeep = answer.kind === 'choice' ? answer.value === KEEP : answer.kind === 'text' && isKeepWord(answer.text, step !== 'askingLearnedDate');
  const how = wantsKeep ? keepingAt(step, context) : null;
  // "tetap" where nothing can be kept is asked again rather than taken as the answer ("tetap" is no one's position),
  // but for the learned date, where "sama saja" is the event's day.
  if (how) return how === 'none' ? invalid('errors.nothingToKeep') : keepAnswer(step, context, jakartaDate(at));
  if (wantsKeep && answer.kind === 'text' && keepWordIsNoAnswer(step)) return invalid('errors.nothingToKeep');
  const outcome = readers[step](answer, context, jakartaDate(at), at);
  if (STORY_STEPS.has(step)) return keepingStory(outcome, answer, context);
  return PLACE_STEPS.has(step) ? keepToServedArea(outcome, context.policy?.servedArea) : outcome;
}

/**
 * Steps where people often tell the whole story instead of answering: the first question, the name (a story there is
 * too long for one), the status, "Apa yang dilakukannya?" and the dates.
 */
const STORY_STEPS: ReadonlySet<ReportStep> = new Set<ReportStep>([
  'choosingKind', 'askingTerlaporName', 'askingEmployment', 'choosingCategory', 'askingEventDate', 'askingLearnedDate',
]);
/** Fewest words of a story worth keeping: a phrase shorter than this is an attempt at the answer. */
const STORY_MIN_WORDS = 6;

/**
 * A story typed where the category or a date is asked, and not taken as the answer, is kept and offered at the
 * description, which comes later: the reporter is told so and need not type it again. Only while no description is
 * given, only text that would pass as one, and only a longer one in place of a story kept before.
 */
function keepingStory(outcome: StepOutcome, answer: Answer, context: ReportContext): StepOutcome {
  if (outcome.outcome !== 'invalid' || answer.kind !== 'text' || context.description !== null) return outcome;
  const story = validateDescription(answer.text);
  if (!story.ok || story.value.split(/\s+/).length < STORY_MIN_WORDS) return outcome;
  // A story kept already is not replaced by a shorter one: a date tried again in words ("eh salah, maksud sy tgl 30
  // jg") had taken the place of the whole account.
  if (context.storyHint !== undefined && story.value.length <= context.storyHint.length) return outcome;
  return {
    ...outcome,
    patch: { ...outcome.patch, storyHint: story.value },
    replies: [...(outcome.replies ?? []), say(k('description.storyKept'))],
  };
}
