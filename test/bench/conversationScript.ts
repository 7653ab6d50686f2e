/**
 * What a benchmark user answers, decided from the bot's replies as a person reading them would: a question it
 * recognises gets a typed answer, any other question with buttons gets its first button pressed, and a text that
 * asks nothing is read and waited past. Questions are recognised by the Indonesian texts in content/locales, so
 * the script follows the flows when their order or wording changes. The quiz draw is random; pressing the first
 * option answers whatever was drawn.
 */
import { resources } from '../../content/locales/index.ts';

/** A bot message as the fake Bot API received it. */
export interface BotMessage {
  method: string;
  /** Text or caption as sent (HTML). */
  text: string;
  /** Callback data of the inline buttons, in order. */
  buttons: string[];
  /** The message's id, for pressing its buttons. */
  messageId: number | undefined;
}

/** What the user does next. */
export type UserAction =
  | { type: 'text'; text: string }
  | { type: 'press'; messageId: number; data: string }
  | { type: 'photo' };

/** The conversations a benchmark chat goes through. */
export type Conversation = 'report' | 'quiz' | 'echo' | 'floor';

/** What a chat remembers of its current conversation. */
export interface ScriptState {
  conversation: Conversation;
  /** Evidence photos sent in this report. */
  photosSent: number;
  /** The report was filed (ticket code seen). */
  filed: boolean;
  /** The quiz was scored. */
  scored: boolean;
  /** Turns in this conversation, to stop one that goes round in circles. */
  turns: number;
}

/** The outcome of reading one bot message. */
export type Decision =
  | { type: 'act'; action: UserAction }
  | { type: 'wait' }
  /** The conversation is over (the menu or the quiz's closing question is on screen). */
  | { type: 'finished' };

const id = resources.id as Record<string, unknown>;

/** A pattern for a text with any parameters, which identifies it in a sent message (HTML as sent). */
function textOf(key: string): RegExp {
  let node: unknown = id;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`Benchmark script: no text ${key} in content/locales/id`);
  const parts = node.split(/\{\{[^}]*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[\\s\\S]*?'));
}

const texts = {
  menu: textOf('menu.ask'),
  quizNext: textOf('quiz.next.ask'),
  terlaporName: textOf('report.terlapor.askName'),
  terlaporNameFormal: textOf('report.terlapor.askNameFormal'),
  position: textOf('report.terlapor.askPosition'),
  agency: textOf('report.terlapor.askAgency'),
  region: textOf('report.where.askRegion'),
  description: textOf('report.description.ask'),
  evidenceTip: textOf('report.evidence.askTip'),
  evidenceFormal: textOf('report.evidence.askFormal'),
  evidenceReceived: textOf('report.evidence.received'),
  submittedTip: textOf('report.submitted.tip'),
  submittedFormal: textOf('report.submitted.formal'),
  quizAgency: textOf('quiz.profile.askAgency'),
  quizRegency: textOf('quiz.profile.askRegency'),
  quizRegencyInProvince: textOf('quiz.profile.askRegencyInProvince'),
  quizScore: textOf('quiz.score'),
};

/** The first line of the command that starts a conversation. */
export function startCommand(conversation: Conversation): UserAction {
  return { type: 'text', text: conversation === 'quiz' ? '/kuis' : conversation === 'report' ? '/lapor' : 'halo' };
}

/** A fresh state for a conversation. */
export function newScript(conversation: Conversation): ScriptState {
  return { conversation, photosSent: 0, filed: false, scored: false, turns: 0 };
}

const DESCRIPTION =
  'Pada hari ini kepala dinas mengunggah foto kampanye salah satu calon bupati di Facebook dan meminta para guru membagikannya di grup sekolah.';

/** Reads one bot message and decides what the user does (updating what the chat remembers). */
export function decide(state: ScriptState, message: BotMessage): Decision {
  if (state.conversation === 'echo') return message.method === 'sendMessage' ? act({ type: 'text', text: 'halo' }) : { type: 'wait' };
  // The floor bot's question is the message with buttons; its edits and other messages are read and waited past.
  if (state.conversation === 'floor') return message.method === 'sendMessage' && message.buttons.length > 0 ? act({ type: 'text', text: 'halo' }) : { type: 'wait' };
  // Edits acknowledge a pressed button; the answer to it follows as new messages.
  if (message.method.startsWith('edit')) return { type: 'wait' };
  const { text } = message;
  const has = (pattern: RegExp) => pattern.test(text);
  if (has(texts.submittedTip) || has(texts.submittedFormal)) state.filed = true;
  if (has(texts.quizScore)) state.scored = true;
  if (has(texts.menu) || has(texts.quizNext)) return { type: 'finished' };

  if (has(texts.terlaporName) || has(texts.terlaporNameFormal)) return act({ type: 'text', text: 'Budi Santoso' });
  if (has(texts.position)) return act({ type: 'text', text: 'Kepala Dinas Pendidikan' });
  if (has(texts.agency)) return act({ type: 'text', text: 'Dinas Pendidikan Kabupaten Bangka Barat' });
  if (has(texts.region) || has(texts.quizRegency) || has(texts.quizRegencyInProvince)) {
    return act({ type: 'text', text: 'bangka barat' });
  }
  if (has(texts.description)) return act({ type: 'text', text: DESCRIPTION });
  if (has(texts.evidenceTip) || has(texts.evidenceFormal)) {
    if (state.photosSent > 0) return act({ type: 'text', text: 'selesai' });
    state.photosSent += 1;
    return act({ type: 'photo' });
  }
  if (has(texts.evidenceReceived)) return act({ type: 'text', text: 'selesai' });
  if (has(texts.quizAgency)) return act({ type: 'text', text: 'Dinas Pendidikan' });

  const first = message.buttons.find((data) => /^[cnkm]:/.test(data));
  if (first !== undefined && message.messageId !== undefined) return act({ type: 'press', messageId: message.messageId, data: first });
  return { type: 'wait' };
}

function act(action: UserAction): Decision {
  return { type: 'act', action };
}
