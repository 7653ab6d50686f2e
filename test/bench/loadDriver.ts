/**
 * Benchmark users talking to a bot through the fake Bot API: each chat sends an update (text, button press or
 * photo), reads the bot's messages as they reach the fake and decides its next update with the conversation
 * script. Two load shapes: a closed loop (every chat sends its next update as soon as its answer arrived: the
 * maximum throughput) and an open loop (updates at a fixed rate, from whichever chats have their answer). It
 * measures, per update, the time from its arrival at the fake ("Telegram") to the bot's first call about it and
 * to the call that carries the next question.
 */
import type { Message } from 'telegraf/types';
import type { ApiCall, FakeBotApi } from '../support/fakeBotApi.ts';
import { decide, newScript, startCommand, type BotMessage, type Conversation, type ScriptState, type UserAction } from './conversationScript.ts';
import { seededRandom } from '../support/seededRandom.ts';

/** Bot API methods that show the user something. */
const OUTGOING = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup']);

/** Conversations that never end (the yardsticks' chats say "halo" for ever). */
const endless: ReadonlySet<Conversation> = new Set(['echo', 'floor']);

/** The clock the fake and the driver share (milliseconds, sub-millisecond precision). */
export const clock = (): number => performance.now();

export interface DriverOptions {
  fake: FakeBotApi;
  /** First chat id; chats are numbered from it. */
  firstChatId: number;
  chats: number;
  /** The conversation a chat starts with and alternates from (default: reports and quizzes, half each). */
  conversations?: Conversation[];
  /**
   * Small JPEGs sent as evidence, taken in turn; each is sent as a file of its own (a comment with a serial number
   * is added), as real photos are all different, so Netra strips every one instead of finding it stored already.
   */
  photos: Buffer[];
  /** A chat waiting longer than this for its next question is counted as stalled and restarted with /batal. */
  stallMs?: number;
  /** A conversation longer than this many turns is abandoned with /batal (a script that goes in circles). */
  maxTurns?: number;
  /** Stop after this many turns per chat (then the chat rests); default unlimited. */
  turnsPerChat?: number;
}

interface Pending {
  pushedAt: number;
  firstAt: number | undefined;
}

interface Session {
  chatId: number;
  /** Turns this chat may still send in a fast-forward (undefined: no limit). */
  budget: number | undefined;
  script: ScriptState;
  upcoming: Conversation;
  pending: Pending | undefined;
  next: UserAction | undefined;
  turnsSent: number;
  lastText: string;
}

/** Samples of one load run. */
export interface LoadSamples {
  /** Clock time of each completed turn (its next question reached the fake). */
  completedAt: number[];
  /** Per completed turn: ms from the update's arrival to the bot's first call for that chat. */
  firstReplyMs: number[];
  /** Per completed turn: ms from the update's arrival to the call carrying the next question. */
  turnMs: number[];
  updatesSent: number;
  reportsFiled: number;
  quizzesScored: number;
  conversationsAbandoned: number;
  stalls: number;
  /** Bot messages to a chat that was not waiting for one. */
  strayMessages: number;
  /** Open loop: arrivals that found no chat ready (the rate was not reached). */
  missedArrivals: number;
  /** Last texts seen by stalled chats, for diagnosis. */
  stallSamples: string[];
}

/** Drives benchmark chats against a bot behind the fake Bot API. */
export class LoadDriver {
  samples: LoadSamples = emptySamples();
  private readonly sessions = new Map<number, Session>();
  private readonly ready: Session[] = [];
  private readyHead = 0;
  private mode: 'idle' | 'closed' | 'open' = 'idle';
  private photoIndex = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private observing = false;
  private idleWaiters: Array<() => void> = [];
  private pendingCount = 0;

  constructor(private readonly options: DriverOptions) {
    const conversations = options.conversations ?? ['report', 'quiz'];
    for (let index = 0; index < options.chats; index += 1) {
      const chatId = options.firstChatId + index;
      const first = conversations[index % conversations.length] as Conversation;
      const upcoming = conversations[(index + 1) % conversations.length] as Conversation;
      this.sessions.set(chatId, {
        chatId,
        script: newScript(first),
        upcoming,
        pending: undefined,
        next: startCommand(first),
        budget: undefined,
        turnsSent: 0,
        lastText: '',
      });
    }
  }

  /** How many calls the fake has recorded so far (a position for {@link callsByMethod}). */
  get fakeCalls(): number {
    return this.options.fake.calls.length;
  }

  /**
   * The bot's Bot API calls between two positions, by method, per update (`updates`); getUpdates is left out and
   * a call the bot sent back in a webhook response, and one to a group (the office's), are named as such.
   */
  callsByMethod(from: number, to: number, updates: number): Record<string, number> {
    const counts: Record<string, number> = {};
    const calls = this.options.fake.calls;
    for (let index = from; index < to && index < calls.length; index += 1) {
      const call = calls[index] as ApiCall;
      if (call.method === 'getUpdates') continue;
      const where = typeof call.chatId === 'number' && call.chatId < 0 ? ' to the office group' : '';
      const method = call.via === 'webhookReply' ? `${call.method} (in webhook answer)` : `${call.method}${where}`;
      counts[method] = (counts[method] ?? 0) + 1;
    }
    const per: Record<string, number> = {};
    for (const [method, count] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
      per[method] = updates > 0 ? Math.round((count / updates) * 100) / 100 : 0;
    }
    return per;
  }

  /** Chats waiting for the bot. */
  get waiting(): number {
    return this.pendingCount;
  }

  /**
   * Closed loop: every chat sends its first update now and each next one as soon as its answer arrives, until
   * `stop()`.
   */
  startClosedLoop(): void {
    this.observe();
    this.mode = 'closed';
    for (const session of this.sessions.values()) this.send(session);
  }

  /**
   * Brings every chat to its own point in its conversations before an open loop measures: each sends a random
   * number of turns (0 to `maxTurns`, from a seeded draw) as fast as the bot answers. Without it an open loop of
   * a few seconds over thousands of chats would only ever see conversations begin, never a report filed or a
   * quiz scored. Nothing sent here is counted.
   */
  async fastForward(maxTurns: number, timeoutMs: number, seed = 9): Promise<void> {
    this.observe();
    const random = seededRandom(seed);
    this.mode = 'closed';
    for (const session of this.sessions.values()) {
      session.budget = Math.floor(random() * (maxTurns + 1));
      this.send(session);
    }
    await this.settle(timeoutMs);
    this.mode = 'idle';
    for (const session of this.sessions.values()) session.budget = undefined;
    this.samples = emptySamples();
  }

  /**
   * Open loop: `ratePerSec` arrivals a second, each taken by the chat that has waited longest with its answer in
   * hand, until `stop()`.
   */
  startOpenLoop(ratePerSec: number): void {
    this.observe();
    this.mode = 'open';
    for (const session of this.sessions.values()) this.ready.push(session);
    const started = clock();
    let arrivals = 0;
    const tick = (): void => {
      if (this.mode !== 'open') return;
      const due = Math.floor(((clock() - started) * ratePerSec) / 1000);
      while (arrivals < due) {
        arrivals += 1;
        const session = this.takeReady();
        if (session) this.send(session);
        else this.samples.missedArrivals += 1;
      }
      setTimeout(tick, 1);
    };
    tick();
  }

  /** Stops sending; chats waiting for an answer keep listening. */
  stop(): void {
    this.mode = 'idle';
  }

  /** Resolves once no chat waits for an answer (or after `timeoutMs`; then false). */
  settle(timeoutMs: number): Promise<boolean> {
    if (this.waiting === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops the watchdog (the fake's close ends the observation). */
  dispose(): void {
    this.mode = 'idle';
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private observe(): void {
    if (this.observing) return;
    this.observing = true;
    const { fake } = this.options;
    // A predicate that never matches sees every call the fake records, in order, at O(1) cost per call.
    fake
      .waitFor(
        (call) => {
          this.onCall(call);
          return false;
        },
        2 ** 31 - 1,
        fake.calls.length,
      )
      .catch(() => undefined);
    const stallMs = this.options.stallMs ?? 15_000;
    this.watchdog = setInterval(() => this.checkStalls(stallMs), Math.min(1000, stallMs / 4));
    this.watchdog.unref();
  }

  private onCall(call: ApiCall): void {
    if (!call.ok || !OUTGOING.has(call.method) || typeof call.chatId !== 'number') return;
    const session = this.sessions.get(call.chatId);
    if (!session) return;
    const pending = session.pending;
    if (!pending) {
      this.samples.strayMessages += 1;
      return;
    }
    if (pending.firstAt === undefined) pending.firstAt = call.at;
    const message = toBotMessage(call);
    session.lastText = message.text.slice(0, 160);
    const decision = decide(session.script, message);
    if (decision.type === 'wait') return;
    if (decision.type === 'finished') this.finishConversation(session);
    else if (!endless.has(session.script.conversation) && session.script.turns >= (this.options.maxTurns ?? 80)) {
      this.samples.conversationsAbandoned += 1;
      session.script = newScript(session.script.conversation);
      session.next = { type: 'text', text: '/batal' };
    } else session.next = decision.action;
    this.complete(session, pending, call.at);
  }

  private finishConversation(session: Session): void {
    const { script } = session;
    const done = script.filed || script.scored;
    if (script.filed) this.samples.reportsFiled += 1;
    if (script.scored) this.samples.quizzesScored += 1;
    // A conversation that ended without its result (a /batal after a stall) is tried again.
    if (!done && script.turns > 1) this.samples.conversationsAbandoned += 1;
    const next = done ? session.upcoming : script.conversation;
    if (done) session.upcoming = script.conversation;
    session.script = newScript(next);
    session.next = startCommand(next);
  }

  private complete(session: Session, pending: Pending, at: number): void {
    session.pending = undefined;
    this.pendingCount -= 1;
    this.samples.completedAt.push(at);
    this.samples.firstReplyMs.push((pending.firstAt ?? at) - pending.pushedAt);
    this.samples.turnMs.push(at - pending.pushedAt);
    this.afterAnswer(session);
  }

  private afterAnswer(session: Session): void {
    if (this.waiting === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    const limit = this.options.turnsPerChat;
    if (limit !== undefined && session.turnsSent >= limit) return;
    if (session.budget !== undefined && session.budget <= 0) return;
    if (this.mode === 'closed') this.send(session);
    else this.ready.push(session);
  }

  private takeReady(): Session | undefined {
    while (this.readyHead < this.ready.length) {
      const session = this.ready[this.readyHead];
      this.readyHead += 1;
      if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
        this.ready.splice(0, this.readyHead);
        this.readyHead = 0;
      }
      if (session && !session.pending && session.next) return session;
    }
    return undefined;
  }

  private send(session: Session): void {
    const action = session.next;
    if (!action || session.pending) return;
    if (session.budget !== undefined) {
      if (session.budget <= 0) return;
      session.budget -= 1;
    }
    const { fake } = this.options;
    session.next = undefined;
    session.script.turns += 1;
    session.turnsSent += 1;
    session.pending = { pushedAt: clock(), firstAt: undefined };
    this.pendingCount += 1;
    this.samples.updatesSent += 1;
    switch (action.type) {
      case 'text':
        fake.pushUpdate(fake.textUpdate(session.chatId, action.text));
        break;
      case 'press':
        fake.pushUpdate(fake.callbackUpdate(session.chatId, action.messageId, action.data));
        break;
      case 'photo': {
        const base = this.options.photos[this.photoIndex % this.options.photos.length] as Buffer;
        const photo = withJpegComment(base, `netra-bench ${this.options.firstChatId}/${this.photoIndex}`);
        this.photoIndex += 1;
        fake.pushUpdate(fake.photoUpdate(session.chatId, photo));
        break;
      }
    }
  }

  private checkStalls(stallMs: number): void {
    const now = clock();
    for (const session of this.sessions.values()) {
      const pending = session.pending;
      if (!pending || now - pending.pushedAt < stallMs) continue;
      this.samples.stalls += 1;
      if (this.samples.stallSamples.length < 5) this.samples.stallSamples.push(`${session.script.conversation}: ${session.lastText}`);
      session.pending = undefined;
      this.pendingCount -= 1;
      session.script = newScript(session.script.conversation);
      session.next = { type: 'text', text: '/batal' };
      this.afterAnswer(session);
    }
  }
}

function emptySamples(): LoadSamples {
  return {
    completedAt: [],
    firstReplyMs: [],
    turnMs: [],
    updatesSent: 0,
    reportsFiled: 0,
    quizzesScored: 0,
    conversationsAbandoned: 0,
    stalls: 0,
    strayMessages: 0,
    missedArrivals: 0,
    stallSamples: [],
  };
}


function toBotMessage(call: ApiCall): BotMessage {
  const text = call.params.text ?? call.params.caption;
  const markup = call.params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
  const buttons: string[] = [];
  for (const row of markup?.inline_keyboard ?? []) for (const button of row) if (button.callback_data) buttons.push(button.callback_data);
  const result = call.result as Message | undefined;
  return {
    method: call.method,
    text: typeof text === 'string' ? text : '',
    buttons,
    messageId: result && typeof result === 'object' && 'message_id' in result ? result.message_id : undefined,
  };
}

/** The JPEG with a comment segment (COM) after its start marker: the same picture in a file of its own. */
export function withJpegComment(jpeg: Buffer, comment: string): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const text = Buffer.from(comment, 'latin1');
  const header = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, text, jpeg.subarray(2)]);
}
