/**
 * node:test's spec output, then one plain closing line `N passed, N failed, N skipped` that CI reads.
 * Suites are not counted; only tests are.
 */
import { Readable } from 'node:stream';
import { spec as Spec } from 'node:test/reporters';

type Event = { type: string; data: { details?: { type?: string }; skip?: unknown; todo?: unknown } };

export default async function* reporter(source: AsyncIterable<Event>) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  async function* counted() {
    for await (const event of source) {
      const isTest = event.data?.details?.type !== 'suite';
      if (isTest && event.type === 'test:pass') {
        if (event.data.skip || event.data.todo) skipped++;
        else passed++;
      } else if (isTest && event.type === 'test:fail') failed++;
      yield event;
    }
  }
  for await (const chunk of Readable.from(counted()).pipe(new Spec())) yield chunk;
  yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
