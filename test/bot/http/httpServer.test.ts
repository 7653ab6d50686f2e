import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthRegistry } from '../../../bot/http/health.ts';
import { HttpServer, readBody } from '../../../bot/http/httpServer.ts';
import { createMetrics, type Metrics } from '../../../bot/http/metrics.ts';

describe('HealthRegistry', () => {
  it('reports ok with no checks, and the worst status of its checks', async () => {
    const health = new HealthRegistry();
    expect(await health.report()).toEqual({ status: 'ok', checks: {} });
    health.register('store', () => ({ status: 'ok' }));
    health.register('whatsapp', async () => ({ status: 'degraded', detail: 'pairing' }));
    const report = await health.report();
    expect(report.status).toBe('degraded');
    expect(report.checks.whatsapp).toMatchObject({ status: 'degraded', detail: 'pairing' });
  });

  it('counts a check that throws or hangs as down', async () => {
    const health = new HealthRegistry();
    health.register('broken', () => {
      throw new Error('connection refused');
    });
    health.register('slow', () => new Promise(() => undefined));
    const report = await health.report(50);
    expect(report.status).toBe('down');
    expect(report.checks.broken).toMatchObject({ status: 'down', detail: 'connection refused' });
    expect(report.checks.slow?.detail).toContain('50 ms');
  });

  it('removes a check with the function register returned', async () => {
    const health = new HealthRegistry();
    const remove = health.register('telegram', () => ({ status: 'down' }));
    remove();
    expect(health.names).toEqual([]);
  });
});

describe('HttpServer', () => {
  let server: HttpServer;
  let health: HealthRegistry;
  let metrics: Metrics;
  let base: string;

  beforeAll(async () => {
    health = new HealthRegistry();
    metrics = createMetrics();
    server = await HttpServer.start({ port: 0, host: '127.0.0.1', health, metrics, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers /healthz with 200 while nothing is down and 503 once something is', async () => {
    const remove = health.register('store', () => ({ status: 'ok' }));
    let response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' } } });
    const removeDown = health.register('telegram', () => ({ status: 'down', detail: 'polling: stopped' }));
    response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    removeDown();
    remove();
  });

  it('serves Prometheus text on /metrics', async () => {
    metrics.updates.inc({ channel: 'telegram', kind: 'message' });
    metrics.sendErrors.inc({ channel: 'telegram', code: '429' });
    const untrack = metrics.trackQueueDepth('telegram', () => 7);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('netra_updates_total{channel="telegram",kind="message"} 1');
    expect(text).toContain('netra_send_errors_total{channel="telegram",code="429"} 1');
    expect(text).toContain('netra_send_queue_depth{channel="telegram"} 7');
    expect(text).toContain('# TYPE netra_turn_duration_seconds histogram');
    untrack();
  });

  it('routes added paths, and answers 404 and 405 otherwise', async () => {
    const remove = server.route('POST', '/hook', async (req, res) => {
      const body = await readBody(req, 16);
      res.writeHead(200).end(`got ${body.length}`);
    });
    expect(await (await fetch(`${base}/hook`, { method: 'POST', body: 'abc' })).text()).toBe('got 3');
    expect((await fetch(`${base}/hook`)).status).toBe(405);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    remove();
    expect((await fetch(`${base}/hook`, { method: 'POST', body: 'abc' })).status).toBe(404);
  });

  it('answers 500 when a handler throws', async () => {
    server.route('GET', '/boom', () => {
      throw new Error('boom');
    });
    server.route('GET', '/boom-later', async () => {
      throw new Error('boom');
    });
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    expect((await fetch(`${base}/boom-later`)).status).toBe(500);
  });

  it('keeps separate registries per app, so two never clash', () => {
    const other = createMetrics();
    other.updates.inc({ channel: 'telegram', kind: 'message' });
    expect(other.registry).not.toBe(metrics.registry);
  });
});
