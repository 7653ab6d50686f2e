import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKit, textOf, type Kit } from './telegramKit.ts';

describe('A chat over its message limit (Telegram)', () => {
  let kit: Kit;

  beforeAll(async () => {
    kit = await startKit({ kind: 'pglite', mode: 'polling', messagesPerMinute: 3 });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('is told to slow down once, and the photos it floods in are not downloaded', async () => {
    const { fake } = kit;
    const id = 7200;
    for (const text of ['halo', 'halo', 'halo']) fake.pushUpdate(fake.textUpdate(id, text));
    const photo = Buffer.from('not really a jpeg, never fetched');
    fake.pushUpdate(fake.photoUpdate(id, photo));
    fake.pushUpdate(fake.photoUpdate(id, photo));
    await fake.waitForSent(id, 'Anda mengirim pesan terlalu cepat');
    // Give the second photo's turn time to finish too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.calls.filter((c) => c.method === 'getFile')).toEqual([]);
    expect(fake.sent(id).filter((c) => textOf(c).includes('terlalu cepat'))).toHaveLength(1);
  });
});
