/**
 * Why a submission package is refused. Every refusal names the entry and one of these reasons, so a
 * reviewer (and the access log) sees exactly which file stopped the import and why (DESIGN §2,
 * "malicious artifact content": archive extraction that refuses traversal, links, bombs).
 */
import { RwError } from '../../src-shared/errors';

export const REFUSAL_REASONS = {
  'signature-invalid': 'the signature does not verify with a trusted key',
  'signature-malformed': 'the signature file is not a valid OMS signature bundle',
  'signature-missing': 'the package has no model.sig',
  missing: 'the file is listed in the signature but absent from the package',
  'not-listed': 'the file is not listed in the signature',
  'digest-mismatch': 'the content does not match its signed SHA-256',
  'size-mismatch': 'the entry holds more or fewer bytes than it declares',
  symlink: 'symbolic links are not allowed',
  'hard-link': 'hard links are not allowed',
  'special-file': 'only regular files are allowed (no devices, pipes or sockets)',
  'absolute-path': 'absolute names are not allowed',
  traversal: '"." and ".." components are not allowed',
  backslash: 'backslashes are not allowed in names',
  'control-character': 'NUL and control characters are not allowed in names',
  'empty-name': 'empty names and empty path components are not allowed',
  'name-encoding': 'the name is not valid UTF-8',
  'name-ambiguous': 'the entry carries a second, possibly different, name (Info-ZIP Unicode path field)',
  'component-too-long': 'a path component is longer than 255 bytes',
  'path-too-long': 'the path is longer than 1024 bytes',
  duplicate: 'the name occurs twice',
  'unicode-collision': 'the name equals another after Unicode NFC/NFKC normalisation',
  'case-collision': 'the name equals another after case folding',
  'file-directory-conflict': 'the name is used both as a file and as a folder',
  encrypted: 'encrypted entries are not allowed',
  'unsupported-compression': 'the compression method is not supported',
  'compression-ratio': 'the entry expands more than 100:1 (possible zip bomb)',
  'overlapping-entries': 'entries share compressed data (possible zip bomb)',
  'file-too-large': 'the file exceeds the size limit',
  'package-too-large': 'the package exceeds the size limit',
  'too-many-files': 'the package has more files than allowed',
  'malformed-archive': 'the archive is truncated or malformed',
  'submission-invalid': 'submission.json is missing or invalid',
  'unsupported-signature': 'the signature uses a serialization this workstation does not support',
} as const;

export type RefusalReason = keyof typeof REFUSAL_REASONS;

/** The one way packages are refused: code PACKAGE_REFUSED, a message naming entry and reason, detail {entry, reason}. */
export function packageRefused(entry: string, reason: RefusalReason, extra?: string): RwError {
  // Names may hold control characters (that is one of the reasons): show them escaped, never raw.
  const shown = JSON.stringify(entry.length > 200 ? `${entry.slice(0, 200)}…` : entry);
  const because = extra ? `${REFUSAL_REASONS[reason]} (${extra})` : REFUSAL_REASONS[reason];
  return new RwError('PACKAGE_REFUSED', `Package refused: ${shown}: ${because}.`, { entry, reason });
}

export function isPackageRefusal(error: unknown, reason?: RefusalReason): error is RwError {
  return error instanceof RwError && error.code === 'PACKAGE_REFUSED' && (reason === undefined || error.detail.reason === reason);
}
