import type { CheckRecorder, GraderContext } from '../grader-api';
import type { Verdict } from './check-tally';

/**
 * Grades hidden check `checkId`: `judge` makes its runs inside the context's hidden scope (what they
 * print, a fatal outcome among them and how the check failed are kept from students), and its
 * verdict is recorded. What a hidden check runs and judges stays the grader's own.
 */
export async function gradeHiddenCheck(
  ctx: GraderContext,
  checks: CheckRecorder,
  checkId: string,
  judge: () => Promise<Verdict>,
): Promise<void> {
  const verdict = await ctx.hiddenCheck(checkId, judge);
  if (verdict.passed) checks.pass(checkId, verdict.message);
  else checks.fail(checkId, verdict.message);
}
