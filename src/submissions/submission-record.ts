import type { GradeReport } from '../grading/grade-report';

export type SubmissionStatus = 'queued' | 'running' | 'graded' | 'error';
export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = ['queued', 'running', 'graded', 'error'];

export interface SubmissionRecord {
  id: string;
  userId: string;
  exerciseSlug: string;
  exerciseVersion: number;
  exerciseVersionId: string;
  courseId: string;
  code: string;
  status: SubmissionStatus;
  report: GradeReport | null;
  attempts: number;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  gradedAt: Date | null;
  graderVersion: string | null;
  durationMs: number | null;
  errorMessage: string | null;
}

export interface SubmissionViewer {
  id: string;
  role: 'student' | 'instructor' | 'admin';
}

export interface ListSubmissionsQuery {
  viewer: SubmissionViewer;
  exerciseSlug?: string;
  userId?: string;
  status?: SubmissionStatus;
  /** Default 20, at most 100. */
  limit?: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

export interface GradeOutcome {
  status: 'graded' | 'error';
  report: GradeReport | null;
  graderVersion: string;
  durationMs: number;
  errorMessage?: string | null;
}

/** What a new submission needs to know about its exercise and its author, read in one statement. */
export interface SubmissionTarget {
  /** The exercise's current version: what the submission is graded against. */
  exerciseVersionId: string;
  courseId: string;
  /** Whether the author is enrolled (in any role) in the exercise's course. */
  enrolled: boolean;
  /** Queued submissions of everyone, counted up to the cap findTarget was given (the queue's depth). */
  queuedSubmissions: number;
}

export interface NewSubmission {
  userId: string;
  exerciseVersionId: string;
  code: string;
  idempotencyKey?: string | null;
  /** Insert only while the author has fewer queued and running submissions than this. */
  maxActive?: number;
}

export type CreateOutcome =
  | { kind: 'created'; submission: SubmissionRecord }
  /** The author already sent this Idempotency-Key: the first submission, not a second one. */
  | { kind: 'existing'; submission: SubmissionRecord }
  /** Not inserted: the author has `active` queued and running submissions, at least `maxActive`. */
  | { kind: 'over-limit'; active: number };

/** A cursor that this repository did not produce (the API answers 400). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor() {
    super('cursor is not one this server returned');
  }
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
