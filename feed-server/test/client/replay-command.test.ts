import { describe, expect, expectTypeOf, test } from 'vitest';
import { type FeedClient, FeedClientError, type ReplayCommand } from '../../src/client/index.ts';
import { replayCommand } from '../../src/client/replay-command.ts';

/*
 * Issue 11 §4: `client.replay('seek')` without a time type-checked. Each action's arguments are typed; the
 * `@ts-expect-error` lines are checked by `tsc -p tsconfig.json` (npm run typecheck): were a call below
 * accepted, the directive would be unused, and that is a type error.
 */
function typeChecks(client: FeedClient): void {
  // @ts-expect-error a seek needs a time
  void client.replay('seek');
  // @ts-expect-error a seek's time is tsUs
  void client.replay('seek', { speed: 2 });
  // @ts-expect-error a speed change needs a speed
  void client.replay('speed');
  // @ts-expect-error play takes no arguments
  void client.replay('play', { tsUs: 1 });
  // @ts-expect-error not an action
  void client.replay('rewind');
  const action = 'seek' as 'seek' | 'play';
  // @ts-expect-error an action not known at compile time cannot be checked against its arguments
  void client.replay(action);
  void client.replay('seek', { tsUs: 1_700_000_000_000_000 });
  void client.replay('speed', { speed: 'max' });
  void client.replay('step');
  void client.replay('step', { count: 10 });
  void client.replay('pause');
}

describe('replay actions', () => {
  test('the types: each action with exactly its arguments', () => {
    expectTypeOf(typeChecks).toBeFunction();
    expectTypeOf<Extract<ReplayCommand, { action: 'seek' }>>().toEqualTypeOf<{
      readonly action: 'seek';
      readonly tsUs: number;
    }>();
    expectTypeOf<FeedClient['replay']>().toBeCallableWith('seek', { tsUs: 1 });
  });

  test.each([
    ['play', {}, { action: 'play' }],
    ['pause', { tsUs: 5 }, { action: 'pause' }],
    ['speed', { speed: 'max' }, { action: 'speed', speed: 'max' }],
    ['seek', { tsUs: 5 }, { action: 'seek', tsUs: 5 }],
    ['step', {}, { action: 'step' }],
    ['step', { count: 3 }, { action: 'step', count: 3 }],
  ] as const)('%s %j sends %j', (action, options, command) => {
    expect(replayCommand(action, options)).toEqual(command);
  });

  test.each([
    ['seek', 'tsUs'],
    ['speed', 'speed'],
  ] as const)('%s without %s is refused before anything is sent', (action, field) => {
    expect(() => replayCommand(action, {})).toThrow(FeedClientError);
    expect(() => replayCommand(action, {})).toThrow(`needs { ${field} }`);
  });
});
