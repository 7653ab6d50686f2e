/**
 * What an officer does to a ticket (accept, ask, set a status, note, transfer) is told to the other offices working
 * on it through the outbox: written in the action's transaction, delivered to each office's destinations (groups or
 * officers on Telegram, e-mail, webhook) once each, retried when a send fails. The chat the action was taken in and
 * the officer's own private chat get no copy; another office's chat is told which office acted.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../bot/errors.ts';
import type { MailMessage, Mailer } from '../../../bot/forwarding/mailer.ts';
import { officeName, setOfficeEmail, setOfficeWebhook } from '../../../bot/offices/officeDirectory.ts';
import type { OfficerEffect } from '../../../bot/officers/officerDesk.ts';
import { enrolOfficer } from '../../../bot/officers/officerRepository.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { createTicket, FakeOfficeMessenger, officerUpdates, RecordingSender, startWebhookReceiver } from '../forwarding/support/fixtures.ts';

const KABUPATEN_GROUP = '-1001905';
const PROVINSI_GROUP = '-1000019';
const SARI = '801';
const BUDI = '802';
const RINA = '803';
const KABUPATEN = officeName('19.05');
const PROVINSI = officeName('19');

/** A mailer that keeps what it is given (SMTP itself is tested with a real server in the forwarding tests). */
class FakeMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
  close(): void {}
}

describe.each(storeKinds)("officers' actions told to the other offices through the outbox, on %s", (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messenger: FakeOfficeMessenger;
  let mailer: FakeMailer;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const names: Record<string, string> = { [SARI]: 'Sari', [BUDI]: 'Budi', [RINA]: 'Rina' };
  const { press, reply } = officerUpdates(() => services.desk, names);
  /** The chats the desk's own effects send to (the rest goes through the outbox). */
  const sentChats = (effects: OfficerEffect[] | null) => [...new Set((effects ?? []).flatMap((e) => (e.type === 'send' ? [e.chatId] : [])))];
  /** Texts the worker sent to a chat after call number `from`. */
  const delivered = (chatId: string, from: number) =>
    messenger.calls.slice(from).flatMap((c) => (c.chatId === chatId && c.method === 'sendText' ? [c.text ?? ''] : []));
  /** A ticket already delivered to its office, so only what the action causes is left to deliver. */
  const deliveredTicket = async (officeCode = '19.05') => {
    const created = await createTicket(h.app, { officeCode, withFiles: false, createdAt: h.now() });
    await services.worker.drain(200);
    return created;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    h = await createHarness(kind);
    services = officerServices(h.app);
    messenger = new FakeOfficeMessenger();
    services.setMessenger(messenger);
    mailer = new FakeMailer();
    services.setMailer(mailer);
    h.app.senders.set('terminal', new RecordingSender(h.app));
    const prisma = h.app.store.prisma;
    for (const [user, office] of [
      [SARI, '19.05'],
      [BUDI, '19.05'],
      [RINA, '19'],
    ] as const) {
      await prisma.$transaction((tx) => enrolOfficer(tx, h.app.secrets, { telegramUserId: user, officeCode: office, role: 'officer', displayName: names[user]! }));
    }
    await prisma.officeChat.createMany({
      data: [
        { officeCode: '19.05', chatId: KABUPATEN_GROUP, linkedBy: 'test' },
        { officeCode: '19', chatId: PROVINSI_GROUP, linkedBy: 'test' },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('delivers a notice whose first send failed once the retry comes, exactly once', async () => {
    const { ticket } = await deliveredTicket();
    messenger.failOn = (call) =>
      call.chatId === KABUPATEN_GROUP && call.html?.includes('diterima oleh Rina') ? new DeliveryError('Telegram 502: Bad Gateway', false, 502) : undefined;
    const from = messenger.calls.length;
    await press(RINA, RINA, `o:ack:${ticket.code}`);
    await services.worker.drain(200);
    expect(delivered(KABUPATEN_GROUP, from)).toEqual([]);
    messenger.failOn = undefined;
    const waiting = await h.app.store.prisma.outbox.findFirstOrThrow({
      where: { kind: 'office.deliver', status: 'pending', destination: { path: ['chatId'], equals: KABUPATEN_GROUP } },
    });
    expect(waiting.lastError).toContain('502');
    h.setNow(waiting.nextAttemptAt);
    await services.worker.drain(200);
    expect(delivered(KABUPATEN_GROUP, from)).toEqual([`🏢 Dari Rina, ${PROVINSI}:\n✅ ${ticket.code} diterima oleh Rina. Pelapor sudah diberi tahu.`]);
  });

  it('tells the other chats of the office what was done in its group, and gives the group and the officer no copy', async () => {
    const prisma = h.app.store.prisma;
    const { ticket } = await deliveredTicket();
    // The office has no group for a while: its tickets, and the notices, go to its officers' private chats.
    await prisma.officeChat.deleteMany({ where: { chatId: KABUPATEN_GROUP } });
    try {
      const from = messenger.calls.length;
      const noted = await reply(await press(SARI, SARI, `o:note:${ticket.code}`), SARI, 'Sudah ditelepon ke BKPSDM.');
      // The desk answers only the chat the action was taken in; the rest waits in the outbox.
      expect(sentChats(noted)).toEqual([SARI]);
      await services.worker.drain(200);
      expect(delivered(BUDI, from)).toEqual([
        `🔒 Dari chat pribadi Sari dengan bot:\n📝 Catatan internal untuk ${ticket.code} tersimpan. Catatan ini tidak dikirim ke pelapor.\nSudah ditelepon ke BKPSDM.`,
      ]);
      expect(delivered(SARI, from)).toEqual([]);
    } finally {
      await prisma.officeChat.create({ data: { officeCode: '19.05', chatId: KABUPATEN_GROUP, linkedBy: 'test' } });
    }
    const from = messenger.calls.length;
    const status = await reply(await press(SARI, KABUPATEN_GROUP, `o:st:${ticket.code}:handling`), SARI, 'Terlapor dipanggil untuk klarifikasi.');
    expect(sentChats(status)).toEqual([KABUPATEN_GROUP]);
    await services.worker.drain(200);
    expect(delivered(KABUPATEN_GROUP, from)).toEqual([]);
    expect(delivered(SARI, from)).toEqual([]);
  });

  it('gives an office that moves a ticket to itself the ticket before the notice of the move', async () => {
    const { ticket } = await deliveredTicket();
    const from = messenger.calls.length;
    const moved = await reply(await press(RINA, RINA, `o:mv:${ticket.code}`), RINA, '19');
    expect(sentChats(moved)).toEqual([RINA]);
    // Written in one transaction: the notice is ordered after the ticket's forwarding, never tied with it.
    const rows = await h.app.store.prisma.outbox.findMany({
      where: { OR: [{ dedupKey: { startsWith: `ticket:${ticket.id}:transfer:` } }, { dedupKey: { startsWith: `ticket:${ticket.id}:action:` } }] },
      select: { kind: true, createdAt: true },
    });
    const forward = rows.find((r) => r.kind === 'ticket.forward')!;
    const notice = rows.find((r) => r.kind === 'office.notify')!;
    expect(notice.createdAt.getTime()).toBeGreaterThan(forward.createdAt.getTime());
    await services.worker.drain(200);
    const toProvinsi = delivered(PROVINSI_GROUP, from);
    const card = toProvinsi.findIndex((text) => !text.startsWith('🔒') && text.includes(ticket.code));
    const told = toProvinsi.findIndex((text) => text.startsWith('🔒'));
    expect(card).toBeGreaterThanOrEqual(0);
    expect(told).toBeGreaterThan(card);
  });

  it("tells another office's group which office acted, with the question asked", async () => {
    const { ticket } = await deliveredTicket();
    let from = messenger.calls.length;
    const asked = await reply(await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`), RINA, 'Siapa saja yang hadir di lokasi?');
    expect(sentChats(asked)).toEqual([PROVINSI_GROUP]);
    await services.worker.drain(200);
    const toKabupaten = delivered(KABUPATEN_GROUP, from);
    expect(toKabupaten).toHaveLength(1);
    expect(toKabupaten[0]).toContain(`🏢 Dari Rina, ${PROVINSI}:\n❓ Pertanyaan untuk pelapor ${ticket.code} sudah dikirim.`);
    expect(toKabupaten[0]).toContain('Siapa saja yang hadir di lokasi?');
    expect(delivered(PROVINSI_GROUP, from)).toEqual([]);

    // The provinsi now works on the ticket: what the kabupaten does is told there, naming the kabupaten.
    from = messenger.calls.length;
    await press(SARI, KABUPATEN_GROUP, `o:ack:${ticket.code}`);
    await services.worker.drain(200);
    expect(delivered(PROVINSI_GROUP, from)).toEqual([`🏢 Dari Sari, ${KABUPATEN}:\n✅ ${ticket.code} diterima oleh Sari. Pelapor sudah diberi tahu.`]);
    expect(delivered(KABUPATEN_GROUP, from)).toEqual([]);
  });

  it("e-mails the action of the provinsi to a kabupaten that receives its tickets only by e-mail", async () => {
    const code = '19.03';
    await setOfficeEmail(h.app.store.prisma, code, 'kabupaten@bawaslu.test');
    try {
      const { ticket, chatId } = await deliveredTicket(code);
      expect(mailer.sent.filter((m) => m.subject.includes(ticket.code))).toHaveLength(1);
      await reply(await press(RINA, RINA, `o:st:${ticket.code}:handling`), RINA, 'Provinsi ikut mengkaji <bukti> ini.');
      await services.worker.drain(200);
      const mails = mailer.sent.filter((m) => m.subject.includes(ticket.code)).slice(1);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toBe('kabupaten@bawaslu.test');
      expect(mails[0]!.subject).not.toMatch(/<[a-z]/);
      expect(mails[0]!.text).toContain(`Dari Rina, ${PROVINSI}:`);
      expect(mails[0]!.text).toMatch(new RegExp(`Status ${ticket.code}: Sedang ditangani \\(oleh Rina\\)`));
      expect(mails[0]!.text).toContain('Provinsi ikut mengkaji <bukti> ini.');
      expect(mails[0]!.text).not.toContain(chatId);
      expect(mails[0]!.attachments).toEqual([]);
    } finally {
      await setOfficeEmail(h.app.store.prisma, code, null);
    }
  });

  it("posts the action to a kabupaten's webhook as a signed JSON event", async () => {
    const code = '19.06';
    const hook = await setOfficeWebhook(h.app.store.prisma, h.app.secrets, code, receiver.url);
    receiver.secret.value = hook!.secret!;
    try {
      const { ticket } = await deliveredTicket(code);
      expect(receiver.received.filter((r) => r.body.includes(ticket.code)).map((r) => r.event)).toEqual(['ticket.forwarded']);
      await reply(await press(RINA, RINA, `o:note:${ticket.code}`), RINA, 'Dipantau provinsi.');
      await services.worker.drain(200);
      const events = receiver.received.filter((r) => r.body.includes(ticket.code)).slice(1);
      expect(events.map((r) => [r.event, r.valid])).toEqual([['ticket.action', true]]);
      const body = JSON.parse(events[0]!.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        event: 'ticket.action',
        office: { code, name: officeName(code) },
        action: { type: 'note', text: 'Dipantau provinsi.', officer: { name: 'Rina', office: { code: '19', name: PROVINSI } } },
        ticket: { code: ticket.code, officeCode: code },
        files: [],
      });
      expect(body.deliveryId).toEqual(expect.any(String));
    } finally {
      await setOfficeWebhook(h.app.store.prisma, h.app.secrets, code, null);
    }
  });

  it('gives a group linked to two offices working on the ticket one copy of each notice', async () => {
    const shared = '-1001902';
    const prisma = h.app.store.prisma;
    await prisma.officeChat.createMany({
      data: [
        { officeCode: '19.02', chatId: shared, linkedBy: 'test' },
        { officeCode: '19', chatId: shared, linkedBy: 'test' },
      ],
    });
    try {
      const { ticket } = await deliveredTicket('19.02');
      // The provinsi steps in from its own group, then writes a note from the private chat.
      await press(RINA, PROVINSI_GROUP, `o:ack:${ticket.code}`);
      await services.worker.drain(200);
      const from = messenger.calls.length;
      await reply(await press(RINA, RINA, `o:note:${ticket.code}`), RINA, 'Sudah dikoordinasikan.');
      await services.worker.drain(200);
      // The group serves the kabupaten too, whose members must learn which office acted.
      expect(delivered(shared, from)).toEqual([
        `🏢 Dari Rina, ${PROVINSI}:\n📝 Catatan internal untuk ${ticket.code} tersimpan. Catatan ini tidak dikirim ke pelapor.\nSudah dikoordinasikan.`,
      ]);
      expect(delivered(PROVINSI_GROUP, from)).toHaveLength(1);
      expect(delivered(RINA, from)).toEqual([]);
    } finally {
      await prisma.officeChat.deleteMany({ where: { chatId: shared } });
    }
  });

  it('delivers a notice to a group shared by two offices while either still has it linked, and to no group both unlinked', async () => {
    const shared = '-1001903';
    const prisma = h.app.store.prisma;
    const link = (officeCode: string) => prisma.officeChat.create({ data: { officeCode, chatId: shared, linkedBy: 'test' } });
    await link('19.02');
    await link('19');
    try {
      const { ticket } = await deliveredTicket('19.02');
      await press(RINA, PROVINSI_GROUP, `o:ack:${ticket.code}`);
      await services.worker.drain(200);
      /** A note from the provinsi's officer; between the notice's fan-out and its delivery, `unlink` runs. */
      const noteWith = async (text: string, unlink: () => Promise<unknown>) => {
        const from = messenger.calls.length;
        await reply(await press(RINA, RINA, `o:note:${ticket.code}`), RINA, text);
        // The action's row becomes one row per destination; those are delivered in the next batches.
        await services.worker.runOnce();
        await unlink();
        await services.worker.drain(200);
        return delivered(shared, from);
      };
      const unlinkFrom = (officeCode: string) => prisma.officeChat.deleteMany({ where: { chatId: shared, officeCode } });
      expect(await noteWith('Catatan pertama.', () => unlinkFrom('19.02'))).toHaveLength(1);
      await link('19.02');
      expect(await noteWith('Catatan kedua.', () => unlinkFrom('19'))).toHaveLength(1);
      await link('19');
      expect(await noteWith('Catatan ketiga.', () => prisma.officeChat.deleteMany({ where: { chatId: shared } }))).toEqual([]);
    } finally {
      await prisma.officeChat.deleteMany({ where: { chatId: shared } });
    }
  });

  it("tells the office's chats which office acted when its officer acted in another office's group", async () => {
    const prisma = h.app.store.prisma;
    const { ticket } = await deliveredTicket();
    // Sari of the kabupaten writes a note in the provinsi group, which her office's group did not see.
    let from = messenger.calls.length;
    await reply(await press(SARI, PROVINSI_GROUP, `o:note:${ticket.code}`), SARI, 'Dibahas bersama provinsi.');
    await services.worker.drain(200);
    expect(delivered(KABUPATEN_GROUP, from)).toEqual([
      `🏢 Dari Sari, ${KABUPATEN}:\n📝 Catatan internal untuk ${ticket.code} tersimpan. Catatan ini tidak dikirim ke pelapor.\nDibahas bersama provinsi.`,
    ]);
    // Without a group, the office's officers read it in their private chats, told the same.
    await prisma.officeChat.deleteMany({ where: { chatId: KABUPATEN_GROUP } });
    try {
      from = messenger.calls.length;
      await press(SARI, PROVINSI_GROUP, `o:ack:${ticket.code}`);
      await services.worker.drain(200);
      expect(delivered(BUDI, from)).toEqual([`🏢 Dari Sari, ${KABUPATEN}:\n✅ ${ticket.code} diterima oleh Sari. Pelapor sudah diberi tahu.`]);
    } finally {
      await prisma.officeChat.create({ data: { officeCode: '19.05', chatId: KABUPATEN_GROUP, linkedBy: 'test' } });
    }
  });

  it("posts an action to a webhook naming the ticket as the action left it, without the reporter's or witnesses' identity or the evidence", async () => {
    const code = '19.01';
    const prisma = h.app.store.prisma;
    const hook = await setOfficeWebhook(prisma, h.app.secrets, code, receiver.url);
    receiver.secret.value = hook!.secret!;
    try {
      const { ticket } = await createTicket(h.app, { officeCode: code, kind: 'formal', createdAt: h.now() });
      await services.worker.drain(200);
      const posts = () => receiver.received.filter((r) => r.body.includes(ticket.code));
      // The office got the formal report itself with the reporter's identity, as a laporan requires.
      expect(posts().map((r) => r.event)).toEqual(['ticket.forwarded']);
      expect(posts()[0]!.body).toContain('Siti Aminah');

      await reply(await press(RINA, RINA, `o:note:${ticket.code}`), RINA, 'Dipantau provinsi.');
      // The ticket moves on before the notice goes out: the notice still tells it as the note found it.
      await prisma.ticket.update({ where: { id: ticket.id }, data: { status: 'handling', officeCode: '19' } });
      await services.worker.drain(200);
      const actions = posts().slice(1);
      expect(actions.map((r) => [r.event, r.valid])).toEqual([['ticket.action', true]]);
      const body = JSON.parse(actions[0]!.body) as Record<string, unknown>;
      expect(body.ticket).toEqual({
        id: ticket.id,
        code: ticket.code,
        kind: 'formal',
        category: { id: 'attending-campaign' },
        officeCode: code,
        status: 'received',
      });
      for (const personal of ['Siti Aminah', 'Merdeka', '6281234567890', 'siti@example.org', 'Andi', '6281111111111', 'foto-kampanye', 'sha256']) {
        expect(actions[0]!.body).not.toContain(personal);
      }
    } finally {
      await setOfficeWebhook(prisma, h.app.secrets, code, null);
    }
  });

  it("delivers an action notice without reading the ticket's evidence files", async () => {
    const { ticket, files } = await createTicket(h.app, { officeCode: '19.05', createdAt: h.now() });
    await services.worker.drain(200);
    // The photo's clean copy can no longer be read (a dossier would hash it): a notice needs none of it.
    const clean = path.join(h.app.dataDir, files[0]!.strippedPath!);
    rmSync(clean);
    mkdirSync(clean);
    try {
      const from = messenger.calls.length;
      await press(RINA, RINA, `o:ack:${ticket.code}`);
      await services.worker.drain(200);
      expect(delivered(KABUPATEN_GROUP, from)).toEqual([`🏢 Dari Rina, ${PROVINSI}:\n✅ ${ticket.code} diterima oleh Rina. Pelapor sudah diberi tahu.`]);
    } finally {
      rmSync(clean, { recursive: true });
    }
  });
});
