/** A StaffClient over the fake transport, recording what was sent (element tests of the console). */
import { NetClient } from '../net/api-client.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from './fake-transport.ts';
import { StaffClient } from '../staff/staff-client.ts';

export function fakeStaffClient(handle: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>) {
  const sent: RecordedRequest[] = [];
  const client = new StaffClient(
    new NetClient(
      fakeTransport((request) => {
        sent.push(request);
        return handle(request);
      }),
    ),
  );
  return { client, sent };
}

export const jsonOf = (request: RecordedRequest | undefined) => JSON.parse(String(request?.body ?? 'null'));
