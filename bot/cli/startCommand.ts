/** `netra start`: runs the configured channels and background workers until SIGTERM/SIGINT. */
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';

export async function run(): Promise<number> {
  const config = loadConfig();
  if (!config.TELEGRAM_BOT_TOKEN && !config.WHATSAPP_ENABLED) {
    process.stderr.write(
      'No channel is configured. Set TELEGRAM_BOT_TOKEN (see README: "Telegram") or WHATSAPP_ENABLED=true,\n' +
        'or try Netra in this terminal with: npm run chat\n',
    );
    return 2;
  }
  const app = await createApp(config);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await app.close();
  return 0;
}
