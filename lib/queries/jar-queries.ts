import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { JarListDto, JarRunInput, JarRunResultDto, UploadedJarDto } from '@/lib/jars/jar-schemas';
import { ClientApiError } from './fetch-json';
import { csrfHeaders } from '@/lib/security/csrf-token';

// The jar routes' HTTP contract for the browser (types only from the server side).
export type { JarDto, JarListDto, JarRunInput, JarRunResultDto, UploadedJarDto } from '@/lib/jars/jar-schemas';

export type JarClusterRef = { context?: string; namespace: string; clusterId: string };

function base(ref: JarClusterRef): string {
  return `/api/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}/jars`;
}
function search(ref: JarClusterRef, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(ref.context ? { context: ref.context } : {}), ...extra }).toString();
  return params ? `?${params}` : '';
}

/** A JobManager restart loses its jars: the list is read again now and then while the page is open. */
export const JAR_LIST_REFETCH_MS = 10_000;

export const jarQueries = {
  all: () => ['jars'] as const,
  list: (ref: JarClusterRef) =>
    queryOptions({
      queryKey: [...jarQueries.all(), ref.context ?? '', ref.namespace, ref.clusterId] as const,
      queryFn: ({ signal }) => fetchJarJson<JarListDto>(`${base(ref)}${search(ref)}`, { signal }),
      refetchInterval: JAR_LIST_REFETCH_MS,
      retry: false,
    }),
};

/** 32 hex digits from the browser's CSPRNG: the job id of one run, kept across retries and double clicks. */
export function newJobId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A ClientApiError that keeps the error's `detail` (Flink's full text, shown behind "Show details"). */
export class JarApiError extends ClientApiError {
  constructor(
    code: string,
    message: string,
    status: number,
    issues?: { path: string; message: string }[],
    details?: Record<string, unknown>,
    readonly detail?: string,
  ) {
    super(code, message, status, issues, details);
  }
}

function toClientError(status: number, text: string): ClientApiError {
  try {
    const { error } = JSON.parse(text) as {
      error?: { code?: string; message?: string; issues?: { path: string; message: string }[]; details?: Record<string, unknown>; detail?: string };
    };
    if (error?.code && error.message) return new JarApiError(error.code, error.message, status, error.issues, error.details, error.detail);
  } catch {
    // not the dashboard's error shape
  }
  return new ClientApiError('internal', `The server answered ${status}.`, status);
}

/** fetch for the jar routes: JSON in, JSON out; errors keep their `detail`. */
async function fetchJarJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...csrfHeaders(), ...init?.headers } });
    text = await res.text();
  } catch (err) {
    if (init?.signal?.aborted) throw err;
    throw new ClientApiError('unavailable', 'Cannot reach the dashboard server.', 0);
  }
  if (!res.ok) throw toClientError(res.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

export type UploadProgress = { loaded: number; total: number };

/**
 * Uploads a file with XMLHttpRequest, whose upload.onprogress follows the bytes really sent (fetch
 * has no upload progress). The body is the file itself; the server streams it on to the JobManager.
 */
export function uploadJar(ref: JarClusterRef, file: File, onProgress: (p: UploadProgress) => void): { done: Promise<UploadedJarDto>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedJarDto>((resolve, reject) => {
    xhr.open('POST', `${base(ref)}${search(ref, { name: file.name })}`);
    xhr.setRequestHeader('content-type', 'application/java-archive');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadedJarDto);
        } catch {
          reject(new ClientApiError('internal', 'The server answered the upload with something that is not JSON.', xhr.status));
        }
      } else reject(toClientError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ClientApiError('unavailable', 'The upload could not reach the dashboard server.', 0));
    xhr.onabort = () => reject(new ClientApiError('bad_request', 'The upload was cancelled.', 0));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

export function useDeleteJar(ref: JarClusterRef) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jarId: string) => fetchJarJson<void>(`${base(ref)}/${encodeURIComponent(jarId)}${search(ref)}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jarQueries.list(ref).queryKey }),
  });
}

export function useRunJar(ref: JarClusterRef) {
  return useMutation({
    mutationFn: (vars: { jarId: string; input: JarRunInput }) =>
      fetchJarJson<JarRunResultDto>(`${base(ref)}/${encodeURIComponent(vars.jarId)}/run${search(ref)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(vars.input),
      }),
  });
}
