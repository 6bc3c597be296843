import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

/** The typed transfer calls (wechat-api-wecom-ops.md §5) against the emulator. */
describe('WecomClient transfers', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;
  const customerOf = async (userid: string): Promise<string> =>
    (await env.control.post(`/wecom/${corpId}/contacts`, { followers: [{ userid }] })).data.externalUserId as string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
    for (const userid of ['ct_from', 'ct_to', 'ct_gone']) await env.control.post(`/wecom/${corpId}/staff`, { userid });
  });
  afterAll(() => env.close());

  it('starts an in-service transfer with per-customer errcodes and reads its results', async () => {
    const mine = await customerOf('ct_from');
    const starts = await wecom.transfers.transferCustomers('onjob', 'ct_from', 'ct_to', [mine, 'wmUnknown'], '您好');
    expect(starts).toEqual([
      { externalUserid: mine, errcode: 0 },
      { externalUserid: 'wmUnknown', errcode: 40096 },
    ]);
    expect(await wecom.transfers.transferResults('onjob', 'ct_from', 'ct_to')).toEqual([
      { externalUserid: mine, status: 2, takeoverTime: expect.any(Number) },
    ]);
  });

  it('refuses more than 100 customers, and a message on a resigned transfer, before calling WeCom', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `wm${i}`);
    await expect(wecom.transfers.transferCustomers('onjob', 'ct_from', 'ct_to', many)).rejects.toMatchObject({
      errcode: 40058,
    });
    await expect(wecom.transfers.transferCustomers('resigned', 'ct_from', 'ct_to', ['wm1'], 'x')).rejects.toMatchObject(
      {
        errcode: 40058,
      },
    );
  });

  it('pages the unassigned customers of members who left, and a resigned transfer of a member still there is a CONFLICT', async () => {
    const c = await customerOf('ct_gone');
    await expect(wecom.transfers.transferCustomers('resigned', 'ct_gone', 'ct_to', [c])).rejects.toMatchObject({
      errcode: 40097,
      category: 'CONFLICT',
    });
    await env.control.post(`/wecom/${corpId}/staff/ct_gone/leave`, {});
    const page = await wecom.transfers.unassigned('', 1);
    expect(page.rows).toEqual([{ handoverUserid: 'ct_gone', externalUserid: c, dimissionTime: expect.any(Number) }]);
    expect(page.nextCursor).toBe('');
  });
});
