import { SourceMapConsumer } from 'source-map-js';
import type { SourceLocation } from '../grading/grade-report';

/** The file name the isolate gives the transpiled submission, so its stack frames can be found. */
export const SANDBOXED_SCRIPT_URL = 'file:///sandbox/solution.js';

const FRAME_IN_SUBMISSION = new RegExp(`${escapeRegExp(SANDBOXED_SCRIPT_URL)}:(\\d+):(\\d+)`);

/** Maps positions in the transpiled script back to the student's own solution.ts. */
export class SubmissionSourceMap {
  private consumer: SourceMapConsumer | undefined;

  constructor(private readonly rawMap: string) {}

  /** `line` and `column` are 1-based positions in the generated JavaScript (as V8 prints them). */
  originalPosition(line: number, column: number): SourceLocation | undefined {
    if (!this.rawMap) return undefined;
    this.consumer ??= new SourceMapConsumer(JSON.parse(this.rawMap));
    const original = this.consumer.originalPositionFor({
      line,
      column: column - 1,
      bias: SourceMapConsumer.GREATEST_LOWER_BOUND,
    });
    if (original.line === null) return undefined;
    return { line: original.line, column: (original.column ?? 0) + 1 };
  }

  /** The student's position of the innermost stack frame that lies in their file. */
  locateStack(stack: string | undefined): SourceLocation | undefined {
    const match = stack?.match(FRAME_IN_SUBMISSION);
    if (!match) return undefined;
    return this.originalPosition(Number(match[1]), Number(match[2]));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
