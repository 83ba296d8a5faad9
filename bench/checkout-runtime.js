/**
 * Which checkout a bench grades with, and on which runtime. A bench that takes `--root DIR` loads
 * that checkout's dist/ (and so its node_modules: isolated-vm resolves from the compiled files), so
 * one bench file in this repository can measure another build, such as the old runtime's checkout,
 * which cannot be changed. Run it with that checkout's Node.
 */
const { createRequire } = require('node:module');
const { join, resolve } = require('node:path');

/** `--root DIR` (or `--root=DIR`) from the arguments; default: this repository. */
function checkoutRoot(args) {
  const at = args.findIndex((arg) => arg === '--root' || arg.startsWith('--root='));
  if (at === -1) return resolve(__dirname, '..');
  return resolve(args[at].includes('=') ? args[at].slice('--root='.length) : args[at + 1]);
}

/** The Node running this process and the isolated-vm the checkout's compiled sandbox loads. */
function runtimeVersions(root) {
  // Resolved from a compiled sandbox file, as the sandbox itself resolves it.
  const fromSandbox = createRequire(join(root, 'dist', 'src', 'sandbox', 'grading-isolate.js'));
  return {
    node: process.version,
    v8: process.versions.v8,
    isolatedVm: fromSandbox('isolated-vm/package.json').version,
  };
}

module.exports = { checkoutRoot, runtimeVersions };
