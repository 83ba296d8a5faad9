import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * CPU lists in the kernel's syntax ("0-3,6"), as cpuset.cpus, taskset --cpu-list and
 * /proc/<pid>/status use them.
 */

/** "0-2,5" -> [0, 1, 2, 5]; throws on anything else. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`not a CPU list: '${text}'`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** [0, 1, 2, 5] -> "0-2,5". */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

/**
 * The cores this process may run on: its affinity (a container's cpuset, a taskset by the
 * operator), not every core of the machine, since sandbox processes can only be pinned inside it.
 */
export function allowedCpus(statusFile = '/proc/self/status'): number[] {
  try {
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(statusFile, 'utf8'));
    if (line) return parseCpuList(line[1]);
  } catch {
    // Not Linux, or no /proc: fall back to the core count.
  }
  return Array.from({ length: Math.max(1, availableParallelism()) }, (_, cpu) => cpu);
}
