import { describe, expect, it } from 'vitest';
import { acceptedFileType, classifyUpload, compoundFileKind, looksLikeEmail, safeFileName, uploadCategories, uploadCategoryLabels } from './uploads.ts';

const text = (s: string) => Buffer.from(s, 'utf8');
/** An OLE compound file's signature followed by the given stream names in UTF-16LE, as its directory holds them. */
function compoundFile(...streams: string[]): Buffer {
  const b = Buffer.alloc(2048);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(b);
  streams.forEach((s, i) => Buffer.from(s, 'utf16le').copy(b, 1024 + i * 128));
  return b;
}
const cfb = { ext: 'cfb', mime: 'application/x-cfb' };

describe('categories of uploaded document', () => {
  it('has a plain-English label for every category, the issue’s kinds among them', () => {
    for (const c of uploadCategories) expect(uploadCategoryLabels[c]).toMatch(/^[A-Z]/);
    expect(Object.values(uploadCategoryLabels)).toEqual(expect.arrayContaining(['Tribunal report', 'Discharge summary', 'Court order', 'Letter received', 'Assessment from another system']));
  });
});

describe('looksLikeEmail: an .eml file must read as an RFC 5322 message header', () => {
  it('accepts From, Date and Subject followed by a blank line, with CRLF or LF, and folded lines', () => {
    expect(looksLikeEmail(text('From: Ward 3 <ward3@trust.example>\r\nTo: team@council.example\r\nSubject: Discharge\r\n planning meeting\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\nHello'))).toBe(true);
    expect(looksLikeEmail(text('From: a@b.example\nSubject: hi\n\nbody'))).toBe(true);
    expect(looksLikeEmail(text('Return-Path: <a@b.example>\nFrom: a@b.example\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nX-Mailer: x\n\n'))).toBe(true);
  });
  it('refuses text without a From field, or with only From', () => {
    expect(looksLikeEmail(text('Subject: hi\nDate: Mon, 7 Dec 2026\n\nbody'))).toBe(false);
    expect(looksLikeEmail(text('From: a@b.example\n\nbody'))).toBe(false);
  });
  it('refuses text with no blank line after the header, a line that is not a field, or a NUL byte', () => {
    expect(looksLikeEmail(text('From: a@b.example\nSubject: hi'))).toBe(false);
    expect(looksLikeEmail(text('Dear colleague,\nFrom: a@b.example\nSubject: hi\n\n'))).toBe(false);
    expect(looksLikeEmail(text('From a@b.example\nSubject: hi\n\n'))).toBe(false);
    expect(looksLikeEmail(text(' From: a@b.example\nSubject: hi\n\n'))).toBe(false);
    expect(looksLikeEmail(Buffer.concat([text('From: a@b.example\nSubject: h'), Buffer.from([0]), text('i\n\n')]))).toBe(false);
  });
});

describe('compoundFileKind: an OLE compound file told apart by its streams', () => {
  it('finds an Outlook message before the Word document attached to it', () => {
    expect(compoundFileKind(compoundFile('__substg1.0_0037001F', 'WordDocument'))).toBe('msg');
    expect(compoundFileKind(compoundFile('WordDocument', '1Table'))).toBe('doc');
    expect(compoundFileKind(compoundFile('Workbook'))).toBe('xls');
    expect(compoundFileKind(compoundFile('Book'))).toBe('xls');
    expect(compoundFileKind(compoundFile('PowerPoint Document'))).toBeNull();
    // The ASCII spelling is not a stream name.
    expect(compoundFileKind(Buffer.concat([compoundFile(), Buffer.from('WordDocument')]))).toBeNull();
  });
});

describe('classifyUpload: the type comes from the bytes, not the name', () => {
  it('accepts the allowed types by their detected signature, whatever the name', () => {
    expect(classifyUpload({ detected: { ext: 'pdf', mime: 'application/pdf' }, fileName: 'report.doc', bytes: text('%PDF-') })).toMatchObject({ accepted: true, type: { kind: 'pdf', mediaType: 'application/pdf' } });
    for (const [ext, kind] of [['docx', 'docx'], ['xlsx', 'xlsx'], ['png', 'png'], ['jpg', 'jpeg'], ['gif', 'gif'], ['tif', 'tiff'], ['webp', 'webp']] as const) {
      expect(classifyUpload({ detected: { ext, mime: 'x/y' }, fileName: 'x', bytes: text('x') })).toMatchObject({ accepted: true, type: { kind } });
    }
  });
  it('refuses an executable named .pdf as a program', () => {
    for (const ext of ['exe', 'elf']) {
      const result = classifyUpload({ detected: { ext, mime: 'application/x-msdownload' }, fileName: 'tribunal-report.pdf', bytes: text('MZ') });
      expect(result).toEqual({ accepted: false, reason: expect.stringContaining('The file is a program, not a document, whatever its name says') });
    }
  });
  it('refuses other recognised types, such as a zip or an HTML-less script, naming the accepted ones', () => {
    const zip = classifyUpload({ detected: { ext: 'zip', mime: 'application/zip' }, fileName: 'a.docx', bytes: text('PK') });
    expect(zip).toEqual({ accepted: false, reason: expect.stringContaining('(ZIP). The file must be a PDF, a Word or Excel file') });
  });
  it('accepts an OLE file as .doc, .xls or .msg by its streams and refuses any other OLE file', () => {
    expect(classifyUpload({ detected: cfb, fileName: 'letter.doc', bytes: compoundFile('WordDocument') })).toMatchObject({ accepted: true, type: { kind: 'doc', mediaType: 'application/msword' } });
    expect(classifyUpload({ detected: cfb, fileName: 'mail.msg', bytes: compoundFile('__substg1.0_1000001F') })).toMatchObject({ accepted: true, type: { kind: 'msg', mediaType: 'application/vnd.ms-outlook' } });
    expect(classifyUpload({ detected: cfb, fileName: 'costs.xls', bytes: compoundFile('Workbook') })).toMatchObject({ accepted: true, type: { kind: 'xls' } });
    expect(classifyUpload({ detected: cfb, fileName: 'setup.doc', bytes: compoundFile('SummaryInformation') })).toMatchObject({ accepted: false });
  });
  it('accepts unrecognised bytes only as an email named .eml whose text reads as a message', () => {
    const email = text('From: a@b.example\r\nSubject: Tribunal\r\n\r\nSee attached.');
    expect(classifyUpload({ detected: undefined, fileName: 'Tribunal.EML', bytes: email })).toMatchObject({ accepted: true, type: { kind: 'eml', mediaType: 'message/rfc822' } });
    expect(classifyUpload({ detected: undefined, fileName: 'tribunal.txt', bytes: email })).toEqual({ accepted: false, reason: expect.stringContaining('could not be recognised from its contents') });
    expect(classifyUpload({ detected: undefined, fileName: 'notes.eml', bytes: text('#!/bin/sh\nrm -rf /\n') })).toEqual({ accepted: false, reason: expect.stringContaining('is named .eml but is not an email') });
  });
  it('refuses an empty file', () => {
    expect(classifyUpload({ detected: undefined, fileName: 'a.pdf', bytes: Buffer.alloc(0) })).toEqual({ accepted: false, reason: 'The selected file is empty' });
  });
});

describe('safeFileName: the name a file is downloaded under', () => {
  const pdf = acceptedFileType('pdf')!;
  it('keeps a sensible name and its matching extension', () => {
    expect(safeFileName('Tribunal report – Sasha.pdf', pdf)).toBe('Tribunal report – Sasha.pdf');
    expect(safeFileName('scan.JPEG', acceptedFileType('jpeg')!)).toBe('scan.jpeg');
  });
  it('drops folders, quotes, control characters and leading dots, and ends with the checked type’s extension', () => {
    expect(safeFileName('C:\\Users\\x\\"evil"\r\n.pdf', pdf)).toBe('evil.pdf');
    expect(safeFileName('../../etc/passwd', pdf)).toBe('passwd.pdf');
    expect(safeFileName('.hidden', pdf)).toBe('hidden.pdf');
    expect(safeFileName('report.exe', pdf)).toBe('report.exe.pdf');
    expect(safeFileName('', pdf)).toBe('document.pdf');
    expect(safeFileName(`${'a'.repeat(300)}.pdf`, pdf)).toBe(`${'a'.repeat(120)}.pdf`);
  });
});
