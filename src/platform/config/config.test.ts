import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs on safe defaults in development: port 3000, PGlite in ./data, demo seeded', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.seedDemo).toBe(true);
    expect(c.secureCookies).toBe(false);
  });

  it('stops a production boot that is missing its secrets, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET[\s\S]*DATABASE_URL/);
    // Issue 14, item 3: the second-factor key too, so a production boot never uses the development one.
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), DATABASE_URL: 'postgres://u:p@db:5432/aftercare' })).toThrow(/MFA_SECRET_KEY/);
  });

  it('runs the clock ahead only outside production (CLOCK_OFFSET_HOURS, for training and tests)', () => {
    expect(loadConfig({ CLOCK_OFFSET_HOURS: '25' }).clockOffsetMs).toBe(25 * 3_600_000);
    expect(loadConfig({}).clockOffsetMs).toBe(0);
    expect(() => loadConfig({ CLOCK_OFFSET_HOURS: 'tomorrow' })).toThrow(/CLOCK_OFFSET_HOURS must be a number of hours/);
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), DATABASE_URL: 'postgres://u:p@db:5432/aftercare', MFA_SECRET_KEY: 'y'.repeat(48) };
    expect(() => loadConfig({ ...production, CLOCK_OFFSET_HOURS: '25' })).toThrow(/cannot start in production with CLOCK_OFFSET_HOURS/);
  });

  it('starts in production with its secrets, secure cookies on and no demo data', () => {
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), DATABASE_URL: 'postgres://u:p@db:5432/aftercare', MFA_SECRET_KEY: 'y'.repeat(48) });
    expect(c.secureCookies).toBe(true);
    expect(c.seedDemo).toBe(false);
    // Local administrators must use a second factor in production unless told otherwise (issue 14, item 3).
    expect(c.requireSecondFactorForAdministrators).toBe(true);
    expect(c.mfaSecretKey).toBe('y'.repeat(48));
  });

  it('leaves the second factor for administrators off outside production, so the demo accounts sign in with their password', () => {
    expect(loadConfig({}).requireSecondFactorForAdministrators).toBe(false);
    expect(loadConfig({ REQUIRE_SECOND_FACTOR_FOR_ADMINISTRATORS: 'true' }).requireSecondFactorForAdministrators).toBe(true);
    expect(() => loadConfig({ MFA_SECRET_KEY: 'short' })).toThrow(/MFA_SECRET_KEY must be at least 32 characters/);
  });

  it('explains a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('sets up uploads: 20 MB, files in the database and the built-in check by default; a directory and clamd when configured', () => {
    expect(loadConfig({}).uploads).toEqual({ maxBytes: 20 * 1024 * 1024, storeDir: undefined, clamd: undefined });
    const c = loadConfig({ UPLOAD_MAX_MB: '5', DOCUMENT_STORE_DIR: '/var/lib/aftercare/documents', CLAMD_HOST: 'clamav.internal' });
    expect(c.uploads).toEqual({ maxBytes: 5 * 1024 * 1024, storeDir: '/var/lib/aftercare/documents', clamd: { host: 'clamav.internal', port: 3310 } });
    expect(loadConfig({ CLAMD_SOCKET: '/run/clamav/clamd.ctl', CLAMD_HOST: 'ignored' }).uploads.clamd).toEqual({ socket: '/run/clamav/clamd.ctl' });
    expect(() => loadConfig({ UPLOAD_MAX_MB: '500' })).toThrow(/UPLOAD_MAX_MB must be 200 or less/);
  });
});
