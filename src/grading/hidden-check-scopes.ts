import type { CheckDefinition } from '../exercises/exercise-definition';
import type { ConsoleBudget } from '../sandbox/console-budget';
import { isSandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import type { CheckResult, FatalStatus, HiddenFailureKind } from './grade-report';
import { worseEnd, type RunEnd } from './hidden-run-ends';

/**
 * When a hidden check's runs happen (GraderContext.hiddenCheck), and what they ended with. The
 * console tags the lines printed meanwhile; the grading context tags a fatal verdict raised
 * meanwhile; this keeps how the runs ended, for the kind of failure students are shown.
 */
export class HiddenCheckScopes {
  private readonly hiddenIds: ReadonlySet<string>;
  private open: string | null = null;
  private readonly ends = new Map<string, RunEnd | null>();
  /** The hidden check a grader error (not a verdict) was thrown out of: its message may name the inputs. */
  graderErrorIn: string | undefined;

  constructor(
    definitions: readonly CheckDefinition[],
    private readonly console: ConsoleBudget,
  ) {
    this.hiddenIds = new Set(definitions.filter((check) => check.hidden).map((check) => check.id));
  }

  /** The hidden check whose runs are running now, or null. */
  get current(): string | null {
    return this.open;
  }

  async run<T>(checkId: string, body: () => Promise<T>): Promise<T> {
    // Grader bugs, never the student's: they end grading as internal_error.
    if (!this.hiddenIds.has(checkId))
      throw new Error(`grader bug: hiddenCheck('${checkId}'), which exercise.json does not declare hidden`);
    if (this.open !== null)
      throw new Error(`grader bug: hiddenCheck('${checkId}') inside hiddenCheck('${this.open}')`);
    this.open = checkId;
    this.console.hiddenCheck = checkId;
    try {
      return await body();
    } catch (error) {
      if (!isSandboxVerdictError(error)) this.graderErrorIn ??= checkId;
      throw error;
    } finally {
      this.open = null;
      this.console.hiddenCheck = null;
    }
  }

  /** How a run ended; kept for the hidden check whose scope is open (runs outside any are not hidden). */
  noteRunEnd(end: RunEnd | null): void {
    if (this.open === null) return;
    this.ends.set(this.open, worseEnd(this.ends.get(this.open) ?? null, end));
  }

  /**
   * Adds `failureKind` to each hidden check that failed, or whose runs ended grading (`fatal`): how it
   * ended, which is what students are shown of it.
   */
  withFailureKinds(
    checks: CheckResult[],
    fatal: { status: FatalStatus; hiddenCheck?: string } | undefined,
  ): CheckResult[] {
    return checks.map((check) => {
      if (!check.hidden) return check;
      // A compile error ends grading before any check runs: never inside a hidden check.
      if (fatal?.hiddenCheck === check.id)
        return { ...check, failureKind: fatal.status === 'compile_error' ? 'internal_error' : fatal.status };
      if (check.status !== 'failed') return check;
      const kind: HiddenFailureKind = this.ends.get(check.id) ?? 'wrong_result';
      return { ...check, failureKind: kind };
    });
  }
}
