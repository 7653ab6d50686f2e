/**
 * Loaded into Netra children before Netra itself (`node --import <this file> <build>/bot/cli/netra.js start`):
 * lifts the send queue's Telegram flood limits, which the fake Bot API does not enforce, so crash and fault trials
 * are not spent waiting one second per message. Nothing else of Netra changes. The limits are those of the very
 * module Netra runs, found beside its entry.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[1];
if (!entry) throw new Error('childPreload: no entry script');
const { telegramLimits } = await import(pathToFileURL(path.join(path.dirname(entry), '..', 'channels', 'telegram', 'sendQueue.js')).href);
Object.assign(telegramLimits, {
  globalPerSec: 1_000,
  perChatPerSec: 1_000,
  perChatBurst: 1_000,
  perGroupPerMin: 60_000,
  perGroupBurst: 1_000,
});
