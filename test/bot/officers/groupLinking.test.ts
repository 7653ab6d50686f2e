/**
 * Every member of a group linked to an office reads the office's tickets (reporters' accounts, evidence), so
 * linking a group is a coordinator's act; a plain officer is told whom to ask, and the refusal is audit-logged.
 * Unlinking stays open to any officer of the office: stopping a leak must be quick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainText } from '../../../bot/i18n.ts';
import { createInvite, type OfficerRole } from '../../../bot/officers/invites.ts';
import type { OfficerEffect, OfficerUpdate } from '../../../bot/officers/officerDesk.ts';
import { officerUserKey } from '../../../bot/officers/officerRepository.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

const GROUP = '-1002001';
const OFFICER = '901';
const COORDINATOR = '902';
const BOTH = '903';

describe.each(storeKinds)('linking a group to an office, on %s', (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messageNo = 0;

  const texts = (effects: OfficerEffect[] | null) =>
    (effects ?? []).map((e) => (e.type === 'send' ? toPlainText(e.html) : e.type === 'answerCallback' ? `[toast] ${e.text ?? ''}` : '')).join('\n');
  const inGroup = (userId: string, text: string, chatId = GROUP): OfficerUpdate => ({
    userId,
    displayName: `User ${userId}`,
    chatId,
    chatType: 'supergroup',
    text,
    messageId: (messageNo += 1),
  });
  const enrol = async (userId: string, officeCode: string, role: OfficerRole) => {
    const code = await h.app.store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode, role, expiresAt: new Date(h.now().getTime() + 86_400_000) }),
    );
    const done = await services.desk.handle({ userId, displayName: `User ${userId}`, chatId: userId, chatType: 'private', text: `/petugas ${code}`, messageId: 1 });
    expect(texts(done)).toContain('Anda kini terdaftar');
    return texts(done);
  };
  const links = (chatId = GROUP) => h.app.store.prisma.officeChat.findMany({ where: { chatId }, select: { officeCode: true } });

  beforeAll(async () => {
    h = await createHarness(kind);
    services = officerServices(h.app);
    await enrol(OFFICER, '19.05', 'officer');
    await enrol(COORDINATOR, '19.05', 'coordinator');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('tells a plain officer who sends /hubungkan to ask the coordinator, links nothing and logs the refusal', async () => {
    for (const text of ['/hubungkan', '/hubungkan Bangka Barat']) {
      const refused = texts(await services.desk.handle(inGroup(OFFICER, text)));
      expect(refused).toContain('Hanya koordinator Bawaslu Kabupaten Bangka Barat yang dapat menghubungkan grup');
      expect(refused).toContain('netra invite --office 19.05 --role coordinator');
    }
    expect(await links()).toEqual([]);
    const denied = await h.app.store.prisma.auditLog.findMany({ where: { action: 'access.denied' }, orderBy: { seq: 'asc' } });
    expect(denied.map((d) => [d.actor, d.data])).toEqual([
      [`telegram:${officerUserKey(h.app.secrets, OFFICER).slice(0, 12)}`, { officeCode: '19.05', reason: 'notCoordinator', attempted: 'office.link', chatType: 'supergroup' }],
      [`telegram:${officerUserKey(h.app.secrets, OFFICER).slice(0, 12)}`, { officeCode: '19.05', reason: 'notCoordinator', attempted: 'office.link', chatType: 'supergroup' }],
    ]);
    // The same refusal, for offices whose officers read English.
    const english = toPlainText(h.app.renderer.text({ key: 'officer.link.coordinatorOnly', params: { office: 'Bawaslu Kabupaten Bangka Barat', code: '19.05' } }, 'en'));
    expect(english).toContain("Only a coordinator of Bawaslu Kabupaten Bangka Barat can link a group");
    expect(english).toContain('netra invite --office 19.05 --role coordinator');
  });

  it("refuses a plain officer's press of an office to link, as a forged button would be", async () => {
    const pressed = await services.desk.handle({
      userId: OFFICER,
      displayName: `User ${OFFICER}`,
      chatId: GROUP,
      chatType: 'supergroup',
      callback: { id: 'cb-link', data: 'o:link:19.05', messageId: 5 },
    });
    // Telegram shows a popup of at most 200 characters: the explanation comes as a message in the chat.
    expect(pressed).toEqual([
      expect.objectContaining({ type: 'answerCallback', alert: true, text: expect.stringContaining('Hanya koordinator Bawaslu Kabupaten Bangka Barat') }),
      expect.objectContaining({ type: 'send', chatId: GROUP }),
    ]);
    const [popup, explanation] = pressed!;
    expect((popup as { text: string }).text.length).toBeLessThanOrEqual(200);
    expect(texts([explanation!])).toContain('netra invite --office 19.05 --role coordinator');
    expect(await links()).toEqual([]);
  });

  it('lets a coordinator link the group', async () => {
    expect(texts(await services.desk.handle(inGroup(COORDINATOR, '/hubungkan')))).toContain('Grup ini sekarang menjadi saluran tiket Bawaslu Kabupaten Bangka Barat');
    expect(await links()).toEqual([{ officeCode: '19.05' }]);
  });

  it('lets a plain officer of the office unlink the group a coordinator linked, but not link it again', async () => {
    await services.desk.handle(inGroup(COORDINATOR, '/hubungkan'));
    expect(await links()).toEqual([{ officeCode: '19.05' }]);
    expect(texts(await services.desk.handle(inGroup(OFFICER, '/putuskan')))).toContain('Grup ini tidak lagi menerima tiket Bawaslu Kabupaten Bangka Barat');
    expect(await links()).toEqual([]);
    expect(texts(await services.desk.handle(inGroup(OFFICER, '/hubungkan')))).toContain('Hanya koordinator');
    expect(await links()).toEqual([]);
  });

  it('links only an office where the user is coordinator, when they serve several', async () => {
    const other = '-1002002';
    await enrol(BOTH, '19.05', 'officer');
    const welcome = await enrol(BOTH, '19', 'coordinator');
    expect(welcome).toContain('/hubungkan');
    expect(texts(await services.desk.handle(inGroup(BOTH, '/hubungkan', other)))).toContain('saluran tiket Bawaslu Provinsi Kepulauan Bangka Belitung');
    expect(await links(other)).toEqual([{ officeCode: '19' }]);
    expect(texts(await services.desk.handle(inGroup(BOTH, '/hubungkan Bangka Barat', other)))).toContain('Hanya koordinator Bawaslu Kabupaten Bangka Barat');
    expect(await links(other)).toEqual([{ officeCode: '19' }]);
  });

  it('makes a plain officer a coordinator who may link once they send a coordinator\'s invite, and back with an officer\'s', async () => {
    const group = '-1002003';
    await enrol('905', '19.05', 'officer');
    expect(texts(await services.desk.handle(inGroup('905', '/hubungkan', group)))).toContain('Hanya koordinator');
    await enrol('905', '19.05', 'coordinator');
    expect(texts(await services.desk.handle(inGroup('905', '/hubungkan', group)))).toContain('saluran tiket Bawaslu Kabupaten Bangka Barat');
    expect(await links(group)).toEqual([{ officeCode: '19.05' }]);
    await services.desk.handle(inGroup('905', '/putuskan', group));
    await enrol('905', '19.05', 'officer');
    expect(texts(await services.desk.handle(inGroup('905', '/hubungkan', group)))).toContain('Hanya koordinator');
    expect(await links(group)).toEqual([]);
  });

  it('tells a plain officer at enrolment that a coordinator links the office group', async () => {
    const welcome = await enrol('904', '19.05', 'officer');
    expect(welcome).toContain('Anda kini terdaftar sebagai petugas Bawaslu Kabupaten Bangka Barat');
    expect(welcome).toContain('koordinator');
    expect(welcome).not.toContain('kirim /hubungkan');
  });
});
