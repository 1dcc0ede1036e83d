// The in-process pod network: podIP:port -> the handler a simulated container listens with.
// No real sockets are opened; the API server's proxy dials through this map.
import type { HttpHandler } from '../runtime';

export class PodNetwork {
  private readonly listeners = new Map<string, HttpHandler>();

  listen(ip: string, port: number, handler: HttpHandler): void {
    this.listeners.set(`${ip}:${port}`, handler);
  }
  unlisten(ip: string, port: number, handler?: HttpHandler): void {
    const k = `${ip}:${port}`;
    if (!handler || this.listeners.get(k) === handler) this.listeners.delete(k);
  }
  dial(ip: string, port: number): HttpHandler | undefined {
    return this.listeners.get(`${ip}:${port}`);
  }
  has(ip: string, port: number): boolean {
    return this.listeners.has(`${ip}:${port}`);
  }
}
