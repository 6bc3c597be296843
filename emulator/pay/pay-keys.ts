import { createPublicKey, generateKeyPair, randomInt, type KeyObject } from 'crypto';
import { promisify } from 'util';
import type { Clock } from '../clock';
import { buildSelfSignedCertificate } from './platform-certificate';

/**
 * The emulated WeChat Pay platform's signing keys (wechat-api.md §8.4): a platform certificate (hex serial,
 * 5-year validity, rotatable: the previous one stays downloadable) and, separately, a WeChat Pay public key with
 * id `PUB_KEY_ID_…`. Two different RSA-2048 key pairs, as in WeChat, so a verifier that picks the wrong key by
 * `Wechatpay-Serial` fails. Keys are generated once per process; rotation makes a new one.
 */
export type SigningMode = 'certificate' | 'public-key' | 'mixed';

export interface PlatformCertificate {
  serialNo: string;
  certificatePem: string;
  privateKey: KeyObject;
  effectiveMs: number;
  expireMs: number;
}

export interface SigningKey {
  serial: string;
  privateKey: KeyObject;
  mode: 'certificate' | 'public-key';
}

const newKey = async (): Promise<KeyObject> =>
  (await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })).privateKey;
let processKeys: Promise<[KeyObject, KeyObject]> | undefined;

const YEAR_MS = 365 * 24 * 3600_000;

function certificate(privateKey: KeyObject, nowMs: number): PlatformCertificate {
  const effectiveMs = Math.floor(nowMs / 1000) * 1000 - 24 * 3600_000;
  const expireMs = effectiveMs + 5 * YEAR_MS;
  const built = buildSelfSignedCertificate({
    privateKey,
    notBefore: new Date(effectiveMs),
    notAfter: new Date(expireMs),
    commonName: 'Tenpay.com',
  });
  return { serialNo: built.serialNo, certificatePem: built.pem, privateKey, effectiveMs, expireMs };
}

export class PayKeyring {
  /** Oldest first; the newest signs. */
  readonly certificates: PlatformCertificate[];
  readonly publicKeyId: string;
  readonly publicKeyPem: string;

  private constructor(
    private readonly clock: Clock,
    certKey: KeyObject,
    private readonly publicKeyPrivate: KeyObject,
    public mode: SigningMode,
  ) {
    this.certificates = [certificate(certKey, clock.nowMs())];
    this.publicKeyId = `PUB_KEY_ID_01${Array.from({ length: 30 }, () => randomInt(10)).join('')}`;
    this.publicKeyPem = String(createPublicKey(publicKeyPrivate).export({ type: 'spki', format: 'pem' }));
  }

  static async create(clock: Clock, mode: SigningMode = 'certificate'): Promise<PayKeyring> {
    processKeys ??= Promise.all([newKey(), newKey()]);
    const [certKey, pubKey] = await processKeys;
    return new PayKeyring(clock, certKey, pubKey, mode);
  }

  get current(): PlatformCertificate {
    return this.certificates[this.certificates.length - 1]!;
  }

  /** The key for one notification or response: `mixed` picks either scheme at random, as during WeChat's migration. */
  signer(mode: SigningMode = this.mode): SigningKey {
    const pick = mode === 'mixed' ? (randomInt(2) === 0 ? 'certificate' : 'public-key') : mode;
    return pick === 'certificate'
      ? { serial: this.current.serialNo, privateKey: this.current.privateKey, mode: pick }
      : { serial: this.publicKeyId, privateKey: this.publicKeyPrivate, mode: pick };
  }

  /** Issues a new platform certificate with a new key; the previous one stays listed until the next rotation. */
  async rotate(): Promise<PlatformCertificate> {
    const cert = certificate(await newKey(), this.clock.nowMs());
    this.certificates.push(cert);
    if (this.certificates.length > 2) this.certificates.shift();
    return cert;
  }

  /** What a gateway needs to verify: `GET /_emulator/pay/keys`. */
  describe(): {
    certificatePem: string;
    serialNo: string;
    certificates: Array<{ serialNo: string; certificatePem: string }>;
    publicKeyPem: string;
    publicKeyId: string;
    mode: SigningMode;
  } {
    return {
      certificatePem: this.current.certificatePem,
      serialNo: this.current.serialNo,
      certificates: this.certificates.map((c) => ({ serialNo: c.serialNo, certificatePem: c.certificatePem })),
      publicKeyPem: this.publicKeyPem,
      publicKeyId: this.publicKeyId,
      mode: this.mode,
    };
  }
}
