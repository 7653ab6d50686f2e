/**
 * Netra's HTTP server on `PORT`, in every mode: `GET /healthz` (JSON, 503 when a check is down), `GET /metrics`
 * (Prometheus text), and the routes channels add (the Telegram webhook). Plain `node:http` with an exact-path
 * table: the webhook is the hot path and needs nothing more.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';
import type { HealthRegistry } from './health.ts';
import type { Metrics } from './metrics.ts';

/** Handles one request; a handler that throws gets a 500 (and a log line without the request's content). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  port: number;
  /** Interface to listen on (default: all). */
  host?: string;
  health: HealthRegistry;
  metrics: Metrics;
  logger: Logger;
}

/** A running HTTP server. */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: HttpServerOptions,
  ) {
    this.route('GET', '/healthz', (_req, res) => this.healthz(res));
    this.route('GET', '/metrics', (_req, res) => this.metrics(res));
  }

  /** Starts listening; resolves once the port is bound (port 0 picks a free one, see `port`). */
  static async start(options: HttpServerOptions): Promise<HttpServer> {
    const server = http.createServer();
    // Telegram keeps webhook connections open; keep them alive past its pauses between updates.
    server.keepAliveTimeout = 65_000;
    const instance = new HttpServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => instance.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return instance;
  }

  /** The bound port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Adds a route for an exact method and path; returns a function that removes it. */
  route(method: string, path: string, handler: RouteHandler): () => void {
    const key = `${method.toUpperCase()} ${path}`;
    this.routes.set(key, handler);
    return () => {
      if (this.routes.get(key) === handler) this.routes.delete(key);
    };
  }

  /** Stops accepting connections and resolves once the requests in progress have been answered. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const handler = this.routes.get(`${req.method ?? 'GET'} ${path}`);
    if (!handler) {
      const known = [...this.routes.keys()].some((key) => key.slice(key.indexOf(' ') + 1) === path);
      req.resume();
      sendText(res, known ? 405 : 404, known ? 'Method Not Allowed' : 'Not Found');
      return;
    }
    let outcome: void | Promise<void>;
    try {
      outcome = handler(req, res);
    } catch (error) {
      this.fail(res, path, error);
      return;
    }
    if (outcome instanceof Promise) outcome.catch((error: unknown) => this.fail(res, path, error));
  }

  private fail(res: ServerResponse, path: string, error: unknown): void {
    this.options.logger.error({ path, err: error instanceof Error ? error.message : String(error) }, 'HTTP handler failed');
    if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
    else res.destroy();
  }

  private async healthz(res: ServerResponse): Promise<void> {
    const report = await this.options.health.report();
    sendJson(res, report.status === 'down' ? 503 : 200, report);
  }

  private async metrics(res: ServerResponse): Promise<void> {
    const { registry } = this.options.metrics;
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}

/** Answers with a short plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a request body up to `limit` bytes; rejects with `BodyTooLargeError` past it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** A request body over the route's limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
