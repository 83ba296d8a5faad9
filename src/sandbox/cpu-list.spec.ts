import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedCpus, formatCpuList, parseCpuList } from './cpu-list';

describe('CPU lists', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0-2,5,7-8', [0, 1, 2, 5, 7, 8]],
    [' 3,1 ', [1, 3]],
  ])('parses %j', (text, cpus) => {
    expect(parseCpuList(text)).toEqual(cpus);
  });

  it('refuses what is not a CPU list', () => {
    expect(() => parseCpuList('0-a')).toThrow("not a CPU list: '0-a'");
  });

  it.each([
    [[0], '0'],
    [[0, 1], '0-1'],
    [[5, 0, 1, 2, 7, 8], '0-2,5,7-8'],
  ])('formats %j as %j', (cpus, text) => {
    expect(formatCpuList(cpus)).toBe(text);
  });

  it('reads the cores this process may run on from its status file', () => {
    const status = join(mkdtempSync(join(tmpdir(), 'lockstep-cpus-')), 'status');
    writeFileSync(status, 'Name:\tnode\nCpus_allowed:\t0c\nCpus_allowed_list:\t2-3\n');
    expect(allowedCpus(status)).toEqual([2, 3]);
  });

  it('falls back to the core count without a status file', () => {
    expect(allowedCpus('/nonexistent')).toHaveLength(Math.max(1, availableParallelism()));
  });
});
