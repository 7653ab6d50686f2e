/**
 * `OfficeMessenger` on the Telegram Bot API (telegraf's `Telegram` client, so `TELEGRAM_API_ROOT` and the tests'
 * fake Bot API work alike). Telegram's errors become `DeliveryError`s the outbox understands: 429 waits
 * `retry_after`, a chat the bot was removed from (403, "chat not found") is permanent, the rest is retried.
 */
import { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { fitCallbackAnswer } from '../channels/telegram/callbackAnswer.ts';
import { DeliveryError } from '../errors.ts';
import { splitText } from '../i18n.ts';
import type { OfficeFile, OfficeKeyboard, OfficeMessenger, SendTextOptions } from './officeMessenger.ts';

const TEXT_LIMIT = 4_096;
const CAPTION_LIMIT = 1_024;
/** Creates the client for a bot token, honouring a self-hosted or fake Bot API root. */
export function createTelegramClient(token: string, apiRoot?: string): Telegram {
  return new Telegram(token, apiRoot ? { apiRoot } : {});
}

function markup(keyboard: OfficeKeyboard): InlineKeyboardMarkup {
  return { inline_keyboard: keyboard.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };
}

/** Maps a telegraf/Bot API error to a DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const response = (error as { response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } } })
    .response;
  const code = response?.error_code;
  const description = response?.description ?? (error instanceof Error ? error.message : String(error));
  if (code === 429) {
    const seconds = response?.parameters?.retry_after ?? 5;
    return new DeliveryError(`Telegram 429: ${description}`, false, 429, seconds * 1_000);
  }
  if (code === 403) return new DeliveryError(`Telegram 403: ${description}`, true, 403);
  if (code === 400 && /chat not found|user not found|bot was kicked|group chat was upgraded/i.test(description)) {
    return new DeliveryError(`Telegram 400: ${description}`, true, 400);
  }
  return new DeliveryError(`Telegram ${code ?? 'network'}: ${description}`, false, code);
}

/**
 * Runs one Bot API call for a chat. The Telegram channel passes its send queue here (per-chat pacing, retries),
 * so office messages share Telegram's rate limits with everything else the bot sends.
 */
export type ChatCallRunner = <T>(chatId: string, call: (telegram: Telegram) => Promise<T>) => Promise<T>;

/** Sends to office chats through the Bot API. */
export class TelegramOfficeMessenger implements OfficeMessenger {
  private readonly run: ChatCallRunner;

  constructor(
    private readonly telegram: Telegram,
    run?: ChatCallRunner,
  ) {
    this.run = run ?? ((_chatId, call) => call(this.telegram));
  }

  async sendText(chatId: string, html: string, options: SendTextOptions = {}): Promise<{ messageId: number }> {
    const parts = splitText(html, TEXT_LIMIT);
    let messageId = 0;
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      const replyMarkup = !last
        ? undefined
        : options.forceReply
          ? { force_reply: true as const, selective: true }
          : options.keyboard && options.keyboard.length > 0
            ? markup(options.keyboard)
            : undefined;
      try {
        const sent = await this.run(chatId, (telegram) => telegram.sendMessage(chatId, part, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
          ...(index === 0 && options.replyTo
            ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
            : {}),
        }));
        messageId = sent.message_id;
      } catch (error) {
        throw toDeliveryError(error);
      }
    }
    return { messageId };
  }

  async sendDocument(chatId: string, file: OfficeFile, captionHtml?: string): Promise<{ messageId: number }> {
    if (!file.bytes && !file.path) throw new DeliveryError(`no content for ${file.fileName}`, true);
    const source = file.bytes ? { source: file.bytes, filename: file.fileName } : { source: file.path!, filename: file.fileName };
    const caption = captionHtml ? splitText(captionHtml, CAPTION_LIMIT)[0] : undefined;
    try {
      const sent = await this.run(chatId, (telegram) =>
        telegram.sendDocument(chatId, source, {
          ...(caption ? { caption, parse_mode: 'HTML' as const } : {}),
          disable_content_type_detection: true,
        }),
      );
      return { messageId: sent.message_id };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async answerCallback(callbackId: string, text?: string, alert?: boolean): Promise<void> {
    try {
      await this.telegram.answerCbQuery(callbackId, text === undefined ? undefined : fitCallbackAnswer(text), alert ? { show_alert: true } : {});
    } catch {
      // An expired query (over 15 s old, or answered already) is harmless.
    }
  }

  async editKeyboard(chatId: string, messageId: number, keyboard: OfficeKeyboard | null): Promise<void> {
    try {
      await this.run(chatId, (telegram) =>
        telegram.editMessageReplyMarkup(chatId, messageId, undefined, keyboard ? markup(keyboard) : undefined),
      );
    } catch (error) {
      const description =
        (error as { response?: { description?: string } }).response?.description ?? (error instanceof Error ? error.message : '');
      if (/message is not modified/i.test(description)) return;
      throw toDeliveryError(error);
    }
  }
}
