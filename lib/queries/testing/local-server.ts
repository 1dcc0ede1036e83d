// Test support: a real local HTTP server standing in for the dashboard's API (node:http), which
// records every request and answers with whatever the test sets. It can be closed (dropping open
// connections) and started again on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** `at`: when the request arrived (Date.now()). */
export type RecordedRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: string; at: number };
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

export type LocalServer = {
  /** http://127.0.0.1:port (no trailing slash). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: Handler): void;
  /** Stops listening and destroys every open connection (a dropped SSE stream). */
  close(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
};

export async function startLocalServer(handler: Handler = (_req, res) => res.end()): Promise<LocalServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;

  const listen = async () => {
    server = createServer((req, res) => {
      const at = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, at });
        Promise.resolve(current(req, res, body)).catch((err: unknown) => {
          res.destroy(err instanceof Error ? err : new Error(String(err)));
        });
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restart: listen,
  };
}

/** Answers JSON with a status, as the dashboard's routes do. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
