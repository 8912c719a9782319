import fs from 'node:fs';
import path from 'node:path';

/*
 * Common breached passwords, refused wherever a password is set (issue 14, item 3; the NCSC's
 * password guidance: block the most common passwords). The list and its source are in
 * data/common-passwords.txt: its header runs to the first blank line, then one password a line.
 * Read once, on first use, into a Set of lower-cased passwords (about 144,000, a few megabytes).
 */

export const COMMON_PASSWORD_MESSAGE =
  'This password is too common: it is one of the passwords most often found in data breaches, so it would be easy to guess. Choose a different password, for example three random words.';

const listFile = path.join(import.meta.dirname, 'data', 'common-passwords.txt');

let common: Set<string> | undefined;

/** The list as a Set (read from the file the first time). */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const text = fs.readFileSync(listFile, 'utf8');
    const body = text.slice(text.indexOf('\n\n') + 2);
    common = new Set(body.split('\n').filter((line) => line !== '').map((line) => line.toLowerCase()));
  }
  return common;
}

/** True when the password is on the list, whatever its capitals ("Password1" is "password1"). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}
