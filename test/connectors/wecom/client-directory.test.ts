import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

/** The typed staff-directory calls (wechat-api-wecom-ops.md §6) against the emulator, with the configured secrets. */
describe('WecomClient staff directory', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
  });
  afterAll(() => env.close());

  it('pages user/list_id with the contact-sync secret: rows of (userid, department), an empty cursor at the end', async () => {
    expect(wecom.directory.hasDirectorySecret).toBe(true);
    const first = await wecom.directory.listIds('', 1);
    expect(first.rows).toEqual([{ userid: expect.any(String), department: expect.any(Number) }]);
    expect(first.nextCursor).not.toBe('');
    const all = await wecom.directory.listIds();
    expect(all.nextCursor).toBe('');
    expect(all.rows[0]).toEqual(first.rows[0]);
  });

  it('reads a member without the envelope, and the departments with names', async () => {
    const [userid] = await wecom.contacts.getFollowUserList();
    const m = await wecom.directory.getUser(userid!);
    expect(m).toMatchObject({ userid, name: expect.any(String), department: expect.any(Array), status: 1 });
    expect(m).not.toHaveProperty('errcode');
    const depts = await wecom.directory.listDepartments();
    expect(depts[0]).toMatchObject({ id: 1, parentid: 0, name: expect.any(String) });
  });

  it('reports an unknown member as NOT_FOUND (60111), typed by category', async () => {
    await expect(wecom.directory.getUser('no-such-member')).rejects.toMatchObject({
      errcode: 60111,
      category: 'NOT_FOUND',
      api: 'user/get',
    });
  });
});
