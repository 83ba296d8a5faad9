import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Every query parameter is one `name=value`. Express hands a parameter given twice to the handler as
 * an array, which every handler here would misread (a Prisma validation error, a 500); array and
 * object syntax (`name[]=`, `name[key]=`) would be silently ignored. Both are refused here, for
 * every route, before any handler runs.
 */
@Injectable()
export class SingleQueryValuesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const query = context.switchToHttp().getRequest<Request>().query as Record<string, unknown>;
    for (const [name, value] of Object.entries(query)) {
      if (/[[\]]/.test(name)) {
        throw new BadRequestException(
          `query parameter "${name}" uses array or object syntax; send it as plain ${name.replace(/\[.*$/, '')}=value, once`,
        );
      }
      if (Array.isArray(value)) {
        throw new BadRequestException(
          `query parameter "${name}" was given ${value.length} times; give it once (for several values, make one request per value)`,
        );
      }
      if (typeof value !== 'string')
        throw new BadRequestException(`query parameter "${name}" must be a single value`);
    }
    return true;
  }
}
