// The container-runtime seam between sim/kube's kubelet and whatever simulates a container
// (sim/flink, or the generic process runtime). This file is the contract: change it with care.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP handler bound to podIP:port. The proxy hands it the live request stream (uploads stream). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Everything a simulated container can see, as a real process would. */
export interface ContainerContext {
  namespace: string;
  podName: string;
  podUid: string;
  nodeName: string;
  podIP: string;
  hostIP: string;
  containerName: string;
  image: string;
  command: string[];
  args: string[];
  /** Resolved environment (value, fieldRef, configMapKeyRef, secretKeyRef, envFrom). */
  env: Record<string, string>;
  /** Mounted files: absolute path inside the container -> UTF-8 content (ConfigMap, Secret, projected token). */
  files: Record<string, string>;
  /** The pod's ServiceAccount token, when one is mounted. */
  serviceAccountToken?: string;
  /** Where the API server is, as seen from inside the pod (the sim's loopback URL). */
  apiServerUrl: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ports: { name?: string; containerPort: number; protocol?: string }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  restartCount: number;
  /** The sim's data folder; a runtime keeps its own persistent state below it. */
  dataDir: string;
  /** Appends one line to the container's log (the kubelet records the timestamp). */
  log(line: string): void;
  /** Opens podIP:port. Until a handler listens, the proxy answers "connection refused". */
  listen(port: number, handler: HttpHandler): void;
  unlisten(port: number): void;
  /** Aborted when the kubelet stops the container (pod deleted, killed through the control API). */
  signal: AbortSignal;
  /** The process ends by itself. code 0 -> Completed, otherwise Error (or the reason given, e.g. OOMKilled). */
  exit(code: number, reason?: string): void;
}

export interface ContainerProcess {
  /** Called on pod deletion or kill; resolve when the process has shut down. */
  stop(gracePeriodSeconds: number): void | Promise<void>;
}

export interface Runtime {
  name: string;
  /** Whether this runtime simulates the container. Checked newest registration first. */
  handles(container: { image: string; command: string[]; args: string[] }): boolean;
  start(ctx: ContainerContext): ContainerProcess | Promise<ContainerProcess>;
}

/** An image that can be "pulled". Anything else gets ErrImagePull, as a registry answers. */
export type ImageMatcher = (image: string) => boolean;

export interface RuntimeRegistry {
  /** Adds images that exist. */
  addImages(matcher: ImageMatcher): void;
  isKnownImage(image: string): boolean;
  /** Later registrations win over earlier ones. */
  register(runtime: Runtime): void;
  resolve(container: { image: string; command: string[]; args: string[] }): Runtime | undefined;
}

export function createRuntimeRegistry(): RuntimeRegistry {
  const images: ImageMatcher[] = [];
  const runtimes: Runtime[] = [];
  return {
    addImages: (m) => void images.push(m),
    isKnownImage: (image) => images.some((m) => m(image)),
    register: (r) => void runtimes.unshift(r),
    resolve: (c) => runtimes.find((r) => r.handles(c)),
  };
}

/** Splits an image reference into repository (without docker.io/ or docker.io/library/), tag and digest. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  rest = rest.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '').replace(/^library\//, '');
  return { repository: rest, tag, digest };
}

/** What the kubelets offer the API server: the pod network (for the proxy) and container logs. */
export interface PodIO {
  /** The handler listening on podIP:port, or undefined: "connection refused". */
  dial(ip: string, port: number): HttpHandler | undefined;
  /**
   * A container's log. Lines come without a trailing newline; with `timestamps` each line is prefixed
   * with the RFC3339Nano time and a space, as the kubelet does. With `follow` the iterable stays open
   * until the container stops or the signal aborts. Returns an error message string when there is
   * no such container (or no previous instance), worded as the kubelet words it.
   */
  openLog(
    namespace: string,
    pod: string,
    container: string,
    opts: { follow?: boolean; previous?: boolean; tailLines?: number; sinceSeconds?: number; timestamps?: boolean; limitBytes?: number },
    signal: AbortSignal,
  ): AsyncIterable<string> | string;
}
