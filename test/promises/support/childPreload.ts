/**
 * Loaded into Netra children before `bot/cli/netra.ts` (`node --import tsx --import <this file>`): lifts the send
 * queue's Telegram flood limits, which the fake Bot API does not enforce, so crash and fault trials are not spent
 * waiting one second per message. Nothing else of Netra changes.
 */
import { telegramLimits } from '../../../bot/channels/telegram/sendQueue.ts';

Object.assign(telegramLimits, {
  globalPerSec: 1_000,
  perChatPerSec: 1_000,
  perChatBurst: 1_000,
  perGroupPerMin: 60_000,
  perGroupBurst: 1_000,
});
