/**
 * Peak resident memory of Lockstep processes while a drill runs, sampled from /proc every 250 ms:
 * each process itself, and the sum of the sandbox processes under it (their memory is not the
 * worker's, but it is what a worker host must hold).
 */
const { clearInterval, setInterval } = require('node:timers');
const { descendants, rssKb } = require('./proc');

const SAMPLE_MS = 250;

class RssSampler {
  /** `processes`: ManagedProcess instances (name, pid). */
  constructor(processes) {
    this.processes = processes;
    this.peaks = new Map(processes.map((process) => [process.name, { ownKb: 0, sandboxesKb: 0 }]));
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample() {
    for (const process of this.processes) {
      const peak = this.peaks.get(process.name);
      peak.ownKb = Math.max(peak.ownKb, rssKb(process.pid));
      const sandboxes = descendants(process.pid).reduce((sum, stat) => sum + rssKb(stat.pid), 0);
      peak.sandboxesKb = Math.max(peak.sandboxesKb, sandboxes);
    }
  }

  stop() {
    clearInterval(this.timer);
  }

  /** "api 180 MB, worker-1 150 MB (+ sandboxes 400 MB)". */
  describe() {
    const mb = (kb) => `${Math.round(kb / 1024)} MB`;
    return [...this.peaks]
      .map(
        ([name, peak]) =>
          `${name} ${mb(peak.ownKb)}${peak.sandboxesKb ? ` (+ sandboxes ${mb(peak.sandboxesKb)})` : ''}`,
      )
      .join(', ');
  }
}

module.exports = { RssSampler };
