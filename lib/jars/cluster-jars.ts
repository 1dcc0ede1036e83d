import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { deleteJar, getDashboardConfig, listJars, resolveJarTarget, runJar, type JarTarget } from './flink-jar-calls';
import type { JarDto, JarListDto, JarRunRequest, JarRunResultDto, UploadedJarDto } from './jar-schemas';
import { peekJar, streamJarUpload, type JarBody } from './upload-jar';

type Cluster = { conn: Connection; namespace: string; clusterId: string };

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map((x) => Number.parseInt(x, 10));
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** The run body's restore-mode field: `restoreMode` up to 1.19, `claimMode` from 1.20 (restoreMode deprecated). */
export function restoreModeField(flinkVersion: string): 'restoreMode' | 'claimMode' {
  return versionAtLeast(flinkVersion, 1, 20) ? 'claimMode' : 'restoreMode';
}

/** Why a cluster takes no uploads, in a sentence; undefined when it does. */
async function readUploadState(c: Cluster, target: JarTarget): Promise<{ flinkVersion: string; refusal?: Extract<JarListDto, { uploads: false }> }> {
  const config = await getDashboardConfig(c.conn, target, c.clusterId);
  const flinkVersion = config['flink-version'];
  if (target.mode === 'application') {
    return {
      flinkVersion,
      refusal: {
        uploads: false,
        flinkVersion,
        reason: 'application',
        message: `${c.clusterId} is an application cluster: it runs the one application it was started with, and Flink offers no jar upload on it. Upload jars to a session cluster.`,
        jars: [],
      },
    };
  }
  if (config.features?.['web-submit'] === false) {
    return {
      flinkVersion,
      refusal: {
        uploads: false,
        flinkVersion,
        reason: 'web-submit-disabled',
        message: `${c.clusterId} does not take jar uploads: its configuration turns web submission off (web.submit.enable: false).`,
        jars: [],
      },
    };
  }
  return { flinkVersion };
}

function toJarDto(f: { id: string; name: string; uploaded: number; entry: { name: string }[] }): JarDto {
  return { id: f.id, name: f.name, uploaded: f.uploaded, entryClasses: f.entry.map((e) => e.name) };
}

export async function listClusterJars(c: Cluster): Promise<JarListDto> {
  const target = await resolveJarTarget(c.conn, c.namespace, c.clusterId);
  const state = await readUploadState(c, target);
  if (state.refusal) return state.refusal;
  const list = await listJars(c.conn, target, c.clusterId);
  return { uploads: true, flinkVersion: state.flinkVersion, restoreModeField: restoreModeField(state.flinkVersion), jars: list.files.map(toJarDto) };
}

async function sessionTarget(c: Cluster): Promise<{ target: JarTarget; flinkVersion: string }> {
  const target = await resolveJarTarget(c.conn, c.namespace, c.clusterId);
  const state = await readUploadState(c, target);
  if (state.refusal) throw new ApiError('conflict', state.refusal.message);
  return { target, flinkVersion: state.flinkVersion };
}

/** Checks the file first (size, zip signature), then the cluster, then streams it to the leader. */
export async function uploadClusterJar(c: Cluster, jar: JarBody, signal?: AbortSignal): Promise<UploadedJarDto> {
  const peeked = await peekJar(jar);
  try {
    const { target } = await sessionTarget(c);
    return await streamJarUpload(c.conn, target, c.clusterId, peeked, signal);
  } finally {
    await peeked.reader.cancel().catch(() => undefined);
  }
}

/** The jar on the leader, or a plain not_found (jars live on the JobManager that received them). */
async function jarOrThrow(c: Cluster, target: JarTarget, jarId: string): Promise<JarDto> {
  const list = await listJars(c.conn, target, c.clusterId);
  const jar = list.files.find((f) => f.id === jarId);
  if (!jar) {
    throw new ApiError(
      'not_found',
      `There is no jar ${jarId} on the JobManager of cluster ${c.clusterId}. It may have been deleted, or the JobManager restarted (uploaded jars live on its local disk).`,
    );
  }
  return toJarDto(jar);
}

export async function deleteClusterJar(c: Cluster, jarId: string): Promise<void> {
  const { target } = await sessionTarget(c);
  await jarOrThrow(c, target, jarId);
  await deleteJar(c.conn, target, c.clusterId, jarId);
}

/** Flink's JarRunRequestBody for the cluster's version (field names from the OpenAPI file of that version). */
export function toJarRunBody(input: JarRunRequest, flinkVersion: string): Record<string, unknown> {
  const body: Record<string, unknown> = { jobId: input.jobId.toLowerCase(), programArgsList: input.programArgs };
  if (input.entryClass) body.entryClass = input.entryClass;
  if (input.parallelism !== undefined) body.parallelism = input.parallelism;
  if (input.savepointPath) {
    body.savepointPath = input.savepointPath;
    if (input.allowNonRestoredState !== undefined) body.allowNonRestoredState = input.allowNonRestoredState;
    if (input.restoreMode) body[restoreModeField(flinkVersion)] = input.restoreMode;
  }
  if (input.flinkConfiguration && Object.keys(input.flinkConfiguration).length > 0) body.flinkConfiguration = input.flinkConfiguration;
  return body;
}

export async function runClusterJar(c: Cluster, jarId: string, input: JarRunRequest): Promise<JarRunResultDto> {
  const { target, flinkVersion } = await sessionTarget(c);
  await jarOrThrow(c, target, jarId);
  try {
    const { jobid } = await runJar(c.conn, target, c.clusterId, jarId, toJarRunBody(input, flinkVersion));
    return { jobId: jobid };
  } catch (err) {
    const detail = err instanceof ApiError ? err.details?.flinkError : undefined;
    if (typeof detail === 'string' && detail.includes('DuplicateJobSubmissionException')) {
      throw new ApiError('conflict', `Job ${input.jobId.toLowerCase()} was already submitted: this run was sent twice, and Flink kept the first.`, {
        details: { alreadySubmitted: true, jobId: input.jobId.toLowerCase() },
      });
    }
    throw err;
  }
}
