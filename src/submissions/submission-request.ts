import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { MAX_CODE_BYTES } from '../exercises/exercise-view';
import { SUBMISSION_STATUSES, SubmissionStatus } from './submissions.repository';

export class CreateSubmissionBody {
  @ApiProperty({ example: 'fetch-all', description: 'the exercise slug' }) exercise!: string;
  @ApiProperty({ description: 'the TypeScript file, at most 64 KiB' }) code!: string;
}

export const MAX_WAIT_SECONDS = 30;
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Validates POST /api/submissions' body, naming every field that is missing or wrong. */
export function parseCreateSubmission(body: unknown): CreateSubmissionBody {
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const problems: string[] = [];
  if (typeof fields.exercise !== 'string' || fields.exercise.trim() === '') {
    problems.push('"exercise" must be the exercise slug, a non-empty string');
  }
  if (typeof fields.code !== 'string') problems.push('"code" must be your TypeScript file as a string');
  const unknown = Object.keys(fields).filter((key) => key !== 'exercise' && key !== 'code');
  if (unknown.length)
    problems.push(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (problems.length)
    throw new BadRequestException(
      `the body must be JSON {"exercise": ..., "code": ...}: ${problems.join('; ')}`,
    );
  const code = fields.code as string;
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_CODE_BYTES) {
    throw new PayloadTooLargeException(
      `"code" is ${bytes.toLocaleString('en-US')} bytes; a submission may be at most ${MAX_CODE_BYTES.toLocaleString('en-US')} bytes (64 KiB)`,
    );
  }
  return { exercise: (fields.exercise as string).trim(), code };
}

export function parseWaitSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) > MAX_WAIT_SECONDS) {
    throw new BadRequestException(
      `"wait" must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}, got "${raw}"`,
    );
  }
  return Number(raw);
}

export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length === 0 || raw.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new BadRequestException(
      `the Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (a UUID is a good choice)`,
    );
  }
  return raw;
}

export function parseStatusFilter(raw: string | undefined): SubmissionStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(SUBMISSION_STATUSES as readonly string[]).includes(raw)) {
    throw new BadRequestException(`"status" must be one of ${SUBMISSION_STATUSES.join(', ')}, got "${raw}"`);
  }
  return raw as SubmissionStatus;
}

export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw new BadRequestException(`"limit" must be a whole number from 1 to 100, got "${raw}"`);
  }
  return Number(raw);
}
