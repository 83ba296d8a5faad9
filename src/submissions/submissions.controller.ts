import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import type { UserRecord } from '../users/users.repository';
import {
  CreateSubmissionBody,
  MAX_WAIT_SECONDS,
  parseCreateSubmission,
  parseIdempotencyKey,
  parseLimit,
  parseStatusFilter,
  parseWaitSeconds,
} from './submission-request';
import { SubmissionPage, SubmissionView, toSubmissionView } from './submission-view';
import { InvalidCursorError, SubmissionsRepository } from './submissions.repository';
import { isFinished, SubmissionsService } from './submissions.service';

@ApiTags('submissions')
@ApiBearerAuth()
@Controller('submissions')
export class SubmissionsController {
  constructor(
    private readonly service: SubmissionsService,
    private readonly submissions: SubmissionsRepository,
  ) {}

  @Post()
  @ApiBody({ type: CreateSubmissionBody })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'same key, same submission, graded once',
  })
  @ApiQuery({
    name: 'wait',
    required: false,
    description: `hold the answer up to N ≤ ${MAX_WAIT_SECONDS} s until graded`,
  })
  @ApiAcceptedResponse({
    type: SubmissionView,
    description: 'saved and queued (or still grading after ?wait)',
  })
  @ApiOkResponse({ type: SubmissionView, description: 'graded within ?wait' })
  @ApiResponse({ status: 400, description: 'missing or wrong fields, named in the message' })
  @ApiResponse({ status: 404, description: 'unknown exercise' })
  @ApiResponse({ status: 413, description: 'code over 64 KiB' })
  @ApiResponse({ status: 415, description: 'the body is not application/json' })
  @ApiResponse({ status: 422, description: 'Idempotency-Key reused with a different body' })
  @ApiResponse({ status: 429, description: 'too many of your submissions are waiting; see Retry-After' })
  @ApiResponse({ status: 503, description: 'the grading queue is full; see Retry-After' })
  async create(
    @CurrentUser() user: UserRecord,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Body() body: unknown,
    @Headers('idempotency-key') rawKey?: string,
    @Query('wait') rawWait?: string,
  ): Promise<SubmissionView> {
    if (!request.is('application/json')) {
      throw new UnsupportedMediaTypeException(
        'send the submission as JSON with "Content-Type: application/json"',
      );
    }
    const input = parseCreateSubmission(body);
    const waitSeconds = parseWaitSeconds(rawWait);
    const submission = await this.service.submit(
      user,
      input,
      parseIdempotencyKey(rawKey),
      () => request.socket.destroyed,
    );
    const current = await this.service.waitUntilFinished(
      submission,
      waitSeconds,
      () => request.socket.destroyed,
    );
    response.status(isFinished(current) ? 200 : 202).location(`/api/submissions/${current.id}`);
    return toSubmissionView(current, user);
  }

  @Get()
  @ApiOkResponse({ type: SubmissionPage })
  @ApiQuery({ name: 'exercise', required: false })
  @ApiQuery({ name: 'user', required: false, description: 'a user id (instructors and admins)' })
  @ApiQuery({ name: 'status', required: false, enum: ['queued', 'running', 'graded', 'error'] })
  @ApiQuery({ name: 'limit', required: false, description: '1-100, default 20' })
  @ApiQuery({ name: 'cursor', required: false })
  async list(
    @CurrentUser() user: UserRecord,
    @Query('exercise') exercise?: string,
    @Query('user') userId?: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<SubmissionPage> {
    try {
      const page = await this.submissions.list({
        viewer: { id: user.id, role: user.role },
        exerciseSlug: exercise || undefined,
        userId: userId || undefined,
        status: parseStatusFilter(status),
        limit: parseLimit(limit),
        cursor: cursor || undefined,
      });
      return { items: page.items.map((item) => toSubmissionView(item, user)), nextCursor: page.nextCursor };
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new BadRequestException('"cursor" is not one this server returned; start again without it');
      }
      throw error;
    }
  }

  @Get(':id')
  @ApiOkResponse({ type: SubmissionView })
  @ApiResponse({ status: 404, description: 'no such submission, or not yours to see' })
  async get(@CurrentUser() user: UserRecord, @Param('id') id: string): Promise<SubmissionView> {
    const submission = await this.service.findVisible(id, user);
    if (!submission) throw new NotFoundException(`there is no submission ${id} that you can see`);
    return toSubmissionView(submission, user, { withCode: true });
  }
}
