import { ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { RetryLaterException } from '../submissions/submissions.service';

// A restarted Postgres takes a few seconds to accept connections again.
const DATABASE_RETRY_AFTER_S = 5;

/** Errors from express's body parser carry a `type` and a status; they are the client's, not ours. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).type === 'string' &&
    typeof (error as BodyParserError).status === 'number'
  );
}

/**
 * Turns malformed requests into 4xx answers that say what to fix, a database that does not answer
 * into 503 with Retry-After, and adds Retry-After to refusals that have one. Everything else goes to
 * Nest's default handling.
 */
@Catch()
export class HttpErrorsFilter extends BaseExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof RetryLaterException)
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    // Nest wraps body-parser errors in an HttpException with the original as its cause.
    const parserError = error instanceof HttpException ? error.cause : error;
    if (isBodyParserError(parserError)) return super.catch(translateBodyParserError(parserError), host);
    if (isDatabaseUnavailable(error)) {
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_S));
      return super.catch(databaseUnavailable(host.switchToHttp().getRequest<Request>()), host);
    }
    return super.catch(error, host);
  }
}

/** What the client may assume: a write that failed on an unreachable database saved nothing. */
function databaseUnavailable(request: Request): HttpException {
  const unsaved = request.method === 'GET' ? '' : ' Nothing was saved;';
  return new HttpException(
    {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: `the database is not answering right now.${unsaved} please try again in a few seconds`,
      retryAfterSeconds: DATABASE_RETRY_AFTER_S,
    },
    HttpStatus.SERVICE_UNAVAILABLE,
  );
}

function translateBodyParserError(error: BodyParserError): HttpException {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpException(
        {
          statusCode: 413,
          message: 'the request body is too large; a submission\'s "code" may be at most 64 KiB',
        },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    case 'entity.parse.failed':
      return new HttpException(
        { statusCode: 400, message: `the body is not valid JSON (${error.message})` },
        HttpStatus.BAD_REQUEST,
      );
    default:
      return new HttpException({ statusCode: error.status, message: error.message }, error.status);
  }
}
