import type { CheckRecorder } from '../../graders/grader-api';
import type { CheckDefinition } from '../exercises/exercise-definition';
import type { CheckResult } from './grade-report';

/** A grader recorded a check its exercise.json does not declare: a bug in the grader, never the student's fault. */
export class UnknownCheckError extends Error {
  constructor(readonly checkId: string) {
    super(`grader bug: recorded check '${checkId}', which exercise.json does not declare`);
    this.name = 'UnknownCheckError';
  }
}

/**
 * The CheckRecorder handed to graders. A check may be recorded many times (once per case); it
 * passes only if every recording passed, and keeps the first failure's message as its evidence.
 */
export class CheckOutcomes implements CheckRecorder {
  private readonly outcomes = new Map<string, { passed: boolean; message: string }>();
  /** Kept even if the grader catches the throw, so a grader bug cannot go unnoticed. */
  unknownCheck: UnknownCheckError | undefined;

  constructor(private readonly definitions: readonly CheckDefinition[]) {}

  pass(checkId: string, message = ''): void {
    this.record(checkId, true, message);
  }

  fail(checkId: string, message: string): void {
    this.record(checkId, false, message);
  }

  results(): CheckResult[] {
    return this.definitions.map((definition) => {
      const outcome = this.outcomes.get(definition.id);
      const status = outcome ? (outcome.passed ? 'passed' : 'failed') : 'skipped';
      return {
        id: definition.id,
        name: definition.name,
        status,
        score: status === 'passed' ? definition.points : 0,
        maxScore: definition.points,
        message: outcome?.message ?? '',
        hidden: definition.hidden,
      };
    });
  }

  private record(checkId: string, passed: boolean, message: string): void {
    if (!this.definitions.some((definition) => definition.id === checkId)) {
      this.unknownCheck ??= new UnknownCheckError(checkId);
      throw this.unknownCheck;
    }
    const previous = this.outcomes.get(checkId);
    if (previous && !previous.passed) return;
    this.outcomes.set(checkId, { passed, message: passed ? previous?.message || message : message });
  }
}
