/**
 * Promise: one chat cannot flood Bawaslu with reports. REPORTS_PER_DAY caps the reports a chat may submit in 24
 * hours; the next one is refused with a polite message and the draft is kept. Other chats are unaffected.
 * (Messages per minute and the ban list are proved in test/bot/conversation/abuseControl.test.ts and
 * test/bot/retention/banList.test.ts.)
 */
import { describe, it } from 'vitest';

describe('reports per day', () => {
  // Waits for the report submission (bot/tickets/reportSubmission.ts) to land.
  it.todo('accepts REPORTS_PER_DAY reports from a chat, then refuses politely in its language until 24 hours have passed');
  it.todo('counts each chat on its own');
});
