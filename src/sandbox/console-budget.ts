/** The console output one grading job may keep; shared by every scenario so a flood spread over runs is caught too. */
export class ConsoleBudget {
  readonly lines: string[] = [];
  private usedBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Keeps the line and returns true, or returns false once the job's output would pass the limit. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (this.usedBytes + bytes > this.maxBytes) return false;
    this.usedBytes += bytes;
    this.lines.push(line);
    return true;
  }
}
