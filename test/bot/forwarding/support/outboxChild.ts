/**
 * One worker process for the multi-process outbox test: drains the outbox of the database given as argument,
 * recording each delivery (row id and this process's PID) in the test's `test_delivery` table.
 */
import { pino } from 'pino';
import { OutboxWorker } from '../../../../bot/forwarding/outboxWorker.ts';
import { openStore } from '../../../../bot/store/store.ts';

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: outboxChild.ts <databaseUrl>');
const store = await openStore({ databaseUrl, migrate: false, poolSize: 3 });
const worker = new OutboxWorker({
  store,
  logger: pino({ level: 'silent' }),
  maxAttempts: 5,
  batchSize: 5,
  handlers: {
    'test.deliver': async (item) => {
      await store.prisma.$executeRawUnsafe(`INSERT INTO test_delivery (outbox_id, pid) VALUES ($1, $2)`, item.id, process.pid);
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
  },
});
await worker.drain(1_000);
await store.close();
