/**
 * Behaviour of the report flow through the real runtime and store, in Indonesian and in English: every
 * validation rule answers with its own message in the chat's language and asks the question again; branches
 * (regions, deadline, evidence, witnesses, edits, cancel, back, help) and hostile input.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../content/locales/index.ts';
import type { OutboundMessage } from '../../../flows/messages.ts';
import type { SubmitReportResult } from '../../../flows/report/reportCommands.ts';
import { emptyReport, type Employment } from '../../../flows/report/reportContext.ts';
import { submittedMessages } from '../../../flows/report/reportSummary.ts';
import { lookupText } from '../../../flows/shared/texts.ts';
import { storeMedia } from '../../../bot/media/mediaStore.ts';
import { createHarness, type Harness, type Reply, type TurnOptions } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { confirm, formalToReview, storedPhoto, tipToReview } from './reportJourney.ts';

function keysOf(messages: OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.type === 'text' && 'key' in m.text ? [m.text.key] : []));
}

/** The plain words a text starts with in a locale (up to its first parameter or line break). */
function opening(key: string, locale: Locale): string {
  const template = lookupText(key, locale);
  if (template === undefined) throw new Error(`no text ${key} in ${locale}`);
  return template.replace(/<[^>]+>/g, '').split(/\{\{|\n/)[0]!.trim().slice(0, 40);
}

/** The reply says `key`, in the chat's language and not the other, and asks its question again. */
function expectSays(reply: Reply, key: string, locale: Locale, options: { asksAgain?: boolean } = {}): void {
  expect(keysOf(reply.messages), reply.all).toContain(key);
  expect(reply.result.locale).toBe(locale);
  const words = opening(key, locale);
  if (words.length > 0) expect(reply.all).toContain(words);
  const other = opening(key, locale === 'id' ? 'en' : 'id');
  if (other.length > 0 && other !== words) expect(reply.all).not.toContain(other);
  if (options.asksAgain !== false) expect(reply.messages.some((m) => m.type === 'text' && m.prompt)).toBe(true);
}

const yesWord = { id: 'ya', en: 'yes' } as const;
const doneWord = { id: 'selesai', en: 'done' } as const;

describe.each(storeKinds)('the report flow on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe.each(['id', 'en'] as const)('a formal report typed in %s, with every validation rule on the way', (locale) => {
    const turn: TurnOptions = { chat: `walk-${locale}` };
    const say = (text: string) => h.say(text, turn);

    it('starts with the two kinds explained, and asks again when the answer is not one of them', async () => {
      await h.command('start', '', turn);
      await h.command('bahasa', locale, turn);
      const intro = await h.command(locale === 'id' ? 'lapor' : 'report', '', turn);
      expectSays(intro, 'report.intro', locale);
      expect(intro.all).toContain(locale === 'id' ? 'Informasi awal (anonim)' : 'Initial information (anonymous)');
      expect(intro.all).toContain(locale === 'id' ? '7 hari kalender' : '7 calendar days');
      expectSays(await say('pisang goreng'), 'report.errors.useChoices', locale);
      const consent = await say('2');
      expectSays(consent, 'report.consent.askFormal', locale);
      expect(consent.all).toContain('27/2022');
      expect(consent.all).toMatch(/7 (hari|days)/);
    });

    it('asks for consent, then who is reported, refusing names that are empty, too short, too long, without letters or unknown', async () => {
      expectSays(await say('hmm'), 'report.errors.useChoices', locale);
      // A question about the identity asked is answered, with the way without it.
      expectSays(await say(locale === 'id' ? 'harus isi nama sy?' : 'do I have to give my name?'), 'report.consent.whyIdentity', locale);
      expectSays(await say(locale === 'id' ? 'setuju' : 'I agree'), 'report.terlapor.askNameFormal', locale);
      expectSays(await say('   '), 'report.errors.text.empty', locale);
      expectSays(await say('B'), 'report.errors.text.tooShort', locale);
      const paste = await say('x'.repeat(10_000));
      expectSays(paste, 'report.errors.text.tooLong', locale);
      expect(paste.all).toContain('10000');
      expectSays(await say('12345 !!!'), 'report.errors.text.noLetters', locale);
      expectSays(await say('😡😡😡'), 'report.errors.text.noLetters', locale);
      // A greeting after a pause is returned, and the question asked again; a laugh is still no name.
      const greeted = await say(locale === 'id' ? 'halo' : 'hello');
      expectSays(greeted, 'common.carryOn', locale);
      expectSays(greeted, 'report.terlapor.askNameFormal', locale);
      expectSays(await say('wkwkwk'), 'report.errors.text.notAName', locale);
      expectSays(await say(locale === 'id' ? 'tidak tahu' : "don't know"), 'report.terlapor.nameRequiredFormal', locale);
      expectSays(await say('<b>Budi</b> *Santoso* $t(common.help) {{name}}'), 'report.terlapor.askPosition', locale);
    });

    it('takes the position and agency (may be unknown), reads the status from the position, and takes it from its choices after going back', async () => {
      expectSays(await say('x'.repeat(151)), 'report.errors.text.tooLong', locale);
      expectSays(await say('Camat'), 'report.terlapor.askAgency', locale);
      // Only a PNS can be a camat: the status question is answered, and the reporter is told how to change it.
      const noted = await say(locale === 'id' ? 'tidak tahu' : "don't know");
      expectSays(noted, 'report.terlapor.employmentFromPosition', locale);
      expectSays(noted, 'report.category.ask', locale);
      expect(noted.all).toContain(locale === 'id' ? 'sebagai PNS.' : 'as PNS (permanent civil servant).');
      const employment = await say(locale === 'id' ? 'kembali' : 'back');
      expectSays(employment, 'report.terlapor.askEmployment', locale);
      expect(employment.choices[0]).toBe(locale === 'id' ? 'Biarkan: PNS' : 'Keep: PNS (permanent civil servant)');
      expectSays(await say('astronaut'), 'report.errors.useChoices', locale);
      expectSays(await say('ASN'), 'report.errors.asnWhich', locale);
      expectSays(await say('PNS'), 'report.category.ask', locale);
    });

    it('lists the twelve categories and explains the chosen one with its legal basis and sanction', async () => {
      const help = await h.command(locale === 'id' ? 'bantuan' : 'help', '', turn);
      expectSays(help, 'report.help.choosingCategory', locale);
      expect(help.all).toContain('12. ');
      expect(help.choices).toHaveLength(12);
      const beyond = await say('99');
      expectSays(beyond, 'report.errors.noSuchChoice', locale);
      expect(beyond.all).toContain(locale === 'id' ? 'Tidak ada pilihan nomor 99.' : 'There is no choice number 99.');
      const chosen = await say('3');
      expectSays(chosen, 'report.category.chosen', locale);
      expect(chosen.all).toContain(locale === 'id' ? 'Ikut kampanye' : 'Attending a campaign');
      expect(chosen.all).toContain(locale === 'id' ? 'Pasal' : 'Article');
    });

    it('refuses event dates it cannot read, that do not exist, that are in the future or years ago', async () => {
      expectSays(await say('kapan-kapan'), 'report.errors.date.unrecognised', locale);
      expectSays(await say('31/02/2026'), 'report.errors.date.invalidDate', locale);
      const future = await say('01/01/2030');
      expectSays(future, 'report.errors.date.future', locale);
      expect(future.all).toContain(locale === 'id' ? '1 Januari 2030' : '1 January 2030');
      // The harness's clock reads 22 November 2026.
      const tomorrow = await say(locale === 'id' ? 'besok' : 'tomorrow');
      expectSays(tomorrow, 'report.errors.date.future', locale);
      expect(tomorrow.all).toContain('23 November 2026');
      expectSays(await say('01/01/2020'), 'report.errors.date.tooOld', locale);
      const mismatch = await say(locale === 'id' ? 'Senin 20/11/2026' : 'Monday 20/11/2026');
      expectSays(mismatch, 'report.errors.date.weekdayMismatch', locale);
      expect(mismatch.all).toContain(locale === 'id' ? '20 November 2026 jatuh pada hari Jumat, bukan Senin' : '20 November 2026 was a Friday, not a Monday');
      expectSays(await say('21 Nov 2026'), 'report.when.askLearnedDate', locale);
    });

    it('refuses a learned date before the event and states the 7-day deadline of a formal report', async () => {
      expectSays(await say('2026-11-20'), 'report.errors.date.beforeEvent', locale);
      const learned = await say(locale === 'id' ? 'hari ini' : 'today');
      expectSays(learned, 'report.when.deadlineOk', locale);
      expect(learned.all).toContain(locale === 'id' ? '29 November 2026' : '29 November 2026');
      expectSays(learned, 'report.where.askRegion', locale);
    });

    it('finds the place from a misspelled regency, and takes a location pin for the details', async () => {
      const none = await say('Zzyzx Qwerty');
      expectSays(none, 'report.where.notFound', locale);
      expect(none.all).toContain('Zzyzx Qwerty');
      const found = await say('bangka brat');
      expectSays(found, 'report.where.chosen', locale);
      expect(found.all).toContain('Kabupaten Bangka Barat, Kepulauan Bangka Belitung');
      expectSays(await h.send({ type: 'user.sendContact', phone: '+6281200000000' }, turn), 'report.errors.contactNotNow', locale);
      const pin = await h.send({ type: 'user.sendLocation', latitude: -2.0643, longitude: 105.1633 }, turn);
      expectSays(pin, 'report.where.pinNoted', locale);
      expectSays(pin, 'report.description.ask', locale);
    });

    it('wants a description of 30 to 4,000 characters, in words', async () => {
      const short = await say('ada kampanye');
      expectSays(short, 'report.errors.description.tooShort', locale);
      expect(short.all).toContain('30');
      expectSays(await say('kata '.repeat(850)), 'report.errors.description.tooLong', locale);
      expectSays(await say('👍'.repeat(10_000)), 'report.errors.description.tooLong', locale);
      expectSays(await say('🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏'), 'report.errors.description.noLetters', locale);
      const ok = await say('Camat berpidato di panggung kampanye calon bupati dengan seragam dinas.\nIa mengajak warga memilih nomor 2. <i>Saya</i> melihatnya sendiri.');
      expectSays(ok, 'report.evidence.askFormal', locale);
    });

    it('collects evidence: files and valid links, refusing the rest, and needs at least one for a formal report', async () => {
      expectSays(await say(doneWord[locale]), 'report.evidence.formalNeedsEvidence', locale);
      expectSays(await say('javascript:alert(1)'), 'report.errors.link.invalidLink', locale);
      expectSays(await say('http://localhost/bukti'), 'report.errors.link.invalidLink', locale);
      const notEvidence = await say('ini buktinya ya');
      expectSays(notEvidence, 'report.evidence.notEvidenceText', locale);
      // Evidence that is elsewhere can come later: the draft waits.
      expect(notEvidence.all).toMatch(locale === 'id' ? /tersimpan selama \d+ hari/ : /kept for \d+ days/);
      // "None", with the reason after it, is none: a formal report then needs some.
      expectSays(await say(locale === 'id' ? 'ga ada, postingannya udh dihapus' : 'none, the post was deleted'), 'report.evidence.formalNeedsEvidence', locale);
      expectSays(await h.send({ type: 'user.sendUnsupported', what: 'sticker' }, turn), 'report.errors.unsupported', locale);
      expectSays(await h.send({ type: 'user.sendUnavailableMedia', kind: 'video', reason: 'tooLarge' }, turn), 'report.errors.unavailable.tooLarge', locale);
      const photo = await storedPhoto(h, `walk-${locale}-${kind}`, { r: locale === 'id' ? 1 : 2, g: 99, b: 99 });
      const received = await h.send({ type: 'user.sendMedia', media: photo }, turn);
      expectSays(received, 'report.evidence.received', locale, { asksAgain: false });
      expect(received.choices.length).toBeGreaterThan(0);
      const duplicate = await h.send({ type: 'user.sendMedia', media: photo }, turn);
      expectSays(duplicate, 'report.evidence.duplicate', locale, { asksAgain: false });
      // The same choices as after the first copy, so a terminal or WhatsApp user is not left without them.
      expect(duplicate.values).toEqual(received.values);
      const links = await say('lihat https://www.facebook.com/camat/posts/1 dan www.instagram.com/p/xyz.');
      expectSays(links, 'report.evidence.received', locale, { asksAgain: false });
      expect(links.all).toMatch(/3/);
      // Asked again with evidence in, the question counts it and no longer speaks of having none.
      const again = await h.send({ type: 'user.sendUnsupported', what: 'sticker' }, turn);
      expectSays(again, 'report.evidence.askMore', locale);
      expect(again.all).toContain(locale === 'id' ? 'Bukti: 3 dari paling banyak 10' : 'Evidence: 3 of at most 10');
      expect(keysOf(again.messages)).not.toContain('report.evidence.askFormal');
      expectSays(await say(doneWord[locale]), 'report.witness.askName', locale);
    });

    it('takes up to three witnesses with a phone or an address each', async () => {
      expectSays(await say(locale === 'id' ? 'tidak tahu' : "don't know"), 'report.witness.nameNeeded', locale);
      // "tetap" is no one's name: it is asked again, as is a contact of "tidak diubah".
      expectSays(await say(locale === 'id' ? 'tetap' : 'keep'), 'report.errors.nothingToKeep', locale);
      expectSays(await say('Siti Aminah'), 'report.witness.askContact', locale);
      expectSays(await say(locale === 'id' ? 'tidak diubah' : 'unchanged'), 'report.errors.nothingToKeep', locale);
      expectSays(await say('x'), 'report.witness.contactInvalid', locale);
      expectSays(await say('0813 1111 2222'), 'report.witness.askMore', locale);
      expectSays(await say(yesWord[locale]), 'report.witness.askName', locale);
      await say('Dodi Pratama');
      await say(locale === 'id' ? 'lewati' : 'skip');
      await say(yesWord[locale]);
      await say('Eka Putri');
      const third = await say('Jl. Melati No. 5, Muntok');
      expectSays(third, 'report.witness.savedLast', locale);
      expectSays(third, 'report.reporter.askName', locale);
      expect(third.all).toContain(locale === 'id' ? 'Kami tidak meminta NIK' : 'We do not ask for your national ID number');
    });

    it('asks the reporter for name, address, an Indonesian phone and an optional e-mail', async () => {
      expectSays(await say(locale === 'id' ? 'tidak tahu' : "don't know"), 'report.reporter.nameRequired', locale);
      expectSays(await say('Andi Wijaya'), 'report.reporter.askAddress', locale);
      expectSays(await say('Jl. A'), 'report.errors.address.tooShort', locale);
      expectSays(await say('Jl. Merdeka No. 10, Muntok, Bangka Barat'), 'report.reporter.askPhone', locale);
      expectSays(await say('12345'), 'report.errors.phone.unrecognised', locale);
      expectSays(await say('+1 555 123 4567'), 'report.errors.phone.foreignInvalid', locale);
      expectSays(await say('+99 123 4567'), 'report.errors.phone.unknownCountry', locale);
      expectSays(await say('0812'), 'report.errors.phone.tooShort', locale);
      expectSays(await say('0812-3456-7890'), 'report.reporter.askEmail', locale);
      expectSays(await say('bukan-email'), 'report.errors.email.invalidEmail', locale);
      const typo = await say('andi@gmial.com');
      expectSays(typo, 'report.errors.email.didYouMean', locale);
      expect(typo.all).toContain('…@gmail.com');
      // "No" answers the query: it does not skip the e-mail.
      expectSays(await say(locale === 'id' ? 'tidak' : 'no'), 'report.errors.email.sendAgain', locale);
      // The address itself is nowhere in the stored conversation in clear (it is sealed with the personal data).
      const row = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: typo.result.chatKey } });
      expect(JSON.stringify(row)).toContain('gmial.com');
      expect(JSON.stringify(row)).not.toContain('andi@');
    });

    it('shows every field in one summary, user text escaped, and confirms nothing until asked', async () => {
      const review = await say('andi@example.com');
      expectSays(review, 'report.review.summary', locale);
      expectSays(review, 'report.review.formalSection', locale);
      for (const text of ['<b>Budi</b> *Santoso* $t(common.help) {{name}}', 'Camat', 'Kabupaten Bangka Barat', '📍 -2.06430, 105.16330', '21 November 2026', '22 November 2026', 'Siti Aminah (+6281311112222)', 'Dodi Pratama', 'Eka Putri (Jl. Melati No. 5, Muntok)', 'Andi Wijaya', '+6281234567890', 'andi@example.com', '<i>Saya</i>']) {
        expect(review.all).toContain(text);
      }
      // What a channel receives is HTML-safe: the user's markup arrives as text.
      const summary = review.messages.find((m) => m.type === 'text' && 'key' in m.text && m.text.key === 'report.review.summary')!;
      const html = h.app.renderer.message(summary, locale).text;
      expect(html).toContain('&lt;b&gt;Budi&lt;/b&gt; *Santoso* $t(common.help) {{name}}');
      expect(html).not.toContain('<b>Budi</b>');
      expectSays(await say('mungkin'), 'report.errors.useChoices', locale);
      expect(await h.app.store.prisma.ticket.count({ where: { reporterChatKey: review.result.chatKey } })).toBe(0);
    });

    it('submits after the review, with the code, the receipt and the office', async () => {
      const filed = await confirm(h, { chat: turn.chat!, locale });
      expectSays(filed.final, 'report.submitted.formal', locale, { asksAgain: true });
      expect(filed.final.all).toContain('Bawaslu Kabupaten Bangka Barat');
      // A PNS attending a campaign: the recommendation to BKN and the agency's PPK, and no criminal track.
      expectSays(filed.final, 'report.submitted.next', locale, { asksAgain: true });
      expect(keysOf(filed.final.messages)).not.toContain('report.submitted.criminal');
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
      expect(h.app.secrets.decryptJson<unknown[]>(ticket.witnessesEnc!)).toHaveLength(3);
      expect(ticket.details).toMatchObject({ location: { latitude: -2.0643, longitude: 105.1633 } });
    });
  });

  describe.each(['id', 'en'] as const)('branches of the report flow in %s', (locale) => {
    const chat = (name: string): TurnOptions => ({ chat: `${name}-${locale}` });
    async function begin(t: TurnOptions, which: 'tip' | 'formal'): Promise<void> {
      await h.command('start', '', t);
      await h.command('bahasa', locale, t);
      await h.command('lapor', '', t);
      await h.choose(which, t);
      await h.choose('agree', t);
    }
    /** From the review, "Ubah isian" and then one part of the summary. */
    async function editPart(t: TurnOptions, part: string): Promise<Reply> {
      await h.choose('edit', t);
      return h.choose(part, t);
    }
    /** Rina Lestari's formal report, with one witness and one link, up to the review. */
    async function rinaToReview(t: TurnOptions, link: string): Promise<Reply> {
      return formalToReview(h, {
        chat: t.chat!,
        locale,
        links: [link],
        reporter: { name: 'Rina Lestari', address: 'Jl. Sudirman No. 3, Koba', phone: '+62 813 2222 3333', email: 'rina@example.com' },
        witness: { name: 'Joko Susilo', contact: 'Jl. Kenanga No. 1, Koba' },
      });
    }
    /** From the place detail (skipped) to the review of a tip: the description and one link. */
    async function detailToReview(t: TurnOptions, link: string): Promise<Reply> {
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      await h.say(link, t);
      return h.say(doneWord[locale], t);
    }
    /** From the agency question (answered "unknown") to the place detail, with the usual answers. */
    async function agencyToPlaceDetail(t: TurnOptions): Promise<void> {
      await h.choose('unknown', t);
      await h.choose('pns', t);
      await h.choose('social-media', t);
      await h.choose('today', t);
      await h.choose('sameDay', t);
      await h.say('bangka barat', t);
    }
    /** A tip on Budi Santoso, Camat Koba, from its start to the place detail. */
    async function tipToPlaceDetail(t: TurnOptions): Promise<void> {
      await begin(t, 'tip');
      await h.say('Budi Santoso', t);
      await h.say('Camat Koba', t);
      await agencyToPlaceDetail(t);
    }
    /** From the agency question to the review. */
    async function agencyToReview(t: TurnOptions, link: string): Promise<Reply> {
      await agencyToPlaceDetail(t);
      return detailToReview(t, link);
    }
    async function toEventDate(t: TurnOptions, which: 'tip' | 'formal'): Promise<void> {
      await begin(t, which);
      await h.say('Budi Santoso', t);
      await h.choose('unknown', t);
      await h.choose('unknown', t);
      await h.choose('pns', t);
      await h.choose('social-media', t);
    }
    async function toRegion(t: TurnOptions): Promise<void> {
      await toEventDate(t, 'tip');
      await h.choose('today', t);
      await h.choose('sameDay', t);
    }
    async function toEvidence(t: TurnOptions, which: 'tip' | 'formal'): Promise<void> {
      await toEventDate(t, which);
      await h.choose('yesterday', t);
      await h.choose('sameDay', t);
      await h.say('bangka barat', t);
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
    }

    it('refuses a forged date button named after what every object inherits, and keeps the report going', async () => {
      const t = chat('forged-date');
      await toEventDate(t, 'tip');
      for (const value of ['constructor', '__proto__', 'toString']) {
        const refused = await h.choose(value, t);
        expectSays(refused, 'report.when.askEventDate', locale);
      }
      expectSays(await h.choose('today', t), 'report.when.askLearnedDate', locale);
      expectSays(await h.choose('sameDay', t), 'report.where.askRegion', locale);
    });

    it('explains a formal report past its deadline and continues it as informasi awal', async () => {
      const t = chat('late');
      await toEventDate(t, 'formal');
      await h.say('01/11/2026', t);
      const late = await h.choose('sameDay', t);
      expectSays(late, 'report.when.pastDeadline', locale);
      expectSays(late, 'report.when.askConvert', locale);
      expect(late.all).toContain(locale === 'id' ? '8 November 2026' : '8 November 2026');
      // The law counts 7 working days for a general election, and how is not settled: a late formal report may still
      // be taken at the office or through SigapLapor, so the reporter is told where, not that it is impossible.
      expect(late.all).toContain(locale === 'id' ? '7 hari kerja' : '7 working days');
      expect(late.all).toContain('sigaplapor.bawaslu.go.id');
      const converted = await h.say(yesWord[locale], t);
      expectSays(converted, 'report.when.converted', locale);
      expectSays(converted, 'report.where.askRegion', locale);
      await h.say('bangka barat', t);
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      await h.say('https://chat.whatsapp.com/x/1', t);
      const review = await h.say(doneWord[locale], t);
      expect(review.all).toContain(locale === 'id' ? 'karena batas waktu laporan resmi sudah lewat' : 'because the deadline for a formal report has passed');
      const filed = await confirm(h, { chat: t.chat!, locale });
      expectSays(filed.final, 'report.submitted.tip', locale);
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
      expect(ticket).toMatchObject({ kind: 'tip', reporterIdentityEnc: null, details: { convertedFromFormal: true } });
    });

    it('cancels a late formal report when the user does not want informasi awal', async () => {
      const t = chat('late-cancel');
      await toEventDate(t, 'formal');
      await h.say('01/11/2026', t);
      await h.choose('sameDay', t);
      const cancelled = await h.choose('cancel', t);
      expectSays(cancelled, 'report.review.cancelled', locale, { asksAgain: true });
      expect(keysOf(cancelled.messages)).toContain('menu.ask');
    });

    it('tells a late formal report how to correct the date it was learned of, and takes "kembali" there to that question', async () => {
      const t = chat('late-fix');
      await toEventDate(t, 'formal');
      await h.say('01/11/2026', t);
      const late = await h.choose('sameDay', t);
      expect(late.all).toContain(locale === 'id' ? 'ketik kembali untuk memperbaikinya' : 'type back to correct it');
      const help = await h.command(locale === 'id' ? 'bantuan' : 'help', '', t);
      expect(help.all).toContain(locale === 'id' ? 'Bawaslu tetap bisa menelusurinya' : 'Bawaslu can still look into it');
      expect(help.all).toContain(locale === 'id' ? 'ketik kembali untuk memperbaikinya' : 'type back to correct it');
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.when.askLearnedDate', locale);
    });

    it('offers several places as choices, and a district with its regency to confirm', async () => {
      const t = chat('regions');
      await toRegion(t);
      // No place to search for: said what will do instead (before, "gatau" found Kecamatan Gatak).
      expectSays(await h.say(locale === 'id' ? 'gatau' : "don't know", t), 'report.where.noPlace', locale);
      expectSays(await h.say(locale === 'id' ? 'di facebook' : 'on Facebook', t), 'report.where.noPlace', locale);
      // A number is no place's name (before, "2" was "no place called “2”").
      expectSays(await h.say('2', t), 'report.where.number', locale);
      // A village is not in the place data: said so, and where it goes, instead of "check the spelling".
      expectSays(await h.say('desa ciherang', t), 'report.where.village', locale);
      const padang = await h.say('padang', t);
      expectSays(padang, 'report.where.askChoice', locale);
      expect(padang.choices).toContain('Kota Padang, Sumatera Barat');
      expect(padang.choices.at(-1)).toBe(locale === 'id' ? 'Bukan salah satunya' : 'None of these');
      // A number beyond the list picks nothing: the choices again, not a search for the number.
      const beyond = await h.say(String(padang.choices.length + 1), t);
      expectSays(beyond, 'report.errors.useChoices', locale);
      expect(beyond.choices).toEqual(padang.choices);
      const retry = await h.say(padang.choices.length.toString(), t);
      expectSays(retry, 'report.where.askRegion', locale);
      const koba = await h.say('Koba', t);
      expectSays(koba, 'report.where.confirmDistrict', locale);
      expect(koba.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
      expectSays(await h.say(locale === 'id' ? 'tidak' : 'no', t), 'report.where.askRegion', locale);
      await h.say('koba', t);
      // Not sure of the place offered: what yes and no do (before, "gatau" found Kecamatan Gatak here too).
      expectSays(await h.say(locale === 'id' ? 'gatau' : "don't know", t), 'report.help.confirmingDistrict', locale);
      const confirmed = await h.say(yesWord[locale], t);
      expect(confirmed.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
      expectSays(confirmed, 'report.where.askPlaceDetail', locale);
      // "Gak tau" is no detail of the place: skipped, not stored as one.
      const noDetail = await h.say(locale === 'id' ? 'gak tau' : "don't know", t);
      expectSays(noDetail, 'report.description.ask', locale);
      expect((await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: noDetail.result.chatKey } })).snapshot).toMatchObject({ context: { placeDetail: null } });
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      // Back from the details returns to the place question.
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.where.askRegion', locale);
      const pangkal = await h.say('pangkal pinang', t);
      expect(pangkal.all).toContain('Kota Pangkal Pinang');
    });

    it('takes "kabupatennya" or "yang kota" as the one listed place of that kind, and a kind shared or absent as no place', async () => {
      const t = chat('region-kind');
      await toRegion(t);
      expectSays(await h.say('bogor', t), 'report.where.askChoice', locale);
      const regency = await h.say(locale === 'id' ? 'kabupatennya' : 'the regency', t);
      expectSays(regency, 'report.where.chosen', locale);
      expect(regency.all).toContain('Kabupaten Bogor, Jawa Barat');
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.where.askRegion', locale);
      await h.say('bogor', t);
      const city = await h.say(locale === 'id' ? 'yang kota aja' : 'city', t);
      expect(city.all).toContain('Kota Bogor, Jawa Barat');
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      await h.say('bogor', t);
      // No kecamatan is listed for Bogor: the kind is no place to search for, so the choices are asked for again.
      expectSays(await h.say(locale === 'id' ? 'kecamatannya' : 'kecamatan', t), 'report.errors.useChoices', locale);
    });

    it('asks again inside the province named when none of the places offered there was meant', async () => {
      const t = chat('province-retry');
      await toRegion(t);
      await h.say('jawa barat', t);
      const bandung = await h.say('Bandung', t);
      expectSays(bandung, 'report.where.askChoice', locale);
      const again = await h.choose('other', t);
      expectSays(again, 'report.where.askRegencyInProvince', locale);
      expect(again.all).toContain('Jawa Barat');
      const district = await h.say('Jatinangor', t);
      expectSays(district, 'report.where.confirmDistrict', locale);
      const stillThere = await h.say(locale === 'id' ? 'bukan' : 'no', t);
      expectSays(stillThere, 'report.where.askRegencyInProvince', locale);
      expect(stillThere.all).toContain('Jawa Barat');
      // Back from there is the general place question; a place not in a province named then is asked about anew.
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.where.askRegion', locale);
      await h.say('Koba', t);
      expectSays(await h.say(locale === 'id' ? 'bukan' : 'no', t), 'report.where.askRegion', locale);
    });

    it('asks for the regency when a province is named, and routes to the province office when unknown', async () => {
      const t = chat('province');
      await toRegion(t);
      const province = await h.say('jawa barat', t);
      expectSays(province, 'report.where.askRegencyInProvince', locale);
      expect(province.all).toContain('Jawa Barat');
      expectSays(await h.say('Zzyzx', t), 'report.where.notFoundInProvince', locale);
      const number = await h.say('7', t);
      expectSays(number, 'report.where.numberInProvince', locale);
      expect(number.all).toContain('Jawa Barat');
      const unknown = await h.say(locale === 'id' ? 'tidak tahu' : "don't know", t);
      expect(unknown.all).toContain(locale === 'id' ? 'Provinsi Jawa Barat (kabupaten/kota tidak diketahui)' : 'Jawa Barat province (regency/city unknown)');
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      await h.say('https://x.com/camat/status/9', t);
      await h.say(doneWord[locale], t);
      // Its keep button names the province, in the chat's language.
      const place = await editPart(t, 'place');
      expect(place.choices[0]).toBe(locale === 'id' ? 'Biarkan: Provinsi Jawa Barat' : 'Keep: the province of Jawa Barat');
      await h.choose('keep', t);
      await h.choose('keep', t);
      const filed = await confirm(h, { chat: t.chat!, locale });
      expect(filed.final.all).toContain('Bawaslu Provinsi Jawa Barat');
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
      expect(ticket).toMatchObject({ officeCode: '32', regencyCode: null, provinceCode: '32' });
    });

    it('offers a city of another province by its exact name first, when it was named after the wrong province', async () => {
      const t = chat('wrong-province');
      await toRegion(t);
      await h.say('jawa barat', t);
      const surabaya = await h.say('Surabaya', t);
      expect(surabaya.choices[0]).toContain('Kota Surabaya');
      expect(surabaya.all).not.toContain('Purabaya, Kabupaten Sukabumi?');
      expect((await h.say('1', t)).all).toContain('Kota Surabaya');
    });

    it('takes or lists the places of that exact name elsewhere, and keeps an exact district of the named province', async () => {
      const t = chat('wrong-province-cases');
      const afterProvince = async (province: string, place: string) => {
        await toRegion(t);
        await h.say(province, t);
        return h.say(place, t);
      };
      const bekasi = await afterProvince('DKI Jakarta', 'Bekasi');
      expect(bekasi.choices.slice(0, 2).join(' | ')).toMatch(/Kabupaten Bekasi.*\| .*Kota Bekasi/);
      // Chosen from the list, it says so too.
      const kotaBekasi = await h.say('2', t);
      expectSays(kotaBekasi, 'report.where.otherProvince', locale, { asksAgain: false });
      expect(kotaBekasi.all).toContain('Jawa Barat');
      expectSays(kotaBekasi, 'report.where.askPlaceDetail', locale);
      await h.command('batal', '', t);
      const medan = await afterProvince('jawa barat', 'Medan');
      expect(medan.all).toContain('Kota Medan');
      // It says the city is not in the province named before.
      expectSays(medan, 'report.where.otherProvince', locale, { asksAgain: false });
      expect(medan.all).toContain('Sumatera Utara');
      expectSays(medan, 'report.where.askPlaceDetail', locale);
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.where.askRegion', locale);
      await h.command('batal', '', t);
      const named = await afterProvince('jawa barat', 'Surabaya, Jawa Timur');
      expectSays(named, 'report.where.askPlaceDetail', locale);
      await h.command('batal', '', t);
      const depok = await afterProvince('DIY', 'Depok');
      expectSays(depok, 'report.where.confirmDistrict', locale);
      expect(depok.all).toContain('Kecamatan Depok, Kabupaten Sleman');
    });

    it("reads a compass point alone and Jakarta's short names once the province is Jakarta", async () => {
      const t = chat('jakarta-south');
      await toRegion(t);
      await h.say('Jakarta', t);
      expect((await h.say(locale === 'id' ? 'selatan' : 'South', t)).all).toContain('Jakarta Selatan');
      // Back at the place question, the keep button names the city as people do, whole.
      const place = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expect(place.choices[0]).toBe(locale === 'id' ? 'Biarkan: Kota Jakarta Selatan' : 'Keep: Kota Jakarta Selatan');
      expect((await h.say('jaktim', t)).all).toContain('Jakarta Timur');
    });

    it('asks where it happened when the place details name a district of another regency, and moves the report there if so', async () => {
      const t = chat('detail-elsewhere');
      await toRegion(t);
      await h.say('bangka barat', t);
      // A district of the chosen regency is no question; nor is a detail that names the chosen regency as well,
      // or a district name that several regencies have.
      for (const detail of ['Pasar Jebus, Kec. Parittiga', 'Kec. Koba, Kab. Bangka Barat', 'Kantor Kecamatan Kota Baru']) {
        expectSays(await h.say(detail, t), 'report.description.ask', locale);
        await h.say(locale === 'id' ? 'kembali' : 'back', t);
      }
      const asked = await h.say('Lapangan Merdeka, Kec. Koba', t);
      expectSays(asked, 'report.where.detailElsewhere', locale);
      expect(asked.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
      expect(asked.all).toContain('Kabupaten Bangka Barat');
      expect(asked.values).toEqual(['named', 'chosen']);
      const moved = await h.choose('named', t);
      expectSays(moved, 'report.description.ask', locale);
      expect(moved.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      await h.say('https://x.com/camat/status/15', t);
      const review = await h.say(doneWord[locale], t);
      expect(review.all).toContain('Lapangan Merdeka, Kec. Koba');
      const filed = await confirm(h, { chat: t.chat!, locale });
      expect(filed.final.all).toContain('Bawaslu Kabupaten Bangka Tengah');
    });

    it('asks about a correction of the place typed at its detail, or a regency named alone there, instead of keeping it as the detail', async () => {
      const t = chat('detail-corrected');
      await toRegion(t);
      await h.say('bangka barat', t);
      const corrected = await h.say(locale === 'id' ? 'sorry salah, maksudnya kab tasik' : 'sorry, wrong one, I mean kab tasik', t);
      expectSays(corrected, 'report.where.detailElsewhere', locale);
      expect(corrected.all).toContain('Kabupaten Tasikmalaya');
      const moved = await h.choose('named', t);
      expectSays(moved, 'report.description.ask', locale);
      expect(moved.all).toContain('Kabupaten Tasikmalaya');
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(await h.say('garut', t), 'report.where.detailElsewhere', locale);
      await h.choose('chosen', t);
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      // A detail that only shares a word with a place is a detail.
      expectSays(await h.say(locale === 'id' ? 'depan pasar baru' : 'in front of the new market', t), 'report.description.ask', locale);
    });

    it('keeps the chosen regency when the reporter says so, and narrows a province to the regency the details name', async () => {
      const t = chat('detail-kept');
      await toRegion(t);
      await h.say('bangka barat', t);
      expectSays(await h.say('Kantor Kab. Bangka Tengah', t), 'report.where.detailElsewhere', locale);
      const kept = await h.choose('chosen', t);
      expectSays(kept, 'report.description.ask', locale);
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(await h.say('bangka belitung', t), 'report.where.askRegencyInProvince', locale);
      await h.say(locale === 'id' ? 'tidak tahu' : "don't know", t);
      const narrower = await h.say('Kantor camat, Kecamatan Koba', t);
      expectSays(narrower, 'report.where.detailNarrower', locale);
      const moved = await h.choose('named', t);
      expect(moved.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
      expectSays(moved, 'report.description.ask', locale);
    });

    it('lets a tip go without evidence only after a warning that evidence decides whether Bawaslu can act', async () => {
      const t = chat('no-evidence');
      await toEvidence(t, 'tip');
      const warned = await h.say(locale === 'id' ? 'tidak ada' : 'none', t);
      expectSays(warned, 'report.evidence.askContinueWithout', locale);
      expectSays(await h.choose('add', t), 'report.evidence.askTip', locale);
      await h.say(locale === 'id' ? 'tidak ada' : 'none', t);
      const review = await h.choose('continue', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain(locale === 'id' ? 'Tidak ada bukti' : 'No evidence');
    });

    it('takes at most ten pieces of evidence', async () => {
      const t = chat('ten');
      await toEvidence(t, 'tip');
      const links = Array.from({ length: 12 }, (_, i) => `https://example.com/bukti/${i}`).join(' ');
      const reply = await h.say(links, t);
      expectSays(reply, 'report.evidence.full', locale, { asksAgain: false });
      expect(reply.all).toContain('10');
      // Sent once more when full, the notice still offers the way on.
      const more = await h.say('https://example.com/bukti/99', t);
      expectSays(more, 'report.evidence.full', locale, { asksAgain: false });
      expect(more.values).toEqual(['done', 'clear']);
      const review = await h.say(doneWord[locale], t);
      expect(review.all).toMatch(/\((10)\)/);
      expect(review.all).not.toContain('https://example.com/bukti/10');
    });

    it('gives help specific to each step and asks the question again', async () => {
      const t = chat('help');
      await begin(t, 'tip');
      const help = await h.command(locale === 'id' ? 'bantuan' : 'help', '', t);
      expectSays(help, 'report.help.askingTerlaporName', locale, { asksAgain: false });
      expect(keysOf(help.messages).at(-1)).toBe('report.terlapor.askName');
      await h.choose('unknown', t);
      const help2 = await h.say(locale === 'id' ? 'bantuan' : 'help', t);
      expectSays(help2, 'report.help.askingTerlaporPosition', locale, { asksAgain: false });
      expect(keysOf(help2.messages).at(-1)).toBe('report.terlapor.askPosition');
    });

    it('goes back one step with "kembali", keeping the answers given', async () => {
      const t = chat('back');
      await begin(t, 'tip');
      await h.say('Budi Santoso', t);
      const back = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(back, 'report.terlapor.askName', locale);
      const backAgain = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(backAgain, 'report.consent.askTip', locale);
      await h.choose('agree', t);
      await h.say('Budi Santoso', t);
      await h.say('Camat Koba', t);
      const review = await agencyToReview(t, 'https://x.com/camat/status/10');
      expect(review.all).toContain('Budi Santoso');
    });

    it('offers what was written before "I don\'t know the name" as the position, the question that comes next', async () => {
      const t = chat('nameHint');
      const use = locale === 'id' ? 'Pakai' : 'Use';
      await begin(t, 'tip');
      const typed = locale === 'id' ? 'kepala desa Sukamaju, tidak tahu namanya' : "he is the village head of Sukamaju, I don't know his name";
      const described = locale === 'id' ? 'kepala desa Sukamaju' : 'village head of Sukamaju';
      const position = await h.say(typed, t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      expect(position.values).toEqual(['hint', 'unknown']);
      expect(position.choices[0]).toBe(`${use}: ${described}`);
      expectSays(await h.say('1', t), 'report.terlapor.askAgency', locale);
      const review = await agencyToReview(t, 'https://x.com/desa/status/11');
      expect(review.all).toContain(described);
    });

    it('tells the reporter that a file whose metadata cannot be removed is kept but not sent, and how to send it instead', async () => {
      const t = chat('uncleaned');
      await tipToPlaceDetail(t);
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      // An iPhone photo sent as a file: not decodable here, so it has no copy without its metadata.
      const heic = await storeMedia(h.dataDir, Buffer.from(`not a picture this library reads ${locale}`), { kind: 'document', mime: 'image/heic', fileName: 'IMG_0001.HEIC' });
      expect(heic.strippedPath).toBeUndefined();
      const reply = await h.send({ type: 'user.sendMedia', media: heic }, t);
      expect(keysOf(reply.messages)).toEqual(['common.media.notCleaned', 'report.evidence.received']);
      // A document that could not be cleaned now (the cleaning thread could not run): asked again, later.
      expect(keysOf((await h.send({ type: 'user.sendUnavailableMedia', kind: 'document', reason: 'notProcessed' }, t)).messages)).toContain('report.errors.unavailable.notProcessed');
      // A Word 97 document keeps its author: the reporter is asked for a PDF or pictures of its pages instead.
      const word = await storeMedia(h.dataDir, readFileSync(new URL('../../fixtures/office/report.doc', import.meta.url)), { kind: 'document', mime: 'application/msword', fileName: 'Surat.doc' });
      expect(keysOf((await h.send({ type: 'user.sendMedia', media: word }, t)).messages)).toEqual(['common.media.documentNotCleaned', 'report.evidence.received']);
      // A photo that could be cleaned gets no such note.
      const photo = await storedPhoto(h, `uncleaned-${locale}`);
      expect(keysOf((await h.send({ type: 'user.sendMedia', media: photo }, t)).messages)).toEqual(['report.evidence.received']);
    });

    it('offers no position when only the name was said to be unknown, and forgets the offer once another is typed', async () => {
      const t = chat('nameNoHint');
      await begin(t, 'tip');
      expect((await h.say(locale === 'id' ? 'tidak tahu namanya' : "I don't know his name", t)).values).toEqual(['unknown']);
      const back = locale === 'id' ? 'kembali' : 'back';
      await h.say(back, t);
      expect((await h.say(locale === 'id' ? 'guru SD 3, lupa namanya' : 'a teacher at SD 3, I do not know his name', t)).values).toEqual(['hint', 'unknown']);
      expectSays(await h.say('Kepala sekolah', t), 'report.terlapor.askAgency', locale);
      const position = await h.say(back, t);
      // What is kept now is the position typed, not the one offered.
      expect(position.values).toEqual(['keep', 'unknown']);
      expect(position.choices[0]).toMatch(/: Kepala sekolah$/);
    });

    it('offers each answer given before going back by name, so going forward again keeps it with one press', async () => {
      const t = chat('backKeep');
      const back = locale === 'id' ? 'kembali' : 'back';
      const keep = locale === 'id' ? 'Biarkan' : 'Keep';
      await begin(t, 'tip');
      await h.say('Budi Santoso', t);
      await h.say('Camat Koba', t);
      const position = await h.say(back, t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      expect(position.values).toEqual(['keep', 'unknown']);
      expect(position.choices[0]).toBe(`${keep}: Camat Koba`);
      const name = await h.say(back, t);
      expect(name.choices[0]).toBe(`${keep}: Budi Santoso`);
      expectSays(await h.choose('keep', t), 'report.terlapor.askPosition', locale);
      // "1" is the keep button at every question passed before.
      const agency = await h.say('1', t);
      expectSays(agency, 'report.terlapor.askAgency', locale);
      // The agency was never answered: nothing to keep there.
      expect(agency.values).toEqual(['unknown']);
      await h.choose('unknown', t);
      await h.choose('pns', t);
      await h.choose('social-media', t);
      await h.say('3 hari lalu', t);
      await h.choose('sameDay', t);
      const learned = await h.say(back, t);
      expectSays(learned, 'report.when.askLearnedDate', locale);
      expect(learned.values[0]).toBe('keep');
      const eventDate = await h.say(back, t);
      expectSays(eventDate, 'report.when.askEventDate', locale);
      expect(eventDate.choices[0]).toMatch(new RegExp(`^${keep}: \\d{1,2} \\S+ \\d{4}$`));
      // A new, earlier event date is taken as new; the learned date, still after it, is offered again and kept.
      const learnedAgain = await h.say('5 hari lalu', t);
      expectSays(learnedAgain, 'report.when.askLearnedDate', locale);
      expect(learnedAgain.values[0]).toBe('keep');
      expectSays(await h.choose('keep', t), 'report.where.askRegion', locale);
      await h.say('bangka barat', t);
      const review = await detailToReview(t, 'https://x.com/camat/status/12');
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain('Budi Santoso');
      expect(review.all).toContain('Camat Koba');
    });

    it('keeps by a typed "tetap" after going back only an answer the draft holds, and never stores the word', async () => {
      const t = chat('backTyped');
      const back = locale === 'id' ? 'kembali' : 'back';
      const keep = locale === 'id' ? 'tetap' : 'keep';
      await begin(t, 'tip');
      // On the first pass there is nothing to keep.
      expectSays(await h.say(keep, t), 'report.errors.nothingToKeep', locale);
      await h.say('Budi Santoso', t);
      await h.choose('unknown', t);
      await h.say(back, t);
      // "Tidak tahu" leaves nothing held: its own button gives it again.
      expectSays(await h.say(keep, t), 'report.errors.nothingToKeep', locale);
      await h.choose('unknown', t);
      await h.choose('unknown', t);
      await h.choose('pns', t);
      await h.choose('social-media', t);
      await h.say('3 hari lalu', t);
      await h.choose('sameDay', t);
      await h.say(back, t);
      await h.say(back, t);
      // The learned date, now before the event, is not offered; typed, "tetap" is told why.
      const learned = await h.choose('today', t);
      expectSays(learned, 'report.when.askLearnedDate', locale);
      expect(learned.values).not.toContain('keep');
      expectSays(await h.say(keep, t), 'report.errors.date.beforeEvent', locale);
      await h.choose('sameDay', t);
      // At the place, "Tetap" is a place: Kecamatan Tetap, Kaur.
      const tetap = await h.say('Tetap', t);
      expectSays(tetap, 'report.where.confirmDistrict', locale);
      expect(tetap.all).toContain('Kecamatan Tetap, Kabupaten Kaur');
      await h.say(locale === 'id' ? 'bukan' : 'no', t);
      await h.say('bangka barat', t);
      const review = await detailToReview(t, 'https://x.com/camat/status/17');
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).not.toMatch(/\b(tetap|keep)\b/i);
    });

    it('goes back within the part changed from the review, and never lets the dates end up out of order', async () => {
      const t = chat('edit-back');
      const back = locale === 'id' ? 'kembali' : 'back';
      // The tip's event date is 20 November, learned today (22 November).
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/18'] });
      await editPart(t, 'dates');
      const learned = await h.say('2 hari lalu', t);
      expectSays(learned, 'report.when.askLearnedDate', locale);
      const eventDate = await h.say(back, t);
      expectSays(eventDate, 'report.when.askEventDate', locale);
      expect(eventDate.values[0]).toBe('keep');
      await h.choose('today', t);
      // Back to the review from the part's first question: the learned date (22 November) is fine with today's event.
      await h.say(back, t);
      expectSays(await h.say(back, t), 'report.review.summary', locale);
      await editPart(t, 'dates');
      await h.say('21/11/2026', t);
      await h.say('21/11/2026', t);
      await editPart(t, 'dates');
      await h.choose('today', t);
      await h.say(back, t);
      // Leaving now would put the learned date (21 November) before the event (22 November): it is asked again.
      const outOfOrder = await h.say(back, t);
      expectSays(outOfOrder, 'report.review.datesOutOfOrder', locale);
      expectSays(outOfOrder, 'report.when.askLearnedDate', locale);
      expect(outOfOrder.values).not.toContain('keep');
      await h.choose('sameDay', t);
      // The place: back at its detail goes to the place question, where the new place can be changed again.
      await editPart(t, 'place');
      await h.say('jawa barat', t);
      expectSays(await h.say('Medan', t), 'report.where.otherProvince', locale);
      const place = await h.say(back, t);
      expectSays(place, 'report.where.askRegion', locale);
      expect(place.choices[0]).toMatch(/Kota Medan/);
      await h.say('bangka barat', t);
      const review = await h.choose('skip', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).not.toContain('Kota Medan');
    });

    it('changes a field from the review and comes back to the review, with kembali returning there too', async () => {
      const t = chat('edit');
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/11'] });
      const fields = await h.choose('edit', t);
      expectSays(fields, 'report.review.askField', locale);
      expect(fields.values).toEqual(['kind', 'terlapor', 'category', 'dates', 'place', 'description', 'evidence', 'back']);
      // "Back to the summary", pressed or typed, shows the summary again.
      expectSays(await h.choose('back', t), 'report.review.summary', locale);
      await h.choose('edit', t);
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.review.summary', locale);
      await h.choose('edit', t);
      await h.choose('description', t);
      const review = await h.say('Versi baru: kepala dinas mengirim pesan berantai berisi ajakan memilih calon nomor 1.', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain('Versi baru: kepala dinas');
      await h.choose('edit', t);
      await h.choose('place', t);
      // "Kirim" there is no place: the part is finished first.
      expectSays(await h.say(locale === 'id' ? 'kirim' : 'send', t), 'report.review.sendWhileEditing', locale);
      const back = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(back, 'report.review.summary', locale);
      expect(back.all).toContain('Kabupaten Bangka Barat');
    });

    it('offers the status a changed position names as the one to keep, when the reported person is changed from the review', async () => {
      const t = chat('new-position');
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/41'] });
      await editPart(t, 'terlapor');
      await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      await h.say('Babinsa', t);
      const employment = await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      expectSays(employment, 'report.terlapor.employmentFromNewPosition', locale);
      expectSays(employment, 'report.terlapor.askEmployment', locale);
      expect(employment.choices[0]).toBe(locale === 'id' ? 'Biarkan: TNI / Polri' : 'Keep: Military / police (TNI / Polri)');
      const review = await h.choose('keep', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain(locale === 'id' ? 'Status kepegawaian: TNI / Polri' : 'Military / police (TNI / Polri)');
    });

    it('keeps the other answers of a group changed from the review with one press each, and offers no keeping on the way there', async () => {
      const t = chat('keep');
      await begin(t, 'tip');
      expect((await h.choose('unknown', t)).values).not.toContain('keep');
      await h.command('batal', '', t);
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/13'] });
      const name = await editPart(t, 'terlapor');
      expectSays(name, 'report.terlapor.askName', locale);
      // The name was not known: "Tidak tahu" keeps that, so there is no second button for it; "tetap" keeps it too.
      expect(name.values).toEqual(['unknown']);
      const position = await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      // Keeping comes first at every question of the group.
      expect(position.values).toEqual(['keep', 'unknown']);
      await h.say(locale === 'id' ? 'Sekretaris Dinas Pendidikan' : 'Secretary of the education office', t);
      // Typed, the label's words or a word for keeping choose it too.
      expectSays(await h.say(locale === 'id' ? 'biarkan' : 'keep', t), 'report.terlapor.askEmployment', locale);
      const review = await h.say(locale === 'id' ? 'tetap' : 'unchanged', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain(locale === 'id' ? 'Sekretaris Dinas Pendidikan' : 'Secretary of the education office');
      expect(review.all).toContain('Dinas Pendidikan Kabupaten Bangka Barat');
      expect(review.all).toContain('PNS');
      // The dates and the place keep theirs the same way; the place is confirmed as it was.
      await editPart(t, 'dates');
      expectSays(await h.choose('keep', t), 'report.when.askLearnedDate', locale);
      expectSays(await h.choose('keep', t), 'report.review.summary', locale);
      await editPart(t, 'place');
      const kept = await h.choose('keep', t);
      expectSays(kept, 'report.where.askPlaceDetail', locale);
      expect(kept.all).toContain('Kabupaten Bangka Barat');
      const back = await h.say(locale === 'id' ? 'Halaman kantor dinas' : 'The office yard', t);
      expectSays(back, 'report.review.summary', locale);
      expect(back.all).toContain('20 November 2026');
      expect(back.all).toContain(locale === 'id' ? 'Halaman kantor dinas' : 'The office yard');
      // A kept learned date is checked against a new event date, as a typed one is.
      await editPart(t, 'dates');
      await h.say('19/11/2026', t);
      expectSays(await h.say('20/11/2026', t), 'report.review.summary', locale);
      await editPart(t, 'dates');
      // The kept learned date (20 November) would now be before the event: no button offers it, and typed it is refused.
      const learned = await h.say('21/11/2026', t);
      expectSays(learned, 'report.when.askLearnedDate', locale);
      expect(learned.values).not.toContain('keep');
      expectSays(await h.say(locale === 'id' ? 'tetap' : 'keep', t), 'report.errors.date.beforeEvent', locale);
      const sameDay = await h.say(locale === 'id' ? 'hari yang sama' : 'same day', t);
      expectSays(sameDay, 'report.review.summary', locale);
      expect(sameDay.all).not.toContain('20 November 2026');
      // A kept place detail is checked against a new place: it names Bangka Barat's Parittiga, not Bangka Tengah.
      await editPart(t, 'place');
      await h.choose('keep', t);
      expectSays(await h.say('Pasar Jebus, Kec. Parittiga', t), 'report.review.summary', locale);
      await editPart(t, 'place');
      await h.say('bangka tengah', t);
      const asked = await h.choose('keep', t);
      expectSays(asked, 'report.where.detailElsewhere', locale);
      // Back from that question writes the detail again, while editing too.
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.where.askPlaceDetail', locale);
    });

    it('names the earlier answer on its keep button, and takes a new answer that shares words with it', async () => {
      const t = chat('keep-named');
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/15'] });
      await editPart(t, 'terlapor');
      const position = await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      expect(position.choices[0]).toBe(locale === 'id' ? 'Biarkan: Kepala Dinas Pendidikan' : 'Keep: Head of the education office');
      // Words of the kept answer are a new answer, not a press of the button that quotes it.
      const agency = await h.say(locale === 'id' ? 'Kepala Dinas' : 'Head', t);
      expectSays(agency, 'report.terlapor.askAgency', locale);
      // A long answer is cut on its button, which stays one a phone shows whole.
      expect(agency.choices[0]).toBe(locale === 'id' ? 'Biarkan: Dinas Pendidikan Kabupaten…' : 'Keep: Dinas Pendidikan Kabupaten…');
      expect(agency.choices[0]!.length).toBeLessThanOrEqual(40);
      const employment = await h.choose('keep', t);
      expect(employment.choices[0]).toMatch(/^(Biarkan|Keep): .*PNS/);
      const review = await h.choose('keep', t);
      expectSays(review, 'report.review.summary', locale);
      expect(review.all).toContain(locale === 'id' ? 'Kepala Dinas\n' : 'Head\n');
      expect(review.all).toContain('Dinas Pendidikan Kabupaten Bangka Barat');
      const place = await editPart(t, 'place');
      expect(place.choices[0]).toBe(locale === 'id' ? 'Biarkan: Kabupaten Bangka Barat' : 'Keep: Kabupaten Bangka Barat');
      await h.choose('keep', t);
      await h.choose('keep', t);
      // The description and the category, edited alone, can be kept too: by the button, or typed.
      const description = await editPart(t, 'description');
      expect(description.choices[0]).toMatch(/^(Biarkan|Keep): \S.*…$/);
      const kept = await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      expectSays(kept, 'report.review.summary', locale);
      expect(kept.all).toContain(review.all.split('\n').find((line) => line.length > 60) ?? 'no long line');
      const category = await editPart(t, 'category');
      expect(category.values).not.toContain('keep');
      expectSays(await h.say(locale === 'id' ? 'tetap' : 'keep', t), 'report.review.summary', locale);
    });

    it('changes one part of the reporter identity from the review, keeping the rest', async () => {
      const t = chat('keep-identity');
      await rinaToReview(t, 'https://x.com/camat/status/14');
      const name = await editPart(t, 'reporter');
      expectSays(name, 'report.reporter.askName', locale);
      expect(name.values).toEqual(['keep']);
      // "tetap" keeps the name rather than becoming it.
      await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      await h.say('Jl. Melati No. 7, Koba', t);
      await h.choose('keep', t);
      const review = await h.choose('keep', t);
      expectSays(review, 'report.review.formalSection', locale);
      for (const kept of ['Rina Lestari', 'Jl. Melati No. 7, Koba', '+6281322223333', 'rina@example.com']) expect(review.all).toContain(kept);
      expect(review.all).not.toContain('Jl. Sudirman');
      // An e-mail domain that looks misspelt is queried once; sent again, it is taken as meant.
      await editPart(t, 'reporter');
      for (let i = 0; i < 3; i++) await h.choose('keep', t);
      expectSays(await h.say('rina@yaho.co.id', t), 'report.errors.email.didYouMean', locale);
      const meant = await h.say('rina@yaho.co.id', t);
      expectSays(meant, 'report.review.formalSection', locale);
      expect(meant.all).toContain('rina@yaho.co.id');
      // "Yes" to the query takes the suggested domain for the address sent.
      await editPart(t, 'reporter');
      for (let i = 0; i < 3; i++) await h.choose('keep', t);
      expectSays(await h.say('rina.l@gmial.com', t), 'report.errors.email.didYouMean', locale);
      const corrected = await h.say(locale === 'id' ? 'iya' : 'yes', t);
      expectSays(corrected, 'report.reporter.emailCorrected', locale);
      expectSays(corrected, 'report.review.formalSection', locale);
      expect(corrected.all).toContain('rina.l@gmail.com');
      expect(corrected.all).not.toContain('gmial');
    });

    it('opens the part a reporter names at the review ("ubah uraian", "actually change the place") at once', async () => {
      const t = chat('named-part');
      await rinaToReview(t, 'https://x.com/camat/status/31');
      const description = await h.say(locale === 'id' ? 'ubah uraian' : 'change the description', t);
      expectSays(description, 'report.description.ask', locale);
      expectSays(await h.say(locale === 'id' ? 'tetap' : 'keep', t), 'report.review.ask', locale);
      expectSays(await h.say(locale === 'id' ? 'tolong ganti lokasinya dong' : 'actually change the place', t), 'report.where.askRegion', locale);
      await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      await h.say(locale === 'id' ? 'tetap' : 'keep', t);
      expectSays(await h.say(locale === 'id' ? 'ubah data saya' : 'change my details', t), 'report.reporter.askName', locale);
      for (let i = 0; i < 4; i++) await h.choose('keep', t);
      // A part this report does not have, or words that name none, get the question again.
      expectSays(await h.say(locale === 'id' ? 'ubah cuaca' : 'change the weather', t), 'report.review.ask', locale);
      expectSays(await h.say(locale === 'id' ? 'ganti tanggal kejadian' : 'change the dates', t), 'report.when.askEventDate', locale);
    });

    it('takes a number abroad written with its country code, normalised, and keeps the Indonesian checks', async () => {
      const t = chat('abroad-phone');
      await rinaToReview(t, 'https://x.com/camat/status/42');
      await editPart(t, 'reporter');
      await h.choose('keep', t);
      await h.choose('keep', t);
      const asked = await h.say(locale === 'id' ? 'nomor saya malaysia' : 'I have a foreign number', t);
      expectSays(asked, 'report.errors.phone.noNumber', locale);
      expect(asked.all).toContain('+60 12 345 6789');
      // Too short or too long for that country: the text says which, and the tip is still offered.
      const short = await h.say('+60 12 345', t);
      expectSays(short, 'report.errors.phone.foreignTooShort', locale);
      expect(short.all).toContain('+60');
      expect(short.values).toContain('tipInstead');
      expectSays(await h.say('+966 50 123 4567 89', t), 'report.errors.phone.foreignTooLong', locale);
      expectSays(await h.say('0812', t), 'report.errors.phone.tooShort', locale);
      // Written without its +, the number is shown back with it, for the reporter to send.
      const withoutPlus = await h.say('60 12 345 6789', t);
      expectSays(withoutPlus, 'report.errors.phone.missingPlus', locale);
      expect(withoutPlus.all).toContain('+60 12 345 6789');
      expectSays(await h.say('no wa +60 12-345 6789', t), 'report.reporter.askEmail', locale);
      const review = await h.choose('keep', t);
      expect(review.all).toContain('+60123456789');
      // A contact shared from a phone abroad carries its country code without the +.
      await editPart(t, 'reporter');
      await h.choose('keep', t);
      await h.choose('keep', t);
      await h.send({ type: 'user.sendContact', phone: '85291234567' }, t);
      expect((await h.choose('keep', t)).all).toContain('+85291234567');
      const filed = await confirm(h, { chat: t.chat!, locale });
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
      expect(h.app.secrets.decryptJson<{ phone: string }>(ticket.reporterIdentityEnc!).phone).toBe('+85291234567');
    });

    it('offers to continue as initial information when the reporter has no number Bawaslu can call', async () => {
      const t = chat('foreign-phone');
      await rinaToReview(t, 'https://x.com/camat/status/41');
      await editPart(t, 'reporter');
      await h.choose('keep', t);
      await h.choose('keep', t);
      const refused = await h.say('+44 7700 9001', t);
      expectSays(refused, 'report.errors.phone.foreignInvalid', locale);
      expect(refused.values).toContain('tipInstead');
      expectSays(await h.say(locale === 'id' ? 'saya tidak punya nomor Indonesia' : "I don't have an Indonesian number", t), 'report.errors.phone.noNumber', locale);
      const converted = await h.choose('tipInstead', t);
      expectSays(converted, 'report.when.convertedIdentityRemoved', locale);
      expectSays(converted, 'report.review.summary', locale);
      expect(converted.all).not.toContain('Rina Lestari');
    });

    it('asks before /batal throws away a report that reached its review, and keeps it on "no"', async () => {
      const t = chat('cancel-review');
      const cancel = locale === 'id' ? 'batal' : 'cancel';
      await rinaToReview(t, 'https://x.com/camat/status/21');
      const asked = await h.command(cancel, '', t);
      expectSays(asked, 'common.cancelConfirm', locale);
      // Staying shows the summary again with its question (the question on screen said "the summary above").
      const kept = await h.choose('leave:stay', t);
      expectSays(kept, 'report.review.summary', locale);
      expectSays(kept, 'report.review.ask', locale);
      expect(kept.messages.filter((m) => m.type === 'text' && 'key' in m.text && m.text.key === 'report.review.ask')).toHaveLength(1);
      // While one part is being changed too: someone changing an answer may mean to cancel only that.
      await editPart(t, 'terlapor');
      expectSays(await h.command(cancel, '', t), 'common.cancelConfirm', locale);
      const stayed = await h.choose('leave:stay', t);
      expectSays(stayed, 'report.terlapor.askNameFormal', locale);
      // Under that question "ya" cancels (it must not reach the summary, where it would file the report), and so does
      // the cancel typed again; other words ask again.
      await h.command(cancel, '', t);
      const again = await h.say(locale === 'id' ? 'kirim' : 'send', t);
      expectSays(again, 'common.cancelChoose', locale);
      expectSays(again, 'common.cancelConfirm', locale);
      const cancelled = await h.say(locale === 'id' ? 'ya' : 'yes', t);
      expectSays(cancelled, 'common.cancelled', locale);
      expectSays(cancelled, 'menu.ask', locale);
      expect(await h.app.store.prisma.ticket.count({ where: { reporterChatKey: h.app.runtime.chatKey({ channel: 'terminal', chatId: t.chat! }) } })).toBe(0);
      await rinaToReview(t, 'https://x.com/camat/status/22');
      await h.command(cancel, '', t);
      expectSays(await h.command(cancel, '', t), 'common.cancelled', locale);
      // Before the review, /batal leaves at once.
      await begin(t, 'tip');
      expectSays(await h.command(cancel, '', t), 'common.cancelled', locale);
    });

    it('warns, before a formal report is changed into initial information from the review, that the identity and witnesses go', async () => {
      const t = chat('to-tip');
      await rinaToReview(t, 'https://x.com/camat/status/24');
      await h.choose('edit', t);
      const asked = await h.choose('kind', t);
      expectSays(asked, 'report.kind.askEditingFormal', locale);
      const converted = await h.choose('tip', t);
      expectSays(converted, 'report.kind.identityRemoved', locale, { asksAgain: false });
      expectSays(converted, 'report.review.summary', locale);
      expect(converted.all).not.toContain('Rina Lestari');
      expect(converted.all).not.toContain('Joko Susilo');
      // A tip has nothing of the kind to lose: the plain question.
      await h.choose('edit', t);
      expectSays(await h.choose('kind', t), 'report.kind.askEditing', locale);
    });

    it('asks before /batal throws away a draft whose account is written, and leaves at once before it', async () => {
      const t = chat('cancel-draft');
      const cancel = locale === 'id' ? 'batal' : 'cancel';
      await tipToPlaceDetail(t);
      // Up to the place detail nothing long was typed: the cancel leaves at once.
      expectSays(await h.command(cancel, '', t), 'common.cancelled', locale);
      await tipToPlaceDetail(t);
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      const asked = await h.command(cancel, '', t);
      expectSays(asked, 'report.cancelDraftConfirm', locale);
      expect(asked.choices).toEqual([locale === 'id' ? 'Ya, batalkan' : 'Yes, cancel it', locale === 'id' ? 'Tidak, lanjutkan' : 'No, continue']);
      // Staying asks the evidence question again, with the account kept.
      const kept = await h.choose('leave:stay', t);
      expectSays(kept, 'report.evidence.askTip', locale);
      await h.say('https://x.com/camat/status/23', t);
      // "ya" under the question cancels; nothing was filed.
      expectSays(await h.command(cancel, '', t), 'report.cancelDraftConfirm', locale);
      expectSays(await h.say(locale === 'id' ? 'ya' : 'yes', t), 'common.cancelled', locale);
      expect(await h.app.store.prisma.ticket.count({ where: { reporterChatKey: h.app.runtime.chatKey({ channel: 'terminal', chatId: t.chat! }) } })).toBe(0);
    });

    it('reads answers given in one line as a hurried reporter types them: a name with the position, a witness with a number, yes with the next name', async () => {
      const t = chat('one-line');
      await begin(t, 'formal');
      // "pak budi, camatnya": the name, and the position offered next; "Camat Koba" is a PNS.
      const position = await h.say(locale === 'id' ? 'pak budi, camatnya' : 'pak budi, camat koba', t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      expect(position.choices[0]).toBe(locale === 'id' ? 'Pakai: camat' : 'Use: camat koba');
      await h.say('Camat Koba', t);
      expectSays(await h.choose('unknown', t), 'report.terlapor.employmentFromPosition', locale);
      await h.choose('social-media', t);
      await h.choose('today', t);
      await h.choose('sameDay', t);
      await h.say('bangka barat', t);
      await h.choose('skip', t);
      await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', t);
      await h.say('https://x.com/camat/status/51', t);
      await h.say(doneWord[locale], t);
      // A witness's name and number in one line: noted at once, no contact asked.
      const noted = await h.say('Siti Aminah, no hp 0813 1111 2222', t);
      expectSays(noted, 'report.witness.askMore', locale);
      // Yes, with the next witness's name.
      expectSays(await h.say(locale === 'id' ? 'iya, pak RT Joko' : 'yes, Joko', t), 'report.witness.askContact', locale);
      await h.choose('skip', t);
      await h.say(locale === 'id' ? 'tidak' : 'no', t);
      await h.say('Rina Lestari', t);
      await h.say('Jl. Sudirman No. 3, Koba', t);
      await h.say('0813 2222 3333', t);
      const review = await h.choose('skip', t);
      expect(review.all).toContain(locale === 'id' ? 'Terlapor: Pak Budi\n' : 'Reported person: Pak Budi\n');
      expect(review.all).toContain('1. Siti Aminah (+6281311112222)');
      expect(review.all).toContain(locale === 'id' ? '2. pak RT Joko\n' : '2. Joko\n');
    });

    it('takes "iya" to the position offered, and returns a greeting or a yes at a field without storing it', async () => {
      const t = chat('yes-to-offered');
      await begin(t, 'formal');
      await h.say('Pak H. Darsono Kades Sukamaju', t);
      expectSays(await h.say(locale === 'id' ? 'iya' : 'yes', t), 'report.terlapor.askAgency', locale);
      // A greeting after a pause, a salam, or "ok" with nothing offered: the agency is asked again, nothing stored.
      const greeted = await h.say(locale === 'id' ? 'halo min' : 'hello', t);
      expectSays(greeted, 'common.carryOn', locale);
      expectSays(greeted, 'report.terlapor.askAgency', locale);
      expect(keysOf((await h.say('Assalamualaikum', t)).messages)).toEqual(['menu.salam', 'common.carryOn', 'report.terlapor.askAgency']);
      const ok = await h.say('ok', t);
      expectSays(ok, 'common.notAnAnswer', locale);
      expectSays(ok, 'report.terlapor.askAgency', locale);
      // A question there is answered with the question's help, and stored nowhere.
      const why = await h.say(locale === 'id' ? 'kenapa harus isi instansi? camatnya aja ga cukup?' : "why do you need this? isn't the camat enough?", t);
      expectSays(why, 'report.help.askingTerlaporAgency', locale);
      await h.say('Pemerintah Desa Sukamaju', t);
      // Back at the agency, "ok" keeps what is held.
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      const kept = await h.say('ok', t);
      expect(kept.all).not.toContain(locale === 'id' ? 'belum menjawab' : 'does not answer');
      const review = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: kept.result.chatKey } });
      expect(JSON.stringify(review.snapshot)).toContain('Kades Sukamaju');
      expect(JSON.stringify(review.snapshot)).toContain('Pemerintah Desa Sukamaju');
    });

    it('keeps a correction\'s opening out of a position typed over the one offered', async () => {
      const t = chat('position-correction');
      await begin(t, 'formal');
      await h.say('Bu Sri Wahyuni guru SDN 3 Koba', t);
      const agency = await h.say(locale === 'id' ? 'bukan, dia kepala sekolah' : 'no, she is the head teacher', t);
      expectSays(agency, 'report.terlapor.askAgency', locale);
      const saved = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: agency.result.chatKey } });
      expect(saved.snapshot).toMatchObject({ context: { terlapor: { position: locale === 'id' ? 'kepala sekolah' : 'she is the head teacher' } } });
    });

    it('keeps the longer story told at the wrong question when a shorter one follows, and numbers the category held first', async () => {
      const t = chat('story-kept');
      await begin(t, 'tip');
      await h.say('Budi Santoso', t);
      await h.choose('unknown', t);
      await h.choose('unknown', t);
      await h.choose('pns', t);
      const story = 'Kepala sekolah menyuruh semua guru wajib datang ke kampanye akbar paslon nomor 2 di lapangan kota hari Sabtu.';
      expectSays(await h.say(story, t), 'report.description.storyKept', locale);
      await h.choose('mobilising-staff', t);
      expect(keysOf((await h.say('eh salah bu, maksud sy tgl 30 kemarinnya jg', t)).messages)).not.toContain('report.description.storyKept');
      // Back at the category, what is held comes first and "1" keeps it.
      const category = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expect(category.choices[0]).toBe(locale === 'id' ? 'Biarkan: Mengerahkan pegawai lain' : 'Keep: Mobilising other staff');
      expect(category.values[0]).toBe('mobilising-staff');
      const help = await h.command(locale === 'id' ? 'bantuan' : 'help', '', t);
      expect(help.all).toContain(locale === 'id' ? '1. Mengerahkan pegawai lain' : '1. Mobilising other staff');
      await h.say('1', t);
      await h.choose('today', t);
      await h.choose('sameDay', t);
      await h.say('bangka barat', t);
      await h.choose('skip', t);
      const description = await h.say(locale === 'id' ? 'ya' : 'yes', t);
      expect(description.all).not.toContain(locale === 'id' ? 'belum menjawab' : 'does not answer');
      const saved = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: description.result.chatKey } });
      expect(JSON.stringify(saved.snapshot)).toContain('kampanye akbar paslon nomor 2');
      expect(JSON.stringify(saved.snapshot)).toContain('"category":"mobilising-staff"');
    });

    it('answers at the summary whether the report was sent and who will learn who sent it', async () => {
      const t = chat('summary-questions');
      await tipToPlaceDetail(t);
      await detailToReview(t, 'https://x.com/camat/status/77');
      const sent = await h.say(locale === 'id' ? 'laporan sy udh kekirim blm?' : 'has my report been sent yet?', t);
      expectSays(sent, 'report.review.notSentYet', locale);
      expect(sent.all).toContain(locale === 'id' ? 'Kirim informasi' : 'Send the information');
      expectSays(await h.say(locale === 'id' ? 'pak camat bakal tau gak kalo sy yg lapor?' : 'will the camat know it was me?', t), 'report.review.whoSeesTip', locale);
      // A greeting there is returned, and the summary's question asked again.
      const greeted = await h.say(locale === 'id' ? 'halo' : 'hello', t);
      expectSays(greeted, 'common.carryOn', locale);
      expectSays(greeted, 'report.review.ask', locale);
      // Still the summary's question: nothing was sent or changed.
      expect(await h.app.store.prisma.ticket.count({ where: { reporterChatKey: sent.result.chatKey } })).toBe(0);
    });

    it('keeps a position typed after the name without a comma out of the name, and offers it as the position', async () => {
      const t = chat('name-with-position');
      await begin(t, 'formal');
      const position = await h.say('Pak H. Darsono Kades Sukamaju', t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      expect(position.choices[0]).toBe(locale === 'id' ? 'Pakai: Kades Sukamaju' : 'Use: Kades Sukamaju');
      const agency = await h.choose(position.values[0]!, t);
      expectSays(agency, 'report.terlapor.askAgency', locale);
    });

    it('offers the description given after "I don\'t know the name" as the position too', async () => {
      const t = chat('unknown-name-first');
      await begin(t, 'tip');
      const position = await h.say(locale === 'id' ? 'gatau namanya, kepala desa sukamaju' : "don't know his name, village head of Sukamaju", t);
      expectSays(position, 'report.terlapor.askPosition', locale);
      expect(position.choices[0]).toBe(locale === 'id' ? 'Pakai: kepala desa sukamaju' : 'Use: village head of Sukamaju');
    });

    it('takes "nobody else saw it" as no witness, an unknown contact as none, and "that is all" as no more', async () => {
      const t = chat('no-witness');
      await toEvidence(t, 'formal');
      await h.say('https://x.com/camat/status/31', t);
      expectSays(await h.say(locale === 'id' ? 'udah itu aja kak' : "that's all", t), 'report.witness.askName', locale);
      // Before, this became a witness named "ga ada yg liat selain saya".
      const none = await h.say(locale === 'id' ? 'ga ada yg liat selain saya' : 'nobody else saw it', t);
      expectSays(none, 'report.reporter.askName', locale);
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.witness.askName', locale);
      await h.say('Siti Aminah', t);
      expectSays(await h.say(locale === 'id' ? 'gatau' : "don't know", t), 'report.witness.askMore', locale);
      expectSays(await h.say(locale === 'id' ? 'udah' : 'done', t), 'report.reporter.askName', locale);
      for (const answer of ['Rina Lestari', 'Jl. Sudirman No. 3, Koba', locale === 'id' ? 'no wa 0813-2222-3333' : 'my number is 0813 2222 3333']) {
        await h.say(answer, t);
      }
      const review = await h.say(locale === 'id' ? 'email saya rina@example.com' : 'my email is rina@example.com', t);
      expectSays(review, 'report.review.formalSection', locale);
      expect(review.all).toContain('1. Siti Aminah\n');
      expect(review.all).not.toContain('selain saya');
      expect(review.all).toContain('+6281322223333');
      expect(review.all).toContain('rina@example.com');
    });

    it('shows the witnesses when their part is changed from the review, and keeps, adds to, replaces or removes them as asked', async () => {
      const t = chat('edit-witnesses');
      const back = locale === 'id' ? 'kembali' : 'back';
      const no = locale === 'id' ? 'tidak' : 'no';
      await rinaToReview(t, 'https://x.com/camat/status/19');
      const shown = await editPart(t, 'witnesses');
      expectSays(shown, 'report.witness.current', locale);
      expectSays(shown, 'report.witness.askChange', locale);
      expect(shown.all).toContain('1. Joko Susilo (Jl. Kenanga No. 1, Koba)');
      expect(shown.values).toEqual(['keep', 'add', 'replace', 'clear']);
      // Back, or keeping, returns to the review with the witness still there.
      const backed = await h.say(back, t);
      expectSays(backed, 'report.review.formalSection', locale);
      expect(backed.all).toContain('Joko Susilo');
      await editPart(t, 'witnesses');
      expect((await h.say(locale === 'id' ? 'tetap' : 'keep', t)).all).toContain('Joko Susilo');
      // Adding asks for the next witness; back from it shows them again, unchanged.
      await editPart(t, 'witnesses');
      const adding = await h.say(locale === 'id' ? 'tambah' : 'add', t);
      expectSays(adding, 'report.witness.askNameAdded', locale);
      expect(adding.all).toContain(locale === 'id' ? 'Saksi 2 dari 3' : 'Witness 2 of 3');
      expect(adding.values).toEqual(['keep']);
      const again = await h.say(back, t);
      expectSays(again, 'report.witness.askChange', locale);
      expect(again.all).toContain('Joko Susilo');
      await h.choose('add', t);
      await h.say('Sari Dewi', t);
      expectSays(await h.say('0812 3456 7890', t), 'report.witness.askMore', locale);
      const added = await h.say(no, t);
      expect(added.all).toContain('1. Joko Susilo');
      expect(added.all).toContain('2. Sari Dewi (+6281234567890)');
      // Replacing: those given stay until the first new witness is noted, going back from its contact too.
      await editPart(t, 'witnesses');
      const replacing = await h.say(locale === 'id' ? 'ganti semua' : 'replace all', t);
      expect(replacing.all).toContain(locale === 'id' ? 'Saksi 1 dari 3' : 'Witness 1 of 3');
      await h.say('Dodi Pratama', t);
      await h.say(back, t);
      const unchanged = await h.say(back, t);
      expectSays(unchanged, 'report.witness.askChange', locale);
      expect(unchanged.all).toContain('2. Sari Dewi');
      await h.choose('replace', t);
      await h.say('Dodi Pratama', t);
      await h.choose('skip', t);
      const replaced = await h.say(no, t);
      expect(replaced.all).toContain('1. Dodi Pratama');
      expect(replaced.all).not.toContain('Joko Susilo');
      expect(replaced.all).not.toContain('Sari Dewi');
      // Removing empties the list; with none, changing the part asks for the first witness.
      await editPart(t, 'witnesses');
      const removed = await h.say(locale === 'id' ? 'hapus semua saksi' : 'remove all witnesses', t);
      expectSays(removed, 'report.witness.cleared', locale, { asksAgain: false });
      expectSays(removed, 'report.review.formalSection', locale);
      expect(removed.all).not.toContain('Dodi Pratama');
      const first = await editPart(t, 'witnesses');
      expectSays(first, 'report.witness.askName', locale);
      expect(first.values).toEqual(['skip']);
      await h.choose('skip', t);
      const filed = await confirm(h, { chat: t.chat!, locale });
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
      expect(ticket.witnessesEnc === null || h.app.secrets.decryptJson<unknown[]>(ticket.witnessesEnc).length === 0).toBe(true);
    });

    it('offers no more witnesses to add once there are three, and says so when an old "add" button is pressed', async () => {
      const t = chat('full-witnesses');
      await rinaToReview(t, 'https://x.com/camat/status/20');
      await editPart(t, 'witnesses');
      await h.choose('add', t);
      await h.say('Sari Dewi', t);
      await h.choose('skip', t);
      // "Another?" yes: the third is the last.
      await h.choose('yes', t);
      await h.say('Dodi Pratama', t);
      const last = await h.choose('skip', t);
      expectSays(last, 'report.witness.savedLast', locale);
      expectSays(last, 'report.review.formalSection', locale);
      const full = await editPart(t, 'witnesses');
      expect(full.values).toEqual(['keep', 'replace', 'clear']);
      expectSays(await h.choose('add', t), 'report.witness.full', locale);
    });

    it('shows the whole summary again in the new language when the language is switched at the review', async () => {
      const t = chat('review-language');
      await rinaToReview(t, 'https://x.com/camat/status/15');
      const other = locale === 'id' ? 'en' : 'id';
      const switched = await h.command(other === 'en' ? 'language' : 'bahasa', other, t);
      const keys = keysOf(switched.messages);
      expect(keys[0]).toBe('common.languageChanged');
      expectSays(switched, 'report.review.summary', other);
      expectSays(switched, 'report.review.formalSection', other);
      // The summary and its question once each, the question last.
      expect(keys.filter((key) => key === 'report.review.summary')).toHaveLength(1);
      expect(keys.filter((key) => key === keys.at(-1))).toHaveLength(1);
      expect(switched.values).toContain('confirm');
      expect(switched.all).toContain('Rina Lestari');
      // The review goes on in the new language.
      expectSays(await h.choose('edit', t), 'report.review.askField', other);
    });

    it('asks its leave question again, in the new language, when the language is switched while it is on screen at the review', async () => {
      const t = chat('leave-language');
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/16'] });
      expectSays(await h.command('status', '', t), 'report.leaveKeepsDraft', locale);
      const other = locale === 'id' ? 'en' : 'id';
      const switched = await h.command(other === 'en' ? 'language' : 'bahasa', other, t);
      expect(keysOf(switched.messages)).toEqual(['common.languageChanged', 'report.leaveKeepsDraft']);
      expectSays(await h.choose('leave:stay', t), 'report.review.ask', other);
    });

    it('keeps the tip when the reporter goes back from the identity of a change to a formal report, instead of asking it again and again', async () => {
      const t = chat('to-formal-back');
      const photo = await storedPhoto(h, `to-formal-back-${locale}-${kind}`, { r: 9, g: locale === 'id' ? 5 : 6, b: 200 });
      await tipToReview(h, { chat: t.chat!, locale, evidence: [photo] });
      await h.choose('edit', t);
      await h.choose('kind', t);
      await h.choose('formal', t);
      await h.choose('agree', t);
      await h.say('Budi Santoso', t);
      await h.choose('unknown', t);
      await h.choose('unknown', t);
      await h.choose('pns', t);
      await h.say('Siti Aminah', t);
      await h.choose('skip', t);
      expectSays(await h.choose('no', t), 'report.reporter.intro', locale);
      // Back from a later identity question comes here, and from here to the review as a tip.
      expectSays(await h.say('Rina Lestari', t), 'report.reporter.askAddress', locale);
      expectSays(await h.say(locale === 'id' ? 'kembali' : 'back', t), 'report.reporter.askName', locale);
      const back = await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(back, 'report.consent.keptAsTip', locale, { asksAgain: false });
      expectSays(back, 'report.review.summary', locale);
      expect(keysOf(back.messages)).not.toContain('report.review.formalSection');
      expect(back.all).not.toContain('Siti Aminah');
    });

    it('turns a tip into a formal report from the review, asking consent, witnesses and identity', async () => {
      const t = chat('to-formal');
      const photo = await storedPhoto(h, `to-formal-${locale}-${kind}`, { r: 5, g: locale === 'id' ? 5 : 6, b: 200 });
      await tipToReview(h, { chat: t.chat!, locale, evidence: [photo] });
      await h.choose('edit', t);
      await h.choose('kind', t);
      expectSays(await h.choose('formal', t), 'report.consent.askFormal', locale);
      // The tip named nobody: a formal report must.
      const needs = await h.choose('agree', t);
      expectSays(needs, 'report.review.formalNeedsTerlapor', locale);
      // Nothing to keep: a formal report needs the name the tip did not have.
      expectSays(await h.say(locale === 'id' ? 'tetap' : 'keep', t), 'report.errors.nothingToKeep', locale);
      await h.say('Budi Santoso', t);
      await h.choose('unknown', t);
      await h.choose('unknown', t);
      const witnesses = await h.choose('pns', t);
      expectSays(witnesses, 'report.witness.askName', locale);
      const identity = await h.choose('skip', t);
      expectSays(identity, 'report.reporter.intro', locale);
      await h.say('Andi Wijaya', t);
      await h.say('Jl. Merdeka No. 10, Muntok', t);
      await h.send({ type: 'user.sendContact', phone: '6281234567890' }, t);
      const review = await h.choose('skip', t);
      expectSays(review, 'report.review.formalSection', locale);
      expect(review.all).toContain('+6281234567890');
    });

    it('cancels only after a confirmation', async () => {
      const t = chat('cancel');
      await tipToReview(h, { chat: t.chat!, locale, links: ['https://x.com/camat/status/12'] });
      expectSays(await h.choose('cancel', t), 'report.review.askCancel', locale);
      expectSays(await h.say(locale === 'id' ? 'tidak' : 'no', t), 'report.review.ask', locale);
      await h.choose('cancel', t);
      const cancelled = await h.say(yesWord[locale], t);
      expectSays(cancelled, 'report.review.cancelled', locale);
      expect(keysOf(cancelled.messages)).toContain('menu.ask');
    });

    it('keeps a photo whose caption carries control characters, and says when an old button no longer applies', async () => {
      const t = chat('caption');
      await toEvidence(t, 'tip');
      const photo = await storedPhoto(h, `caption-${locale}-${kind}`, { r: 3, g: locale === 'id' ? 3 : 4, b: 30 });
      const received = await h.send({ type: 'user.sendMedia', media: { ...photo, caption: '\u0000 foto di\u0007 kantor camat ' } }, t);
      expectSays(received, 'report.evidence.received', locale, { asksAgain: false });
      const row = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: received.result.chatKey } });
      expect((row.snapshot as { context: { evidence: Array<{ media: { caption?: string } }> } }).context.evidence[0]?.media.caption).toBe('foto di kantor camat');
      expectSays(await h.choose('sameDay', t), 'report.errors.staleChoice', locale);
    });

    it('asks a file sent before the evidence step to wait, a voice note to be typed, and a sticker to be something else', async () => {
      const t = chat('early-file');
      await begin(t, 'tip');
      const photo = await storedPhoto(h, `early-${locale}-${kind}`, { r: 7, g: 7, b: locale === 'id' ? 7 : 8 });
      expectSays(await h.send({ type: 'user.sendMedia', media: photo }, t), 'report.errors.mediaNotNow', locale);
      // A voice note is said to be unheard, not to wait for the evidence like a file.
      expectSays(await h.send({ type: 'user.sendMedia', media: { ...photo, kind: 'voice', mime: 'audio/ogg' } }, t), 'report.errors.voiceNotNow', locale);
      expectSays(await h.send({ type: 'user.sendUnsupported', what: 'sticker' }, t), 'report.errors.unsupported', locale);
      expectSays(await h.say('', t), 'report.errors.text.empty', locale);
    });
  });

  it('keeps an unfinished report across turns and picks up where it stopped', async () => {
    const t: TurnOptions = { chat: 'resume' };
    await h.command('lapor', '', t);
    await h.choose('tip', t);
    await h.choose('agree', t);
    await h.say('Budi Santoso', t);
    const resumed = await h.app.runtime.resume({ channel: 'terminal', chatId: 'resume' });
    expect(resumed?.messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''))).toEqual(['menu.welcomeBack', 'report.terlapor.askPosition']);
    expectSays(await h.say('Camat', t), 'report.terlapor.askAgency', 'id');
  });

  /**
   * A tip started in the chat's language, up to the question of the reported person's employment status (or past it,
   * for a position that names the status); returns the reply to the agency.
   */
  async function tipToEmployment(t: TurnOptions, position = 'Kasi Pemerintahan', agency = 'Kantor Camat'): Promise<Reply> {
    await h.command('lapor', '', t);
    await h.choose('tip', t);
    await h.choose('agree', t);
    await h.say('Budi Santoso', t);
    await h.say(position, t);
    return h.say(agency, t);
  }

  /** A tip up to the reported person's employment status, chosen; returns the category's reply. */
  async function tipToCategory(t: TurnOptions, employment: string): Promise<Reply> {
    await tipToEmployment(t);
    await h.choose(employment, t);
    return h.choose('attending-campaign', t);
  }

  /** A tip of a PNS attending a campaign yesterday in Bangka Barat, up to its description. */
  async function tipToDescription(t: TurnOptions): Promise<void> {
    await tipToCategory(t, 'pns');
    await h.say('kemarin', t);
    await h.choose('sameDay', t);
    await h.say('bangka barat', t);
    await h.choose('skip', t);
  }

  it('reads "malam ini" typed half an hour after midnight as the evening that just ended', async () => {
    const before = h.now();
    // 00:30 on 26 November in Jakarta.
    h.setNow('2026-11-25T17:30:00.000Z');
    try {
      const t: TurnOptions = { chat: 'night-words' };
      await tipToCategory(t, 'pns');
      const learned = await h.say('malam ini', t);
      expectSays(learned, 'report.when.askLearnedDate', 'id');
      expect(learned.all).toContain('25 November 2026');
      expect(learned.all).not.toContain('26 November 2026');
    } finally {
      h.setNow(before);
    }
  });

  it.each([
    ['village', 'UU 6/2014', 'Law 6/2014 on Villages'],
    ['tniPolri', 'UU 34/2004', 'Law 34/2004'],
    ['nonAsn', 'SE MenPAN-RB', 'SE MenPAN-RB'],
  ] as const)('explains the rules that bind a reported %s instead of the ASN discipline sanction', async (employment, idWords, enWords) => {
    for (const locale of ['id', 'en'] as const) {
      const t: TurnOptions = { chat: `rules-${employment}-${locale}` };
      await h.command('start', '', t);
      await h.command('bahasa', locale, t);
      const chosen = await tipToCategory(t, employment);
      expectSays(chosen, 'report.category.chosenOther', locale);
      expect(chosen.all).toContain(locale === 'id' ? idWords : enWords);
      expect(chosen.all).not.toContain(locale === 'id' ? 'hukuman disiplin' : 'disciplinary sanction');
      expectSays(chosen, 'report.when.askEventDate', locale);
    }
  });

  it.each([
    ['kades', 'village', 'UU 6/2014'],
    ['polisi', 'tniPolri', 'UU 34/2004'],
    ['P3K', 'pppk', 'PP 49/2018'],
  ] as const)('takes the typed status %j as %s and explains its rules', async (typed, _employment, words) => {
    const t: TurnOptions = { chat: `typed-status-${typed}` };
    await tipToEmployment(t);
    expectSays(await h.say(typed, t), 'report.category.ask', 'id');
    expect((await h.choose('attending-campaign', t)).all).toContain(words);
  });

  it.each([
    ['Kepala Desa', 'Kepala desa / perangkat desa', 'UU 6/2014'],
    ['Babinsa', 'TNI / Polri', 'UU 34/2004'],
    ['guru honorer', 'Honorer / non-ASN', 'SE MenPAN-RB'],
  ] as const)('does not ask the status of a reported %j, whose position names it, and explains its rules', async (position, status, words) => {
    const t: TurnOptions = { chat: `status-from-position-${position}` };
    const noted = await tipToEmployment(t, position, 'Kantor Desa Sukamaju');
    expect(keysOf(noted.messages)).toEqual(['report.terlapor.employmentFromPosition', 'report.category.ask']);
    expect(noted.all).toContain(`sebagai ${status}.`);
    const chosen = await h.choose('attending-campaign', t);
    expectSays(chosen, 'report.category.chosenOther', 'id');
    expect(chosen.all).toContain(words);
  });

  it('keeps a status chosen for the position when the reported person is changed again with the position kept', async () => {
    const t: TurnOptions = { chat: 'status-chosen' };
    await tipToEmployment(t, 'Kepala Desa', 'Kantor Desa Sukamaju');
    // He is a PNS acting as village head: back from the category, and PNS chosen.
    await h.say('kembali', t);
    await h.choose('pns', t);
    await h.choose('attending-campaign', t);
    await h.say('kemarin', t);
    await h.choose('sameDay', t);
    await h.say('bangka barat', t);
    await h.choose('skip', t);
    await h.say('Kepala desa hadir dan berorasi di kampanye calon bupati nomor urut dua.', t);
    await h.say('https://x.com/kades/status/1', t);
    await h.choose('done', t);
    await h.choose('edit', t);
    await h.choose('terlapor', t);
    await h.say('Budi Santosa', t);
    await h.say('tetap', t);
    const employment = await h.say('tetap', t);
    expect(keysOf(employment.messages)).toEqual(['report.terlapor.askEmployment']);
    expect(employment.choices[0]).toBe('Biarkan: PNS');
  });

  it.each(['Pj Kepala Desa', 'Sekretaris Desa', 'Kepala Dinas Pendidikan', 'Guru', 'Petinggi'])(
    'still asks the status when the position is %j, which does not settle it on its own',
    async (position) => {
      const t: TurnOptions = { chat: `status-asked-${position}` };
      expect(keysOf((await tipToEmployment(t, position, 'Kantor Desa Sukamaju')).messages)).toEqual(['report.terlapor.askEmployment']);
    },
  );

  it('keeps the ASN legal basis and sanction for a PNS, a PPPK (with its own discipline rules) and an unknown status', async () => {
    for (const employment of ['pns', 'pppk', 'unknown'] as const) {
      const chosen = await tipToCategory({ chat: `rules-${employment}` }, employment);
      expectSays(chosen, 'report.category.chosen', 'id');
      expect(chosen.all).toContain('PP 94/2021');
      // PPPK discipline follows their own management rules, which the reporter is told.
      if (employment === 'pppk') expect(chosen.all).toContain('PP 49/2018');
      else expect(chosen.all).not.toContain('PP 49/2018');
    }
  });

  it('names the likely categories, with their numbers, when the reporter tells the story instead of choosing', async () => {
    for (const locale of ['id', 'en'] as const) {
      const t: TurnOptions = { chat: `category-story-${locale}` };
      await h.command('start', '', t);
      await h.command('bahasa', locale, t);
      await tipToEmployment(t);
      await h.choose('pns', t);
      const guessed = await h.say('Pak camat upload foto bareng calon bupati di FB, pose dua jari', t);
      expectSays(guessed, 'report.category.guess', locale);
      expect(guessed.all).toContain(locale === 'id' ? '2. Foto dengan calon / gestur dukungan\n1. Dukungan di media sosial' : '2. Photo with candidate / partisan sign\n1. Support on social media');
      expectSays(await h.say('2', t), 'report.category.chosen', locale);
      // Words that point to no category get the usual answer.
      await h.say(locale === 'id' ? 'kembali' : 'back', t);
      expectSays(await h.say('entahlah', t), 'report.errors.useChoices', locale);
    }
  });

  it('takes "ya" or "iya itu" after a story that points to one category as that category, and not after one that points to several', async () => {
    for (const locale of ['id', 'en'] as const) {
      const t: TurnOptions = { chat: `category-yes-${locale}` };
      await h.command('start', '', t);
      await h.command('bahasa', locale, t);
      await tipToEmployment(t);
      await h.choose('pns', t);
      const several = await h.say('Pak camat upload foto bareng calon bupati di FB, pose dua jari', t);
      expectSays(several, 'report.category.guess', locale);
      expectSays(await h.say(locale === 'id' ? 'ya' : 'yes', t), 'report.errors.useChoices', locale);
      const one = await h.say('uploadnya sudah dihapus', t);
      expectSays(one, 'report.category.guessOne', locale);
      const chosen = await h.say(locale === 'id' ? 'iya itu' : 'yes that one', t);
      expectSays(chosen, 'report.category.chosen', locale);
      expect(chosen.all).toContain(locale === 'id' ? 'Dukungan di media sosial' : 'Support on social media');
    }
  });

  it('reads choices typed with chatter around them: "anonim aja" at the kind, "gapapa lanjut aja" without evidence, "ya kirim" at the summary', async () => {
    const t: TurnOptions = { chat: 'chatty-choices' };
    await h.command('lapor', '', t);
    expectSays(await h.say('anonim aja', t), 'report.consent.askTip', 'id');
    await h.choose('agree', t);
    await h.say('Budi Santoso', t);
    await h.say('Kepala Dinas', t);
    await h.say('Dinas Pendidikan', t);
    await h.choose('pns', t);
    await h.choose('attending-campaign', t);
    await h.say('kemarin sore', t);
    await h.choose('sameDay', t);
    await h.say('bangka barat', t);
    await h.choose('skip', t);
    await h.say('Kepala dinas hadir dan berorasi di kampanye calon bupati nomor urut dua.', t);
    expectSays(await h.say('gk ada', t), 'report.evidence.askContinueWithout', 'id');
    expectSays(await h.say('gapapa lanjut aja', t), 'report.review.summary', 'id');
    expectSays(await h.say('ya kirim', t), 'report.submitted.tip', 'id', { asksAgain: false });
  });

  it('takes "gk ada bukti kak" at the evidence question as having none, not as a link it cannot find', async () => {
    const t: TurnOptions = { chat: 'evidence-none-typed' };
    await tipToDescription(t);
    await h.say('Camat hadir dan berorasi di kampanye calon bupati nomor urut dua.', t);
    // Having none is checked once more, as when the button is pressed.
    expectSays(await h.say('gk ada bukti kak', t), 'report.evidence.askContinueWithout', 'id');
    const review = await h.say('ya', t);
    expectSays(review, 'report.review.summary', 'id');
    expect(review.all).toContain('Bukti (0)');
  });

  it('reads the date a correction ends with at a date question, not the correction as the account', async () => {
    const t: TurnOptions = { chat: 'date-correction' };
    await tipToCategory(t, 'pns');
    const corrected = await h.say('eh salah bukan kemarin, 2 hari lalu', t);
    expect(corrected.all).not.toContain('Cerita Anda sudah saya catat');
    expect(keysOf(corrected.messages).at(-1)).toBe('report.when.askLearnedDate');
  });

  it('keeps a link sent as the account of what happened as evidence, and asks for the account again', async () => {
    const t: TurnOptions = { chat: 'link-as-account' };
    await tipToDescription(t);
    const kept = await h.say('https://www.facebook.com/kades.sukamaju/posts/999', t);
    expect(keysOf(kept.messages)[0]).toBe('report.errors.description.linkKept');
    expect(keysOf(kept.messages).at(-1)).toMatch(/^report\.description\./);
    const evidence = await h.say('Kades memasang spanduk calon bupati di balai desa dan meminta warga memilihnya.', t);
    expect(evidence.all).toContain('Bukti: 1 dari paling banyak 10');
    const review = await h.say('selesai', t);
    expect(review.all).toContain('Kades memasang spanduk');
    expect(review.all).toContain('https://www.facebook.com/kades.sukamaju/posts/999');
  });

  it('takes a link sent at "send it without evidence?" as evidence, and asks the evidence question again with it', async () => {
    const t: TurnOptions = { chat: 'evidence-after-warning' };
    await tipToDescription(t);
    await h.say('Camat hadir dan berorasi di kampanye calon bupati nomor urut dua.', t);
    expectSays(await h.say('tidak ada bukti', t), 'report.evidence.askContinueWithout', 'id');
    const added = await h.say('https://x.com/camat/status/77', t);
    expect(keysOf(added.messages)).toEqual(['report.evidence.askMore']);
    expect(added.all).toContain('Bukti: 1 dari paling banyak 10');
    const review = await h.say('selesai', t);
    expect(review.all).toContain('https://x.com/camat/status/77');
  });

  it('takes a typed number after a piece of evidence as a choice of the list shown with it', async () => {
    const t: TurnOptions = { chat: 'evidence-numbers' };
    await tipToDescription(t);
    expectSays(await h.say('Camat hadir dan berorasi di kampanye calon bupati nomor urut dua.', t), 'report.evidence.askTip', 'id');
    const received = await h.send({ type: 'user.sendMedia', media: await storedPhoto(h, 'evidence-numbers') }, t);
    expect(received.choices).toEqual(['Selesai', 'Hapus semua bukti']);
    // "2" is the second line shown (clear), not the first question's second choice (no evidence); asked first, as it
    // deletes every file and link sent.
    const asked = await h.say('2', t);
    expect(keysOf(asked.messages)).toEqual(['report.evidence.askClearOne']);
    expect(asked.all).toContain('Hapus bukti ini dari draf?');
    expect(asked.choices).toEqual(['Ya, hapus semua', 'Tidak, simpan buktinya']);
    const cleared = await h.say('1', t);
    expect(keysOf(cleared.messages)).toEqual(['report.evidence.cleared', 'report.evidence.askTip']);
    await h.say('https://www.facebook.com/camat/posts/1', t);
    const duplicate = await h.say('https://www.facebook.com/camat/posts/1', t);
    expect(keysOf(duplicate.messages)).toEqual(['report.evidence.duplicate']);
    expect(keysOf((await h.say('2', t)).messages)).toEqual(['report.evidence.askClearOne']);
    // "No" keeps it, and the evidence question comes back with its count.
    const kept = await h.say('tidak', t);
    expect(keysOf(kept.messages)).toEqual(['report.evidence.clearKept', 'report.evidence.askMore']);
    expect(kept.all).toContain('Bukti: 1 dari paling banyak 10.');
    await h.say('2', t);
    expect(keysOf((await h.say('ya', t)).messages)).toEqual(['report.evidence.cleared', 'report.evidence.askTip']);
  });

  it('takes back one piece of evidence by its number, or the last one of a kind, and lists what is left', async () => {
    const t: TurnOptions = { chat: 'evidence-remove-one' };
    await tipToDescription(t);
    await h.say('Camat hadir dan berorasi di kampanye calon bupati nomor urut dua.', t);
    expect(keysOf((await h.say('hapus yang terakhir', t)).messages)).toEqual(['report.evidence.noneToRemove', 'report.evidence.askTip']);
    await h.send({ type: 'user.sendMedia', media: await storedPhoto(h, 'evidence-remove-one') }, t);
    await h.say('https://www.facebook.com/camat/posts/2', t);
    await h.say('https://x.com/camat/status/3', t);
    const second = await h.say('hapus bukti ke-2', t);
    expect(keysOf(second.messages)).toEqual(['report.evidence.removed']);
    expect(second.all).toContain('Bukti ke-2 dihapus dari draf ini');
    expect(second.all).toContain('(2 dari paling banyak 10)');
    expect(second.all).toContain('2. 🔗 https://x.com/camat/status/3');
    expect(second.all).not.toContain('facebook.com');
    expect(second.choices).toEqual(['Selesai', 'Hapus semua bukti']);
    const missing = await h.say('hapus bukti 5', t);
    expect(missing.all).toContain('Tidak ada bukti ke-5: draf ini berisi 2 bukti');
    // "The second photo" where the second piece is a link: asked, not guessed.
    const notPhoto = await h.say('hapus foto 2', t);
    expect(keysOf(notPhoto.messages)).toEqual(['report.evidence.notThatKind', 'report.evidence.askMore']);
    expect(notPhoto.all).toContain('Bukti ke-2 bukan jenis yang Anda sebut');
    // "The photo just now" is the photo, not the link sent after it.
    const photo = await h.say('hapus foto tadi', t);
    expect(photo.all).toContain('Bukti ke-1 dihapus');
    expect(photo.all).toContain('1. 🔗 https://x.com/camat/status/3');
    expect(photo.all).not.toContain('SHA-256');
    expect(keysOf((await h.say('hapus video terakhir', t)).messages)).toEqual(['report.evidence.noSuchKind', 'report.evidence.askMore']);
    // "Sent the wrong one": the last one goes.
    await h.say('https://www.tiktok.com/@camat/video/5', t);
    const mistake = await h.say('eh salah kirim', t);
    expect(mistake.all).toContain('Bukti ke-2 dihapus');
    expect(mistake.all).not.toContain('tiktok');
    const review = await h.say('selesai', t);
    expectSays(review, 'report.review.summary', 'id');
    expect(review.all).toContain('Bukti (1)');
  });

  it('starts from /start lapor, greeted with the privacy notice as a new chat, and from the menu entry', async () => {
    const deepLink = await h.command('start', 'lapor', { chat: 'deep-link' });
    expect(keysOf(deepLink.messages)).toEqual(['menu.greeting', 'menu.privacyNotice', 'report.intro', 'report.kind.ask']);
    // A known chat's link goes straight there.
    expect(keysOf((await h.command('start', 'lapor', { chat: 'deep-link' })).messages)).toEqual(['report.intro', 'report.kind.ask']);
    await h.command('start', '', { chat: 'menu-entry' });
    const fromMenu = await h.say('1', { chat: 'menu-entry' });
    expect(keysOf(fromMenu.messages)).toEqual(['report.intro', 'report.kind.ask']);
    // A first message that asks to report is greeted, given the privacy notice, and taken there.
    const first = await h.say('saya mau lapor camat yang kampanye', { chat: 'first-message' });
    expect(keysOf(first.messages)).toEqual(['menu.greeting', 'menu.privacyNotice', 'report.intro', 'report.kind.ask']);
    // An account as a first message is answered, and its words are not kept in the chat's stored state.
    const story = await h.say('pak camat Sutrisnowati ikut kampanye paslon 2 kemarin', { chat: 'first-story' });
    expect(keysOf(story.messages)).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.story', 'menu.ask']);
    const stored = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: story.result.chatKey } });
    expect(JSON.stringify(stored)).not.toContain('Sutrisnowati');
  });

  it('lets a formal reporter who lacks the name or any evidence go on as initial information, keeping the answers', async () => {
    const named: TurnOptions = { chat: 'formal-no-name' };
    await h.command('lapor', '', named);
    await h.choose('formal', named);
    const asked = await h.choose('agree', named);
    expect(asked.choices).toEqual(['Jadikan informasi awal (nama tidak diketahui)']);
    // "Tidak tahu" alone is refused with the way out; only choosing it converts the draft.
    expectSays(await h.say('tidak tahu', named), 'report.terlapor.nameRequiredFormal', 'id', { asksAgain: true });
    const converted = await h.choose('tipInstead', named);
    expectSays(converted, 'report.when.converted', 'id');
    expectSays(converted, 'report.terlapor.askPosition', 'id');

    const noEvidence: TurnOptions = { chat: 'formal-no-evidence' };
    await h.command('lapor', '', noEvidence);
    await h.choose('formal', noEvidence);
    await h.choose('agree', noEvidence);
    for (const answer of ['Budi Santoso', 'Camat Koba', 'Kantor Camat', '1']) await h.say(answer, noEvidence);
    await h.choose('today', noEvidence);
    await h.choose('sameDay', noEvidence);
    await h.say('bangka barat', noEvidence);
    await h.choose('skip', noEvidence);
    const evidence = await h.say('Camat membagikan poster calon bupati di grup WhatsApp kantor dan meminta staf ikut membagikan.', noEvidence);
    expect(evidence.choices).toEqual(['Selesai', 'Jadikan informasi awal (tanpa bukti)']);
    expectSays(await h.say('selesai', noEvidence), 'report.evidence.formalNeedsEvidence', 'id', { asksAgain: true });
    const asTip = await h.choose('tipInstead', noEvidence);
    expectSays(asTip, 'report.when.converted', 'id');
    expectSays(asTip, 'report.evidence.askContinueWithout', 'id');
    const review = await h.choose('continue', noEvidence);
    expect(review.all).toContain('Camat membagikan poster calon bupati');
    expect(review.all).toContain('Budi Santoso');
  });

  it('keeps the answers when back reaches the first question, and leaves with back only before any answer', async () => {
    const t: TurnOptions = { chat: 'back-to-start' };
    await h.command('lapor', '', t);
    await h.choose('tip', t);
    await h.choose('agree', t);
    await h.say('Budi Santoso', t);
    expectSays(await h.say('kembali', t), 'report.terlapor.askName', 'id');
    expectSays(await h.say('kembali', t), 'report.consent.askTip', 'id');
    expectSays(await h.say('kembali', t), 'report.kind.ask', 'id');
    const atStart = await h.say('kembali', t);
    expect(keysOf(atStart.messages)).toEqual(['report.errors.backAtStart', 'report.kind.ask']);
    // The answers are still there to lose: another flow asks first.
    expect(keysOf((await h.command('kuis', '', t)).messages)).toContain('report.leaveKeepsDraft');
    await h.choose('leave:stay', t);
    await h.choose('tip', t);
    await h.choose('agree', t);
    const row = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: atStart.result.chatKey } });
    expect((row.snapshot as { context: { terlapor: { name: string } } }).context.terlapor.name).toBe('Budi Santoso');

    const empty: TurnOptions = { chat: 'back-empty' };
    await h.command('lapor', '', empty);
    expect(keysOf((await h.say('kembali', empty)).messages)).toContain('menu.ask');
  });

  it('leaves the report with /batal at any step', async () => {
    const t: TurnOptions = { chat: 'batal' };
    await h.command('lapor', '', t);
    await h.choose('formal', t);
    const cancelled = await h.command('batal', '', t);
    expect(keysOf(cancelled.messages)).toEqual(['common.cancelled', 'menu.ask']);
  });
});

describe('what the reporter is told happens next', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(async () => {
    await h?.close();
  });
  const filed: SubmitReportResult = {
    status: 'submitted',
    code: 'NTR-AAAA-BBBB',
    receipt: '1234567890123456',
    office: { code: '13.71', name: 'Bawaslu Kota Padang' },
    recommendationBody: 'BKN',
  };
  const told = (employment: Employment, category: string) => {
    const context = emptyReport('2026-11-22T03:00:00.000Z');
    context.terlapor.employment = employment;
    context.category = category;
    return keysOf(submittedMessages(context, filed));
  };

  it.each([
    ['pns', 'report.submitted.next'],
    ['pppk', 'report.submitted.next'],
    ['unknown', 'report.submitted.next'],
    ['village', 'report.submitted.nextVillage'],
    ['tniPolri', 'report.submitted.nextOther'],
    ['nonAsn', 'report.submitted.nextOther'],
  ] as const)('tells who decides the sanction of a reported %s (%s)', (employment, key) => {
    const keys = told(employment, 'attending-campaign');
    expect(keys).toContain(key);
    expect(keys.filter((k) => k.startsWith('report.submitted.next'))).toEqual([key]);
    expect(keys).not.toContain('report.submitted.criminal');
  });

  it('adds the criminal track through Sentra Gakkumdu for money politics, in both languages', () => {
    const context = emptyReport('2026-11-22T03:00:00.000Z');
    context.terlapor.employment = 'village';
    context.category = 'money-politics';
    const messages = submittedMessages(context, filed);
    expect(keysOf(messages)).toEqual(expect.arrayContaining(['report.submitted.nextVillage', 'report.submitted.criminal']));
    expect(h.render(messages, 'id').join('\n')).toContain('Sentra Gakkumdu');
    expect(h.render(messages, 'id').join('\n')).toContain('UU 6/2014');
    expect(h.render(messages, 'en').join('\n')).toContain('Law 6/2014 on Villages');
  });
});

