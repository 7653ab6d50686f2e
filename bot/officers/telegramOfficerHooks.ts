/**
 * Plugs the officers' desk into the Telegram channel: the officer commands (in groups and private chats), the
 * `o:` buttons, and replies to the desk's prompts; and routes office deliveries of the outbox through the
 * channel's send queue, so they share Telegram's rate limits with the rest of the bot.
 *
 * One call after the channel is created: `attachOfficerDesk(app, telegramChannel)`.
 */
import type { App } from '../app.ts';
import type { TelegramChannel, TelegramHookContext } from '../channels/telegram/telegramChannel.ts';
import { applyEffects, fromTelegramUpdate } from './officerDesk.ts';
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

  const handle = async (ctx: TelegramHookContext): Promise<boolean> => {
    const input = fromTelegramUpdate(ctx.update);
    if (!input) return false;
    desk.setBotUsername(channel.bot.botInfo?.username);
    if (!desk.claims(input)) return false;
    const effects = (await desk.handle(input)) ?? [];
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
 * A group that becomes a supergroup gets a new chat id (Telegram announces it with `migrate_to_chat_id`); an
 * office linked to the old id follows it, and so do deliveries still waiting, so no ticket is dead-lettered.
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
  ]);
  app.logger.info('an office group became a supergroup: its link and pending deliveries follow the new chat id');
  return true;
}
