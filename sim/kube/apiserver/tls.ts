// A self-signed serving certificate for 127.0.0.1/localhost, made with node:crypto and a tiny DER
// encoder (no openssl needed). kubectl only sends bearer tokens over https (client-go's
// IsConfigTransportTLS), so the kubeconfig points at https on the same port as the http URL.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
function oid(s: string): Buffer {
  const p = s.split('.').map(Number);
  const out: number[] = [p[0] * 40 + p[1]];
  for (const v of p.slice(2)) {
    const stack: number[] = [v & 0x7f];
    let x = v >> 7;
    while (x > 0) {
      stack.unshift((x & 0x7f) | 0x80);
      x >>= 7;
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
/** A DER INTEGER from unsigned big-endian bytes: minimal length, a 0x00 prefix when the high bit is set. */
function int(b: Buffer): Buffer {
  let start = 0;
  while (start < b.length - 1 && b[start] === 0) start++;
  let body = b.subarray(start);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
function time(d: Date): Buffer {
  const iso = d.toISOString();
  if (d.getUTCFullYear() < 2050) {
    return tlv(0x17, Buffer.from(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'));
  }
  return tlv(0x18, Buffer.from(iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'));
}
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);
const octet = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function generateSelfSigned(commonName = 'sim-apiserver'): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const now = Date.now();
  const validity = seq(time(new Date(now - 3600_000)), time(new Date(now + 3650 * 86400_000)));
  const san = seq(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from('localhost')), // dNSName
  );
  const extensions = explicit(
    3,
    seq(
      seq(oid('2.5.29.19'), bool(true), octet(seq(bool(true)))), // basicConstraints CA:TRUE
      seq(oid('2.5.29.15'), bool(true), octet(tlv(0x03, Buffer.from([0x02, 0x84])))), // keyUsage digitalSignature, keyCertSign
      seq(oid('2.5.29.37'), octet(seq(oid('1.3.6.1.5.5.7.3.1')))), // extKeyUsage serverAuth
      seq(oid('2.5.29.17'), octet(san)),
    ),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and 16 bytes long
  const tbs = seq(explicit(0, int(Buffer.from([2]))), int(serial), ecdsaSha256, name, validity, name, spki, extensions);
  const sig = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, bitString(sig));
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: pem('CERTIFICATE', cert) };
}

/** The serving key pair kept in <dataDir>/pki (made once, so the kubeconfig's CA stays valid). */
export function loadOrCreateServingCert(dataDir: string): { key: string; cert: string } {
  const dir = path.join(dataDir, 'pki');
  const keyPath = path.join(dir, 'apiserver.key');
  const certPath = path.join(dir, 'apiserver.crt');
  if (existsSync(keyPath) && existsSync(certPath)) {
    const key = readFileSync(keyPath, 'utf8');
    const cert = readFileSync(certPath, 'utf8');
    try {
      createPrivateKey(key);
      createPublicKey(cert);
      return { key, cert };
    } catch {
      /* regenerate below */
    }
  }
  const kp = generateSelfSigned();
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, kp.key, { mode: 0o600 });
  writeFileSync(certPath, kp.cert);
  return kp;
}
