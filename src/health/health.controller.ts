import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { PrismaService } from '../database/prisma.service';
import { GRADING_QUEUE, GradingQueue } from '../queue/grading-queue';

type Component = { status: 'up' } | { status: 'down'; error: string };
interface Health {
  status: 'ok' | 'down';
  database: Component;
  queue: Component & { depth?: number };
}

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(GRADING_QUEUE) private readonly queue: GradingQueue,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'database and queue answer' })
  @ApiResponse({ status: 503, description: 'the database or the queue does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const [database, queue] = await Promise.all([
      probe(() => this.prisma.$queryRaw`SELECT 1`),
      probe(async () => (await this.queue.ping(), { depth: await this.queue.depth() })),
    ]);
    const healthy = database.status === 'up' && queue.status === 'up';
    response.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'down', database, queue };
  }
}

async function probe<T>(check: () => Promise<T>): Promise<Component & Partial<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    const extra = await Promise.race([check(), timeout]);
    return {
      status: 'up',
      ...(typeof extra === 'object' && extra !== null && !Array.isArray(extra) ? extra : {}),
    } as Component & Partial<T>;
  } catch (error) {
    return { status: 'down', error: (error as Error).message } as Component & Partial<T>;
  } finally {
    clearTimeout(timer);
  }
}
