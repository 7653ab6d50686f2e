/** `netra chat [--as NAME]`: the terminal chat on the configured store (embedded PGlite by default). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app.ts';
import { runTerminalChat } from '../channels/terminal/terminalChat.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { as: { type: 'string' } } });
  const config = loadConfig();
  // The chat owns the terminal: in an interactive chat, log lines (warnings and errors unless LOG_LEVEL asks for
  // more) go to a file in the data directory instead of between the messages; a scripted chat keeps them on stderr.
  const logFile = process.stdin.isTTY ? path.join(path.resolve(config.NETRA_DATA_DIR), 'chat.log') : undefined;
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', logFile);
  if (logFile) {
    const relative = path.relative(process.cwd(), logFile);
    process.stderr.write(`Log: ${relative.startsWith('..') ? logFile : relative}\n`);
  }
  const app = await createApp(config, { logger });
  try {
    await runTerminalChat(app, values.as ? { user: values.as } : {});
  } finally {
    await app.close();
  }
  return 0;
}
