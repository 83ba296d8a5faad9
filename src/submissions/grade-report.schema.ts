import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HIDDEN_FAILURE_KINDS, REPORT_STATUSES } from '../grading/grade-report';

/**
 * The OpenAPI description of a GradeReport (src/grading/grade-report.ts), for clients generated from
 * it. Only descriptions: the API returns the stored report, or its student view (student-report.ts).
 */
export class SourceLocationSchema {
  @ApiProperty({ description: '1-based line in the submitted file' }) line!: number;
  @ApiProperty({ description: '1-based column' }) column!: number;
}

export class CheckResultSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['passed', 'failed', 'skipped'] }) status!: string;
  @ApiProperty() score!: number;
  @ApiProperty() maxScore!: number;
  @ApiProperty({
    description:
      'what went wrong, with evidence; for a hidden check students get only "hidden check failed (<kind>)"',
  })
  message!: string;
  @ApiProperty() hidden!: boolean;
  @ApiPropertyOptional({
    enum: HIDDEN_FAILURE_KINDS,
    description:
      'a hidden check that failed, or whose run ended grading (status skipped): how; shown to students too',
  })
  failureKind?: string;
}

export class ReportErrorSchema {
  @ApiProperty({ description: 'why grading ended early (a fatal status)' }) message!: string;
  @ApiPropertyOptional({
    type: SourceLocationSchema,
    description: 'where in the file; not shown to students for a hidden check',
  })
  location?: SourceLocationSchema;
  @ApiPropertyOptional({
    description:
      'grading ended while this hidden check ran: students get a sentence naming it, not the message',
  })
  hiddenCheck?: string;
}

export class HiddenConsoleRangeSchema {
  @ApiProperty() check!: string;
  @ApiProperty({ description: 'index in console of the first line printed during the hidden check' })
  start!: number;
  @ApiProperty({ description: 'index after the last' }) end!: number;
}

export class GradeReportSchema {
  @ApiProperty() exercise!: string;
  @ApiProperty({ enum: REPORT_STATUSES, description: 'passed exactly when every check passed' })
  status!: string;
  @ApiProperty() score!: number;
  @ApiProperty() maxScore!: number;
  @ApiProperty({ type: [CheckResultSchema] }) checks!: CheckResultSchema[];
  @ApiProperty({ description: 'the seed every random choice of this grading came from' }) seed!: string;
  @ApiProperty({ description: 'the command that grades the file again with the same seed' }) replay!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty() graderVersion!: string;
  @ApiPropertyOptional({ type: ReportErrorSchema, description: 'present for fatal statuses' })
  error?: ReportErrorSchema;
  @ApiPropertyOptional({
    type: [String],
    description:
      "the submission's console output, bounded; students do not get lines printed during hidden checks",
  })
  console?: string[];
  @ApiPropertyOptional({
    type: [HiddenConsoleRangeSchema],
    description: 'which console lines were printed during hidden checks; staff only',
  })
  hiddenConsole?: HiddenConsoleRangeSchema[];
}
