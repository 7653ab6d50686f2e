/**
 * Netra's configuration: one zod schema over the environment, parsed once at startup. A wrong value stops
 * startup with a message naming the variable and what it expects. Every variable is documented in .env.example.
 */
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A duration like `48h`, `30m`, `7d` or a number of seconds. */
const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)?$/, 'a duration such as 30m, 48h or 7d')
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+/, '') || 's';
    const factor = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1_000;
    return n * factor;
  });

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL');

export const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  /** On PostgreSQL, also wait for the disk when a turn saves only its chat's state (see Store.relaxedQuery). */
  CHAT_STATE_SYNC_COMMIT: booleanFlag.default(false),
  /** On PostgreSQL, run raw statements as prepared statements (off for a pooler that cannot keep them). */
  DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
  NETRA_DATA_DIR: z.string().min(1).default('./data'),
  NETRA_SECRET: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, '32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  NETRA_DEFAULT_LOCALE: z.enum(['id', 'en']).default('id'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  /** The address the HTTP server listens on; unset: every interface. 127.0.0.1 behind a reverse proxy on the host. */
  HOST: z.string().min(1).optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'a token from BotFather such as 123456:ABC-DEF').optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters A-Z, a-z, 0-9, _ or -')
    .optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  /**
   * Bot API calls a second over all chats (the send queue's global pace). Telegram documents about 30 a second for
   * bulk notifications; a 429 is waited out and the call sent again, up to ten times a call (see the send queue).
   */
  TELEGRAM_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1_000).default(30),
  WHATSAPP_ENABLED: booleanFlag.default(false),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  WHATSAPP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(40),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().default('Netra <netra@localhost>'),
  /** Name of the body that reviews Bawaslu's recommendations on ASN (BKN since Aug 2024). */
  RECOMMENDATION_BODY: z.string().min(2).default('BKN'),
  ESCALATE_AFTER: duration.default(48 * 3_600_000),
  OUTBOX_DELIVERY_TIMEOUT: duration.default(2 * 60_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  /** `/healthz` reports forwarding as degraded once the oldest undelivered delivery to an office has waited this long. */
  OUTBOX_LAG_ALERT: duration.default(30 * 60_000),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  DRAFT_TTL_DAYS: z.coerce.number().int().min(1).default(7),
  /** Background workers (outbox delivery, reminders): `auto` runs them except under tests. */
  NETRA_WORKERS: z.enum(['auto', 'on', 'off']).default('auto'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  REPORTS_PER_DAY: z.coerce.number().int().min(1).default(5),
  /** Provinces (`19`) and regencies (`32.01`), comma-separated, whose reports this deployment takes; unset: all. */
  NETRA_SERVED_AREA: z
    .string()
    .regex(/^\s*\d{2}(\.\d{2})?\s*(,\s*\d{2}(\.\d{2})?\s*)*$/, 'region codes separated by commas, such as 19 or 19,32.01')
    .transform((value) => value.split(',').map((code) => code.trim()))
    .optional(),
});

/** Parsed configuration. */
export type Config = z.infer<typeof envSchema>;

/** Raised when the environment does not fit the schema; its message lists every wrong variable. */
export class ConfigError extends Error {
  constructor(readonly issues: Array<{ variable: string; expected: string }>) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: expected ${i.expected}`).join('\n')}\n` +
        'See .env.example for every variable.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment (empty strings count as unset). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), expected: issue.message })),
    );
  }
  return parsed.data;
}
