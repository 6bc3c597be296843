import type { IdentityRef } from '../../connectors/common/identity-types';
import { identityKey } from '../../src/identity/identity-keys';
import { pairKey, planResolution, type KnownCustomer } from '../../src/identity/resolution-plan';

const oa = (v: string, app = 'wxoa'): IdentityRef => ({ type: 'oa_openid', scope: app, value: v });
const mp = (v: string, app = 'wxmp'): IdentityRef => ({ type: 'mp_openid', scope: app, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });
const ext = (v: string): IdentityRef => ({ type: 'wecom_external_userid', scope: 'ww1', value: v });
const phone = (v: string): IdentityRef => ({ type: 'phone', scope: 'default', value: v });

function world(...customers: KnownCustomer[]) {
  const owners = new Map<string, string>();
  for (const c of customers) for (const r of c.identities) owners.set(identityKey(r), c.id);
  return { owners, customers: new Map(customers.map((c) => [c.id, c])) };
}

describe('planResolution', () => {
  it('refuses a second unionid for an openid that already has one (conflict, nothing attached)', () => {
    const w = world({ id: '1', createdAt: 1, identities: [oa('o1'), union('u1')] });
    const plan = planResolution({ refs: [oa('o1'), union('u2')], ...w });
    expect(plan).toEqual({
      survivorId: '1',
      merges: [],
      attach: [],
      conflicts: [
        {
          type: 'unionid',
          scope: 'default',
          existingValue: 'u1',
          refusedValue: 'u2',
          customerId: '1',
          otherCustomerId: null,
          reason: 'second_value',
        },
      ],
    });
  });

  it('creates a customer when nothing is known', () => {
    const plan = planResolution({ refs: [oa('o1'), union('u1')], ...world() });
    expect(plan.survivorId).toBeNull();
    expect(plan.attach).toEqual([oa('o1'), union('u1')]);
    expect(plan.conflicts).toEqual([]);
  });

  it('attaches a new identity to the known customer', () => {
    const w = world({ id: '1', createdAt: 1, identities: [oa('o1')] });
    expect(planResolution({ refs: [oa('o1'), union('u1')], ...w })).toEqual({
      survivorId: '1',
      merges: [],
      attach: [union('u1')],
      conflicts: [],
    });
  });

  it('changes nothing when the same evidence is seen again', () => {
    const w = world({ id: '1', createdAt: 1, identities: [oa('o1'), union('u1')] });
    expect(planResolution({ refs: [oa('o1'), union('u1')], ...w })).toEqual({
      survivorId: '1',
      merges: [],
      attach: [],
      conflicts: [],
    });
  });

  it('merges into the customer holding the higher-priority identity even when it is younger', () => {
    const w = world(
      { id: '1', createdAt: 1, identities: [oa('o1')] },
      { id: '2', createdAt: 2, identities: [ext('wm1')] },
    );
    const plan = planResolution({ refs: [oa('o1'), ext('wm1')], ...w });
    expect(plan.survivorId).toBe('2');
    expect(plan.merges).toEqual(['1']);
  });

  it('breaks a priority tie by age (older survives), then by id', () => {
    const w = world(
      { id: '9', createdAt: 5, identities: [oa('o1')] },
      { id: '3', createdAt: 2, identities: [mp('m1')] },
    );
    const ties = planResolution({ refs: [oa('o1'), mp('m1')], ...w });
    expect(ties.survivorId).toBe('3');
    expect(ties.merges).toEqual(['9']);
    const sameAge = world(
      { id: '10', createdAt: 1, identities: [oa('o1')] },
      { id: '9', createdAt: 1, identities: [mp('m1')] },
    );
    expect(planResolution({ refs: [oa('o1'), mp('m1')], ...sameAge }).survivorId).toBe('9');
  });

  it('does not merge two customers holding different values of a one-per-person type', () => {
    const w = world(
      { id: '1', createdAt: 1, identities: [oa('o1'), union('u1')] },
      { id: '2', createdAt: 2, identities: [oa('o2'), union('u2')] },
    );
    const plan = planResolution({ refs: [union('u1'), oa('o2')], ...w });
    expect(plan.merges).toEqual([]);
    expect(plan.conflicts).toHaveLength(2);
    expect(
      plan.conflicts.map((c) => [c.type, c.existingValue, c.refusedValue, c.customerId, c.otherCustomerId]),
    ).toEqual([
      ['oa_openid', 'o1', 'o2', '1', '2'],
      ['unionid', 'u1', 'u2', '1', '2'],
    ]);
  });

  it('merges every compatible customer and skips the clashing one', () => {
    const w = world(
      { id: '1', createdAt: 1, identities: [union('u1')] },
      { id: '2', createdAt: 2, identities: [oa('o2')] },
      { id: '3', createdAt: 3, identities: [oa('o3')] },
    );
    const plan = planResolution({ refs: [union('u1'), oa('o2'), oa('o3'), mp('m1')], ...w });
    expect(plan.survivorId).toBe('1');
    expect(plan.merges).toEqual(['2']);
    expect(plan.attach).toEqual([mp('m1')]);
    expect(plan.conflicts.map((c) => [c.customerId, c.otherCustomerId])).toEqual([['1', '3']]);
  });

  it('lets a customer have two phones (phone is not one-per-person) and merges by phone', () => {
    const w = world(
      { id: '1', createdAt: 1, identities: [mp('m1'), phone('h1')] },
      { id: '2', createdAt: 2, identities: [oa('o1', 'wxoa'), phone('h2')] },
    );
    const plan = planResolution({ refs: [oa('o1'), phone('h1')], ...w });
    expect(plan.survivorId).toBe('1');
    expect(plan.merges).toEqual(['2']);
  });

  it('keeps customers an operator separated apart', () => {
    const w = world(
      { id: '1', createdAt: 1, identities: [oa('o1')] },
      { id: '2', createdAt: 2, identities: [union('u1')] },
    );
    const plan = planResolution({ refs: [oa('o1'), union('u1')], ...w, separatedPairs: new Set([pairKey('2', '1')]) });
    expect(plan.merges).toEqual([]);
    expect(plan.conflicts[0]).toMatchObject({ reason: 'separated', customerId: '2', otherCustomerId: '1' });
  });

  it('keeps the first of two values for one slot inside a single observation', () => {
    const plan = planResolution({ refs: [union('u1'), union('u2')], ...world() });
    expect(plan.attach).toEqual([union('u1')]);
    expect(plan.conflicts).toMatchObject([{ existingValue: 'u1', refusedValue: 'u2', customerId: null }]);
  });
});
