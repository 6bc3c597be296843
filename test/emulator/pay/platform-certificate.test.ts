import { generateKeyPairSync, X509Certificate } from 'crypto';
import { integer, objectId, time } from '../../../emulator/pay/der';
import { buildSelfSignedCertificate } from '../../../emulator/pay/platform-certificate';
import WxPay from 'wechatpay-node-v3';

describe('DER encoding', () => {
  it('encodes integers, OIDs and times per X.690', () => {
    expect(integer(2).toString('hex')).toBe('020102');
    expect(integer(128).toString('hex')).toBe('02020080');
    expect(integer(Buffer.from([0, 0, 1])).toString('hex')).toBe('020101');
    expect(objectId('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(time(new Date('2030-01-02T03:04:05Z')).toString('ascii').slice(2)).toBe('300102030405Z');
    expect(time(new Date('2051-01-02T03:04:05Z'))[0]).toBe(0x18);
  });
});

describe('platform certificate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = new Date('2024-01-01T00:00:00Z');
  const cert = buildSelfSignedCertificate({
    privateKey,
    notBefore,
    notAfter: new Date('2029-01-01T00:00:00Z'),
    commonName: 'Tenpay.com',
  });

  it('does not verify under a foreign key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(new X509Certificate(cert.pem).verify(other)).toBe(false);
  });
  it('is a self-signed X.509 certificate Node reads, with the hex serial', () => {
    const x = new X509Certificate(cert.pem);
    expect(x.serialNumber).toBe(cert.serialNo);
    expect(cert.serialNo).toMatch(/^[0-9A-F]{40}$/);
    expect(x.verify(publicKey)).toBe(true);
    expect(x.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(new Date(x.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(x.subject).toContain('CN=Tenpay.com');
  });
  it('parses with the X.509 reader wechatpay-node-v3 uses', () => {
    const pem = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pay = new WxPay({ appid: 'wx1', mchid: '1900000001', publicKey: Buffer.from(cert.pem), privateKey: pem });
    expect(pay.getSN(cert.pem).toUpperCase()).toBe(cert.serialNo);
  });
});
