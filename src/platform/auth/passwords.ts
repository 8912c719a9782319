import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from './common-passwords.ts';

// argon2id (the library's default algorithm) with OWASP's minimum parameters.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Verified against when the account does not exist, so a wrong email address takes
 * as long as a wrong password and response timing does not reveal which accounts exist.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-used-only-for-timing');
  return dummyHash;
}

export const passwordRules = {
  minLength: 12,
  maxLength: 256,
};

/**
 * A new password, as every form and command that sets one checks it: long enough, not too long,
 * and not one of the common breached passwords (src/platform/auth/common-passwords.ts).
 */
export const newPasswordSchema = z
  .string({ error: 'Enter a password' })
  .min(passwordRules.minLength, `Password must be at least ${passwordRules.minLength} characters`)
  .max(passwordRules.maxLength, `Password must be ${passwordRules.maxLength} characters or fewer`)
  .refine((password) => !isCommonPassword(password), { error: COMMON_PASSWORD_MESSAGE });
