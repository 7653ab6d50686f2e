/**
 * Promise: whatever a user sends, in whatever order, Netra answers in the user's language and never crashes or
 * loses the conversation. Property-based tests (fast-check) feed random and mutated inbound events through the
 * real runtime and store for every flow in flows/registry.ts: a flow registered later is covered without a
 * change here. Set NETRA_LONG_TESTS=1 for a long run on both stores (about 15 minutes), NETRA_FUZZ_SEED=<n> to
 * explore other sequences; a failure prints the seed and the shrunk sequence that reproduces it.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources, type Locale } from '../../content/locales/index.ts';
import { storeMedia } from '../../bot/media/mediaStore.ts';
import type { FlowDefinition, FlowId } from '../../flows/flow.ts';
import { menuChoices } from '../../flows/menu/menu.machine.ts';
import {
  inboundEventSchema,
  mediaKindSchema,
  type OutboundMessage,
  type StoredMedia,
  type TextRef,
  type UnstampedUserEvent,
} from '../../flows/messages.ts';
import { allFlows } from '../../flows/registry.ts';
import { route } from '../../flows/router.ts';
import { createHarness, type Harness, type Reply } from '../support/chatHarness.ts';
import type { StoreKind } from '../support/testDatabase.ts';

const LONG = process.env.NETRA_LONG_TESTS === '1';
const RUNS = LONG ? 200 : 60;
const MAX_EVENTS = LONG ? 60 : 25;
/** Turns a run may spend walking deep into its flow before the random events. */
const EXPLORE_TURNS = LONG ? 80 : 40;
const SEED = Number(process.env.NETRA_FUZZ_SEED ?? 20_261_122);
const STORES: StoreKind[] = LONG ? ['pglite', 'postgres'] : ['pglite'];

// ---------------------------------------------------------------------------------------------------------
// How a run enters each flow: a command the router maps to it, else the menu entry with its id.

const COMMAND_CANDIDATES = ['menu', 'lapor', 'report', 'kuis', 'quiz', 'belajar', 'learn', 'status', 'cek', 'verifikasi', 'verify', 'petugas', 'officer', 'tiket', 'jawab'];

type Entry = { type: 'command'; name: string } | { type: 'menu'; value: string };

function entryFor(flow: FlowId): Entry | undefined {
  const at = '2026-11-22T03:00:00.000Z';
  for (const name of COMMAND_CANDIDATES) {
    const decision = route({ type: 'user.sendCommand', at, name, args: '' }, { flow: 'menu', prompt: null });
    if (decision.type === 'startFlow' && decision.flow === flow) return { type: 'command', name };
  }
  return menuChoices.some((c) => c.value === flow) ? { type: 'menu', value: flow } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// What users send.

const emoji = ['👍🏽', '👨‍👩‍👧‍👦', '🇮🇩', '🙏', '😡😡😡', '\u{1F9D1}\u200D\u{1F4BB}'];
const zeroWidth = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'];
const rtl = ['مرحبا بالعالم', 'שלום עולם', '\u202Eabc\u202C', '\u200Fكاتب\u200E', 'اَلْعَرَبِيَّةُ'];
const markup = ['<b>tebal</b>', '*tebal*', '_miring_', '<a href="https://x.test">x</a>', '</code>', '&amp;&lt;', '{{name}}', '$t(common.help)', '```kode```', '<script>alert(1)</script>'];
/** Answers the flows' questions expect, so runs also reach deep states. */
const plausible = [
  '1', '2', '3', '4', '5', '6', '7', '0', '12', 'ya', 'tidak', 'yes', 'no', 'selesai', 'done', 'tidak ada', 'lewati',
  'skip', 'tidak tahu', 'kembali', 'back', 'batal', 'menu', 'bantuan', 'bahasa', 'privasi', 'lanjut', 'kirim',
  'hari ini', 'kemarin', '20/11/2026', '2026-11-20', '20 November 2026', '31/02/2026', '01/01/2030',
  'bangka barat', 'Kab. Bangka Barat', 'kota padang', 'padang', 'bangka brat', 'pangkalpinang', 'Koba', 'jakarta',
  'Budi Santoso', 'Kepala Dinas Pendidikan', 'Dinas Pendidikan Kabupaten', 'Jl. Merdeka No. 1, Muntok',
  '081234567890', '+6281234567890', '0812', 'budi@example.org', 'bukan-email', 'https://example.org/bukti.jpg',
  'http://', 'NTR-7K3P-9QXA', '1234 5678 9012 3456', 'A1B2C3D4',
  'Pada tanggal 20 November seorang ASN membagikan poster calon di grup WhatsApp kantor dan mengajak staf memilih.',
  // Names every JavaScript object inherits: a lookup table keyed by what users type must not find them.
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '1 constructor 2026',
];

/**
 * Answers tried, in order, on a question without choices while a run walks deep into a flow before the random
 * part: whichever the flow accepts first moves the conversation on.
 */
const exploringAnswers = [
  'kemarin',
  'bangka barat',
  '081234567890',
  'budi@example.org',
  'Pada tanggal 20 November seorang ASN membagikan poster calon di grup WhatsApp kantor dan mengajak staf memilih.',
  'selesai',
  'tidak ada',
  'lewati',
  'ya',
  'NTR-7K3P-9QXA',
  '1234 5678 9012 3456',
];

/** The question on screen after a turn (the last prompt among its replies), as JSON for comparison. */
function promptOf(messages: OutboundMessage[]): string | undefined {
  const prompt = [...messages].reverse().find((m) => m.type === 'text' && m.prompt);
  return prompt ? JSON.stringify(prompt) : undefined;
}

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 });
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...plausible) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: fc.constantFrom(...emoji, ...zeroWidth, ...rtl, ...markup, '\uD800', '\uDFFF', ' ', '\n\n', '\t') },
);
const hugeText = fc
  .tuple(fc.constantFrom('a', 'ä', '👍', 'ب ', 'kata ', '\u200B', '<b>', '\n'), fc.integer({ min: 10_000, max: 12_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const text = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u200B') },
);

const commandNames = [
  'start', 'batal', 'cancel', 'bahasa', 'language', 'bantuan', 'help', 'privasi', 'privacy', 'menu', 'lapor', 'report',
  'kuis', 'quiz', 'belajar', 'learn', 'status', 'cek', 'verifikasi', 'verify', 'petugas', 'tiket', 'hubungkan', 'file',
  'constructor', '__proto__', 'toString',
];
const commandArgs = fc.oneof(
  fc.constant(''),
  fc.constantFrom('en', 'id', 'lapor', 'kuis', 'xx', 'constructor', '__proto__', 'NTR-7K3P-9QXA 1234 5678 9012 3456', 'NTR-0000-0000', 'A1B2C3D4'),
  text,
);
const command = fc.record({
  type: fc.constant('user.sendCommand' as const),
  name: fc.oneof(fc.constantFrom(...commandNames), fc.stringMatching(/^[A-Za-z_@]{1,40}$/)),
  args: commandArgs,
});

/** Choice values of every flow's first question, filled in before the runs (values "from other flows"). */
const foreignValues: string[] = [];
const choiceValue = fc.oneof(
  fc.constantFrom('report', 'quiz', 'learn', 'status', 'language', 'help', 'tip', 'formal', 'yes', 'no', 'next', 'prev', 'done', 'skip', 'confirm', 'cancel', 'edit:description', 'answer:0', '', 'constructor', '__proto__', 'edit:constructor'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 64, maxLength: 64 }),
  fc.stringMatching(/^[a-zA-Z0-9_:-]{64}$/),
  fc.stringMatching(/^[a-z]{1,10}:[a-z0-9:-]{1,53}$/),
  fc.nat().map((i) => foreignValues[i % Math.max(1, foreignValues.length)] ?? 'menu'),
);

const latitude = fc.oneof(fc.constantFrom(-90, 90, 0, -0, 1e-12), fc.double({ min: -90, max: 90, noNaN: true }));
const longitude = fc.oneof(fc.constantFrom(-180, 180, 0, 5e-324), fc.double({ min: -180, max: 180, noNaN: true }));

const mediaKind = fc.constantFrom(...mediaKindSchema.options);

/** Stored files made once per harness; `media` picks one and mutates what the channel says about it. */
let files: StoredMedia[] = [];
const media = fc
  .record({
    pick: fc.nat(),
    kind: mediaKind,
    mime: fc.option(fc.constantFrom('image/jpeg', 'application/pdf', 'application/x-unknown', 'video/mp4', 'audio/ogg', 'x/y;z=1'), { nil: undefined }),
    caption: fc.option(text, { nil: undefined }),
  })
  .map(({ pick, kind, mime, caption }) => ({ pick, kind, mime, caption }));

/** One step of a run: an event, or a move that depends on what the run has seen so far. */
type Step =
  | { type: 'event'; event: UnstampedUserEvent }
  | { type: 'media'; pick: number; kind: StoredMedia['kind']; mime: string | undefined; caption: string | undefined }
  /** A valid answer to the question on screen (to reach deep states). */
  | { type: 'current'; pick: number; typed: boolean }
  /** A choice value from an earlier question of this run (a stale button pressed late). */
  | { type: 'stale'; pick: number }
  /** An earlier message delivered again. */
  | { type: 'redeliver'; pick: number }
  /** The clock moves, sometimes backwards (events out of order). */
  | { type: 'clock'; ms: number };

const userEvent = fc.oneof(
  { weight: 6, arbitrary: text.map((t) => ({ type: 'user.sendText' as const, text: t })) },
  { weight: 3, arbitrary: choiceValue.map((value) => ({ type: 'user.chooseOption' as const, value })) },
  { weight: 2, arbitrary: command },
  { weight: 1, arbitrary: fc.constant({ type: 'user.goBack' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'user.askHelp' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('user.sendUnavailableMedia' as const),
      kind: mediaKind,
      reason: fc.constantFrom('tooLarge' as const, 'downloadFailed' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('user.sendLocation' as const), latitude, longitude }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.constant('user.sendContact' as const),
        phone: fc.oneof(fc.constantFrom('+6281234567890', '081234567890', '', '+', '0'.repeat(40)), text),
        name: text,
      },
      { requiredKeys: ['type', 'phone'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('user.sendUnsupported' as const),
      what: fc.oneof(fc.constantFrom('sticker', 'poll', 'game', 'dice', 'venue', 'story'), fc.string({ maxLength: 80 })),
    }),
  },
) as fc.Arbitrary<UnstampedUserEvent>;

const step = fc.oneof(
  { weight: 10, arbitrary: userEvent.map((event) => ({ type: 'event' as const, event })) },
  { weight: 2, arbitrary: media.map((m) => ({ type: 'media' as const, ...m })) },
  { weight: 8, arbitrary: fc.record({ type: fc.constant('current' as const), pick: fc.nat(), typed: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('stale' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('redeliver' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('clock' as const),
      ms: fc.oneof(fc.integer({ min: -600_000, max: 3_600_000 }), fc.constantFrom(86_400_000, 8 * 86_400_000, -86_400_000)),
    }),
  },
) as fc.Arbitrary<Step>;

// ---------------------------------------------------------------------------------------------------------
// Checks on every reply.

function lookup(locale: Locale, key: string): unknown {
  let node: unknown = resources[locale];
  for (const segment of key.split('.')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

/** The template of a key in a locale (plural forms included), or undefined when the key is missing. */
function template(locale: Locale, key: string): string | undefined {
  for (const candidate of [key, `${key}_other`, `${key}_one`]) {
    const found = lookup(locale, candidate);
    if (typeof found === 'string') return found;
  }
  return undefined;
}

const RAW_KEY = /^[a-z][a-zA-Z]*(\.[a-zA-Z0-9_-]+)+$/;

/** Every problem with one text reference in a locale. */
function problemsOf(ref: TextRef, locale: Locale, where: string): string[] {
  if ('literal' in ref) return [];
  if ('localized' in ref) return ref.localized[locale].trim() ? [] : [`${where}: empty ${locale} content text`];
  const found = template(locale, ref.key);
  if (found === undefined) return [`${where}: key ${ref.key} missing in ${locale}`];
  const problems: string[] = [];
  const params = ref.params ?? {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'object' && 'key' in value && template(locale, value.key) === undefined) {
      problems.push(`${where}: parameter ${name} names key ${value.key}, missing in ${locale}`);
    }
  }
  for (const match of found.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    if (!(match[1]! in params)) problems.push(`${where}: ${ref.key} needs {{${match[1]}}}, not given`);
  }
  return problems;
}

function messageProblems(message: OutboundMessage, locale: Locale, where: string): string[] {
  if (message.type === 'text') {
    return [
      ...problemsOf(message.text, locale, where),
      ...(message.choices ?? []).flatMap((c, i) => problemsOf(c.label, locale, `${where} choice ${i + 1}`)),
    ];
  }
  return message.caption ? problemsOf(message.caption, locale, where) : [];
}

function keysOf(messages: OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.type === 'text' && 'key' in m.text ? [m.text.key] : []));
}

/** What a turn was, for the revision count. */
type TurnKind = 'turn' | 'duplicate' | 'limited';

function checkReply(h: Harness, reply: Reply, where: string): TurnKind {
  const { result } = reply;
  if (result.duplicate) {
    expect(result.messages, `${where}: a duplicate must stay silent`).toEqual([]);
    return 'duplicate';
  }
  const keys = keysOf(result.messages);
  if (keys.length === 1 && keys[0] === 'common.rateLimited') return 'limited';
  expect(result.messages.length, `${where}: a turn without any reply`).toBeGreaterThan(0);
  // A flow that throws is reset to the menu with this notice: the conversation was lost.
  expect(keys, `${where}: the flow failed and was reset`).not.toContain('common.flowReset');
  const problems = result.messages.flatMap((m, i) => messageProblems(m, result.locale, `${where} message ${i + 1}`));
  expect(problems).toEqual([]);
  for (const [i, m] of result.messages.entries()) {
    if (m.type !== 'text' || !('key' in m.text)) continue;
    const rendered = h.app.renderer.text(m.text, result.locale);
    expect(rendered, `${where} message ${i + 1} rendered as its key`).not.toBe(m.text.key);
    expect(RAW_KEY.test(rendered.trim()), `${where} message ${i + 1} looks like a raw key: ${rendered}`).toBe(false);
  }
  for (const t of reply.texts) expect(t.trim().length, `${where}: an empty text`).toBeGreaterThan(0);
  return 'turn';
}

// ---------------------------------------------------------------------------------------------------------

/** Where a walk into a flow ended. */
interface Walked {
  turns: number;
  locale: Locale | undefined;
  onScreen: string[];
  seen: string[][];
}

/**
 * Walks deep into a flow: picks a choice where there are choices, else tries `exploringAnswers` until the
 * question changes; stops after `depth` turns or when no answer moves the flow on. `beforeEach` may send more
 * events on each question (they are checked and counted like the walk's own).
 */
async function walk(
  h: Harness,
  flow: FlowDefinition,
  chat: string,
  start: Reply,
  depth: number,
  pick: (turn: number) => number,
  beforeEach?: (turn: number) => Promise<Reply[]>,
): Promise<Walked> {
  const walked: Walked = { turns: 0, locale: undefined, onScreen: start.values, seen: [] };
  let question = promptOf(start.messages);
  for (let turn = 0, tried = 0; turn < depth; turn += 1) {
    for (const extra of (await beforeEach?.(turn)) ?? []) {
      if (checkReply(h, extra, `${flow.id} walk ${turn + 1}, extra`) === 'turn') walked.turns += 1;
      if (extra.values.length) walked.onScreen = extra.values;
      question = promptOf(extra.messages) ?? question;
    }
    const answer: UnstampedUserEvent = walked.onScreen.length
      ? { type: 'user.chooseOption', value: walked.onScreen[pick(turn) % walked.onScreen.length]! }
      : { type: 'user.sendText', text: exploringAnswers[tried]! };
    const reply = await h.send(answer, { chat, messageId: `walk${turn}` });
    if (checkReply(h, reply, `${flow.id} walk ${turn + 1}`) !== 'turn') continue;
    walked.turns += 1;
    walked.locale = reply.result.locale;
    const next = promptOf(reply.messages) ?? question;
    const moved = next !== question;
    tried = moved || walked.onScreen.length ? 0 : tried + 1;
    if (tried >= exploringAnswers.length) break;
    question = next;
    if (moved || reply.values.length) walked.onScreen = reply.values;
    if (reply.values.length) walked.seen.push(reply.values);
  }
  return walked;
}

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);

async function makeFiles(h: Harness): Promise<StoredMedia[]> {
  const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c33' } }).jpeg().toBuffer();
  return Promise.all([
    storeMedia(h.dataDir, jpeg, { kind: 'photo', mime: 'image/jpeg' }),
    storeMedia(h.dataDir, Buffer.from('%PDF-1.4\n%fuzz\n'), { kind: 'document', mime: 'application/pdf', fileName: '../../etc/passwd.pdf' }),
    storeMedia(h.dataDir, Buffer.from([0, 1, 2, 3, 255]), { kind: 'other', mime: 'application/x-unknown', fileName: '\u202Egpj.exe' }),
    storeMedia(h.dataDir, Buffer.from('OggS fuzz'), { kind: 'voice', mime: 'audio/ogg' }),
  ]);
}

const flowsUnderTest = allFlows.map((flow) => [flow.id, flow] as const);

describe('every registered flow can be entered by a command or a menu choice', () => {
  it.each(flowsUnderTest)('%s', (id) => {
    expect(entryFor(id), `add the way to enter "${id}" to COMMAND_CANDIDATES in this test`).toBeDefined();
  });
});

describe.each(STORES)('fuzzing every flow through the runtime (%s)', (kind) => {
  let h: Harness;
  let runs = 0;

  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    files = await makeFiles(h);
    process.on('unhandledRejection', onRejection);
    for (const flow of allFlows) {
      const reply = await enter(h, flow, `harvest-${flow.id}`);
      foreignValues.push(...reply.values);
    }
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await h?.close();
  });

  async function enter(harness: Harness, flow: FlowDefinition, chat: string): Promise<Reply> {
    const entry = entryFor(flow.id);
    if (!entry) throw new Error(`no entry into ${flow.id}`);
    if (entry.type === 'command') return harness.command(entry.name, '', { chat, messageId: 'entry' });
    await harness.command('menu', '', { chat, messageId: 'entry-menu' });
    return harness.choose(entry.value, { chat, messageId: 'entry' });
  }

  // Found by fuzzing: a NUL ("\u0000", e.g. in a photo caption) or a lone UTF-16 surrogate ("\uD800", which a
  // JavaScript client such as whatsapp-web.js can hand over) kept in a flow's context made the snapshot unstorable
  // in jsonb. The runtime now makes every inbound string well-formed before the turn.
  for (const [what, unsafe] of [['NUL', '\u0000'], ['a lone surrogate', '\uD800']] as const) {
    it(`keeps every flow working when a text carries ${what}`, async () => {
      for (const flow of allFlows) {
        const chat = `unsafe-${what}-${flow.id}`;
        const first = await enter(h, flow, chat);
        // On every question of a walk through the flow: a text and a photo caption carrying the character.
        await walk(h, flow, chat, first, 40, () => 0, async (turn) => [
          await h.say(`Dinas ${unsafe} Pendidikan ${turn}, dengan kronologi yang cukup panjang untuk diterima`, { chat }),
          await h.send({ type: 'user.sendMedia', media: { ...files[0]!, caption: `Foto ${unsafe} bukti ${turn}` } }, { chat }),
        ]);
      }
    });
  }

  it.each(flowsUnderTest)(
    'survives random and mutated events in %s: no crash, a reply in the chat language every turn, no state lost',
    async (_id, flow) => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: EXPLORE_TURNS }),
          fc.array(fc.nat(), { minLength: EXPLORE_TURNS, maxLength: EXPLORE_TURNS }),
          fc.array(step, { minLength: 1, maxLength: MAX_EVENTS, size: 'max' }),
          async (depth, picks, steps) => {
          runs += 1;
          const chat = `fuzz-${flow.id}-${runs}`;
          h.setNow('2026-11-22T03:00:00.000Z');
          rejections.length = 0;
          const entry = entryFor(flow.id)!;
          let turns = entry.type === 'menu' ? 1 : 0;
          const first = await enter(h, flow, chat);
          expect(keysOf(first.messages), `entering ${flow.id}`).not.toContain('common.notAvailable');
          turns += checkReply(h, first, `entering ${flow.id}`) === 'turn' ? 1 : 0;

          const seen: string[][] = [first.values];
          let onScreen = first.values;
          let locale = first.result.locale;

          const walked = await walk(h, flow, chat, first, depth, (turn) => picks[turn]!);
          turns += walked.turns;
          locale = walked.locale ?? locale;
          onScreen = walked.onScreen;
          seen.push(...walked.seen);
          const sent: Array<{ id: string; event: UnstampedUserEvent }> = [];
          for (const [index, s] of steps.entries()) {
            const where = `${flow.id} step ${index + 1} (${s.type})`;
            if (s.type === 'clock') {
              h.setNow(new Date(h.now().getTime() + s.ms));
              continue;
            }
            let event: UnstampedUserEvent;
            let messageId = `m${index}`;
            if (s.type === 'event') event = s.event;
            else if (s.type === 'media') {
              const file = files[s.pick % files.length]!;
              event = {
                type: 'user.sendMedia',
                media: {
                  ...file,
                  kind: s.kind,
                  ...(s.mime ? { mime: s.mime } : {}),
                  ...(s.caption !== undefined ? { caption: s.caption } : {}),
                },
              };
            } else if (s.type === 'current') {
              const value = onScreen.length ? onScreen[s.pick % onScreen.length]! : undefined;
              event = value === undefined
                ? { type: 'user.sendText', text: String((s.pick % 5) + 1) }
                : s.typed
                  ? { type: 'user.sendText', text: String(onScreen.indexOf(value) + 1) }
                  : { type: 'user.chooseOption', value };
            } else if (s.type === 'stale') {
              const values = seen.flat();
              event = { type: 'user.chooseOption', value: values.length ? values[s.pick % values.length]! : 'stale' };
            } else {
              const earlier = sent[s.pick % Math.max(1, sent.length)];
              if (!earlier) continue;
              event = earlier.event;
              messageId = earlier.id;
            }
            // Only events a channel adapter can produce (they validate with the same schema).
            inboundEventSchema.parse({ ...event, at: h.now().toISOString() });
            sent.push({ id: messageId, event });
            const reply = await h.send(event, { chat, messageId });
            const turn = checkReply(h, reply, where);
            if (turn === 'turn') {
              turns += 1;
              locale = reply.result.locale;
              if (reply.values.length) {
                onScreen = reply.values;
                seen.push(reply.values);
              }
            }
          }

          await new Promise((resolve) => setImmediate(resolve));
          expect(rejections, 'unhandled rejections').toEqual([]);
          const key = first.result.chatKey;
          const row = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key } });
          expect(row.revision, 'turns saved').toBe(turns);
          expect(row.locale).toBe(locale);
          // The stored snapshot restores: help on the current step is answered by the same conversation.
          const help = await h.command('bantuan', '', { chat, messageId: 'final-help' });
          expect(checkReply(h, help, 'final /bantuan')).toBe('turn');
          expect(help.result.locale).toBe(locale);
          const after = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key } });
          expect(after.revision).toBe(turns + 1);
          expect(after.flow).toBe(row.flow);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    LONG ? 3_600_000 : 240_000,
  );
});
