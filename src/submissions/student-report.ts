import type { CheckResult, GradeReport, HiddenFailureKind } from '../grading/grade-report';

const KIND_WORDS: Record<HiddenFailureKind, string> = {
  wrong_result: 'wrong result',
  runtime_error: 'runtime error',
  deadlock: 'deadlock',
  timeout: 'timeout',
  memory_limit: 'memory limit',
  output_limit: 'output limit',
  internal_error: 'internal error',
};

/**
 * The report as a student may see it: of a hidden check, that it failed and how (its
 * `failureKind`), never its message; nothing its runs printed; and if grading ended inside one, the
 * status and the check but not the error's text or where it points. Each of those can name the
 * hidden inputs. Everything else, visible checks' messages included, is as stored.
 */
export function reportForStudent(report: GradeReport): GradeReport {
  const { hiddenConsole, console: lines, error, ...rest } = report;
  const shown: GradeReport = { ...rest, checks: report.checks.map(checkForStudent) };
  if (error) shown.error = error.hiddenCheck ? hiddenCheckError(report.status, error.hiddenCheck) : error;
  const visibleLines = withoutHiddenLines(lines ?? [], hiddenConsole ?? []);
  if (visibleLines.length > 0) shown.console = visibleLines;
  return shown;
}

function checkForStudent(check: CheckResult): CheckResult {
  return check.hidden ? { ...check, message: hiddenCheckMessage(check) } : check;
}

function hiddenCheckMessage(check: CheckResult): string {
  // Reports stored before failure kinds were kept say only that the check failed.
  const how = check.failureKind ? ` (${KIND_WORDS[check.failureKind]})` : '';
  if (check.status === 'failed') return `hidden check failed${how}`;
  if (check.status === 'skipped' && how) return `grading ended in this hidden check${how}`;
  return '';
}

function hiddenCheckError(status: GradeReport['status'], checkId: string): NonNullable<GradeReport['error']> {
  const how = KIND_WORDS[status as HiddenFailureKind] ?? status;
  return {
    message: `grading ended during the hidden check ${checkId} (${how}); what happened in it is shown to staff only`,
    hiddenCheck: checkId,
  };
}

function withoutHiddenLines(lines: string[], hidden: NonNullable<GradeReport['hiddenConsole']>): string[] {
  if (hidden.length === 0) return lines;
  const isHidden = new Array<boolean>(lines.length).fill(false);
  for (const range of hidden)
    for (let i = range.start; i < range.end && i < lines.length; i++) isHidden[i] = true;
  return lines.filter((_line, index) => !isHidden[index]);
}
