import { createHash } from 'node:crypto';
import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes only from the environment, parsed once at boot.
 * Development runs on safe defaults; production refuses to start without its secrets.
 */
const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  AFTERCARE_DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(10),
  /** Before issue 12 this counted every attempt; it is still read as the per-account failure limit. */
  SIGN_IN_MAX_PER_15_MIN: z.coerce.number().int().min(1).optional(),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).optional(),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  LOCKOUT_AFTER_FAILURES: z.coerce.number().int().min(1).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  SEED_DEMO: booleanish.optional(),
  SECURE_COOKIES: booleanish.optional(),
  TRUST_PROXY: booleanish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GIT_COMMIT: z.string().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional(),
  SMTP_FROM: z.string().min(3).default('Aftercare <no-reply@aftercare.example>'),
  /** The address people reach Aftercare at, for links in emails and calendar invitations (issue 13, item 9). */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_BASE_URL must be an http:// or https:// address, like https://aftercare.example.nhs.uk' }).optional(),
  /** First-run set-up as a page (issue 14, item 1): /setup asks for this token while the database holds no partnership. */
  SETUP_TOKEN: z.string().min(20, 'SETUP_TOKEN must be at least 20 characters (`openssl rand -base64 24`)').optional(),
  /** Issue 14, item 3: the key that encrypts second-factor secrets at rest (AES-256-GCM). */
  MFA_SECRET_KEY: z.string().min(32, 'MFA_SECRET_KEY must be at least 32 characters').optional(),
  /** Issue 14, item 3: local administrators must set up a second factor (true in production unless set). */
  REQUIRE_SECOND_FACTOR_FOR_ADMINISTRATORS: booleanish.optional(),
  /** Encrypts organisations' OpenID Connect client secrets at rest (issue 14, item 2): 32 random bytes, base64. */
  SSO_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'SSO_SECRET_KEY must be 32 random bytes in base64 (`openssl rand -base64 32`)')
    .optional(),
  /** The key webhook signing secrets are encrypted with (issue 14, item 5): at least 32 characters; derived from SESSION_SECRET when unset. */
  WEBHOOK_SECRET_KEY: z.string().min(32, 'WEBHOOK_SECRET_KEY must be at least 32 characters').optional(),
  /** Training and test environments only: run the app's clock this many hours ahead (or behind, negative). Refused in production. */
  CLOCK_OFFSET_HOURS: z.coerce.number({ error: 'CLOCK_OFFSET_HOURS must be a number of hours, like 25' }).min(-8784).max(8784).optional(),
  /** Issue 15, item 3: the largest document that may be uploaded to a person's record, in megabytes. */
  UPLOAD_MAX_MB: z.coerce.number().int('UPLOAD_MAX_MB must be a whole number of megabytes').min(1).max(200, 'UPLOAD_MAX_MB must be 200 or less').default(20),
  /** Keep uploaded files in this directory instead of the database. */
  DOCUMENT_STORE_DIR: z.string().min(1).optional(),
  /** ClamAV's clamd, over a Unix socket (CLAMD_SOCKET) or TCP (CLAMD_HOST and CLAMD_PORT). */
  CLAMD_SOCKET: z.string().min(1).optional(),
  CLAMD_HOST: z.string().min(1).optional(),
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Failed sign-ins allowed per email address in 15 minutes (successful ones never count). */
  signInMaxFailuresPerAccount: number;
  /** Failed sign-ins allowed per IP address in 15 minutes: generous, an office shares one address. */
  signInMaxFailuresPerAddress: number;
  lockoutAfterFailures: number;
  lockoutMs: number;
  seedDemo: boolean;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  gitCommit: string | undefined;
  /** Email for notifications; without it, notifications are shown in the app only. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Where people reach Aftercare, without a trailing slash: links in emails and invitations are absolute on it. */
  publicBaseUrl: string;
  /** The token /setup asks for while the database holds no partnership; unset, /setup does not exist. */
  setupToken: string | undefined;
  /** The key that encrypts second-factor secrets (at least 32 characters; a development value outside production). */
  mfaSecretKey: string;
  /** Local accounts with the administrator role must use a second factor (issue 14, item 3). */
  requireSecondFactorForAdministrators: boolean;
  /** The key for client secrets of single sign-on (AES-256-GCM); unset in production means no secrets can be stored. */
  ssoSecretKey: Buffer | undefined;
  /** 32 bytes that encrypt webhook signing secrets (AES-256-GCM): from WEBHOOK_SECRET_KEY, else derived from the session secret. */
  webhookSecretKey: Buffer;
  /** How far the app's clock runs ahead of the system's (0 unless CLOCK_OFFSET_HOURS is set outside production). */
  clockOffsetMs: number;
  /** Uploaded documents (issue 15, item 3): the size limit, where files are kept, and the virus scanner. */
  uploads: {
    maxBytes: number;
    /** A directory for the files; unset, they are kept in the database. */
    storeDir: string | undefined;
    /** clamd's address: a Unix socket path, or a host and port; unset, the built-in EICAR check only. */
    clamd: { socket: string } | { host: string; port: number } | undefined;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEVELOPMENT_SESSION_SECRET = 'development-only-session-secret-not-for-production-use';
const DEVELOPMENT_MFA_SECRET_KEY = 'development-only-second-factor-key-not-for-production-use';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as they do in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Aftercare cannot start: the environment is not valid.\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing = [
      !e.SESSION_SECRET && 'SESSION_SECRET (at least 32 random characters, e.g. `openssl rand -base64 48`)',
      !e.DATABASE_URL && 'DATABASE_URL (postgres://user:password@host:5432/aftercare)',
      !e.MFA_SECRET_KEY && 'MFA_SECRET_KEY (at least 32 random characters, e.g. `openssl rand -base64 48`; keep it: second factors cannot be read without it)',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(
        `Aftercare cannot start in production: these settings are missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
      );
    }
    // Every record's date and time, and every audit event's, must be the real one.
    if (e.CLOCK_OFFSET_HOURS !== undefined && e.CLOCK_OFFSET_HOURS !== 0) {
      throw new ConfigError('Aftercare cannot start in production with CLOCK_OFFSET_HOURS set: it is for training and test environments only. Remove it.');
    }
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.AFTERCARE_DATA_DIR),
    sessionSecret: e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    signInMaxFailuresPerAccount: e.SIGN_IN_MAX_FAILURES_PER_ACCOUNT ?? e.SIGN_IN_MAX_PER_15_MIN ?? 10,
    signInMaxFailuresPerAddress: e.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    lockoutAfterFailures: e.LOCKOUT_AFTER_FAILURES,
    lockoutMs: e.LOCKOUT_MINUTES * 60_000,
    seedDemo: e.SEED_DEMO ?? !production,
    secureCookies: e.SECURE_COOKIES ?? production,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    gitCommit: e.GIT_COMMIT,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    setupToken: e.SETUP_TOKEN,
    mfaSecretKey: e.MFA_SECRET_KEY ?? DEVELOPMENT_MFA_SECRET_KEY,
    requireSecondFactorForAdministrators: e.REQUIRE_SECOND_FACTOR_FOR_ADMINISTRATORS ?? production,
    // Outside production a key derived from the session secret will do; production must set its own.
    ssoSecretKey: e.SSO_SECRET_KEY
      ? Buffer.from(e.SSO_SECRET_KEY, 'base64')
      : production
        ? undefined
        : createHash('sha256').update(`aftercare-sso:${e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET}`).digest(),
    webhookSecretKey: Buffer.from(hkdfSync('sha256', e.WEBHOOK_SECRET_KEY ?? e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET, 'aftercare', 'webhook-secret-key', 32)),
    clockOffsetMs: Math.round((e.CLOCK_OFFSET_HOURS ?? 0) * 3_600_000),
    uploads: {
      maxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
      storeDir: e.DOCUMENT_STORE_DIR ? path.resolve(e.DOCUMENT_STORE_DIR) : undefined,
      clamd: e.CLAMD_SOCKET ? { socket: e.CLAMD_SOCKET } : e.CLAMD_HOST ? { host: e.CLAMD_HOST, port: e.CLAMD_PORT } : undefined,
    },
  };
}
