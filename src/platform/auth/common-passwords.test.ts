import { describe, expect, it } from 'vitest';
import { commonPasswords, isCommonPassword } from './common-passwords.ts';
import { newPasswordSchema } from './passwords.ts';

describe('common breached passwords (issue 14, item 3)', () => {
  it('holds at least the 100,000 most common passwords, read once into a Set', () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(100_000);
    expect(commonPasswords()).toBe(commonPasswords());
  });

  it('knows the most common ones, whatever their capitals', () => {
    for (const password of ['123456', 'password', 'qwerty', 'letmein', 'Password', 'LETMEIN']) expect(isCommonPassword(password), password).toBe(true);
  });

  it('knows common passwords long enough to pass the length rule', () => {
    expect(isCommonPassword('passwordpassword')).toBe(true);
    expect(isCommonPassword('qwertyuiopasdfghjkl')).toBe(true);
  });

  it('lets an uncommon password through', () => {
    expect(isCommonPassword('demo-aftercare-117')).toBe(false);
    expect(isCommonPassword('violet-canal-thimble-42')).toBe(false);
  });

  it('refuses a common password wherever a new password is checked, with a plain message', () => {
    const refused = newPasswordSchema.safeParse('PasswordPassword');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/^This password is too common/);
    expect(newPasswordSchema.safeParse('short').error?.issues[0]?.message).toBe('Password must be at least 12 characters');
    expect(newPasswordSchema.safeParse('violet-canal-thimble-42').success).toBe(true);
  });
});
