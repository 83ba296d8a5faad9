import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({
  imports: [UsersModule],
  providers: [{ provide: APP_GUARD, useClass: BearerAuthGuard }],
})
export class AuthModule {}
