import type { CheckRecorder } from '../grader-api';

/**
 * Collects one check's verdicts over several cases. The first failure is recorded at once (a
 * fatal outcome in a later case must not lose it); a pass is recorded only after the last case.
 */
export type Verdict = { passed: true; message?: string } | { passed: false; message: string };

export const pass = (message?: string): Verdict => ({ passed: true, message });
export const fail = (message: string): Verdict => ({ passed: false, message });

export class CheckTally {
  private readonly failed = new Set<string>();
  private readonly passMessages = new Map<string, string[]>();
  private readonly notJudged = new Map<string, string>();

  constructor(private readonly recorder: CheckRecorder) {}

  /** Records the verdict of one case; `caseLabel` prefixes its message, e.g. "case 2 of 4 (9 urls, limit 2)". */
  record(checkId: string, verdict: Verdict, caseLabel?: string): void {
    if (this.failed.has(checkId)) return;
    const message = verdict.message && caseLabel ? `${caseLabel}: ${verdict.message}` : verdict.message;
    if (!verdict.passed) {
      this.failed.add(checkId);
      this.recorder.fail(checkId, message ?? verdict.message);
      return;
    }
    const passMessages = this.passMessages.get(checkId) ?? [];
    this.passMessages.set(checkId, message ? [...passMessages, message] : passMessages);
  }

  /** Whether a case has failed the check already: later cases cannot change its verdict. */
  hasFailed(checkId: string): boolean {
    return this.failed.has(checkId);
  }

  /**
   * Notes that one case could not judge the check (its run never finished, say); `reason` says why.
   * A check that no case could judge fails at `finish` with the first reason: it never showed it holds.
   */
  skip(checkId: string, reason: string, caseLabel?: string): void {
    if (!this.notJudged.has(checkId))
      this.notJudged.set(checkId, caseLabel ? `${caseLabel}: ${reason}` : reason);
  }

  /** Records a pass for every check that was judged and never failed; a check never judged fails. */
  finish(): void {
    for (const [checkId, messages] of this.passMessages) {
      if (!this.failed.has(checkId))
        this.recorder.pass(checkId, messages.length > 0 ? messages.join('; ') : undefined);
    }
    for (const [checkId, reason] of this.notJudged) {
      if (!this.failed.has(checkId) && !this.passMessages.has(checkId)) {
        this.failed.add(checkId);
        this.recorder.fail(checkId, `could not be judged: ${reason}`);
      }
    }
  }
}
