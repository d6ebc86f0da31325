import { FeedClientError } from '../../src/client/index.ts';

/** The `FeedClientError` `p` rejects with; anything else (a resolution, another error) fails the test. */
export async function feedClientFailure(p: Promise<unknown>): Promise<FeedClientError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof FeedClientError)) throw new Error(`expected a FeedClientError, got ${String(e)}`);
  return e;
}
