import { join } from 'node:path';
import { gradeInProcess, knownBadVariants } from '../lib/testing/in-process-grading';
it('prints', async () => {
  const slug = process.env.SLUG ?? 'fetch-all';
  const dir = join(__dirname, '..', '..', 'exercises', slug);
  const out: string[] = [];
  for (const p of [{ file: 'solution.ts', path: join(dir, 'solution.ts') }, ...knownBadVariants(dir)]) {
    const r = await gradeInProcess(dir, p.path, 'seed-3');
    out.push(`== ${p.file}`, ...r.map((c) => `  ${c.status.padEnd(7)} ${c.id}: ${c.message}`));
  }
  console.log(out.join('\n'));
});
