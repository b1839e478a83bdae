/** Network failures → short stable reason codes (the page, the API and incidents show these). */

const codes: Record<string, string> = {
  ECONNREFUSED: 'econnrefused',
  ECONNRESET: 'econnreset',
  EPIPE: 'econnreset',
  ECONNABORTED: 'econnreset',
  UND_ERR_SOCKET: 'econnreset',
  UND_ERR_CLOSED: 'econnreset',
  // The connection closed before the promised body arrived: a reset mid-body.
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'econnreset',
  // Response headers larger than undici reads (16 KiB by default): too large, like a body over its cap.
  UND_ERR_HEADERS_OVERFLOW: 'too_large',
  // A pull request's dry run reached for an internal address (src/probes/guard.ts).
  UPKEEP_PRIVATE_TARGET: 'private_target',
  // A file the check names (ca_file) cannot be used (src/probes/files.ts).
  UPKEEP_CHECK_FILE: 'check_file',
  // undici asserts on what it cannot parse (a status line of 099): not an HTTP answer.
  ERR_ASSERTION: 'bad_response',
  ENOTFOUND: 'dns_nxdomain',
  EAI_NONAME: 'dns_nxdomain',
  EAI_AGAIN: 'dns_timeout',
  ENODATA: 'dns_nodata',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'ehostunreach',
  ENETUNREACH: 'enetunreach',
  CERT_HAS_EXPIRED: 'tls_expired',
  CERT_NOT_YET_VALID: 'tls_not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_hostname',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_untrusted',
  CERT_UNTRUSTED: 'tls_untrusted',
  CERT_REVOKED: 'tls_revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls_handshake',
  EPROTO: 'tls_handshake',
  HPE_INVALID_CONSTANT: 'bad_response',
  HPE_INVALID_STATUS: 'bad_response',
  HPE_INVALID_HEADER_TOKEN: 'bad_response',
  UND_ERR_RESPONSE_STATUS_CODE: 'bad_response',
  UND_ERR_INFO: 'bad_response',
  Z_DATA_ERROR: 'bad_encoding',
  Z_BUF_ERROR: 'bad_encoding',
  ERR_PADDING_1: 'bad_encoding',
  ERR__ERROR_FORMAT_PADDING_1: 'bad_encoding',
  ERR_INVALID_URL: 'bad_url',
  UND_ERR_INVALID_ARG: 'bad_url',
};

type ErrorLike = { name?: string; code?: string; message?: string; cause?: unknown; errors?: unknown[] };

const messages: Record<string, string> = {
  too_large: 'the response headers are larger than 16 KiB',
};

/**
 * Walks `cause` and AggregateError members to the most specific known code. Messages come back
 * whole: they are redacted before anything shortens them (see `sampleText`).
 */
export function reasonOf(error: unknown): { reason: string; message: string } {
  const seen = new Set<unknown>();
  let e: unknown = error;
  let message = String((error as ErrorLike)?.message ?? error);
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const x = e as ErrorLike;
    if (x.name === 'TimeoutError' || x.name === 'AbortError') return { reason: 'timeout', message: 'no complete answer within the timeout' };
    if (x.code && codes[x.code]) return { reason: codes[x.code], message: messages[codes[x.code]] ?? x.message ?? x.code };
    // llhttp's "Invalid EOF state": the server closed the connection in the middle of the response.
    if (x.name === 'HTTPParserError' && /Invalid EOF state/.test(x.message ?? ''))
      return { reason: 'econnreset', message: 'the connection closed in the middle of the response' };
    if (x.code?.startsWith('HPE_') || x.name === 'HTTPParserError') {
      const detail = /\(([^)]*)\)\s*$/.exec(x.message ?? '')?.[1];
      return { reason: 'bad_response', message: `the answer is not valid HTTP${detail ? ` (${detail})` : ''}` };
    }
    if (x.message && x.message !== message) message = x.message;
    e = x.cause ?? x.errors?.[0];
  }
  return { reason: 'error', message };
}

/** Longest message a sample keeps. */
export const MESSAGE_MAX = 200;

/** Whitespace runs as one space, cut to `max` characters. Only ever applied to text already redacted. */
export function oneLine(text: string, max = MESSAGE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
