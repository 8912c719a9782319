/**
 * Documents uploaded to a person's record (issue 15, item 3; docs/documents.md): what kinds of
 * document they are, which file types are accepted, and the name a file is served under.
 *
 * The type is decided from the file's bytes, never from its name or the browser's claimed type
 * (OWASP File Upload Cheat Sheet, "File Type Validation": "do not rely on the Content-Type header
 * … validate the file type by its content"). The detection itself (magic numbers) is done by the
 * `file-type` package; this file holds the rule that turns its answer into accept or refuse.
 */

export const uploadCategories = ['tribunal-report', 'discharge-summary', 'court-order', 'cpa-plan', 'letter-received', 'assessment-other-system', 'other'] as const;
export type UploadCategory = (typeof uploadCategories)[number];

/** Labels for staff, as the issue names the kinds of document. */
export const uploadCategoryLabels: Record<UploadCategory, string> = {
  'tribunal-report': 'Tribunal report',
  'discharge-summary': 'Discharge summary',
  'court-order': 'Court order',
  'cpa-plan': 'Care programme approach (CPA) plan',
  'letter-received': 'Letter received',
  'assessment-other-system': 'Assessment from another system',
  other: 'Other document',
};

export type FileKind = 'pdf' | 'docx' | 'doc' | 'xlsx' | 'xls' | 'png' | 'jpeg' | 'gif' | 'tiff' | 'webp' | 'msg' | 'eml';

export interface AcceptedFileType {
  kind: FileKind;
  /** The media type the file is served with. */
  mediaType: string;
  /** The extension the served file name ends with. */
  extension: string;
  /** For staff: "PDF", "Word document". */
  label: string;
}

const types: Record<FileKind, AcceptedFileType> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  docx: { kind: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', label: 'Word document' },
  doc: { kind: 'doc', mediaType: 'application/msword', extension: 'doc', label: 'Word document (older format)' },
  xlsx: { kind: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', label: 'Excel spreadsheet' },
  xls: { kind: 'xls', mediaType: 'application/vnd.ms-excel', extension: 'xls', label: 'Excel spreadsheet (older format)' },
  png: { kind: 'png', mediaType: 'image/png', extension: 'png', label: 'PNG image' },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg', extension: 'jpg', label: 'JPEG image' },
  gif: { kind: 'gif', mediaType: 'image/gif', extension: 'gif', label: 'GIF image' },
  tiff: { kind: 'tiff', mediaType: 'image/tiff', extension: 'tif', label: 'TIFF image' },
  webp: { kind: 'webp', mediaType: 'image/webp', extension: 'webp', label: 'WebP image' },
  msg: { kind: 'msg', mediaType: 'application/vnd.ms-outlook', extension: 'msg', label: 'Outlook email' },
  eml: { kind: 'eml', mediaType: 'message/rfc822', extension: 'eml', label: 'Email' },
};

export const fileKindLabel = (kind: string): string => types[kind as FileKind]?.label ?? 'File';
export const acceptedFileType = (kind: string): AcceptedFileType | undefined => types[kind as FileKind];

/** What file-type's detection answered: `ext` as it names types (pdf, docx, cfb, jpg…), or nothing for text. */
export type Detected = { ext: string; mime: string } | undefined;

/** file-type's names of the accepted types that it can recognise alone. */
const byDetectedExt: Record<string, FileKind> = { pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', png: 'png', jpg: 'jpeg', gif: 'gif', tif: 'tiff', webp: 'webp' };

export const ACCEPTED_TYPES_SENTENCE = 'The file must be a PDF, a Word or Excel file, an image (PNG, JPEG, GIF, TIFF or WebP) or an email (.eml or .msg)';

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const MSG_MARKER = utf16('__substg1.0_');
const WORD_MARKER = utf16('WordDocument');
const WORKBOOK_MARKERS = [utf16('Workbook'), utf16('Book')];

/**
 * What an OLE compound file (file-type answers `cfb` for all of them) holds, from the names of its
 * streams, which the format stores in UTF-16LE in its directory ([MS-CFB] 2.6.1):
 * - an Outlook message has property streams named `__substg1.0_…` ([MS-OXMSG] 2.1.3), checked
 *   first because a message with a Word attachment also holds a `WordDocument` stream inside it;
 * - a Word 97–2003 document has a `WordDocument` stream ([MS-DOC] 2.1.1);
 * - an Excel 97–2003 workbook a `Workbook` stream (Excel 5 and 95: `Book`) ([MS-XLS] 2.1.2).
 * Anything else (an .msi installer, a .ppt, a Visio drawing) is refused. The names are looked for
 * anywhere in the file, not only in the directory sectors: a simple, conservative approximation
 * that can only accept a file already recognised as an OLE compound file.
 */
export function compoundFileKind(bytes: Uint8Array): 'msg' | 'doc' | 'xls' | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.includes(MSG_MARKER)) return 'msg';
  if (b.includes(WORD_MARKER)) return 'doc';
  if (WORKBOOK_MARKERS.some((m) => b.includes(m))) return 'xls';
  return null;
}

const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * An email saved as a .eml file is plain text in the Internet Message Format (RFC 5322 section 2.1,
 * 2.2): header fields, each `Name: value` (the name printable US-ASCII without a colon, 2.2),
 * lines starting with a space or tab continuing the field before (folding, 2.2.3), then an empty
 * line, then the body. A message must have a `From:` field (3.6, "the origination date field and
 * the originator address field(s)" are required) and, in practice, a `Date:` or `Subject:`.
 * Text with NUL bytes is not an email. Only the first 64 KB are read for the header.
 */
export function looksLikeEmail(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64 * 1024)).toString('latin1');
  if (head.includes('\0')) return false;
  const end = /\r?\n\r?\n/.exec(head);
  if (!end) return false;
  const lines = head.slice(0, end.index).split(/\r?\n/);
  const names = new Set<string>();
  for (const [i, line] of lines.entries()) {
    if (/^[ \t]/.test(line)) {
      if (i === 0) return false;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 1) return false;
    const name = line.slice(0, colon);
    if (!HEADER_NAME.test(name)) return false;
    names.add(name.toLowerCase());
  }
  return names.has('from') && (names.has('date') || names.has('subject'));
}

export type Classification = { accepted: true; type: AcceptedFileType } | { accepted: false; reason: string };

const extensionOf = (fileName: string) => /\.([A-Za-z0-9]{1,8})$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';

/**
 * Accept or refuse an uploaded file. The rule, in order:
 * 1. PDF, DOCX, XLSX, PNG, JPEG, GIF, TIFF and WebP are accepted when their bytes say so,
 *    whatever the name (a PDF named `.doc` is served as `.pdf`).
 * 2. An OLE compound file is accepted as an Outlook message, Word or Excel file by its streams
 *    (compoundFileKind); otherwise refused.
 * 3. Bytes no signature recognises are accepted only as an email: the name ends `.eml` and the
 *    text reads as a message header (looksLikeEmail).
 * 4. Everything else is refused, naming what it is when it is a program (an ELF or Windows
 *    executable named `.pdf` is refused as a program, not as a PDF).
 */
export function classifyUpload(input: { detected: Detected; fileName: string; bytes: Uint8Array }): Classification {
  const { detected, fileName, bytes } = input;
  if (bytes.byteLength === 0) return { accepted: false, reason: 'The selected file is empty' };
  if (detected) {
    const kind = byDetectedExt[detected.ext];
    if (kind) return { accepted: true, type: types[kind] };
    if (detected.ext === 'cfb') {
      const inner = compoundFileKind(bytes);
      if (inner) return { accepted: true, type: types[inner] };
      return { accepted: false, reason: `The file is a Microsoft Office file of a kind that cannot be uploaded. ${ACCEPTED_TYPES_SENTENCE}` };
    }
    if (['exe', 'elf', 'mach', 'dll', 'msi', 'apk', 'wasm', 'class', 'dex'].includes(detected.ext)) {
      return { accepted: false, reason: `The file is a program, not a document, whatever its name says. ${ACCEPTED_TYPES_SENTENCE}` };
    }
    return { accepted: false, reason: `The file is of a type that cannot be uploaded (${detected.ext.toUpperCase()}). ${ACCEPTED_TYPES_SENTENCE}` };
  }
  if (extensionOf(fileName) === 'eml') {
    return looksLikeEmail(bytes) ? { accepted: true, type: types.eml } : { accepted: false, reason: 'The file is named .eml but is not an email: it must start with the email’s headers (From, Date, Subject)' };
  }
  return { accepted: false, reason: `The type of the file could not be recognised from its contents. ${ACCEPTED_TYPES_SENTENCE}` };
}

/**
 * The name a file is served under: the uploaded name's last path segment, without control
 * characters, quotes, slashes or characters Windows refuses, at most 120 characters, ending with
 * the extension of the type its bytes have (so the type a desktop opens it as is the checked one).
 */
export function safeFileName(uploadedName: string, type: AcceptedFileType): string {
  const last = uploadedName.split(/[/\\]/).pop() ?? '';
  let base = last
    .normalize('NFC')
    .split('')
    .filter((c) => {
      const code = c.charCodeAt(0);
      return code > 0x1f && !(code >= 0x7f && code <= 0x9f) && !'"*:<>?|'.includes(c);
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const ext = extensionOf(base);
  const same = ext === type.extension || (type.kind === 'jpeg' && ext === 'jpeg') || (type.kind === 'tiff' && ext === 'tiff');
  if (ext && same) base = base.slice(0, -(ext.length + 1));
  base = base.replace(/[. ]+$/, '').slice(0, 120).trim();
  return `${base || 'document'}.${same ? ext : type.extension}`;
}
