/** `netra migrate`: applies pending migrations to the configured store, seeds the offices, and says what changed. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { seedOffices } from '../offices/officeSeed.ts';
import { openConfiguredStore } from '../store/store.ts';

export async function run(args: string[] = []): Promise<number> {
  parseArgs({ args, options: {} });
  const config = loadConfig();
  const store = await openConfiguredStore(config, { migrate: false });
  try {
    const applied = await store.migrate();
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
    const offices = await seedOffices(store.prisma);
    process.stdout.write(`Offices: ${offices} added or renamed.\n`);
  } finally {
    await store.close();
  }
  return 0;
}
