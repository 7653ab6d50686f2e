/**
 * Authorisation, through `netra start` and the fake Bot API: only active officers of a ticket's office (or of an
 * office above it) act on it. Every officer button and command is tried by a member of the office group who is no
 * officer, by an officer of a neighbouring office (with button data forged for a ticket not theirs, from their own
 * group), with tampered ticket codes and statuses, by replying to a prompt meant for an officer, by an officer
 * revoked meanwhile, by a plain officer linking a group (a coordinator's act), and with invite codes that are unknown, expired or already used. Each is refused: the ticket and
 * its history do not change, nothing reaches the reporter or the wrong group, and the refusal is written to the
 * audit log (`access.denied`, naming who tried what) or, for invite codes, to the log. An officer of the office
 * can still do all of it afterwards, and the audit chain verifies (`netra audit verify`).
 */
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../bot/officers/invites.ts';
import { officerUserKey } from '../../bot/officers/officerRepository.ts';
import type { ApiCall } from '../support/fakeBotApi.ts';
import { Citizen, Gate, Officer, plain, Speaker, type Stage } from './support/actors.ts';
import { quiet } from './support/invariants.ts';
import { createWorld, type World } from './support/world.ts';

const BARAT = '19.05';
const TENGAH = '19.04';
const GROUP_BARAT = -100_210_001;
const GROUP_TENGAH = -100_210_002;
const DENIED = /hanya petugas kantor yang menangani tiket ini/;

describe('who may act on a ticket', () => {
  let world: World;
  let stage: Stage;

  beforeAll(async () => {
    world = await createWorld({ keepOutput: true });
    await world.startNetra();
    stage = { world, gate: new Gate(), kills: () => [] };
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  it('refuses and logs every officer action by anyone else', { timeout: 5 * 60_000 }, async () => {
    const { fake, store } = world;
    const sari = new Officer(stage, { id: 7_401, first_name: 'Sari' }, GROUP_BARAT);
    const tono = new Officer(stage, { id: 7_402, first_name: 'Tono' }, GROUP_TENGAH);
    await sari.enrol(BARAT);
    await tono.enrol(TENGAH);
    const citizen = new Citizen(stage, 6_401, { id: 6_401, first_name: 'Warga' });
    await citizen.file({ kind: 'tip', tag: 'laporan barat' });
    const neighbour = new Citizen(stage, 6_402, { id: 6_402, first_name: 'Warga' });
    await neighbour.file({ kind: 'tip', tag: 'laporan tengah', region: { text: 'bangka tengah', expect: /Lokasi: Kabupaten Bangka Tengah/ } });
    await quiet(world);
    const [code] = citizen.codes;
    const [other] = neighbour.codes;
    const card = sari.card(code!)!;
    const tonoCard = tono.card(other!)!;
    expect(card, 'the ticket reached its office group').toBeDefined();
    expect(tonoCard, "the neighbour's ticket reached its group").toBeDefined();

    // A member of the office group who is no officer, and an outsider writing to the bot privately.
    const member = { id: 9_401, first_name: 'Anggota' };
    const inGroup = new Speaker(stage, GROUP_BARAT, member);
    const privately = new Speaker(stage, member.id, member);

    const ticketState = () =>
      store.prisma.ticket.findUniqueOrThrow({
        where: { code: code! },
        select: { status: true, acknowledgedAt: true, officeCode: true, closedAt: true, _count: { select: { events: true } } },
      });
    const denials = () => store.prisma.auditLog.findMany({ where: { action: 'access.denied' }, orderBy: { seq: 'asc' } });
    const before = await ticketState();
    const reporterRows = () => store.prisma.outbox.count({ where: { kind: 'chat.message', destination: { path: ['chatKey'], equals: world.chatKey(citizen.chatId) } } });
    const reporterBefore = await reporterRows();

    /** Presses a button as `user` under message `messageId` of `chatId`; returns the answer to the press. */
    const press = async (speaker: Speaker, chatId: number, messageId: number, data: string): Promise<ApiCall> => {
      const update = fake.callbackUpdate(chatId, messageId, data, speaker.user);
      const sent = await speaker.send(update);
      const id = (update as { callback_query: { id: string } }).callback_query.id;
      return fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id, 10_000, sent.fromSeq);
    };
    /** Sends a text as `speaker` in `chatId` and returns what the bot answered there. */
    const say = async (speaker: Speaker, chatId: number, text: string, expect: RegExp): Promise<ApiCall | undefined> =>
      speaker.step(fake.textUpdate(chatId, text, { from: speaker.user }), expect, chatId);
    /** Expects one more `access.denied` entry, by `user`, for `attempted`. */
    let seen = (await denials()).length;
    const expectDenied = async (user: number, attempted: string, what: string) => {
      const entries = await denials();
      const added = entries.slice(seen);
      seen = entries.length;
      expect(added.map((e) => [e.actor, (e.data as { attempted?: string }).attempted]), what).toEqual([
        [`telegram:${officerUserKey(world.secrets, String(user)).slice(0, 12)}`, attempted],
      ]);
    };

    // Every button under the card, pressed by a group member who is no officer.
    const cardId = (card.result as Message).message_id;
    const buttons: Array<[string, string]> = [
      [`o:ack:${code}`, 'button.ack'],
      [`o:ask:${code}`, 'button.ask'],
      [`o:note:${code}`, 'button.note'],
      [`o:st:${code}`, 'button.st'],
      [`o:st:${code}:done`, 'button.st'],
      [`o:mv:${code}`, 'button.mv'],
      [`o:mv:${code}:${TENGAH}`, 'button.mv'],
      [`o:show:${code}`, 'button.show'],
      [`o:back:${code}`, 'button.back'],
    ];
    for (const [data, attempted] of buttons) {
      const answer = await press(inGroup, GROUP_BARAT, cardId, data);
      expect(answer.params, data).toMatchObject({ show_alert: true });
      expect(String(answer.params.text), data).toMatch(DENIED);
      await expectDenied(member.id, attempted, `${data} by a group member`);
    }
    const linkAnswer = await press(inGroup, GROUP_BARAT, cardId, `o:link:${BARAT}`);
    expect(String(linkAnswer.params.text)).toMatch(/hanya petugas/);
    await expectDenied(member.id, 'office.link', 'o:link by a group member');

    // Every officer command, by the same member, in the group and privately.
    await say(inGroup, GROUP_BARAT, '/hubungkan', /Hanya petugas terdaftar/);
    await expectDenied(member.id, 'office.link', '/hubungkan by a group member');
    await say(inGroup, GROUP_BARAT, '/putuskan', DENIED);
    await expectDenied(member.id, 'office.unlink', '/putuskan by a group member');
    await say(inGroup, GROUP_BARAT, '/tiket', /hanya untuk petugas/);
    await expectDenied(member.id, 'tickets.list', '/tiket by a group member');
    await say(inGroup, GROUP_BARAT, `/tiket ${code}`, DENIED);
    await expectDenied(member.id, 'ticket.view', '/tiket CODE by a group member');
    await say(privately, member.id, `/tiket ${code}`, DENIED);
    await expectDenied(member.id, 'ticket.view', '/tiket CODE in private');
    await say(privately, member.id, `/tiket ${other}`, DENIED);
    await expectDenied(member.id, 'ticket.view', "/tiket with another office's code in private");

    // A reply to an officer's prompt, by the member: an officer asks, the member answers in their place.
    const promptFrom = fake.calls.length;
    await sari.send(sari.press(cardId, `o:ask:${code}`));
    const prompt = await fake.waitFor((c) => c.ok && c.chatId === GROUP_BARAT && /#tanya/.test(plain(c)), 10_000, promptFrom);
    const hijack = fake.textUpdate(GROUP_BARAT, 'Siapa nama Anda dan di mana Anda tinggal?', { from: member }) as { message: Message.TextMessage };
    Object.assign(hijack.message, { reply_to_message: prompt.result });
    await inGroup.step(hijack as never, DENIED, GROUP_BARAT);
    await expectDenied(member.id, 'reply.ask', 'a reply to the prompt by a group member');

    // An officer of the neighbouring office, from their own group: buttons with data forged for this ticket.
    const tonoCardId = (tonoCard.result as Message).message_id;
    for (const [data, attempted] of [
      [`o:ack:${code}`, 'button.ack'],
      [`o:st:${code}:done`, 'button.st'],
      [`o:mv:${code}:${TENGAH}`, 'button.mv'],
      [`o:show:${code}`, 'button.show'],
    ] as const) {
      const answer = await press(tono, GROUP_TENGAH, tonoCardId, data);
      expect(String(answer.params.text), data).toMatch(DENIED);
      await expectDenied(tono.user.id, attempted, `${data} by the neighbouring office`);
    }
    await say(tono, GROUP_TENGAH, `/tiket ${code}`, DENIED);
    await expectDenied(tono.user.id, 'ticket.view', '/tiket CODE by the neighbouring office');
    const linkOther = await say(tono, GROUP_TENGAH, `/hubungkan ${BARAT}`, /tidak terdaftar sebagai petugas kantor/);
    expect(linkOther).toBeDefined();
    await expectDenied(tono.user.id, 'office.link', '/hubungkan with an office not theirs');
    const forgedLink = await press(tono, GROUP_TENGAH, tonoCardId, `o:link:${BARAT}`);
    expect(String(forgedLink.params.text)).toMatch(/hanya petugas/);
    await expectDenied(tono.user.id, 'office.link', 'o:link forged for an office not theirs');
    // A reply forged in their group as if to a prompt for this ticket (a bot message carrying its tag).
    const forgedPrompt = fake.textUpdate(GROUP_TENGAH, 'Laporan tidak terbukti.', { from: tono.user }) as { message: Message.TextMessage };
    Object.assign(forgedPrompt.message, {
      reply_to_message: { ...(tonoCard.result as Message.TextMessage), text: `#selesai ${code}\nTono, tulis alasan singkat` },
    });
    await tono.step(forgedPrompt as never, DENIED, GROUP_TENGAH);
    await expectDenied(tono.user.id, 'reply.status:done', 'a reply forged for a prompt of this ticket');
    // Nothing about the ticket reached the neighbouring group.
    expect(fake.sent(GROUP_TENGAH).map(plain).join('\n')).not.toContain('laporan barat');

    // Tampered data by Sari herself: codes that do not exist, a status that does not exist, an unknown verb.
    const unknown = await press(sari, GROUP_BARAT, cardId, 'o:ack:NTR-ZZZZ-ZZZZ');
    expect(String(unknown.params.text)).toMatch(/tidak ditemukan/);
    await expectDenied(sari.user.id, 'button.ack', 'a code that does not exist');
    for (const data of [`o:st:${code}:archived`, `o:zz:${code}`, 'o:ack:', `o:ack:${code}x`.slice(0, 64)]) {
      const answer = await press(sari, GROUP_BARAT, cardId, data);
      expect(answer.params, data).toMatchObject({ show_alert: true });
    }

    // None of it changed the ticket or told the reporter anything.
    expect(await ticketState()).toEqual(before);
    expect(await reporterRows()).toBe(reporterBefore);
    expect(await store.prisma.officeChat.count({ where: { chatId: String(GROUP_TENGAH), officeCode: BARAT } })).toBe(0);

    // Invite codes: unknown, expired, already used, and one shown in a group (not used there).
    const invite = (expiresAt: Date) => store.prisma.$transaction((tx) => createInvite(tx, { officeCode: BARAT, role: 'officer', expiresAt }));
    const expired = await invite(new Date(Date.now() - 60_000));
    await say(privately, member.id, `/petugas ${expired}`, /sudah kedaluwarsa/);
    await say(privately, member.id, '/petugas PTG-2222-3333-4444', /tidak dikenal/);
    const used = await invite(new Date(Date.now() + 86_400_000));
    const rina = new Speaker(stage, 7_403, { id: 7_403, first_name: 'Rina' });
    await say(rina, rina.chatId, `/petugas ${used}`, /terdaftar sebagai/);
    await say(privately, member.id, `/petugas ${used}`, /sudah dipakai/);
    // A plain officer of the office links no group: every member of a linked group reads its tickets.
    const rinaInGroup = new Speaker(stage, GROUP_BARAT, rina.user);
    await say(rinaInGroup, GROUP_BARAT, '/hubungkan', /Hanya koordinator/);
    await expectDenied(rina.user.id, 'office.link', '/hubungkan by a plain officer');
    const shown = await invite(new Date(Date.now() + 86_400_000));
    await say(inGroup, GROUP_BARAT, `/petugas ${shown}`, /kirim kode undangan di chat pribadi/);
    expect(await store.prisma.officer.count({ where: { userKey: officerUserKey(world.secrets, String(member.id)) } })).toBe(0);
    const netra = world.processes[0]!;
    expect(netra.output().split('\n').filter((line) => line.includes('"invite code refused"'))).toHaveLength(3);

    // A revoked officer is refused from then on.
    const rinaOfficer = await store.prisma.officer.findFirstOrThrow({ where: { userKey: officerUserKey(world.secrets, String(rina.user.id)) } });
    const revoked = await world.cli(['officer', 'revoke', rinaOfficer.id]);
    expect(revoked.code, revoked.output).toBe(0);
    const afterRevoke = await press(rinaInGroup, GROUP_BARAT, cardId, `o:ack:${code}`);
    expect(String(afterRevoke.params.text)).toMatch(DENIED);
    await expectDenied(rina.user.id, 'button.ack', 'a revoked officer');
    expect(await ticketState()).toEqual(before);

    // Every refusal above was logged as a warning too, and the office's own officer can still act.
    expect(netra.output().split('\n').filter((line) => line.includes('"officer action refused"')).length).toBe(seen);
    await sari.acknowledge(code!);
    expect((await ticketState()).acknowledgedAt).not.toBeNull();
    await quiet(world);
    expect(await reporterRows()).toBe(reporterBefore + 1);
    const verify = await world.cli(['audit', 'verify']);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toContain('Audit log intact');
  });
});
