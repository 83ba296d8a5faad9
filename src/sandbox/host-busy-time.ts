import { readFileSync } from 'node:fs';

/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every mainstream kernel build. */
const MS_PER_TICK = 10;

export interface HostBusySample {
  processCpuUs: number;
  /** Busy and total ticks over all cores, or null where /proc/stat cannot be read. */
  machine: { busyTicks: number; cores: number } | null;
}

/** How busy the host was over a run: this process's CPU and the whole machine's busy CPU time. */
export interface HostBusyTime {
  processCpuMs: number;
  /** All cores' busy time (not idle, not waiting for I/O); this process's CPU when /proc/stat is unavailable. */
  systemBusyMs: number;
  cores: number;
}

export function sampleHostBusy(): HostBusySample {
  const usage = process.cpuUsage();
  return { processCpuUs: usage.user + usage.system, machine: readMachineTicks() };
}

export function hostBusySince(start: HostBusySample, end: HostBusySample = sampleHostBusy()): HostBusyTime {
  const processCpuMs = (end.processCpuUs - start.processCpuUs) / 1000;
  if (!start.machine || !end.machine)
    return { processCpuMs, systemBusyMs: processCpuMs, cores: end.machine?.cores ?? 1 };
  return {
    processCpuMs,
    systemBusyMs: (end.machine.busyTicks - start.machine.busyTicks) * MS_PER_TICK,
    cores: end.machine.cores,
  };
}

/** The first line of /proc/stat sums all cores: user nice system idle iowait irq softirq steal ... */
function readMachineTicks(): HostBusySample['machine'] {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const fields = lines[0].trim().split(/\s+/).slice(1, 9).map(Number);
  if (lines[0].split(/\s+/)[0] !== 'cpu' || fields.length < 5 || fields.some((n) => !Number.isFinite(n)))
    return null;
  const [user, nice, system, , , irq = 0, softirq = 0, steal = 0] = fields;
  const cores = lines.filter((line) => /^cpu\d+\s/.test(line)).length;
  return { busyTicks: user + nice + system + irq + softirq + steal, cores: Math.max(1, cores) };
}
