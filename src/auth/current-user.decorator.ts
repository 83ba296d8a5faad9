import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { UserRecord } from '../users/users.repository';

/** The request's authenticated user, put there by BearerAuthGuard. */
export type AuthenticatedRequest = Request & { user: UserRecord };

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserRecord =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
