import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiNetworkError, callJson, type BotApiTarget } from '../../../../bot/channels/telegram/botApiClient.ts';

/** A client for one API root on its own kept-alive agent. */
function leanClient(apiRoot: string) {
  const target: BotApiTarget = { apiRoot, token: TOKEN, agent: new http.Agent({ keepAlive: true }) };
  return {
    call: (method: string, payload: Record<string, unknown>) => callJson(target, method, payload),
    close: async () => target.agent.destroy(),
  };
}

const TOKEN = '123456:secret-token-value';

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/** A local HTTP server answering each request with `answer(seen)`: [status, body]. */
async function serve(answer: (seen: Seen) => [number, string]): Promise<{ root: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      };
      seen.push(entry);
      const [status, body] = answer(entry);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}/prefix`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function client(answer: (seen: Seen) => [number, string]) {
  const server = await serve(answer);
  const api = leanClient(server.root);
  cleanups.push(server.close, () => api.close());
  return { api, seen: server.seen };
}

describe('the lean Bot API client', () => {
  it('posts the payload as JSON to the method under the root path and resolves with the result', async () => {
    const { api, seen } = await client(() => [200, JSON.stringify({ ok: true, result: { message_id: 7 } })]);
    const result = await api.call('sendMessage', { chat_id: 42, text: 'halo', reply_markup: undefined, entities: null });
    expect(result).toEqual({ message_id: 7 });
    expect(seen).toEqual([
      { method: 'POST', path: `/prefix/bot${TOKEN}/sendMessage`, contentType: 'application/json', body: { chat_id: 42, text: 'halo' } },
    ]);
  });

  it('rejects with a TelegramError carrying the code and retry_after of a 429', async () => {
    const { api } = await client(() => [
      429,
      JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }),
    ]);
    const error = await api.call('sendMessage', { chat_id: 42, text: 'halo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(429);
    expect((error as TelegramError).parameters?.retry_after).toBe(3);
  });

  it('rejects a server error as a TelegramError with its status, even when the body is not JSON', async () => {
    const { api } = await client(() => [502, '<html>Bad Gateway</html>']);
    const error = await api.call('editMessageText', { chat_id: 42, message_id: 1, text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(502);
  });

  it('rejects an answer that is not JSON as a network error', async () => {
    const { api } = await client(() => [200, 'not json']);
    await expect(api.call('sendMessage', { chat_id: 42, text: 'halo' })).rejects.toBeInstanceOf(BotApiNetworkError);
  });

  it('rejects a refused connection as a network error whose message does not contain the token', async () => {
    const server = await serve(() => [200, '{}']);
    await server.close();
    const api = leanClient(server.root);
    cleanups.push(() => api.close());
    const error = await api.call('sendMessage', { chat_id: 42, text: 'halo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotApiNetworkError);
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).message).not.toBe('');
  });

  it('keeps its connection alive: twenty calls in a row use one', async () => {
    const sockets = new Set<unknown>();
    const server = http.createServer((req, res) => {
      sockets.add(req.socket);
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ ok: true, result: true })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const api = leanClient(`http://127.0.0.1:${port}`);
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())), () => api.close());
    for (let i = 0; i < 20; i += 1) await api.call('answerCallbackQuery', { callback_query_id: String(i) });
    expect(sockets.size).toBe(1);
  });
});
