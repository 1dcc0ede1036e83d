// Bearer-token authentication (admin, viewer, issued ServiceAccount tokens) and impersonation.
// ServiceAccount tokens are JWTs the server verifies by their signature, as kube-apiserver does:
// nothing is stored per token, so 20,000 pods with a projected token each cost no memory here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../rbac';
import type { Store } from '../store';

export interface TokenRecord {
  username: string;
  uid?: string;
  groups: string[];
  /** ServiceAccount tokens are valid while that ServiceAccount (with this uid) exists. */
  sa?: { namespace: string; name: string; uid: string };
  /** Tokens bound to a pod die with it. */
  pod?: { name: string; uid: string };
  exp?: number; // unix seconds
}

export const ADMIN_USER = 'sim-admin';
export const VIEWER_USER = 'sim-viewer';

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

/** Verified ServiceAccount tokens kept to skip the signature check (a bounded FIFO). */
const VERIFIED_CACHE = 4096;

export class Authenticator {
  private readonly verified = new Map<string, TokenRecord>();

  constructor(private readonly store: Store) {
    const ex = store.extra;
    ex.tokens ??= {};
    // state written by earlier versions stored every ServiceAccount token: they verify by signature now
    for (const [t, rec] of Object.entries(ex.tokens as Record<string, TokenRecord>)) if (rec.sa) delete ex.tokens[t];
    ex.signingKey ??= randomBytes(32).toString('hex');
    if (!ex.adminToken) {
      ex.adminToken = `sim-admin-${randomBytes(16).toString('hex')}`;
      ex.tokens[ex.adminToken] = { username: ADMIN_USER, groups: ['system:masters', 'system:authenticated'] } satisfies TokenRecord;
    }
    if (!ex.viewerToken) {
      ex.viewerToken = `sim-viewer-${randomBytes(16).toString('hex')}`;
      ex.tokens[ex.viewerToken] = { username: VIEWER_USER, groups: ['system:authenticated'] } satisfies TokenRecord;
    }
  }

  get adminToken(): string {
    return this.store.extra.adminToken;
  }
  get viewerToken(): string {
    return this.store.extra.viewerToken;
  }

  /** Issues a ServiceAccount token shaped like the real projected JWT. */
  issueServiceAccountToken(
    namespace: string,
    name: string,
    saUid: string,
    expirationSeconds: number,
    audiences: string[],
    boundPod?: { name: string; uid: string },
  ): { token: string; exp: number } {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + expirationSeconds;
    const header = { alg: 'RS256', kid: this.store.extra.signingKey.slice(0, 43) };
    const payload: Record<string, unknown> = {
      aud: audiences,
      exp,
      iat: now,
      iss: 'https://kubernetes.default.svc.cluster.local',
      'kubernetes.io': {
        namespace,
        ...(boundPod ? { pod: boundPod } : {}),
        serviceaccount: { name, uid: saUid },
      },
      nbf: now,
      sub: `system:serviceaccount:${namespace}:${name}`,
    };
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, exp };
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.store.extra.signingKey).update(unsigned).digest('base64url');
  }

  /** The record of a ServiceAccount token this server signed, undefined for anything else. */
  private verifyServiceAccountToken(token: string): TokenRecord | undefined {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const want = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const got = Buffer.from(parts[2]);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    let claims: any;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const k = claims?.['kubernetes.io'];
    if (!k?.namespace || !k.serviceaccount?.name || !k.serviceaccount?.uid) return undefined;
    const namespace: string = k.namespace;
    const name: string = k.serviceaccount.name;
    const rec: TokenRecord = {
      username: `system:serviceaccount:${namespace}:${name}`,
      uid: k.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      sa: { namespace, name, uid: k.serviceaccount.uid },
      ...(k.pod?.name && k.pod?.uid ? { pod: { name: k.pod.name, uid: k.pod.uid } } : {}),
      exp: claims.exp,
    };
    this.verified.set(token, rec);
    if (this.verified.size > VERIFIED_CACHE) this.verified.delete(this.verified.keys().next().value as string);
    return rec;
  }

  /** The user of a request, undefined when the token is missing or unknown (401). */
  authenticate(req: IncomingMessage): UserInfo | undefined | 'anonymous' {
    const h = req.headers.authorization;
    if (!h) return 'anonymous';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return undefined;
    const token = m[1].trim();
    const fixed = this.store.extra.tokens as Record<string, TokenRecord>;
    const rec = Object.hasOwn(fixed, token) ? fixed[token] : this.verifyServiceAccountToken(token);
    if (!rec) return undefined;
    if (rec.exp && rec.exp < Date.now() / 1000) return undefined;
    if (!this.live(rec)) return undefined;
    return { username: rec.username, uid: rec.uid, groups: [...rec.groups] };
  }

  /** A ServiceAccount token is valid while its ServiceAccount (and bound pod) exist with the same uid. */
  private live(rec: TokenRecord): boolean {
    if (rec.sa) {
      const sa = this.store.getEntry('/serviceaccounts', rec.sa.namespace, rec.sa.name);
      if (!sa || sa.sel.uid !== rec.sa.uid) return false;
      if (rec.pod) {
        const pod = this.store.getEntry('/pods', rec.sa.namespace, rec.pod.name);
        if (!pod || pod.sel.uid !== rec.pod.uid) return false;
      }
    }
    return true;
  }

  /** Drops tokens that expired or whose ServiceAccount/pod is gone (keeps state.json small). */
  prune(): void {
    const now = Date.now() / 1000;
    for (const [t, rec] of Object.entries(this.store.extra.tokens as Record<string, TokenRecord>)) {
      if ((rec.exp && rec.exp < now) || !this.live(rec)) delete this.store.extra.tokens[t];
    }
  }
}

export interface ImpersonationRequest {
  user?: string;
  groups: string[];
  uid?: string;
  extra: Record<string, string[]>;
}

export function impersonationHeaders(req: IncomingMessage): ImpersonationRequest | undefined {
  const user = req.headers['impersonate-user'];
  const groupsRaw = req.headersDistinct?.['impersonate-group'] ?? [];
  const uid = req.headers['impersonate-uid'];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headersDistinct ?? {})) {
    if (k.startsWith('impersonate-extra-') && v) extra[decodeURIComponent(k.slice('impersonate-extra-'.length))] = v;
  }
  if (user === undefined && groupsRaw.length === 0 && uid === undefined && Object.keys(extra).length === 0) return undefined;
  return { user: typeof user === 'string' ? user : undefined, groups: groupsRaw, uid: typeof uid === 'string' ? uid : undefined, extra };
}
