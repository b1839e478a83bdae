/** Whether a certificate meets a tls check's expectations, judged against the run's clock. Pure. */
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { TlsMeasurement } from '../../status/measurement.ts';
import { DAY_MS } from '../../status/vocabulary.ts';
import type { TlsCheck } from './schema.ts';

export function judge(check: TlsCheck, result: TlsMeasurement, now: Date): Verdict {
  const t = result.tls;
  if (!t) return failed('down', 'tls_handshake', 'no certificate', 'no certificate');
  const e = check.expect;
  const days = (Date.parse(t.validTo) - now.getTime()) / DAY_MS;
  const when = t.validTo.slice(0, 10);
  if (days <= 0) return failed('down', 'tls_expired', `certificate expired on ${when}`, 'the certificate has expired');
  if (Date.parse(t.validFrom) > now.getTime())
    return failed('down', 'tls_not_yet_valid', `certificate is valid only from ${t.validFrom.slice(0, 10)}`, 'the certificate is not valid yet');
  if (e.hostname && t.hostnameError) return failed('down', 'tls_hostname', t.hostnameError, `the certificate does not name ${check.servername ?? check.host}`);
  // Expiry and the host name are judged on their own above; only other chain errors mean "untrusted".
  if (e.chain && t.chainError && !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(t.chainError)) {
    const text = `certificate chain not trusted (${t.chainError})`;
    return failed('down', 'tls_untrusted', text, text);
  }
  const left = Math.floor(days);
  if (days < e.down_under_days)
    return failed('down', 'tls_expiring', `certificate expires in ${left} days (${when})`, `the certificate expires in ${left} days`);
  if (days < e.degraded_under_days)
    return failed('degraded', 'tls_expiring', `certificate expires in ${left} days (${when})`, `the certificate expires in ${left} days`);
  return { outcome: 'up' };
}
