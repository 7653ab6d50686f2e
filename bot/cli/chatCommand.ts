/** `netra chat [--as NAME]`: the terminal chat on the configured store (embedded PGlite by default). */
import { parseArgs } from 'node:util';
import { createApp } from '../app.ts';
import { runTerminalChat } from '../channels/terminal/terminalChat.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { as: { type: 'string' } } });
  const config = loadConfig();
  // The chat owns stdout; only warnings and errors go to stderr unless LOG_LEVEL asks for more.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const app = await createApp(config, { logger });
  try {
    await runTerminalChat(app, values.as ? { user: values.as } : {});
  } finally {
    await app.close();
  }
  return 0;
}
