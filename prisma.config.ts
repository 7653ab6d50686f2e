// Prisma CLI configuration: the Rust-free client and a driver adapter, so no engine binary is ever downloaded.
// The CLI is only needed to generate the client and to author migrations (`prisma migrate diff`); Netra applies
// migrations itself (bot/store/migrate.ts) so that PGlite and PostgreSQL get exactly the same treatment.
import { defineConfig } from 'prisma/config';

process.env.DATABASE_URL ??= 'postgresql://localhost:5432/netra';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true });
  },
});
