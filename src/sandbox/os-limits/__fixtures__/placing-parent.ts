/**
 * For the parent-death signal test: starts the limits probe exactly as the pool places a sandbox
 * process (only the parent-death signal of the OS limits, or none with argv[2] "no-setpriv"), makes
 * it block its main thread, and tells its own parent (the test) the probe's pid. The test then
 * SIGKILLs this process.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { SandboxOsLimits } from '../sandbox-os-limits';

export type PlacingParentMessage = { type: 'placed'; probePid: number };

if (require.main === module) {
  const limits = new SandboxOsLimits({
    mountsFile: '/nonexistent',
    unshareBinary: '/nonexistent',
    tasksetBinary: '/nonexistent',
    ...(process.argv[2] === 'no-setpriv' ? { setprivBinary: '/nonexistent' } : {}),
  });
  const probe = fork(join(__dirname, 'limits-probe-process.js'), [], {
    ...limits.placeProcess().command([]),
    env: {},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  probe.once('message', () => {
    probe.send({ type: 'block' });
    process.send?.({ type: 'placed', probePid: probe.pid! } satisfies PlacingParentMessage);
  });
}
