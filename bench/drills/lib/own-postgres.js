/**
 * A throwaway Postgres cluster of the drill's own (initdb + pg_ctl of /usr/lib/postgresql/15 in a
 * temporary folder, on a free loopback port), never the machine's shared one on 5432. Postgres
 * refuses to run as root, so as root the cluster belongs to the `postgres` system user (runuser).
 * The cluster is stopped and deleted at the end of the drill, whatever happened.
 */
const { execFile } = require('node:child_process');
const { chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { freePort } = require('./ports');

const PG_BIN = process.env.LOCKSTEP_DRILL_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'postgres';
const COMMAND_TIMEOUT_MS = 90_000;

class OwnPostgres {
  constructor(drill, port, dir) {
    this.drill = drill;
    this.port = port;
    this.dir = dir;
    this.dataDir = path.join(dir, 'data');
    this.logFile = path.join(dir, 'postgres.log');
    this.url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  }

  /** Runs a Postgres program as the cluster's owner, bounded in time. */
  async run(program, args) {
    const command = path.join(PG_BIN, program);
    const asOwner =
      process.getuid?.() === 0 ? ['runuser', ['-u', PG_USER, '--', command, ...args]] : [command, args];
    const { stdout } = await promisify(execFile)(asOwner[0], asOwner[1], {
      timeout: COMMAND_TIMEOUT_MS,
      cwd: this.dir,
    });
    return stdout;
  }

  async init() {
    await this.run('initdb', ['-D', this.dataDir, '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--no-sync']);
  }

  async start() {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
    await this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  }

  /** `fast`: what `systemctl stop postgresql` does (clients disconnected, a clean checkpoint). */
  async stop(mode = 'fast') {
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** For the end of the drill: an immediate stop, or failing that SIGQUIT to the postmaster. */
  async destroy() {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      await this.stop('immediate').catch(() => {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      });
    }
    if (existsSync(this.logFile)) copyFileSync(this.logFile, path.join(this.drill.dir, 'postgres.log'));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startOwnPostgres(drill) {
  if (!existsSync(path.join(PG_BIN, 'initdb')))
    throw new Error(`no initdb in ${PG_BIN}; set LOCKSTEP_DRILL_PG_BIN to the Postgres 15+ bin folder`);
  // Its own folder, not the drill's: the postgres user must own it and the drill's folder is root's 0700.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-drill-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const postgres = new OwnPostgres(drill, await freePort(), dir);
  drill.defer('delete own postgres', () => postgres.destroy());
  await postgres.init();
  await postgres.start();
  drill.log(`own postgres cluster on port ${postgres.port} in ${dir}`);
  return postgres;
}

function postgresUser() {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${PG_USER}:`));
  if (!line)
    throw new Error(`running as root, Postgres needs a non-root owner and there is no "${PG_USER}" user`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

module.exports = { startOwnPostgres };
