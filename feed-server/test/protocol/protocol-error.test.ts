import { expect, test } from 'vitest';
import { FRAME_ERROR_CLOSE, frameError, ProtocolError, requestError } from '../../src/protocol/index.ts';

test('requestError keeps the connection and carries the request id and channel', () => {
  const e = requestError('UNKNOWN_SYMBOL', 'no', { requestId: 3, channel: 'trades:X' });
  expect(e).toBeInstanceOf(Error);
  expect(e).toBeInstanceOf(ProtocolError);
  expect(e).toMatchObject({
    name: 'ProtocolError',
    code: 'UNKNOWN_SYMBOL',
    closeCode: null,
    requestId: 3,
    channel: 'trades:X',
  });
});

test('frameError carries the close code of its code, and the cause', () => {
  const cause = new SyntaxError('x');
  const e = frameError('UNDECODABLE', 'bad', cause);
  expect(e).toMatchObject({ code: 'UNDECODABLE', closeCode: 4000, requestId: null, channel: null, cause });
  expect(FRAME_ERROR_CLOSE).toEqual({ FRAME_TOO_LARGE: 1009, UNDECODABLE: 4000, BAD_FRAME: 4000 });
});
