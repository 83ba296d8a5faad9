import request from 'supertest';
import { createScratchDatabase, startTestApp, TEST_REDIS_URL, TestApp } from './support/test-app';

interface Operation {
  method: 'get' | 'post';
  path: string;
  query: string[];
}

// Single values a client might send by mistake; none of them may make the server fail (5xx).
const ODD_VALUES = [
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  'null',
  'undefined',
  '[]',
  '{}',
  '%00',
  'é✓',
  'x'.repeat(4000),
];

/**
 * Every query parameter of every endpoint in the OpenAPI document, given twice, in array or object
 * syntax, or with an odd single value: a 400 that names the parameter for the first three, never a 5xx.
 */
describe('query parameters of every endpoint', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let lockstep: TestApp;
  let tokens: Record<'student' | 'instructor', string>;
  let operations: Operation[];

  beforeAll(async () => {
    database = await createScratchDatabase();
    lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_ROLE: 'api',
    });
    tokens = {
      student: (await lockstep.createUser('student')).token,
      instructor: (await lockstep.createUser('instructor')).token,
    };
    const doc = await request(lockstep.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    operations = Object.entries(
      doc.body.paths as Record<string, Record<string, { parameters?: unknown[] }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method as Operation['method'],
        path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        query: ((operation.parameters ?? []) as Array<{ in: string; name: string }>)
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => parameter.name),
      })),
    );
  });
  afterAll(async () => {
    await lockstep?.close();
    await database?.drop();
  });

  const send = (operation: Operation, query: string, role: keyof typeof tokens) => {
    const http = request(lockstep.app.getHttpServer());
    const url = `${operation.path}${query}`;
    const call =
      operation.method === 'post' ? http.post(url).send({ exercise: 'fetch-all', code: 'x' }) : http.get(url);
    return call.set('Authorization', `Bearer ${tokens[role]}`);
  };

  it('finds the endpoints, and the query parameters the submissions list is known to take', () => {
    expect(operations.length).toBeGreaterThanOrEqual(5);
    const list = operations.find(
      (operation) => operation.method === 'get' && operation.path === '/api/submissions',
    );
    expect(list?.query).toEqual(expect.arrayContaining(['exercise', 'user', 'status', 'limit', 'cursor']));
  });

  it('answers GET /api/submissions?exercise=a&exercise=b with a 400 that says what to fix', async () => {
    const response = await request(lockstep.app.getHttpServer())
      .get('/api/submissions?exercise=a&exercise=b')
      .set('Authorization', `Bearer ${tokens.instructor}`)
      .expect(400);
    expect(response.body.message).toBe(
      'query parameter "exercise" was given 2 times; give it once (for several values, make one request per value)',
    );
  });

  it('refuses every parameter given twice or in array or object syntax, on every endpoint, for every role', async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      for (const name of [...operation.query, 'unlisted']) {
        for (const query of [
          `?${name}=1&${name}=2`,
          `?${name}[]=1`,
          `?${name}[]=1&${name}[]=2`,
          `?${name}[k]=1`,
        ]) {
          for (const role of ['student', 'instructor'] as const) {
            const response = await send(operation, query, role);
            if (response.status !== 400 || !String(response.body.message).includes(`"${name}`))
              failures.push(
                `${operation.method.toUpperCase()} ${operation.path}${query} as ${role}: ${response.status} ${JSON.stringify(response.body.message)}`,
              );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('never answers 5xx to an odd single value of any parameter', async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      for (const name of operation.query) {
        for (const value of ODD_VALUES) {
          const response = await send(operation, `?${name}=${encodeURIComponent(value)}`, 'instructor');
          if (response.status >= 500)
            failures.push(
              `${operation.method.toUpperCase()} ${operation.path}?${name}=${value.slice(0, 20)}: ${response.status}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
