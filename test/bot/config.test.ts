import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.ts';

describe('the configuration', () => {
  it('needs nothing to run on the embedded database', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.NETRA_DATA_DIR).toBe('./data');
    expect(config.RECOMMENDATION_BODY).toBe('BKN');
    expect(config.ESCALATE_AFTER).toBe(48 * 3_600_000);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });

  it('stops on a wrong value with a message naming the variable and what it expects', () => {
    const attempt = () => loadConfig({ DATABASE_URL: 'mysql://x', NETRA_SECRET: 'short', PORT: 'eighty' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL: expected a postgresql:// connection URL');
      expect(message).toContain('NETRA_SECRET: expected 32 random bytes in base64');
      expect(message).toContain('PORT');
    }
  });

  it('paces Telegram at 30 calls a second unless told otherwise, and refuses a pace outside 1 to 1,000', () => {
    expect(loadConfig({}).TELEGRAM_MESSAGES_PER_SECOND).toBe(30);
    expect(loadConfig({ TELEGRAM_MESSAGES_PER_SECOND: '200' }).TELEGRAM_MESSAGES_PER_SECOND).toBe(200);
    for (const wrong of ['0', '1001', 'fast', '2.5']) {
      expect(() => loadConfig({ TELEGRAM_MESSAGES_PER_SECOND: wrong })).toThrow(/TELEGRAM_MESSAGES_PER_SECOND/);
    }
  });

  it('reads durations such as 30m and 7d', () => {
    expect(loadConfig({ ESCALATE_AFTER: '30m' }).ESCALATE_AFTER).toBe(1_800_000);
    expect(loadConfig({ ESCALATE_AFTER: '7d' }).ESCALATE_AFTER).toBe(604_800_000);
    expect(() => loadConfig({ ESCALATE_AFTER: 'soon' })).toThrow(/ESCALATE_AFTER/);
  });
});
