// @ts-check
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message: 'Imports go one way: content <- flows <- bot. See GUIDE section 1.' })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'dist.partial/**', 'bot/store/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['content/**/*.ts'],
    rules: restrict(['**/flows/**', '**/bot/**', 'telegraf*', 'whatsapp-web.js', 'i18next', '@prisma/*', 'xstate']),
  },
  {
    files: ['flows/**/*.ts'],
    rules: restrict(['**/bot/**', 'telegraf*', 'whatsapp-web.js', 'i18next', '@prisma/*', 'pg', 'node:fs', 'node:fs/*', 'fs']),
  },
);
