// The self-signed serving certificate: always valid DER (no non-minimal INTEGERs), for 127.0.0.1.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateSelfSigned } from '../apiserver/tls';

describe('generateSelfSigned', () => {
  it('produces certificates OpenSSL parses, valid for 127.0.0.1 and localhost, signed by their own key', () => {
    for (let i = 0; i < 200; i++) {
      const kp = generateSelfSigned();
      const cert = new X509Certificate(kp.cert);
      expect(() => createSecureContext({ key: kp.key, cert: kp.cert })).not.toThrow();
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkHost('localhost')).toBe('localhost');
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(kp.key))).toBe(true);
      expect(cert.ca).toBe(true);
    }
  });
});
