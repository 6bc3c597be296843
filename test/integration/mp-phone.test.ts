import { Writable } from 'stream';
import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { createLogger } from '../../src/logger';
import { startFrontDoors, type FrontDoorHarness } from './h5-harness';

interface Row {
  customer_id: string;
  type: string;
  scope: string;
  value: string;
  value_enc: string | null;
  verified: number | boolean;
}

/** A getPhoneNumber code for the person's own number (the emulator gives every person one, unique). */
async function phoneCodeOf(
  h: FrontDoorHarness,
  appId: string,
  who: { personId?: number; openid?: string },
): Promise<{ code: string; phoneNumber: string }> {
  const res = await h.control.post(`/mp/${appId}/phone-codes`, who);
  if (res.status !== 200) throw new Error(`phone-codes: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data as { code: string; phoneNumber: string };
}

async function phoneCode(
  h: FrontDoorHarness,
  appId: string,
  who: { personId?: number; openid?: string },
): Promise<string> {
  return (await phoneCodeOf(h, appId, who)).code;
}

describe('POST /mp/:appId/phone', () => {
  const db = useTestDatabase();
  const logLines: string[] = [];
  let h: FrontDoorHarness;
  let mp1: string;
  let mp2: string;

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()) });
    h = await startFrontDoors(db, {}, { miniPrograms: 2 }, createLogger('trace', sink));
    [mp1, mp2] = [h.mpAppId(0), h.mpAppId(1)];
  });
  afterAll(() => h.close());
  beforeEach(() => clearTables(db.ds));

  const phone = (appId: string, code: unknown, bearer?: string, headers: Record<string, string> = {}) =>
    h.request(`/mp/${appId}/phone`, {
      method: 'POST',
      json: { code },
      ...(bearer !== undefined ? { bearer } : {}),
      headers,
    });

  it('refuses a call without the login token (401) and with a token that is not ours (401)', async () => {
    const none = await phone(mp1, 'x');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('SESSION_REQUIRED');
    expect((await phone(mp1, 'x', undefined, { authorization: 'Basic abc' })).body.error.code).toBe('SESSION_INVALID');
    const forged = await phone(mp1, 'x', 'eyJjaCI6Im1wIn0.c2lnbmF0dXJl');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('SESSION_INVALID');
    expect((await phone('wx-not-configured', 'x', 'whatever')).status).toBe(404);
  });

  it('refuses an expired token (401 SESSION_EXPIRED) and a token of another app (403)', async () => {
    const login = await h.mpLogin(mp1, { personId: 1 });
    const other = await h.mpLogin(mp2, { personId: 1 });
    const wrong = await phone(mp1, await phoneCode(h, mp1, { personId: 1 }), other.body.token);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('WRONG_APP');
    await h.advance(86_401);
    const expired = await phone(mp1, await phoneCode(h, mp1, { personId: 1 }), login.body.token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('refuses a bad phone code, a reused one and one minted for another user (400), and a missing code (422)', async () => {
    const login = await h.mpLogin(mp1, { personId: 2 });
    const token = login.body.token as string;
    expect((await phone(mp1, 'nope', token)).body.error.code).toBe('INVALID_CODE');
    const code = await phoneCode(h, mp1, { personId: 2 });
    expect((await phone(mp1, code, token)).status).toBe(200);
    expect((await phone(mp1, code, token)).status).toBe(400);
    await h.mpLogin(mp1, { personId: 7 });
    expect((await phone(mp1, await phoneCode(h, mp1, { personId: 7 }), token)).status).toBe(400);
    expect((await h.request(`/mp/${mp1}/phone`, { method: 'POST', json: {}, bearer: token })).status).toBe(422);
  });

  it('links a verified phone: keyed hash for lookup, ciphertext at rest, masked in the response, never logged', async () => {
    logLines.length = 0;
    const login = await h.mpLogin(mp1, { personId: 3 });
    const { code, phoneNumber: PHONE } = await phoneCodeOf(h, mp1, { personId: 3 });
    const res = await phone(mp1, code, login.body.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      customerId: login.body.customerId,
      phone: `${PHONE.slice(0, 3)}****${PHONE.slice(-4)}`,
      verified: true,
    });

    const rows = (await db.ds.query(
      "SELECT customer_id, type, scope, value, value_enc, verified FROM identities WHERE type = 'phone'",
    )) as Row[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customer_id: login.body.customerId, scope: 'default' });
    expect(Number(rows[0]!.verified)).toBe(1);
    expect(rows[0]!.value).not.toContain(PHONE);
    expect(rows[0]!.value_enc).toMatch(/^v1\./);
    const [customer] = (await db.ds.query('SELECT phone_enc FROM customers WHERE id = ?', [login.body.customerId])) as {
      phone_enc: string;
    }[];
    expect(customer!.phone_enc).toMatch(/^v1\./);
    const dump =
      JSON.stringify(await db.ds.query('SELECT * FROM identities')) +
      JSON.stringify(await db.ds.query('SELECT * FROM customers'));
    expect(dump).not.toContain(PHONE);
    await expect(
      h.app.identity.findCustomerId(db.ds, { type: 'phone', scope: 'default', value: `+86 ${PHONE}` }),
    ).resolves.toBe(login.body.customerId);

    const logs = logLines.join('');
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain(login.body.token);
    for (const key of (h.emu.state.world.mpApp(mp1)!.sessionKeys as Map<number, string>).values())
      expect(logs).not.toContain(key);
  });

  it('merges two customers of one person by the verified phone (DESIGN §4)', async () => {
    for (const id of [mp1, mp2]) await h.control.patch(`/apps/${id}`, { bound: false });
    try {
      const a = await h.mpLogin(mp1, { personId: 4 });
      const b = await h.mpLogin(mp2, { personId: 4 });
      expect(a.body.customerId).not.toBe(b.body.customerId);
      expect((await phone(mp1, await phoneCode(h, mp1, { personId: 4 }), a.body.token)).body.customerId).toBe(
        a.body.customerId,
      );
      const merged = await phone(mp2, await phoneCode(h, mp2, { personId: 4 }), b.body.token);
      expect(merged.status).toBe(200);
      expect(merged.body.customerId).toBe(a.body.customerId);
      const log = (await db.ds.query('SELECT survivor_id, merged_id FROM merge_log')) as {
        survivor_id: string;
        merged_id: string;
      }[];
      expect(log).toEqual([{ survivor_id: a.body.customerId, merged_id: b.body.customerId }]);
      const [gone] = (await db.ds.query('SELECT status, merged_into_id FROM customers WHERE id = ?', [
        b.body.customerId,
      ])) as { status: string; merged_into_id: string }[];
      expect(gone).toEqual({ status: 'merged', merged_into_id: a.body.customerId });
      // The merged side's token keeps working: it speaks for an openid, which now resolves to the survivor.
      expect((await h.mpLogin(mp2, { personId: 4 })).body.customerId).toBe(a.body.customerId);
    } finally {
      for (const id of [mp1, mp2]) await h.control.patch(`/apps/${id}`, { bound: true });
    }
  });
});

describe('POST /mp/:appId/phone with identity.mergeByPhone: false', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;

  beforeAll(async () => {
    h = await startFrontDoors(db, { identity: { mergeByPhone: false } }, { miniPrograms: 2 });
  });
  afterAll(() => h.close());

  it('keeps the phone as an attribute and merges nobody', async () => {
    const [mp1, mp2] = [h.mpAppId(0), h.mpAppId(1)];
    for (const id of [mp1, mp2]) await h.control.patch(`/apps/${id}`, { bound: false });
    const a = await h.mpLogin(mp1, { personId: 4 });
    const b = await h.mpLogin(mp2, { personId: 4 });
    const pa = await h.request(`/mp/${mp1}/phone`, {
      method: 'POST',
      json: { code: await phoneCode(h, mp1, { personId: 4 }) },
      bearer: a.body.token,
    });
    const pb = await h.request(`/mp/${mp2}/phone`, {
      method: 'POST',
      json: { code: await phoneCode(h, mp2, { personId: 4 }) },
      bearer: b.body.token,
    });
    expect([pa.status, pb.status]).toEqual([200, 200]);
    expect(pa.body.customerId).toBe(a.body.customerId);
    expect(pb.body.customerId).toBe(b.body.customerId);
    expect(await db.ds.query('SELECT id FROM merge_log')).toEqual([]);
    const phones = (await db.ds.query('SELECT id, phone_enc FROM customers WHERE phone_enc IS NOT NULL')) as unknown[];
    expect(phones).toHaveLength(2);
  });
});
