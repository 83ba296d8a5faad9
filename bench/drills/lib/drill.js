/**
 * The frame every drill runs in: a scratch folder (logs, databases), a stack of cleanup steps that
 * runs once whatever happens (success, failure, an exception, SIGINT/SIGTERM, the drill's own time
 * limit), bounded waits, and the one summary line that ends the drill with its exit code.
 * The scratch folder is deleted when the drill passes, unless LOCKSTEP_DRILL_KEEP_LOGS=1.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { clearTimeout, setTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { formatSummary } = require('./summary');

/** A bounded wait ran out: the drill reports it as a hang instead of hanging itself. */
class HangError extends Error {
  constructor(what, ms) {
    super(`hang: ${what} did not happen within ${(ms / 1000).toFixed(0)} s`);
    this.name = 'HangError';
  }
}

class Drill {
  constructor(name) {
    this.name = name;
    this.dir = mkdtempSync(path.join(os.tmpdir(), `lockstep-drill-${name}-`));
    this.startedAt = performance.now();
    /** Why the drill failed; empty means it passed. */
    this.failures = [];
    /** Extra figures for the summary line, in insertion order. */
    this.figures = new Map();
    this.cleanups = [];
    this.cleaning = null;
    /** Set once cleanup starts: nothing new may be started then. */
    this.closing = false;
  }

  /** Seconds since the drill started, for log lines and timelines. */
  elapsedS() {
    return (performance.now() - this.startedAt) / 1000;
  }

  log(message) {
    console.log(`[${this.name} ${this.elapsedS().toFixed(1).padStart(6)} s] ${message}`);
  }

  fail(reason) {
    this.failures.push(reason);
    this.log(`FAILURE: ${reason}`);
  }

  expect(condition, reason) {
    if (!condition) this.fail(reason);
    return condition;
  }

  figure(name, value) {
    this.figures.set(name, value);
  }

  /** A step for the end of the drill; steps run last-in first-out, each once, errors logged only. */
  defer(label, step) {
    this.cleanups.push({ label, step });
  }

  /**
   * Polls `probe` every `intervalMs` until it returns a value other than undefined/false; throws a
   * HangError after `timeoutMs`. Errors of the probe count as "not yet" (a service may be down).
   */
  async waitFor(what, probe, { timeoutMs, intervalMs = 250 }) {
    const deadline = performance.now() + timeoutMs;
    let lastError;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        lastError = error;
      }
      if (performance.now() > deadline) {
        const hang = new HangError(what, timeoutMs);
        if (lastError) hang.message += ` (last error: ${lastError.message})`;
        throw hang;
      }
      await sleep(intervalMs);
    }
  }

  /** Runs every deferred step, newest first, including steps deferred while it runs. */
  async cleanUp() {
    this.closing = true;
    this.cleaning ??= (async () => {
      for (let next = this.cleanups.pop(); next; next = this.cleanups.pop()) {
        try {
          await next.step();
        } catch (error) {
          console.error(`[${this.name}] cleanup (${next.label}) failed: ${error.message}`);
        }
      }
    })();
    return this.cleaning;
  }
}

/**
 * Runs `body(drill)`, which returns the counts for the summary line. The drill fails on any recorded
 * failure, an exception, or running past `timeoutS`; it always cleans up, and keeps its scratch
 * folder (logs) only when it failed.
 */
async function runDrill({ name, timeoutS, body }) {
  const drill = new Drill(name);
  let counts = {};
  let finished = false;
  const finish = async (exitCode) => {
    if (finished) return;
    finished = true;
    await drill.cleanUp();
    const failed = exitCode !== 0 || drill.failures.length > 0;
    if (failed || process.env.LOCKSTEP_DRILL_KEEP_LOGS === '1')
      console.log(`[${name}] logs kept in ${drill.dir}`);
    else rmSync(drill.dir, { recursive: true, force: true });
    console.log(formatSummary(drill, counts, failed));
    process.exit(failed ? exitCode || 1 : 0);
  };
  // A second signal (the terminal's and the runner's forwarded one) must not cut the cleanup short.
  const interrupt = (signal) => {
    if (finished) return;
    drill.fail(`interrupted by ${signal}`);
    void finish(130);
  };
  process.on('SIGINT', () => interrupt('SIGINT'));
  process.on('SIGTERM', () => interrupt('SIGTERM'));
  process.on('uncaughtException', (error) => {
    drill.fail(`uncaught exception: ${error.stack ?? error.message}`);
    void finish(1);
  });
  const watchdog = setTimeout(() => {
    drill.fail(`hang: the drill ran past its own limit of ${timeoutS} s`);
    void finish(1);
  }, timeoutS * 1000);
  drill.log(`scratch folder ${drill.dir}`);
  try {
    counts = (await body(drill)) ?? {};
    await finish(0);
  } catch (error) {
    drill.fail(error instanceof HangError ? error.message : `error: ${error.stack ?? error.message}`);
    await finish(1);
  } finally {
    clearTimeout(watchdog);
  }
}

module.exports = { Drill, HangError, runDrill, sleep };
