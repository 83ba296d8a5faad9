/**
 * What Linux's /proc says about processes: parents, process groups, start times (a pid alone may be
 * reused, pid + start time may not), CPU time and resident memory. Drills use it to follow the
 * sandbox processes a worker forked, and to measure instead of trusting a process's own word.
 */
const { readFileSync, readdirSync, readlinkSync } = require('node:fs');

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** One /proc/<pid>/stat, or null once the process is gone. Fields are counted after the ")" of comm. */
function readStat(pid) {
  return parseStat(`/proc/${pid}/stat`, pid);
}

function parseStat(file, pid) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    cpuS: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S,
    startTime: fields[19],
  };
}

function allPids() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Every live descendant of `pid` (children, their children, ...), from one pass over /proc. */
function descendants(pid) {
  const children = new Map();
  for (const stat of allPids().map(readStat)) {
    if (!stat || stat.state === 'Z') continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(stat);
  }
  const found = [];
  const visit = (parent) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child.pid);
    }
  };
  visit(pid);
  return found;
}

/** Each thread of a process (its tasks): state and CPU seconds, by thread id; empty once it is gone. */
function threads(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return new Map();
  }
  const found = new Map();
  for (const tid of tids) {
    const stat = parseStat(`/proc/${pid}/task/${tid}/stat`, Number(tid));
    if (stat) found.set(stat.pid, stat);
  }
  return found;
}

/** The kernel function a sleeping thread waits in ("futex_do_wait", "do_epoll_wait"), '' if unknown. */
function waitChannel(pid, tid) {
  try {
    const name = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8').trim();
    return name === '0' ? '' : name;
  } catch {
    return '';
  }
}

/** The command line of a process, for messages ("node ... sandbox-process.js"); '' once it is gone. */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Whether the process that had this pid and start time still runs (a zombie counts as gone). */
function isAlive(identity) {
  const stat = readStat(identity.pid);
  return stat !== null && stat.startTime === identity.startTime && stat.state !== 'Z';
}

/** SIGKILL for a process known by pid and start time, never for whoever has the pid now. */
function killIdentity(identity) {
  if (!isAlive(identity)) return false;
  try {
    process.kill(identity.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** Resident memory in KiB (VmRSS), or 0 once the process is gone. */
function rssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Paths of the Unix sockets `pid` has open (from its fds and /proc/net/unix), e.g. PGlite's socket. */
function unixSocketPaths(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]);
      } catch {
        // the fd closed while we looked
      }
    }
  } catch {
    return [];
  }
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8 && inodes.has(fields[6]))
    .map((fields) => fields[7]);
}

module.exports = {
  commandLine,
  descendants,
  isAlive,
  killIdentity,
  readStat,
  rssKb,
  threads,
  unixSocketPaths,
  waitChannel,
};
