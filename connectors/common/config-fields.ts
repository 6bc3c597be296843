import { z } from 'zod';

/** Field validators shared by the connector account schemas. */
export const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');
export const encodingAESKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 characters of [A-Za-z0-9]');
export const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));
