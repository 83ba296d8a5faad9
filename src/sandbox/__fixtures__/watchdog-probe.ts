/**
 * A process with nothing but the sandbox watchdog: once asked, it blocks its main thread for good,
 * as a synchronous isolate call would, so no disconnect handler can run and only the watchdog
 * thread can notice that its parent is gone. Speaks the limits probe's `block` request.
 */
import { SandboxMemoryCeiling } from '../sandbox-memory-ceiling';
import { SandboxWatchdog } from '../sandbox-watchdog';

new SandboxWatchdog(process.ppid, new SandboxMemoryCeiling());
process.on('message', (request: { type: string }) => {
  if (request.type === 'block') for (;;);
});
process.send?.({ type: 'ready' });
