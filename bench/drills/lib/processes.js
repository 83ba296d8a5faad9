/**
 * Processes a drill starts: each in a process group of its own (so its sandbox children, even
 * orphaned ones, can be found and stopped with it), its output in a log file under the drill's
 * folder, the tail kept in memory to wait for a start-up line. Every process is stopped at the end
 * of the drill, group included, whatever happened.
 */
const { spawn } = require('node:child_process');
const { createWriteStream } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const { HangError } = require('./drill');

const OUTPUT_TAIL_CHARS = 64_000;

class ManagedProcess {
  constructor(drill, { name, command, args, env, cwd }) {
    if (drill.closing) throw new Error(`not starting ${name}: the drill is ending`);
    this.drill = drill;
    this.name = name;
    this.logFile = path.join(drill.dir, `${name}.log`);
    this.child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.output = '';
    /** Lines printed so far, to tell whether the process logged anything during a fault. */
    this.lines = 0;
    this.exitInfo = null;
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const keep = (chunk) => {
      log.write(chunk);
      this.output = (this.output + chunk).slice(-OUTPUT_TAIL_CHARS);
      this.lines += chunk.toString('utf8').split('\n').length - 1;
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.exitInfo ??= { code: null, signal: null, error: error.message };
        resolve(this.exitInfo);
      });
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        log.end();
        resolve(this.exitInfo);
      });
    });
    // Whatever else happens, the process and anything left in its group go at the end of the drill.
    drill.defer(`stop ${name}`, () => this.killGroup());
  }

  get alive() {
    return this.exitInfo === null;
  }

  /** Resolves once a line of the output matches; a HangError after `timeoutMs`, an error if it exits. */
  async waitForOutput(pattern, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.alive)
        throw new Error(`${this.name} exited (${describeExit(this.exitInfo)}) before printing ${pattern}`);
      if (performance.now() > deadline) throw new HangError(`${this.name} printing ${pattern}`, timeoutMs);
      await sleep(100);
    }
  }

  /** Signals the process itself (not its group): a SIGKILL here leaves its children to the kernel. */
  signal(signal) {
    if (this.alive) this.child.kill(signal);
  }

  /** Waits for the exit at most `timeoutMs`; true if it exited. */
  async waitForExit(timeoutMs) {
    const timedOut = Symbol('timed out');
    const result = await Promise.race([this.exited, sleep(timeoutMs, timedOut)]);
    return result !== timedOut;
  }

  /**
   * A graceful stop: `signal`, then up to `timeoutMs` for the exit. Returns how long it took, or
   * null if the process had to be killed.
   */
  async stop({ signal = 'SIGTERM', timeoutMs = 30_000 } = {}) {
    const started = performance.now();
    this.signal(signal);
    const exited = await this.waitForExit(timeoutMs);
    if (!exited) await this.killGroup();
    return exited ? performance.now() - started : null;
  }

  /** SIGKILL to the whole process group, the leader included; waits for the leader's exit. */
  async killGroup() {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // nothing of the group is left
    }
    await this.waitForExit(10_000);
  }
}

function describeExit(info) {
  if (!info) return 'running';
  if (info.error) return info.error;
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
}

function startProcess(drill, options) {
  return new ManagedProcess(drill, options);
}

module.exports = { describeExit, ManagedProcess, startProcess };
