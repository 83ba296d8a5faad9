import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { GradeReport } from '../grading/grade-report';
import type { UserRecord } from '../users/users.repository';
import { GradeReportSchema } from './grade-report.schema';
import { reportForStudent } from './student-report';
import type { SubmissionRecord } from './submissions.repository';

export class SubmissionView {
  @ApiProperty({ description: 'opaque id' }) id!: string;
  @ApiProperty() exercise!: string;
  @ApiProperty() exerciseVersion!: number;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'graded', 'error'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) startedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) gradedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) graderVersion!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: GradeReportSchema,
    description:
      'the grade report once graded. Students are shown of a hidden check only its status and failureKind: ' +
      'not its message, not the console lines its runs printed (hiddenConsole), and if grading ended inside ' +
      "it (error.hiddenCheck) not the error's message or location. Instructors and admins see it all.",
  })
  report!: GradeReport | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'why grading itself failed (status error)',
  })
  error!: string | null;
  @ApiPropertyOptional({ description: 'the submitted code (single-submission reads only)' }) code?: string;
}

export class SubmissionPage {
  @ApiProperty({ type: [SubmissionView] }) items!: SubmissionView[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'pass as ?cursor= for the next page' })
  nextCursor!: string | null;
}

/** What `viewer` may see of a submission: students never see what happened inside a hidden check. */
export function toSubmissionView(
  submission: SubmissionRecord,
  viewer: UserRecord,
  options: { withCode?: boolean } = {},
): SubmissionView {
  return {
    id: submission.id,
    exercise: submission.exerciseSlug,
    exerciseVersion: submission.exerciseVersion,
    userId: submission.userId,
    status: submission.status,
    attempts: submission.attempts,
    createdAt: submission.createdAt.toISOString(),
    startedAt: submission.startedAt?.toISOString() ?? null,
    gradedAt: submission.gradedAt?.toISOString() ?? null,
    durationMs: submission.durationMs,
    graderVersion: submission.graderVersion,
    report:
      submission.report && viewer.role === 'student'
        ? reportForStudent(submission.report)
        : submission.report,
    error: submission.errorMessage,
    ...(options.withCode ? { code: submission.code } : {}),
  };
}
