/**
 * Scripted people talking to Netra through the fake Bot API: citizens who file tips and formal reports by typing
 * what a person would type (and sending a photo), and an officer who enrols with an invite code, links the
 * office group and acts on the tickets that arrive there.
 *
 * Every update goes through the webhook relay, which delivers it until Netra acknowledges it; a step then waits
 * for the bot's answer and checks it is the expected one. When Netra was killed while a step was
 * under way, the answer may be lost for good (the turn committed, the reply was still queued): the step then
 * accepts its absence, and the next step shows whether the conversation went on where it should.
 */
import sharp from 'sharp';
import type { Message, User } from 'telegraf/types';
import { createInvite } from '../../../bot/officers/invites.ts';
import type { ApiCall, FakeBotApi } from '../../support/fakeBotApi.ts';
import type { World } from './world.ts';
export { seededRandom } from '../../support/seededRandom.ts';

/** Markup removed, entities decoded: what a person reads. */
export function plain(call: ApiCall): string {
  const value = call.params.text ?? call.params.caption;
  const text = typeof value === 'string' ? value : '';
  return text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Keeps actors between steps while the test looks at a quiet system. */
export class Gate {
  private paused = false;
  private members = 0;
  private parked = 0;
  private readonly resumeWaiters: Array<() => void> = [];
  private readonly parkWaiters: Array<() => void> = [];

  join(): void {
    this.members += 1;
  }

  leave(): void {
    this.members -= 1;
    this.check();
  }

  /** Called by an actor before each step: waits while paused. */
  async pass(): Promise<void> {
    if (!this.paused) return;
    this.parked += 1;
    this.check();
    await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    this.parked -= 1;
  }

  /** Resolves once every actor is parked between steps. */
  pause(): Promise<void> {
    this.paused = true;
    return new Promise((resolve) => {
      this.parkWaiters.push(resolve);
      this.check();
    });
  }

  resume(): void {
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  private check(): void {
    if (this.paused && this.parked >= this.members) for (const wake of this.parkWaiters.splice(0)) wake();
  }
}

/** What actors need from the test: the world and how Netra's life is going. */
export interface Stage {
  world: World;
  gate: Gate;
  /** When Netra was killed (ms): a process killed after it acknowledged an update never answers it. */
  kills(): number[];
}

/** An update on its way: where its answer starts in the fake's calls, when it was pushed and acknowledged. */
export interface Sent {
  fromSeq: number;
  pushedAt: number;
  ackedAt: number;
}

/** Raised when Netra answered a step with something other than what the script expects. */
export class UnexpectedReply extends Error {}

/** One actor's side: sends updates and waits for answers. */
export class Speaker {
  /** Update ids sent, in order (each a turn for a citizen). */
  readonly sent: number[] = [];

  constructor(
    protected readonly stage: Stage,
    readonly chatId: number,
    readonly user: Partial<User> & { id: number },
  ) {}

  get fake(): FakeBotApi {
    return this.stage.world.fake;
  }

  /**
   * Pushes an update and waits until Netra acknowledged it (its turn is committed from then on). Returns where the
   * answer will start in the fake's calls, and when the update was pushed and acknowledged.
   */
  async send(update: Parameters<FakeBotApi['pushUpdate']>[0]): Promise<Sent> {
    const fromSeq = this.fake.calls.length;
    const pushedAt = Date.now();
    const pushed = this.fake.pushUpdate(update);
    this.sent.push(pushed.update_id);
    const relay = this.stage.world.relay;
    await relay.waitAcked(pushed.update_id, 120_000);
    return { fromSeq, pushedAt, ackedAt: relay.records.get(pushed.update_id)?.ackedAt ?? Date.now() };
  }

  /**
   * Sends an update and waits for the first message to `replyChat` matching `expect`. Returns undefined when the
   * answer was lost to a kill (see the module comment).
   */
  async step(update: Parameters<FakeBotApi['pushUpdate']>[0], expect?: RegExp, replyChat = this.chatId): Promise<ApiCall | undefined> {
    const sent = await this.send(update);
    return expect ? this.answer(replyChat, expect, sent) : undefined;
  }

  /**
   * Waits for a matching message; without a kill, a missing or different answer fails the script. With a kill
   * after the update was pushed, the answer may be lost for good: the killed process committed the turn (then a
   * redelivery is a duplicate and answers nothing) and died before sending. If the kill came before the
   * acknowledgement, the new process may have run the turn instead and answers at once; so the wait ends shortly
   * after the acknowledgement, or right away when the kill came after it.
   */
  async answer(chatId: number, expect: RegExp, sent: Sent, timeoutMs = 20_000): Promise<ApiCall | undefined> {
    return this.answerWhere(
      (call) => call.ok && call.chatId === chatId && ['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText'].includes(call.method) && expect.test(plain(call)),
      sent,
      `chat ${chatId} expected ${String(expect)}`,
      chatId,
      timeoutMs,
    );
  }

  /** `answer` for any call Netra makes (an alert on a button, a message elsewhere). */
  async answerWhere(matches: (call: ApiCall) => boolean, sent: Sent, what: string, chatId = this.chatId, timeoutMs = 20_000): Promise<ApiCall | undefined> {
    const found = this.fake.waitFor(matches, timeoutMs, sent.fromSeq);
    found.catch(() => undefined);
    const kill = () => this.stage.kills().find((k) => k >= sent.pushedAt);
    const lost = (async () => {
      const deadline = Date.now() + timeoutMs;
      while (kill() === undefined && Date.now() < deadline) await sleep(25);
      const at = kill();
      if (at === undefined) return false;
      await sleep(at < sent.ackedAt ? Math.max(100, sent.ackedAt + 1_500 - Date.now()) : 100);
      return true;
    })();
    const outcome = await Promise.race([found.then((call) => ({ call }), () => ({ call: undefined })), lost.then((gone) => ({ gone }))]);
    if ('call' in outcome && outcome.call) return outcome.call;
    if ('gone' in outcome && outcome.gone) return this.fake.calls.slice(sent.fromSeq).find(matches);
    const recent = this.fake.calls
      .slice(sent.fromSeq)
      .filter((call) => call.chatId === chatId || call.method === 'answerCallbackQuery')
      .map((call) => `  ${call.method} ${call.ok ? 'ok' : 'FAILED'}: ${(plain(call) || String(call.params.text ?? '')).slice(0, 160)}`)
      .join('\n');
    throw new UnexpectedReply(`${what}; Netra sent:\n${recent || '  nothing'}`);
  }

  text(text: string): Parameters<FakeBotApi['pushUpdate']>[0] {
    return this.fake.textUpdate(this.chatId, text, { from: this.user });
  }
}

/** A date in Jakarta `days` ago, as a person types it (20/11/2026). */
export function jakartaDate(daysAgo: number): string {
  const d = new Date(Date.now() + 7 * 3_600_000 - daysAgo * 86_400_000);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
}

/** A small JPEG, distinct per seed, with the EXIF tags given (a camera would add its make, a name, GPS). */
export function photo(seed: number, exif?: Record<string, Record<string, string>>): Promise<Buffer> {
  const r = (seed * 97) % 256;
  const g = (seed * 57) % 256;
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b: 128 } } }).jpeg();
  return (exif ? image.withExif(exif) : image).toBuffer();
}

/** Netra's answer to a turn that failed and was rolled back ("not processed, send it again"). */
export const FAILED_TURN = /terjadi gangguan di sisi kami/;
/** Answers after which a person sends the same again: a failed turn, or a file Netra failed to fetch. */
export const RESEND = /terjadi gangguan di sisi kami|gagal saya terima/;

/** What a formal reporter tells about themselves. */
export interface Identity {
  name: string;
  address: string;
  phone: string;
}

export interface ReportPlan {
  kind: 'tip' | 'formal';
  /** Attach a photo (without it or a video: a link for a formal report, nothing for a tip). */
  photo?: boolean;
  /** EXIF tags of that photo. */
  photoExif?: Record<string, Record<string, string>>;
  /** Attach a video as a phone sends it (after the photo, if any). */
  video?: { bytes: Buffer; mimeType: string };
  /** Attach a document, sent as a file (after the photo and the video, if any). */
  document?: { bytes: Buffer; fileName: string; mimeType: string };
  /** Runs at the review, before the report is sent. */
  beforeConfirm?: () => Promise<void>;
  identity?: Identity;
  /** Something to share at the evidence step besides (a contact card: the tipster's own phone). */
  contact?: { phone: string; firstName: string };
  /** Words that make this report's description its own. */
  tag: string;
  /** Where it happened, as typed, and how Netra confirms it (default Bangka Barat, office 19.05). */
  region?: { text: string; expect: RegExp };
}

/** A citizen who files reports in Indonesian, one after the other. */
export class Citizen extends Speaker {
  /** Reports whose confirmation Netra acknowledged without an error (each must be exactly one ticket). */
  confirmed = 0;
  /** Messages sent again because Netra answered that it could not process them. */
  resent = 0;
  /** Turns Netra answered with its error (rolled back: they count no revision). */
  failedTurns = 0;
  /** Ticket codes seen in answers. */
  readonly codes: string[] = [];

  /** Files one report from the menu on; resolves when the confirmation is acknowledged. */
  async file(plan: ReportPlan): Promise<void> {
    const say = (text: string, expect: RegExp) => this.ask(() => this.text(text), expect);
    await say('/start', /Apa yang ingin Anda lakukan/);
    await say('/lapor', /Bagaimana Anda ingin menyampaikannya/);
    await say(plan.kind === 'tip' ? '1' : '2', /Sebelum mulai/);
    await say('setuju', /Siapa yang dilaporkan/);
    await say(plan.kind === 'tip' ? 'tidak tahu' : 'Budi Santoso', /Apa jabatannya/);
    await say('Kepala Dinas Pendidikan', /instansi atau OPD/);
    await say('Dinas Pendidikan Kabupaten Bangka Barat', /status kepegawaiannya/);
    await say('PNS', /Apa yang dilakukannya/);
    await say('1', /Kapan kejadiannya/);
    await say(jakartaDate(2), /Kapan Anda mengetahui/);
    await say('hari ini', /Di mana kejadiannya/);
    await say(plan.region?.text ?? 'bangka barat', plan.region?.expect ?? /Lokasi: Kabupaten Bangka Barat/);
    await say('lewati', /Ceritakan kejadiannya/);
    await say(`Kepala dinas mengunggah foto kampanye calon bupati di Facebook dan meminta guru membagikannya (${plan.tag}).`, /Kirim bukti/);
    if (plan.contact) {
      const contact = plan.contact;
      await this.ask(() => this.fake.contactUpdate(this.chatId, contact.phone, { from: this.user, firstName: contact.firstName }), /./);
    }
    if (plan.photo) {
      const bytes = await photo(this.chatId + this.sent.length, plan.photoExif);
      await this.ask(() => this.fake.photoUpdate(this.chatId, bytes, { from: this.user }), /Bukti ke-1/);
    }
    if (plan.video) {
      const { bytes, mimeType } = plan.video;
      await this.ask(() => this.fake.videoUpdate(this.chatId, bytes, { from: this.user, mimeType }), plan.photo ? /Bukti ke-2/ : /Bukti ke-1/);
    }
    if (plan.document) {
      const { bytes, fileName, mimeType } = plan.document;
      const number = 1 + Number(Boolean(plan.photo)) + Number(Boolean(plan.video));
      await this.ask(() => this.fake.documentUpdate(this.chatId, bytes, fileName, mimeType, { from: this.user }), new RegExp(`Bukti ke-${number}`));
    }
    const withFiles = Boolean(plan.photo || plan.video || plan.document);
    if (!withFiles && plan.kind === 'formal') {
      await say(`https://facebook.com/share/p/${plan.tag.replace(/\W/g, '')}`, /Bukti ke-1/);
    }
    if (plan.kind === 'formal') {
      const identity = plan.identity ?? { name: 'Rina Wulandari', address: 'Jalan Merdeka 1, Muntok', phone: '081234567890' };
      await say('selesai', /Saksi 1/);
      await say('lewati', /nama lengkap Anda/);
      await say(identity.name, /alamat Anda/);
      await say(identity.address, /nomor telepon/);
      await say(identity.phone, /alamat e-mail/);
      await say('lewati', /Ringkasan laporan resmi/);
    } else if (withFiles) {
      await say('selesai', /Ringkasan informasi awal/);
    } else {
      await say('selesai', /Tanpa bukti/);
      await say('lanjut', /Ringkasan informasi awal/);
    }
    await plan.beforeConfirm?.();
    // Acknowledged and not answered with an error means committed: the ticket exists from here on, whatever
    // happens to the answer.
    const filed = await this.ask(() => this.text('kirim laporan'), /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/, () => (this.confirmed += 1));
    const code = filed ? /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(plain(filed))?.[0] : undefined;
    if (code) this.codes.push(code);
  }

  /**
   * One step as a person takes it: send, read the answer, and when Netra says it could not process the message
   * (an error on its side, a file it failed to fetch), send it again. `onDone` runs once the step went through.
   */
  private async ask(
    update: () => Parameters<FakeBotApi['pushUpdate']>[0],
    expect: RegExp,
    onDone?: () => void,
  ): Promise<ApiCall | undefined> {
    const either = new RegExp(`${expect.source}|${RESEND.source}`);
    for (;;) {
      await this.stage.gate.pass();
      const sent = await this.send(update());
      const reply = await this.answer(this.chatId, either, sent);
      if (reply && RESEND.test(plain(reply)) && !expect.test(plain(reply))) {
        this.resent += 1;
        if (FAILED_TURN.test(plain(reply))) this.failedTurns += 1;
        continue;
      }
      onDone?.();
      return reply;
    }
  }

  /** Answers an officer's question about a report with `/jawab` (text only). */
  async answerQuestion(code: string, text: string): Promise<void> {
    await this.ask(() => this.text(`/jawab ${code}`), /Silakan tulis jawaban/);
    await this.ask(() => this.text(text), /bukti tambahan/);
    await this.ask(() => this.text('kirim jawaban'), /sudah diteruskan/);
  }

  /** Asks for help where the conversation stands (also while the gate is closed): any answer shows it is not stuck. */
  async probe(): Promise<void> {
    await this.step(this.text('/bantuan'), /./);
  }

}

/** An officer of one office, working from the office's Telegram group. */
export class Officer extends Speaker {
  constructor(
    stage: Stage,
    user: Partial<User> & { id: number },
    readonly groupId: number,
  ) {
    super(stage, user.id, user);
  }

  /** Enrols with a fresh invite code for `officeCode` and links the group. */
  async enrol(officeCode: string): Promise<void> {
    const code = await this.stage.world.store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode, role: 'coordinator', expiresAt: new Date(Date.now() + 86_400_000) }),
    );
    await this.step(this.text(`/petugas ${code}`), /terdaftar sebagai/);
    await this.step(this.fake.textUpdate(this.groupId, '/hubungkan', { from: this.user }), /saluran tiket/, this.groupId);
  }

  /** Presses a button under a message in the group. */
  press(messageId: number, data: string): Parameters<FakeBotApi['pushUpdate']>[0] {
    return this.fake.callbackUpdate(this.groupId, messageId, data, this.user);
  }

  /** A reply in the group to one of the bot's prompts (ForceReply). */
  replyTo(prompt: ApiCall, text: string): Parameters<FakeBotApi['pushUpdate']>[0] {
    const update = this.fake.textUpdate(this.groupId, text, { from: this.user }) as { message: Message.TextMessage };
    Object.assign(update.message, { reply_to_message: prompt.result });
    return update as unknown as Parameters<FakeBotApi['pushUpdate']>[0];
  }

  /** The ticket card as it arrived in the group, if it did. */
  card(code: string): ApiCall | undefined {
    return this.fake.sent(this.groupId).find((call) => call.method === 'sendMessage' && plain(call).includes(`Laporan baru ${code}`));
  }

  /** Acknowledges a ticket from its card. */
  async acknowledge(code: string): Promise<boolean> {
    const card = this.card(code);
    if (!card) return false;
    await this.stage.gate.pass();
    await this.step(this.press((card.result as Message).message_id, `o:ack:${code}`));
    return true;
  }

  /** Asks the reporter a question: the button, then a reply to the prompt. */
  async askReporter(code: string, question: string): Promise<void> {
    const card = this.card(code);
    if (!card) throw new Error(`no card for ${code} in the group`);
    const prompt = await this.step(this.press((card.result as Message).message_id, `o:ask:${code}`), new RegExp(`#tanya ${code}`), this.groupId);
    if (!prompt) throw new Error(`no prompt for ${code}`);
    await this.step(this.replyTo(prompt, question), /Pertanyaan untuk pelapor/, this.groupId);
  }

  /**
   * Sets a status with a reason: the status button, then a reply to the prompt (sent again when the desk answers
   * that it could not save it). Returns false when it did not get through (the prompt was lost to a kill, or the
   * press failed): the press can simply be made again.
   */
  async setStatus(code: string, status: string, reason: string): Promise<boolean> {
    const card = this.card(code);
    if (!card) return false;
    const inGroup = (call: ApiCall, pattern: RegExp) => call.ok && call.chatId === this.groupId && call.method === 'sendMessage' && pattern.test(plain(call));
    const failed = /terjadi gangguan/;
    await this.stage.gate.pass();
    const pressed = await this.send(this.press((card.result as Message).message_id, `o:st:${code}:${status}`));
    const prompt = await this.answerWhere(
      (call) => inGroup(call, new RegExp(`#\\w+ ${code}`)) || (call.method === 'answerCallbackQuery' && failed.test(String(call.params.text ?? ''))),
      pressed,
      `a prompt for ${code}`,
      this.groupId,
    );
    if (!prompt || prompt.method === 'answerCallbackQuery') return false;
    for (;;) {
      await this.stage.gate.pass();
      const replied = await this.send(this.replyTo(prompt, reason));
      const outcome = await this.answerWhere(
        (call) => inGroup(call, new RegExp(`Status ${code}:`)) || inGroup(call, failed),
        replied,
        `the status of ${code}`,
        this.groupId,
      );
      if (outcome && failed.test(plain(outcome))) continue;
      return true;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}


