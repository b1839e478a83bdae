import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export type Pem = { cert: string; key: string };

const DAY = 86_400_000;

function keyPair() {
  // Node's native RSA is fast; forge only builds and signs the certificates.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    forgePrivate: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

let serial = 1;

function certificate(opts: {
  cn: string;
  altNames?: string[];
  notBefore: Date;
  notAfter: Date;
  isCa?: boolean;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
}) {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [{ name: 'commonName', value: opts.cn }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: !!opts.isCa }];
  if (opts.isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true });
  else
    extensions.push({
      name: 'subjectAltName',
      altNames: (opts.altNames ?? [opts.cn]).map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    });
  cert.setExtensions(extensions);
  cert.sign(opts.issuer?.key ?? keys.forgePrivate, forge.md.sha256.create());
  return { cert, forgeKey: keys.forgePrivate, pem: { cert: forge.pki.certificateToPem(cert), key: keys.keyPem } };
}

/** A test CA and a way to issue leaf certificates with any validity and names. */
export function testCa(now = Date.now()) {
  const ca = certificate({ cn: 'Upkeep Test CA', isCa: true, notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 3650 * DAY) });
  return {
    caPem: ca.pem.cert,
    issue(opts: { names: string[]; fromDays?: number; toDays: number; selfSigned?: boolean }): Pem {
      const leaf = certificate({
        cn: opts.names[0],
        altNames: opts.names,
        notBefore: new Date(now + (opts.fromDays ?? -30) * DAY),
        notAfter: new Date(now + opts.toDays * DAY),
        issuer: opts.selfSigned ? undefined : { cert: ca.cert, key: ca.forgeKey },
      });
      return leaf.pem;
    },
  };
}
