/**
 * What a reporter sees when coming back to a question (going back, or changing a part from the review), and what
 * becomes of a story typed where something else was asked: one choice per answer, the answer chosen before named,
 * and the story offered again where it belongs. Through the real runtime and store, in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TurnOptions } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { formalToReview, tipToReview } from './reportJourney.ts';

const words = {
  id: {
    report: 'lapor',
    agree: 'setuju',
    unknown: 'tidak tahu',
    back: 'kembali',
    today: 'Hari ini',
    sameDay: 'Pada hari kejadian',
    keep: 'tetap',
    story: 'Kemarin pak camat datang ke acara kampanye calon bupati nomor 2 dan berpidato mengajak warga memilihnya.',
  },
  en: {
    report: 'report',
    agree: 'I agree',
    unknown: "don't know",
    back: 'back',
    today: 'Today',
    sameDay: 'On the day it happened',
    keep: 'keep',
    story: 'Yesterday the camat came to a campaign event of regent candidate number 2 and gave a speech asking people to vote.',
  },
} as const;

describe.each(storeKinds)('coming back to a report question on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe.each(['id', 'en'] as const)('in %s', (locale) => {
    const w = words[locale];

    /** A tip started and answered up to the category question, in the chat `chat`. */
    async function toCategory(chat: string): Promise<TurnOptions> {
      const turn: TurnOptions = { chat };
      await h.command('start', '', turn);
      if (locale === 'en') await h.command('language', 'en', turn);
      await h.command(w.report, '', turn);
      await h.say('1', turn);
      await h.say(w.agree, turn);
      await h.say(w.unknown, turn);
      await h.say(w.unknown, turn);
      await h.say(w.unknown, turn);
      const category = await h.say('PNS', turn);
      expect(category.values).toHaveLength(12);
      return turn;
    }

    it('offers the status chosen before once, as the choice to keep, not again among the others', async () => {
      const turn = await toCategory(`status-${kind}-${locale}`);
      const status = await h.say(w.back, turn);
      expect(status.choices[0]).toBe(locale === 'id' ? 'Biarkan: PNS' : 'Keep: PNS (permanent civil servant)');
      expect(status.values).toEqual(['keep', 'pppk', 'village', 'tniPolri', 'nonAsn', 'unknown']);
      // Typed, the status kept still reads as itself.
      const category = await h.say('PNS', turn);
      expect(category.values).toHaveLength(12);
    });

    it('does not offer "today" beside "on the day it happened" when it happened today', async () => {
      const turn = await toCategory(`today-${kind}-${locale}`);
      await h.say('3', turn);
      const learned = await h.say(locale === 'id' ? 'hari ini' : 'today', turn);
      expect(learned.choices).toEqual([w.sameDay]);
      // Typed, "today" still answers.
      const place = await h.say(locale === 'id' ? 'hari ini' : 'today', turn);
      expect(place.all).toMatch(/Di mana|Where/);
    });

    it('offers both quick days when it happened before today, and leaves out the one that is the date kept', async () => {
      const turn = await toCategory(`days-${kind}-${locale}`);
      await h.say('3', turn);
      const learned = await h.say('20/11/2026', turn);
      expect(learned.choices).toEqual([w.sameDay, w.today]);
      await h.say(locale === 'id' ? 'hari ini' : 'today', turn);
      // Back at the learned date, whose answer (today, 22 November) is kept: "today" would give it again.
      const again = await h.say(w.back, turn);
      expect(again.choices).toHaveLength(2);
      expect(again.choices[0]).toMatch(/^(Biarkan|Keep): .*22 November 2026/);
      expect(again.choices[1]).toBe(w.sameDay);
    });

    it('names the category chosen before when it is changed from the review, and keeps it when told to', async () => {
      const chat = `category-${kind}-${locale}`;
      await tipToReview(h, { chat, locale });
      const category = await h.say(locale === 'id' ? 'ubah jenis pelanggaran' : 'change the category', { chat });
      expect(category.values).toHaveLength(12);
      expect(category.all).toContain(locale === 'id' ? 'Pilihan sekarang: Dukungan di media sosial' : 'Chosen now: Support on social media');
      const review = await h.say(w.keep, { chat });
      expect(review.all).toContain(locale === 'id' ? 'Dukungan di media sosial' : 'Support on social media');
      expect(review.all).toMatch(/Periksa ringkasan|check the summary/);
    });

    it('names the kind of report it is when the kind is changed from the review', async () => {
      const chat = `kind-${kind}-${locale}`;
      await tipToReview(h, { chat, locale });
      const kindQuestion = await h.say(locale === 'id' ? 'ubah jenis laporan' : 'change the kind of report', { chat });
      expect(kindQuestion.all).toContain(
        locale === 'id' ? 'Saat ini laporan berupa Informasi awal (anonim)' : 'This report is now sent as Initial information (anonymous)',
      );
      expect(kindQuestion.values).toEqual(['tip', 'formal']);
    });

    it('keeps a story typed at the category question and offers it as the description', async () => {
      const turn = await toCategory(`story-${kind}-${locale}`);
      const guessed = await h.say(w.story, turn);
      expect(guessed.all).toMatch(/sudah saya catat|I have noted what you wrote/);
      expect(guessed.values).toHaveLength(12);
      await h.say('3', turn);
      await h.say('21/11/2026', turn);
      await h.say(locale === 'id' ? 'hari ini' : 'today', turn);
      await h.say('bangka barat', turn);
      const description = await h.say(locale === 'id' ? 'lewati' : 'skip', turn);
      expect(description.values[0]).toBe('hint');
      expect(description.choices[0]).toMatch(locale === 'id' ? /^Pakai cerita tadi: Kemarin pak camat/ : /^Use what you wrote: Yesterday the camat/);
      // Typed as people type it: "the one from before".
      const evidence = await h.say(locale === 'id' ? 'pake yg tadi aja' : 'use what I wrote', turn);
      expect(evidence.all).toMatch(/bukti|evidence/i);
      // The summary quotes the story as the description.
      await h.say(locale === 'id' ? 'selesai' : 'done', turn);
      const review = await h.choose('continue', turn);
      expect(review.all).toContain(w.story.slice(0, 40));
    });

    it('keeps a story typed at the status question as well, and offers it as the description', async () => {
      const turn: TurnOptions = { chat: `story-status-${kind}-${locale}` };
      await h.command('start', '', turn);
      if (locale === 'en') await h.command('language', 'en', turn);
      await h.command(w.report, '', turn);
      for (const answer of ['1', w.agree, w.unknown, w.unknown, w.unknown]) await h.say(answer, turn);
      const kept = await h.say(w.story, turn);
      expect(kept.all).toMatch(/sudah saya catat|I have noted what you wrote/);
      await h.say('PNS', turn);
      for (const answer of ['3', '21/11/2026', locale === 'id' ? 'hari ini' : 'today', 'bangka barat']) await h.say(answer, turn);
      const description = await h.say(locale === 'id' ? 'lewati' : 'skip', turn);
      expect(description.values[0]).toBe('hint');
    });

    it('adds what the reporter adds to the story kept, rather than replacing it', async () => {
      const turn = await toCategory(`story-added-${kind}-${locale}`);
      await h.say(w.story, turn);
      for (const answer of ['3', '21/11/2026', locale === 'id' ? 'hari ini' : 'today', 'bangka barat', locale === 'id' ? 'lewati' : 'skip']) await h.say(answer, turn);
      const added = locale === 'id' ? 'Dia juga membagikan kaus bergambar calon.' : 'He also handed out shirts showing the candidate.';
      await h.say(`${locale === 'id' ? 'pakai yg tadi tp tambahin:' : 'use what I wrote and add:'} ${added}`, turn);
      await h.say(locale === 'id' ? 'selesai' : 'done', turn);
      const review = await h.choose('continue', turn);
      expect(review.all).toContain(w.story.slice(0, 40));
      expect(review.all).toContain(added);
      expect(review.all).not.toMatch(/tambahin|and add/);
    });

    it('keeps names typed without capitals with them, and names spelled on purpose as typed', async () => {
      const turn = await toCategory(`names-${kind}-${locale}`);
      // Back to the name, through the status, the agency and the position.
      for (let i = 0; i < 4; i += 1) await h.say(w.back, turn);
      const position = await h.say('pak sukirman', turn);
      expect(position.all).toMatch(/jabatan|position/i);
      const review = await formalToReview(h, {
        chat: `formal-names-${kind}-${locale}`,
        locale,
        links: ['https://example.org/post/1'],
        reporter: { name: 'siti aminah s.pd', address: 'Jl. Merdeka 1, Koba', phone: '081311112222', email: 'siti@example.org' },
        witness: { name: 'dr. budi hartono', contact: '081322223333' },
      });
      expect(review.all).toContain('Budi Santoso');
      expect(review.all).toContain('Siti Aminah, S.Pd.');
      expect(review.all).toContain('1. dr. Budi Hartono');
      const back = await h.say(w.back, { chat: `names-${kind}-${locale}` });
      expect(back.choices[0]).toMatch(/^(Biarkan|Keep): Pak Sukirman$/);
    });

    it('answers "what does that mean?" at a typed question with its help, and never keeps "ok" as a name', async () => {
      const turn = await toCategory(`meaning-${kind}-${locale}`);
      await h.say(w.back, turn);
      const agency = await h.say(w.back, turn);
      expect(agency.all).toMatch(/instansi|agency/i);
      const help = await h.say(locale === 'id' ? 'maksudnya apa?' : 'what do you mean?', turn);
      expect(help.all).toMatch(/Tulis nama kantor|Write the name of the office|instansi|agency/i);
      // Still at the agency: the question's help came, nothing was kept.
      const back = await h.say(w.back, turn);
      expect(back.all).toMatch(/jabatan|position/i);
      await h.say(w.back, turn);
      const ok = await h.say('ok', turn);
      expect(ok.all).toMatch(/“ok” belum menjawab pertanyaan ini|“ok” does not answer this question/);
      expect(ok.all).toMatch(/Siapa yang dilaporkan|Who are you reporting/);
    });

    it('keeps a long story typed at the first question or at the name, and gives no capitals to a description at the name', async () => {
      const turn: TurnOptions = { chat: `first-story-${kind}-${locale}` };
      await h.command('start', '', turn);
      if (locale === 'en') await h.command('language', 'en', turn);
      await h.command(w.report, '', turn);
      const first = await h.say(w.story, turn);
      expect(first.all).toMatch(/sudah saya catat|I have noted what you wrote/);
      await h.say('1', turn);
      await h.say(w.agree, turn);
      const described = await h.say('kades sy pak budi santoso ikut kampanye paslon 2 kmrn', turn);
      expect(described.all).toMatch(/jabatan|position/i);
      const name = await h.say(w.back, turn);
      expect(name.choices[0]).toMatch(/: kades sy pak budi/);
    });

    it('opens the reported person from the review by "ubah jabatan" or "change name"', async () => {
      const chat = `part-${kind}-${locale}`;
      await tipToReview(h, { chat, locale });
      const part = await h.say(locale === 'id' ? 'ubah jabatan' : 'change name', { chat });
      expect(part.all).toMatch(/Siapa yang dilaporkan|Who are you reporting/);
    });

    it('leaves a part being changed for another part named at one of its questions, keeping what was answered', async () => {
      const chat = `switch-${kind}-${locale}`;
      await tipToReview(h, { chat, locale });
      await h.say(locale === 'id' ? 'ubah nama' : 'change name', { chat });
      const position = await h.say('Pak Sukirman', { chat });
      expect(position.all).toMatch(/jabatan|position/i);
      const place = await h.say(locale === 'id' ? 'ubah lokasi' : 'change the place', { chat });
      expect(place.all).toMatch(/Di mana kejadiannya|Where did it happen/);
      await h.say(w.keep, { chat });
      const review = await h.say(w.keep, { chat });
      expect(review.all).toContain('Pak Sukirman');
      expect(review.all).toContain(locale === 'en' ? 'Head of the education office' : 'Kepala Dinas Pendidikan');
      expect(review.all).not.toMatch(/ubah lokasi|change the place/i);
    });

    it('finds the place named after a village, and still says a village alone cannot be looked up', async () => {
      const turn = await toCategory(`village-${kind}-${locale}`);
      await h.say('3', turn);
      await h.say('21/11/2026', turn);
      await h.say(locale === 'id' ? 'hari ini' : 'today', turn);
      const alone = await h.say('desa sukamaju', turn);
      expect(alone.all).toMatch(/desa atau kelurahan|village/i);
      const named = await h.say('desa sukamaju kec cibadak kab sukabumi', turn);
      expect(named.all).toContain('Kecamatan Cibadak, Kabupaten Sukabumi');
      expect(named.values).toEqual(['yes', 'no']);
    });

    it('finds the place named with its kind after a building, or with its kind after its name', async () => {
      const turn = await toCategory(`building-${kind}-${locale}`);
      for (const answer of ['3', '21/11/2026', locale === 'id' ? 'hari ini' : 'today']) await h.say(answer, turn);
      const named = await h.say('di balai desa sukamaju kec cibadak kab sukabumi', turn);
      expect(named.all).toContain('Kecamatan Cibadak, Kabupaten Sukabumi');
      await h.say(locale === 'id' ? 'bukan' : 'no', turn);
      const city = await h.say('pangkalpinang kota', turn);
      expect(city.all).toContain('Kota Pangkal Pinang');
    });

    it('keeps a story typed at the date question, and a short phrase there is only asked again', async () => {
      const turn = await toCategory(`date-story-${kind}-${locale}`);
      await h.say('3', turn);
      const short = await h.say(locale === 'id' ? 'waktu itu pagi' : 'it was in the morning', turn);
      expect(short.all).not.toMatch(/sudah saya catat|I have noted what you wrote/);
      const story = await h.say(w.story, turn);
      expect(story.all).toMatch(/Saya tidak mengenali tanggal itu|I did not recognise that date/);
      expect(story.all).toMatch(/sudah saya catat|I have noted what you wrote/);
    });
  });
});
