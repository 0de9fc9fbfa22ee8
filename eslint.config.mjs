// ESLint for the whole monorepo: the recommended JavaScript and TypeScript rules (syntax-level,
// no type information, so it stays fast enough to run on every `npm test`). Formatting is
// Prettier's job (.prettierrc.json); `npm run lint` runs both.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  [
    'console',
    'process',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'TextEncoder',
    'TextDecoder',
    'URL',
    'AbortController',
    'require',
    '__dirname',
    'globalThis',
    'performance',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/fixtures/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...nodeGlobals, module: 'writable' } },
    rules: {
      // a leading underscore marks what is unused on purpose (a field left out of a copy, say)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // `import x = require(...)` keeps the module object itself (bench/src/cold-open.ts patches it)
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    // the child-process scripts and the bin launcher are plain CommonJS, run by node as they are
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
