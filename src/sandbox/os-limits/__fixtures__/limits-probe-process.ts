/**
 * Stands in for a sandbox process in the OS-limit tests and tries, outside any isolate, what the
 * limits must stop: a TCP connection, a spawn loop, an allocation past the memory limit; or blocks
 * its main thread for good, so only the parent-death signal can end it once orphaned. Speaks
 * just enough of the sandbox protocol for a SandboxPool: a `grade` job makes it allocate until killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export type ProbeRequest =
  | { type: 'connect'; port: number }
  | { type: 'spawn-loop'; max: number }
  | { type: 'grade' }
  | { type: 'block' };
export type ProbeReply = { type: 'connect'; outcome: string } | { type: 'spawn-loop'; spawned: number };

const send = (message: ProbeReply | { type: 'ready' }) => process.send?.(message);

function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function spawnLoop(max: number): Promise<number> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < max; i++) {
    const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
    child.on('error', () => undefined);
    if (child.pid === undefined) break;
    children.push(child);
  }
  for (const child of children) child.kill('SIGKILL');
  return children.length;
}

function allocateForever(): void {
  const held: Buffer[] = [];
  // fill() touches every page, so the memory is really used, not just reserved.
  setInterval(() => held.push(Buffer.alloc(16 * 1024 * 1024).fill(1)), 1);
}

process.on('message', async (request: ProbeRequest) => {
  if (request.type === 'connect') send({ type: 'connect', outcome: await tryConnect(request.port) });
  if (request.type === 'spawn-loop') send({ type: 'spawn-loop', spawned: await spawnLoop(request.max) });
  if (request.type === 'grade') allocateForever();
  // The main thread never returns: no disconnect handler can run, only a signal ends the process.
  if (request.type === 'block') for (;;);
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
