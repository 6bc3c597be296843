import { z } from 'zod';
import { httpUrl, nonEmpty } from '../common/config-fields';

export const wechatPayConfig = z
  .object({
    kind: z.literal('wechat-pay'),
    id: nonEmpty.optional(),
    mchId: nonEmpty,
    /** APIv3 key: 32 ASCII bytes; decrypts notification resources (AEAD_AES_256_GCM). */
    apiV3Key: z.string().refine((k) => Buffer.byteLength(k, 'utf8') === 32, 'must be 32 bytes'),
    /** Merchant private key and certificate serial: outbound API calls (order query). */
    privateKeyPath: nonEmpty.optional(),
    certSerial: nonEmpty.optional(),
    /** Platform certificates (PEM files, hex serial read from each) for platform-certificate mode. */
    platformCertPaths: z.array(nonEmpty).default([]),
    /** WeChat Pay public key (PEM) and its id `PUB_KEY_ID_…` for public-key mode. */
    platformPublicKeyPath: nonEmpty.optional(),
    platformPublicKeyId: z
      .string()
      .regex(/^PUB_KEY_ID_\w+$/, 'must look like PUB_KEY_ID_…')
      .optional(),
    /** appids whose payments this merchant may notify about; empty = any. */
    appIds: z.array(nonEmpty).default([]),
    apiBase: httpUrl.default('https://api.mch.weixin.qq.com'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!!v.platformPublicKeyPath !== !!v.platformPublicKeyId) {
      ctx.addIssue({
        code: 'custom',
        path: ['platformPublicKeyId'],
        message: 'platformPublicKeyPath and platformPublicKeyId go together',
      });
    }
    if (!v.platformPublicKeyPath && v.platformCertPaths.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['platformPublicKeyPath'],
        message: 'a platform public key or at least one platform certificate is required to verify notifications',
      });
    }
  });

export type WechatPayConfig = z.infer<typeof wechatPayConfig>;
