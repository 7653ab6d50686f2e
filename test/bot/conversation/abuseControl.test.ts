import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/chatHarness.ts';

describe('abuse control in the runtime', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('asks a flooding chat once to slow down, then ignores the flood without touching its state', async () => {
    const replies = [];
    for (let i = 0; i < 12; i += 1) replies.push(await h.say('6', { chat: 'flood' }));
    expect(replies.slice(0, 5).every((r) => r.all.includes('Pilih salah satu menu') || r.all.includes('Selamat datang'))).toBe(true);
    expect(replies[5]?.all).toContain('terlalu cepat');
    expect(replies.slice(6).every((r) => r.texts.length === 0)).toBe(true);
    const chat = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: replies[0]!.result.chatKey } });
    expect(chat.revision).toBe(5);
  });

  it('keeps serving other chats during a flood', async () => {
    const flood = Promise.all(Array.from({ length: 1000 }, () => h.say('6', { chat: 'flood-2' })));
    const other = await h.say('/start', { chat: 'calm' });
    expect(other.all).toContain('Selamat datang');
    const answered = (await flood).filter((r) => r.texts.length > 0);
    expect(answered.length).toBe(6);
  });

  it('answers a banned chat only with the suspension notice', async () => {
    const first = await h.say('/start', { chat: 'banned' });
    await h.app.store.prisma.chat.update({ where: { key: first.result.chatKey }, data: { bannedAt: new Date() } });
    const reply = await h.say('1', { chat: 'banned' });
    expect(reply.texts).toHaveLength(1);
    expect(reply.all).toContain('dihentikan sementara');
  });
});
