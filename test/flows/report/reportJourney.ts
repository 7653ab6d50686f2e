/**
 * Whole reports typed through the harness as a citizen would, in Indonesian or English, with real evidence
 * files: a 16x16 JPEG carrying EXIF and GPS, stored through the media store like a channel does.
 */
import { expect } from 'vitest';
import sharp from 'sharp';
import type { StoredMedia } from '../../../flows/messages.ts';
import { storeMedia } from '../../../bot/media/mediaStore.ts';
import type { Harness, Reply, TurnOptions } from '../../support/chatHarness.ts';

/** A JPEG with EXIF (camera, a marker) and a GPS position, as a phone would send it. */
export async function jpegWithExif(marker: string, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: colour } })
    .jpeg()
    .withMetadata({
      exif: {
        IFD0: { Make: 'NetraTestCam', Copyright: marker },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '2/1 3/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 10/1 0/1' },
      },
    })
    .toBuffer();
}

/** A photo stored under the harness's data directory, as the channel stores it before the turn. */
export async function storedPhoto(h: Harness, marker: string, colour = { r: 200, g: 30, b: 30 }): Promise<StoredMedia> {
  return storeMedia(h.dataDir, await jpegWithExif(marker, colour), { kind: 'photo', mime: 'image/jpeg', fileName: `${marker}.jpg` });
}

/** What the citizen reads at the end. */
export interface Filed {
  code: string;
  receipt: string;
  final: Reply;
}

/** Reads the code and the receipt from the submission's replies. */
export function filedFrom(final: Reply): Filed {
  const code = /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(final.all)?.[0];
  const receipt = /\b\d{4} \d{4} \d{4} \d{4}\b/.exec(final.all)?.[0];
  expect(code, final.all).toBeDefined();
  expect(receipt, final.all).toBeDefined();
  return { code: code!, receipt: receipt!, final };
}

export interface JourneyOptions {
  chat: string;
  locale: 'id' | 'en';
  evidence?: StoredMedia[];
  links?: string[];
}

const words = {
  id: { agree: 'setuju', unknown: 'tidak tahu', yes: 'ya', no: 'tidak', done: 'selesai', skip: 'lewati', send: 'kirim laporan', today: 'hari ini' },
  en: { agree: 'I agree', unknown: "don't know", yes: 'yes', no: 'no', done: 'done', skip: 'skip', send: 'send the report', today: 'today' },
} as const;

async function start(h: Harness, options: JourneyOptions): Promise<TurnOptions> {
  const turn: TurnOptions = { chat: options.chat };
  await h.command('start', '', turn);
  if (options.locale === 'en') await h.command('language', 'en', turn);
  return turn;
}

async function sendEvidence(h: Harness, turn: TurnOptions, options: JourneyOptions): Promise<void> {
  for (const media of options.evidence ?? []) {
    const reply = await h.send({ type: 'user.sendMedia', media }, turn);
    expect(reply.all).toMatch(/Bukti ke-\d+|Evidence \d+/);
  }
  for (const link of options.links ?? []) await h.say(link, turn);
}

/** An anonymous tip about an unnamed official, typed answer by answer. Returns the last reply (the review). */
export async function tipToReview(h: Harness, options: JourneyOptions): Promise<Reply> {
  const turn = await start(h, options);
  const w = words[options.locale];
  await h.command(options.locale === 'en' ? 'report' : 'lapor', '', turn);
  await h.say('1', turn);
  await h.say(w.agree, turn);
  await h.say(w.unknown, turn);
  await h.say(options.locale === 'en' ? 'Head of the education office' : 'Kepala Dinas Pendidikan', turn);
  await h.say('Dinas Pendidikan Kabupaten Bangka Barat', turn);
  await h.say('PNS', turn);
  await h.say('1', turn);
  await h.say('20/11/2026', turn);
  await h.say(w.today, turn);
  const place = await h.say('bangka barat', turn);
  expect(place.all).toContain('Kabupaten Bangka Barat');
  await h.say(w.skip, turn);
  await h.say(
    options.locale === 'en'
      ? 'On 20 November the head of the education office posted a campaign photo of a regent candidate and asked teachers to share it.'
      : 'Pada 20 November kepala dinas mengunggah foto kampanye calon bupati di Facebook dan meminta para guru membagikannya.',
    turn,
  );
  await sendEvidence(h, turn, options);
  const review = await h.say(w.done, turn);
  if ((options.evidence ?? []).length + (options.links ?? []).length === 0) {
    return h.choose('continue', turn);
  }
  return review;
}

/** A formal report with a witness and the reporter's identity. Returns the last reply (the review). */
export async function formalToReview(
  h: Harness,
  options: JourneyOptions & { reporter: { name: string; address: string; phone: string; email: string }; witness: { name: string; contact: string } },
): Promise<Reply> {
  const turn = await start(h, options);
  const w = words[options.locale];
  await h.command(options.locale === 'en' ? 'report' : 'lapor', '', turn);
  await h.say('2', turn);
  await h.say(w.agree, turn);
  await h.say('Budi Santoso', turn);
  await h.say('Camat Koba', turn);
  // A camat is a PNS: the position answers the status question.
  const category = await h.say('Kantor Camat Koba', turn);
  expect(category.all).toContain('PNS');
  await h.say('3', turn);
  await h.say('21/11/2026', turn);
  const learned = await h.say(w.today, turn);
  expect(learned.all).toMatch(/29 November 2026/);
  const district = await h.say('koba', turn);
  expect(district.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
  await h.say(w.yes, turn);
  await h.say('Lapangan Merdeka, Koba', turn);
  await h.say(
    options.locale === 'en'
      ? 'The camat spoke at a campaign rally for a regent candidate on Saturday morning, in his official uniform, and asked the crowd to vote for number 2.'
      : 'Camat Koba berpidato di kampanye calon bupati pada Sabtu pagi dengan seragam dinas dan mengajak warga memilih nomor 2.',
    turn,
  );
  await sendEvidence(h, turn, options);
  await h.say(w.done, turn);
  await h.say(options.witness.name, turn);
  await h.say(options.witness.contact, turn);
  await h.say(w.no, turn);
  await h.say(options.reporter.name, turn);
  await h.say(options.reporter.address, turn);
  await h.say(options.reporter.phone, turn);
  return h.say(options.reporter.email, turn);
}

/** Confirms at the review and returns the code and receipt. */
export async function confirm(h: Harness, options: { chat: string; locale: 'id' | 'en' }): Promise<Filed> {
  return filedFrom(await h.say(words[options.locale].send, { chat: options.chat }));
}
