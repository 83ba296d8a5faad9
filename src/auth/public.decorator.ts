import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'lockstep:isPublic';

/** Marks a route that needs no bearer token (health checks, the OpenAPI document). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
