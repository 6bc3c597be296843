import { createPublicKey, createSign, randomBytes, type KeyObject } from 'crypto';
import {
  bitString,
  explicit,
  integer,
  nullValue,
  objectId,
  printableString,
  sequence,
  set,
  time,
  toPem,
  utf8String,
} from './der';

/**
 * A self-signed X.509 v3 certificate standing in for a WeChat Pay platform certificate (wechat-api.md §8.4):
 * the gateway reads its hex serial with `new crypto.X509Certificate(pem).serialNumber` and matches it against
 * `Wechatpay-Serial`. Structure per RFC 5280 §4.1, signed with sha256WithRSAEncryption.
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay5_1.shtml
 */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID = { country: '2.5.4.6', org: '2.5.4.10', orgUnit: '2.5.4.11', commonName: '2.5.4.3' };

export interface CertificateSpec {
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  commonName: string;
  /** 20 random bytes when absent; the first byte is kept in 0x10..0x7f so the hex serial has 40 digits. */
  serial?: Buffer;
}

export interface BuiltCertificate {
  pem: string;
  /** Upper-case hex, as X509Certificate.serialNumber and WeChat's `serial_no` print it. */
  serialNo: string;
}

function rdn(oid: string, value: Buffer): Buffer {
  return set(sequence(objectId(oid), value));
}

function name(commonName: string): Buffer {
  return sequence(
    rdn(OID.country, printableString('CN')),
    rdn(OID.org, utf8String('Tenpay.com (Siyu emulator)')),
    rdn(OID.orgUnit, utf8String('Tenpay.com CA Center')),
    rdn(OID.commonName, utf8String(commonName)),
  );
}

export function randomSerial(): Buffer {
  const serial = randomBytes(20);
  serial[0] = 0x10 + (serial[0]! % 0x70);
  return serial;
}

export function buildSelfSignedCertificate(spec: CertificateSpec): BuiltCertificate {
  const serial = spec.serial ?? randomSerial();
  const algorithm = sequence(objectId(SHA256_WITH_RSA), nullValue());
  const spki = createPublicKey(spec.privateKey).export({ type: 'spki', format: 'der' });
  const subject = name(spec.commonName);
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    subject,
    sequence(time(spec.notBefore), time(spec.notAfter)),
    subject,
    spki,
  );
  const signature = createSign('sha256').update(tbs).sign(spec.privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return { pem: toPem('CERTIFICATE', der), serialNo: serial.toString('hex').toUpperCase() };
}
