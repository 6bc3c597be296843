import { effectScope, nextTick, ref } from 'vue';
import { useLiveCount } from '../../../web/console/src/segments/use-live-count';

/** Answers queued for the page's fetch: a status and a body each, in order. */
function answers(...list: { status: number; body: unknown }[]) {
  const asked: string[] = [];
  global.fetch = (async (url: string) => {
    asked.push(String(url));
    const next = list.shift() ?? { status: 500, body: { error: { code: 'NO_MORE', message: 'no answer queued' } } };
    return new Response(JSON.stringify(next.body), { status: next.status });
  }) as typeof fetch;
  return asked;
}

async function settle(live: { pending: { value: boolean } }): Promise<void> {
  while (live.pending.value) await new Promise((r) => setTimeout(r, 5));
}

/** The segment builder's live count (web/console/src/segments/use-live-count.ts). */
describe('the live count of a segment draft', () => {
  const realFetch = global.fetch;
  // What a component's setup gives it: the count's timers end with the scope.
  let scope = effectScope();
  beforeEach(() => {
    scope = effectScope();
  });
  afterEach(() => {
    scope.stop();
    global.fetch = realFetch;
  });

  it('asks again after a busy answer and shows the count once it comes', async () => {
    const asked = answers(
      { status: 503, body: { error: { code: 'BUSY', message: 'database busy' } } },
      { status: 200, body: { count: 7, sample: [] } },
    );
    const rule = ref('{"all":[]}');
    const live = scope.run(() =>
      useLiveCount(
        ref(null),
        () => rule.value,
        () => true,
        5,
      ),
    )!;
    rule.value = '{"all":[{"type":"orders","min":1}]}';
    await nextTick();
    await settle(live);
    expect(asked).toEqual(['/api/v1/segments/preview', '/api/v1/segments/preview']);
    expect(live.preview.value).toMatchObject({ count: 7 });
    expect(live.error.value).toBeNull();
  });

  it('does not ask again after a refusal of the rule itself', async () => {
    const asked = answers({ status: 422, body: { error: { code: 'RULE_INVALID', message: 'min must be ≥ 0' } } });
    const rule = ref('{"all":[]}');
    const live = scope.run(() =>
      useLiveCount(
        ref('12'),
        () => rule.value,
        () => true,
        5,
      ),
    )!;
    rule.value = '{"all":[{"type":"orders","min":-1}]}';
    await nextTick();
    await settle(live);
    expect(asked).toEqual(['/api/v1/segments/12/preview']);
    expect(live.error.value).toMatchObject({ status: 422, code: 'RULE_INVALID' });
  });
});
