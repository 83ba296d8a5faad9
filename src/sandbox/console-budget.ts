import type { HiddenConsoleRange } from '../grading/grade-report';

/** The console output one grading job may keep; shared by every scenario so a flood spread over runs is caught too. */
export class ConsoleBudget {
  readonly lines: string[] = [];
  /** Which of `lines` were printed while a hidden check's runs ran: staff see them, students do not. */
  readonly hiddenRanges: HiddenConsoleRange[] = [];
  /** The hidden check whose runs are running now (GraderContext.hiddenCheck), or null. */
  hiddenCheck: string | null = null;
  private usedBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Keeps the line and returns true, or returns false once the job's output would pass the limit. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (this.usedBytes + bytes > this.maxBytes) return false;
    this.usedBytes += bytes;
    this.lines.push(line);
    if (this.hiddenCheck !== null) this.tagLastLine(this.hiddenCheck);
    return true;
  }

  private tagLastLine(check: string): void {
    const index = this.lines.length - 1;
    const last = this.hiddenRanges.at(-1);
    if (last && last.check === check && last.end === index) last.end = index + 1;
    else this.hiddenRanges.push({ check, start: index, end: index + 1 });
  }
}
