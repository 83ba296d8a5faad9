/**
 * A redis-server of the drill's own, on a free loopback port, never the machine's shared one. It
 * keeps an append-only file in the drill's folder (as BullMQ recommends in production), so a stop
 * and start is a restart of the same data, as an operator's restart would be.
 */
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const { freePort } = require('./ports');
const { startProcess } = require('./processes');

const READY_TIMEOUT_MS = 20_000;

class OwnRedis {
  constructor(drill, port) {
    this.drill = drill;
    this.port = port;
    this.dir = path.join(drill.dir, 'redis');
    this.url = `redis://127.0.0.1:${port}`;
    this.process = null;
    this.starts = 0;
    mkdirSync(this.dir, { recursive: true });
  }

  async start() {
    this.process = startProcess(this.drill, {
      name: `redis-${++this.starts}`,
      command: 'redis-server',
      args: [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
        ...['--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--protected-mode', 'yes'],
      ],
      env: process.env,
    });
    await this.process.waitForOutput(/Ready to accept connections/, READY_TIMEOUT_MS);
  }

  /** SIGTERM: Redis writes its append-only file and exits, as on `systemctl stop`. */
  async stop() {
    if (this.process?.alive) await this.process.stop({ signal: 'SIGTERM', timeoutMs: 15_000 });
  }
}

async function startOwnRedis(drill) {
  const redis = new OwnRedis(drill, await freePort());
  await redis.start();
  drill.log(`own redis on port ${redis.port}`);
  return redis;
}

module.exports = { startOwnRedis };
