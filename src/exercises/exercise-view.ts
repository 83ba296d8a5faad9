import { ApiProperty } from '@nestjs/swagger';
import type { ExerciseRecord } from './exercises.repository';

export class CheckSummary {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() points!: number;
  @ApiProperty({ description: 'students see only whether a hidden check passed and how it failed' })
  hidden!: boolean;
}

export class ExerciseLimitsView {
  @ApiProperty({ description: 'wall-clock limit for grading one submission' }) timeoutMs!: number;
  @ApiProperty({ description: 'heap limit per isolate' }) memoryMb!: number;
  @ApiProperty({ description: 'console output kept; more is an output_limit verdict' })
  maxConsoleBytes!: number;
  @ApiProperty({ description: 'largest submission accepted' }) maxCodeBytes!: number;
}

export class ExerciseSummary {
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['async', 'threads'] }) kind!: string;
  @ApiProperty({ description: 'bumped whenever the exercise folder changes' }) version!: number;
}

export class ExerciseDetail extends ExerciseSummary {
  @ApiProperty({ description: 'Markdown' }) statement!: string;
  @ApiProperty({ description: 'the exported names and signatures a submission must provide' })
  contract!: string;
  @ApiProperty() starter!: string;
  @ApiProperty({ type: [String] }) exports!: string[];
  @ApiProperty({ type: ExerciseLimitsView }) limits!: ExerciseLimitsView;
  @ApiProperty({ type: [CheckSummary] }) checks!: CheckSummary[];
}

export const MAX_CODE_BYTES = 64 * 1024;

export function toExerciseSummary(exercise: ExerciseRecord): ExerciseSummary {
  return { slug: exercise.slug, title: exercise.title, kind: exercise.kind, version: exercise.version };
}

export function toExerciseDetail(exercise: ExerciseRecord): ExerciseDetail {
  return {
    ...toExerciseSummary(exercise),
    statement: exercise.statement,
    contract: exercise.contract,
    starter: exercise.starter,
    exports: exercise.exports,
    limits: { ...exercise.limits, maxCodeBytes: MAX_CODE_BYTES },
    checks: exercise.checks.map(({ id, name, points, hidden }) => ({ id, name, points, hidden })),
  };
}
