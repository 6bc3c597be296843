import axios from 'axios';
import { showQrCodeUrl, type OfficialAccountClient } from '../../../connectors/official-account/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

const CREATE = 'api.weixin.qq.com/cgi-bin/qrcode/create';

describe('OfficialAccountClient parametric QR codes', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let oa: OfficialAccountClient;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, { followers: 20, oaPermanentQrLimit: 2 });
    oa = env.clients(db.ds).oa(env.oaAppId());
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('creates temporary and permanent codes with string and integer scenes; the ticket gives a PNG', async () => {
    const temp = await oa.qrcodes.createQrCode({ scene: 'poster_a', expireSeconds: 3600 });
    expect(temp).toEqual({
      ticket: expect.any(String),
      url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//),
      expireSeconds: 3600,
    });
    const perm = await oa.qrcodes.createQrCode({ scene: 42 });
    expect(perm).toEqual({ ticket: expect.any(String), url: expect.any(String) });
    const codes = (await env.control.get(`/state/oa/${env.oaAppId()}/qrcodes`)).data.qrcodes;
    expect(
      codes.map((c: { actionName: string; sceneStr: string; sceneId: number }) => [
        c.actionName,
        c.sceneStr,
        c.sceneId,
      ]),
    ).toEqual([
      ['QR_STR_SCENE', 'poster_a', 0],
      ['QR_LIMIT_SCENE', '', 42],
    ]);
    const img = await axios.get(showQrCodeUrl(`${env.emu.url}/mp.weixin.qq.com/`, temp.ticket), {
      responseType: 'arraybuffer',
      validateStatus: () => true,
    });
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
  });

  it('refuses scenes and lifetimes out of range before calling WeChat; the permanent cap is LIMIT_EXCEEDED', async () => {
    for (const req of [
      { scene: '' },
      { scene: 'x'.repeat(65) },
      { scene: 100_001 },
      { scene: 0, expireSeconds: 60 },
      { scene: 'a', expireSeconds: 2_592_001 },
    ]) {
      await expect(oa.qrcodes.createQrCode(req)).rejects.toMatchObject({
        errcode: 40053,
        category: 'INVALID_REQUEST',
        api: 'qrcode/create',
      });
    }
    expect((await env.calls(CREATE)).calls).toBe(0);
    await oa.qrcodes.createQrCode({ scene: 'store_1' });
    await expect(oa.qrcodes.createQrCode({ scene: 'store_2' })).rejects.toMatchObject({
      errcode: 45029,
      category: 'LIMIT_EXCEEDED',
    });
  });

  it('builds the showqrcode URL with the ticket encoded', () => {
    expect(showQrCodeUrl('https://mp.weixin.qq.com', 'gQH+8D/w==')).toBe(
      'https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQH%2B8D%2Fw%3D%3D',
    );
  });
});
