/**
 * Plugs the officers' desk into the Telegram channel: the officer commands (in groups and private chats), the
 * `o:` buttons, and replies to the desk's prompts; and routes office deliveries of the outbox through the
 * channel's send queue, so they share Telegram's rate limits with the rest of the bot. An officer's question typed
 * in the private chat outside a prompt, which the citizen menu would not understand, gets the desk's guidance on
 * asking the reporter instead of the citizen menu.
 *
 * One call after the channel is created: `attachOfficerDesk(app, telegramChannel)`.
 */
import { isUnreadAtMenu } from '../../flows/menu/menu.machine.ts';
import type { OutboundMessage } from '../../flows/messages.ts';
import { route } from '../../flows/router.ts';
import type { App } from '../app.ts';
import type { TelegramChannel, TelegramHookContext } from '../channels/telegram/telegramChannel.ts';
import { loadChat } from '../conversation/chatRepository.ts';
import { applyEffects, fromTelegramUpdate, type OfficerEffect, type OfficerUpdate } from './officerDesk.ts';
import { officerServices } from './officerServices.ts';
import { CALLBACK_PREFIX } from './officeViews.ts';
import { TelegramOfficeMessenger } from './telegramOfficeMessenger.ts';

/** Commands the desk answers anywhere (`/petugas` in groups only warns; `/hubungkan` in private explains). */
export const OFFICER_COMMANDS = ['petugas', 'officer', 'hubungkan', 'link', 'putuskan', 'unlink', 'tiket', 'ticket', 'tickets'];
/** In groups, help is the officers' help (the bot serves citizens only in private chats). */
export const OFFICER_GROUP_COMMANDS = ['bantuan', 'help', 'start'];

/** Registers the desk's hooks on a channel and makes the channel carry office deliveries. */
export function attachOfficerDesk(app: App, channel: TelegramChannel): void {
  const services = officerServices(app);
  const { desk } = services;
  const messenger = new TelegramOfficeMessenger(channel.telegram, (chatId, call) => channel.enqueue(chatId, call));
  services.setMessenger(messenger);

  /**
   * The guidance for an officer's private message that answers no prompt and that the citizen conversation would
   * take as nothing (the menu's "not understood"); null for anyone else's, and for what the conversation has a use
   * for: an answer inside any citizen flow (an officer reporting), a choice, a command or a request at the menu.
   * The cheap checks come first: a citizen's message costs a remembered officer lookup at most.
   */
  const guidance = async (input: OfficerUpdate): Promise<OfficerEffect[] | null> => {
    if (!desk.mayBeForReporter(input) || !isUnreadAtMenu(input.text ?? '')) return null;
    if (!(await desk.isOfficer(input.userId))) return null;
    const chat = await loadChat(app.store, app.runtime.chatKey({ channel: 'telegram', chatId: input.chatId }));
    return chat?.bannedAt || !reachesMenuUnread(input.text ?? '', chat) ? null : desk.guideToReporter(input);
  };

  const handle = async (ctx: TelegramHookContext): Promise<boolean> => {
    const input = fromTelegramUpdate(ctx.update);
    if (!input) return false;
    desk.setBotUsername(channel.bot.botInfo?.username);
    const effects = desk.claims(input) ? ((await desk.handle(input)) ?? []) : await guidance(input);
    if (effects === null) return false;
    // The channel keeps track of answered button presses: answer through it (in the webhook's answer, if it can).
    const perUpdate = Object.create(messenger) as TelegramOfficeMessenger;
    perUpdate.answerCallback = (_id, text, alert) => ctx.answer(text, alert ? { alert } : {});
    await applyEffects(perUpdate, effects.filter((effect) => effect.type === 'answerCallback'), app.logger);
    // The action is committed. Its messages go out in order at the chat's pace (a group gets about 20 a minute, and
    // tickets are delivered there too), which must hold neither this update's answer nor the chat's next update:
    // Telegram would deliver the update again, and the office's other officers would wait.
    const rest = effects.filter((effect) => effect.type !== 'answerCallback');
    if (rest.length > 0) channel.afterTurn(input.chatId, () => applyEffects(perUpdate, rest, app.logger));
    return true;
  };

  channel.registerCommand(OFFICER_COMMANDS, (ctx) => handle(ctx).then(() => undefined), { scope: 'any' });
  channel.registerCommand(OFFICER_GROUP_COMMANDS, (ctx) => handle(ctx).then(() => undefined), { scope: 'group' });
  channel.registerCallbackPrefix(CALLBACK_PREFIX, (ctx) => handle(ctx).then(() => undefined));
  channel.onGroupUpdate((ctx) => followGroupMigration(app, ctx).then((moved) => moved || handle(ctx)));
  channel.onPrivateUpdate(handle);
}

/**
 * Whether a text reaches the citizen menu as a typed message it takes as nothing (see `isUnreadAtMenu`): the chat is
 * at the menu, or new (its first message opens the menu), and the text is no choice on screen, keyword or command.
 */
function reachesMenuUnread(text: string, chat: { flow: string; prompt: unknown } | null): boolean {
  if (chat && chat.flow !== 'menu') return false;
  const event = { type: 'user.sendText' as const, at: new Date(0).toISOString(), text };
  const decision = route(event, { flow: chat ? 'menu' : undefined, prompt: chat ? ((chat.prompt as OutboundMessage | null) ?? null) : null });
  const toMenu = chat
    ? decision.type === 'forward' && decision.event.type === 'user.sendText'
    : decision.type === 'startFlow' && decision.flow === 'menu' && decision.params.text === text;
  return toMenu && isUnreadAtMenu(text);
}

/**
 * A group that becomes a supergroup gets a new chat id (Telegram announces it with `migrate_to_chat_id`); an
 * office linked to the old id follows it, and so do deliveries still waiting, so no ticket is dead-lettered, and
 * the officers' actions taken there and still waiting to be told (whose notices skip the group they were taken in).
 */
export async function followGroupMigration(app: App, ctx: Pick<TelegramHookContext, 'update'>): Promise<boolean> {
  const message = 'message' in ctx.update ? (ctx.update.message as { chat?: { id: number }; migrate_to_chat_id?: number }) : undefined;
  if (!message?.chat || message.migrate_to_chat_id === undefined) return false;
  const from = String(message.chat.id);
  const to = String(message.migrate_to_chat_id);
  await app.store.prisma.$transaction([
    app.store.prisma.officeChat.updateMany({ where: { chatId: from }, data: { chatId: to } }),
    app.store.prisma.$executeRaw`
      UPDATE "Outbox" SET "destination" = jsonb_set("destination", '{chatId}', to_jsonb(${to}::text))
      WHERE "status" <> 'done' AND "destination"->>'type' = 'telegram' AND "destination"->>'chatId' = ${from}`,
    // An officer's action taken in the group and not fanned out yet names the group, which must not get it again.
    app.store.prisma.$executeRaw`
      UPDATE "Outbox" SET "payload" = jsonb_set("payload", '{action,groupChatId}', to_jsonb(${to}::text))
      WHERE "status" <> 'done' AND "kind" = 'office.notify' AND "payload"->'action'->>'groupChatId' = ${from}`,
  ]);
  app.logger.info('an office group became a supergroup: its link and pending deliveries follow the new chat id');
  return true;
}
