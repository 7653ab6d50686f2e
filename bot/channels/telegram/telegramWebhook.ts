/**
 * The webhook endpoint Telegram POSTs updates to. Only requests carrying the secret given to setWebhook (header
 * `X-Telegram-Bot-Api-Secret-Token`) get in: 401 without it, 403 with a wrong one. The answer (200) is sent once
 * the update's turn is committed, so a crash before that makes Telegram deliver it again (and de-duplication
 * keeps that to one reply); while shutting down it answers 503, so Telegram keeps the update for the next start.
 * The 200 may carry one Bot API call in its body, which Telegram then performs (a button's answer).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import { BodyTooLargeError, readBody, sendText, type RouteHandler } from '../../http/httpServer.ts';

/** Largest update body accepted (updates are a few kilobytes; files never travel in them). */
const MAX_UPDATE_BYTES = 1024 * 1024;

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** A Bot API call sent back in the webhook's response body instead of as a request of its own. */
export interface WebhookAnswer {
  method: 'answerCallbackQuery';
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
}

export interface WebhookHandlerOptions {
  secret: string;
  /**
   * Handles one update; resolves when its turn is committed, with the call to put in the response if any. Must not
   * throw for a bad update.
   */
  handle: (update: Update) => Promise<WebhookAnswer | undefined | void>;
  /** False while shutting down. */
  accepting: () => boolean;
}

/** The route handler for the webhook path. */
export function createWebhookHandler(options: WebhookHandlerOptions): RouteHandler {
  const expected = Buffer.from(options.secret);
  return async (req, res) => {
    const given = req.headers[SECRET_HEADER];
    if (typeof given !== 'string' || given === '') return refuse(req, res, 401, 'Unauthorized');
    const candidate = Buffer.from(given);
    if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) {
      return refuse(req, res, 403, 'Forbidden');
    }
    if (!options.accepting()) return refuse(req, res, 503, 'Shutting down');
    let update: Update;
    try {
      const parsed: unknown = JSON.parse((await readBody(req, MAX_UPDATE_BYTES)).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { update_id?: unknown }).update_id !== 'number') {
        return sendText(res, 400, 'Not an update');
      }
      update = parsed as Update;
    } catch (error) {
      return sendText(res, error instanceof BodyTooLargeError ? 413 : 400, 'Bad update');
    }
    const answer = await options.handle(update);
    if (answer) {
      const body = Buffer.from(JSON.stringify(answer));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  };
}

function refuse(req: Parameters<RouteHandler>[0], res: Parameters<RouteHandler>[1], status: number, text: string): void {
  req.resume();
  sendText(res, status, text);
}
