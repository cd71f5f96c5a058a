// Next's rules (React, hooks, accessibility, Core Web Vitals) with typescript-eslint's recommended set.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `_`-prefixed names are deliberate (an unused parameter kept for a signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  { ignores: ['node_modules/**', '.next/**', 'server/generated/**', 'next-env.d.ts', '.pixeldrive/**', 'test-results/**', 'playwright-report/**'] },
];

export default config;
