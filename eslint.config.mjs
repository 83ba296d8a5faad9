import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', '.lockstep/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Every context that runs submission code first loses what isolated-vm's memory limit does not count
    // (resizable buffers, WebAssembly): contexts are made only by src/sandbox/new-sandbox-context.ts.
    files: ['src/**/*.ts', 'graders/**/*.ts'],
    ignores: ['src/sandbox/new-sandbox-context.ts', '**/__fixtures__/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^createContext(Sync)?$/]',
          message:
            'Make sandbox contexts with newSandboxContext/newSandboxContextSync (src/sandbox/new-sandbox-context.ts).',
        },
      ],
    },
  },
  {
    // Student code (reference solutions, starters, known-bad variants) is graded, not linted.
    ignores: ['exercises/**'],
  },
);
