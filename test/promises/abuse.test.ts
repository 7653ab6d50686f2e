/**
 * Promise: one chat cannot flood Bawaslu with reports. REPORTS_PER_DAY caps the reports a chat may submit in 24
 * hours; the next one is refused with a polite message and the draft is kept. Other chats are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitReport } from '../../bot/tickets/reportSubmission.ts';
import type { ReportDraft, SubmitReportResult } from '../../flows/report/reportCommands.ts';
import { emptyReport } from '../../flows/report/reportContext.ts';
import { submittedMessages } from '../../flows/report/reportSummary.ts';
import { createHarness, type Harness } from '../support/chatHarness.ts';
import { storeKinds } from '../support/testDatabase.ts';

const DAY = 86_400_000;

/** A complete informasi awal draft; `n` makes each one distinct (a replayed draft is a duplicate, not a report). */
function draft(n: number, startedAt: string): ReportDraft {
  return {
    startedAt,
    kind: 'tip',
    convertedFromFormal: false,
    terlapor: { name: null, position: 'Kepala seksi', agency: 'Dinas Pendidikan', employment: 'pns' },
    category: 'social-media',
    eventDate: '2026-11-20',
    learnedDate: '2026-11-21',
    place: { provinceCode: '19', regencyCode: '19.05', districtCode: null },
    placeDetail: null,
    location: null,
    description: `Laporan nomor ${n}: seorang ASN membagikan poster calon di grup kantor dan mengajak staf memilihnya.`,
    evidence: [],
    personalSealed: null,
  };
}

describe.each(storeKinds)('reports per day (%s)', (kind) => {
  let h: Harness;
  let drafts = 0;

  beforeAll(async () => {
    h = await createHarness(kind, { env: { REPORTS_PER_DAY: '2' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function submit(chat: string, at: Date): Promise<SubmitReportResult> {
    drafts += 1;
    const chatKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: chat });
    return h.app.store.transaction((sql) =>
      submitReport(h.app, { type: 'submitReport', draft: draft(drafts, at.toISOString()) }, { sql, chatKey, channel: 'terminal', locale: 'id', at }),
    );
  }

  it('accepts REPORTS_PER_DAY reports from a chat, then refuses politely in its language until 24 hours have passed', async () => {
    const start = new Date('2026-11-22T03:00:00.000Z');
    expect((await submit('busy', start)).status).toBe('submitted');
    expect((await submit('busy', new Date(start.getTime() + 60_000))).status).toBe('submitted');
    const refused = await submit('busy', new Date(start.getTime() + 120_000));
    expect(refused).toEqual({ status: 'limitReached', limit: 2 });
    const chatKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'busy' });
    expect(await h.app.store.prisma.ticket.count({ where: { reporterChatKey: chatKey } })).toBe(2);

    const messages = submittedMessages(emptyReport(start.toISOString()), refused);
    expect(h.render(messages, 'id').join('\n')).toMatch(/^Maaf, .*2 laporan.*24 jam/s);
    expect(h.render(messages, 'en').join('\n')).toMatch(/^Sorry, 2 reports .*24 hours/s);

    expect((await submit('busy', new Date(start.getTime() + DAY - 1_000))).status).toBe('limitReached');
    expect((await submit('busy', new Date(start.getTime() + DAY + 1_000))).status).toBe('submitted');
  });

  it('says at the start of a new report, not only at its sending, that the chat has sent its reports for the day', async () => {
    const at = new Date('2026-11-28T03:00:00.000Z');
    h.setNow(at);
    const chat = { chat: 'daily' };
    await h.command('lapor', '', chat);
    expect((await h.choose('tip', chat)).all).not.toContain('24 jam terakhir');
    await h.command('batal', '', chat);
    expect((await submit('daily', at)).status).toBe('submitted');
    expect((await submit('daily', at)).status).toBe('submitted');
    await h.command('lapor', '', chat);
    const started = await h.choose('tip', chat);
    expect(started.all).toContain('Catatan: dari akun ini sudah dikirim 2 laporan dalam 24 jam terakhir');
    // The draft can still be written now: the consent question follows the note.
    expect(started.values).toContain('agree');
  });

  it('counts each chat on its own', async () => {
    const at = new Date('2026-11-25T03:00:00.000Z');
    expect((await submit('flood', at)).status).toBe('submitted');
    expect((await submit('flood', at)).status).toBe('submitted');
    expect((await submit('flood', at)).status).toBe('limitReached');
    expect((await submit('neighbour', at)).status).toBe('submitted');
  });
});
