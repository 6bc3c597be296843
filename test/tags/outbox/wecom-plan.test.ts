import type { BindingRecord } from '../../../src/storage/tags/binding.repository';
import type { RemoteState } from '../../../src/storage/tags/remote-tag-state.repository';
import { planRelation, type Bound } from '../../../src/tags/outbox/wecom-plan';
import type { Relation } from '../../../src/storage/tags/wecom-relations.repository';

const at = new Date('2026-03-01T00:00:00.000Z');
const binding = (tagId: string, remoteTagId: string | null): BindingRecord => ({
  id: `b${tagId}`,
  tagId,
  channel: 'wecom',
  account: 'ww1',
  remoteTagId,
  remoteGroupId: 'g1',
  remoteGroupName: 'Siyu',
  remoteName: `tag ${tagId}`,
  status: remoteTagId ? 'bound' : 'pending',
  error: null,
  createdAt: at,
  updatedAt: at,
});
const relation = (reportedTags: string[] = []): Relation => ({
  id: 'r1',
  userid: 'zhangsan',
  externalUserid: 'wmEXT1',
  customerId: 'c1',
  createdTime: at,
  reportedTags,
});
const state = (remoteTagId: string, present: boolean, lastErrcode: number | null = null): RemoteState => ({
  subject: 'zhangsan|wmEXT1',
  remoteTagId,
  customerId: 'c1',
  present,
  lastErrcode,
  drifted: false,
  pushedAt: at,
});
const states = (...s: RemoteState[]) => new Map(s.map((x) => [x.remoteTagId, x]));

// Catalog tags 1..3 bound to corp tags etA..etC.
const bindings = [binding('1', 'etA'), binding('2', 'etB'), binding('3', 'etC')];
const bound = new Map<string, Bound | Error>(
  bindings.map((b) => [b.tagId, { ...b, remoteTagId: b.remoteTagId! }] as [string, Bound]),
);

describe('planRelation (one mark_tag per relation)', () => {
  it('adds every wanted tag WeChat does not hold and removes what Siyu pushed that nobody wants, in one plan', () => {
    const plan = planRelation(relation(), new Set(['1', '2']), bindings, bound, states(state('etC', true)), true);
    expect(plan).toEqual({ add: ['etA', 'etB'], remove: ['etC'] });
  });

  it('adds nothing already there, by Siyu’s remote state or else by what a sync reported', () => {
    const plan = planRelation(
      relation(['etB']),
      new Set(['1', '2']),
      bindings,
      bound,
      states(state('etA', true)),
      true,
    );
    expect(plan).toEqual({ add: [], remove: [] });
  });

  it('trusts its own remote state over a sync’s report', () => {
    const plan = planRelation(relation(['etA']), new Set(['1']), bindings, bound, states(state('etA', false)), true);
    expect(plan.add).toEqual(['etA']);
  });

  it('never removes a tag only a sync reported: it may be a staff member’s own', () => {
    const plan = planRelation(relation(['etA', 'etB']), new Set(), bindings, bound, undefined, true);
    expect(plan).toEqual({ add: [], remove: [] });
  });

  it('adds only on a fan-out target, but removes on any relation', () => {
    const plan = planRelation(relation(), new Set(['1']), bindings, bound, states(state('etB', true)), false);
    expect(plan).toEqual({ add: [], remove: ['etB'] });
  });

  it('does not add again what WeChat refused for good before', () => {
    const plan = planRelation(relation(), new Set(['1']), bindings, bound, states(state('etA', false, 84061)), true);
    expect(plan.add).toEqual([]);
  });

  it('skips a wanted tag whose binding failed and reports that failure, still planning the rest', () => {
    const failed = new Error('errcode 40126: corp tag cap');
    const plan = planRelation(
      relation(),
      new Set(['1', '2']),
      bindings,
      new Map<string, Bound | Error>([...bound, ['2', failed]]),
      undefined,
      true,
    );
    expect(plan).toEqual({ add: ['etA'], remove: [], bindingError: failed });
  });

  it('ignores unbound tags (no remote id yet) on both sides', () => {
    const unbound = [...bindings, binding('4', null)];
    const plan = planRelation(relation(), new Set(['4']), unbound, bound, states(), true);
    expect(plan).toEqual({ add: [], remove: [] });
  });
});
