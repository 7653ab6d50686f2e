/**
 * Signed webhooks to an office's own system: a JSON POST whose body is signed with HMAC-SHA256 under the office's
 * secret (`X-Netra-Signature: sha256=<hex>`), with the delivery id for de-duplication on the receiving side
 * (`X-Netra-Delivery`; a retried delivery carries the same id).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError } from '../errors.ts';

/** The signature header's value for a body. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `header` is the signature of `body` under `secret` (constant-time compare). For receivers. */
export function verifyWebhookSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signWebhookBody(secret, body.toString()));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Statuses after which retrying cannot help until someone fixes the receiver (or its secret). */
const PERMANENT = new Set([400, 401, 403, 404, 405, 410, 413, 422]);

/** POSTs a signed event; throws DeliveryError unless the receiver answers 2xx. */
export async function postWebhook(
  url: string,
  secret: string,
  input: { event: string; deliveryId: string; body: unknown },
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<void> {
  const body = JSON.stringify(input.body);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Netra-Webhook/1',
        'x-netra-event': input.event,
        'x-netra-delivery': input.deliveryId,
        'x-netra-signature': signWebhookBody(secret, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new DeliveryError(`webhook unreachable: ${error instanceof Error ? error.message : String(error)}`, false);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  throw new DeliveryError(
    `webhook answered HTTP ${response.status}`,
    PERMANENT.has(response.status),
    response.status,
    response.status === 429 && Number.isFinite(retryAfter) ? retryAfter * 1_000 : undefined,
  );
}
