import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import type { RunJarInput } from '@/lib/flink-rest/versions';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { flinkClientFor, readClusterMode, resolveJarTarget, toPlainFlinkError, type FlinkClient, type FlinkConfig } from './flink-jar-calls';
import type { JarDto, JarListDto, JarRunRequest, JarRunResultDto, UploadedJarDto } from './jar-schemas';
import { peekJar, streamJarUpload, type JarBody } from './upload-jar';

type Cluster = { conn: Connection; namespace: string; clusterId: string };

/** Why a cluster takes no uploads, in a sentence; undefined when it does. */
function toRefusal(c: Cluster, mode: string, config: FlinkConfig): Extract<JarListDto, { uploads: false }> | undefined {
  const base = { uploads: false as const, flinkVersion: config.flinkVersion, jars: [] as [] };
  if (mode === 'application') {
    return {
      ...base,
      reason: 'application',
      message: `${c.clusterId} is an application cluster: it runs the one application it was started with, and Flink offers no jar upload on it. Upload jars to a session cluster.`,
    };
  }
  if (!config.webSubmit) {
    return { ...base, reason: 'web-submit-disabled', message: `${c.clusterId} does not take jar uploads: its configuration turns web submission off (web.submit.enable: false).` };
  }
  return undefined;
}

/** The cluster exists, its REST API answers, and it takes jars; else a plain ApiError. */
async function sessionClient(c: Cluster): Promise<{ client: FlinkClient; config: FlinkConfig; refusal?: Extract<JarListDto, { uploads: false }> }> {
  const mode = await readClusterMode(c.conn, c.namespace, c.clusterId);
  // The leader pod first: a cluster without a running JobManager is "not up yet" in plain words.
  await resolveJarTarget(c.conn, c.namespace, c.clusterId);
  const client = flinkClientFor(c.conn, c.namespace, c.clusterId);
  const config = await client.config();
  return { client, config, refusal: toRefusal(c, mode, config) };
}

async function acceptingClient(c: Cluster): Promise<{ client: FlinkClient; config: FlinkConfig }> {
  const s = await sessionClient(c);
  if (s.refusal) throw new ApiError('conflict', s.refusal.message);
  return s;
}

function toJarDto(f: { id?: string; name?: string; uploaded?: number; entry?: { name?: string }[] }): JarDto {
  return { id: f.id ?? '', name: f.name ?? '', uploaded: f.uploaded ?? 0, entryClasses: (f.entry ?? []).map((e) => e.name ?? '').filter(Boolean) };
}

export async function listClusterJars(c: Cluster): Promise<JarListDto> {
  const { client, config, refusal } = await sessionClient(c);
  if (refusal) return refusal;
  const list = await client.listJars();
  return { uploads: true, flinkVersion: config.flinkVersion, restoreModeField: config.capabilities.restoreModeField, jars: (list.files ?? []).map(toJarDto) };
}

/** Checks the file first (size, zip signature), then the cluster, then streams it to the leader. */
export async function uploadClusterJar(c: Cluster, jar: JarBody, signal?: AbortSignal): Promise<UploadedJarDto> {
  const peeked = await peekJar(jar);
  try {
    await acceptingClient(c);
    const target = await resolveJarTarget(c.conn, c.namespace, c.clusterId);
    return await streamJarUpload(c.conn, target, c.clusterId, peeked, signal);
  } finally {
    await peeked.reader.cancel().catch(() => undefined);
  }
}

/** The jar on the leader, or a plain not_found (jars live on the JobManager that received them). */
async function jarOrThrow(c: Cluster, client: FlinkClient, jarId: string): Promise<void> {
  const list = await client.listJars();
  if (!(list.files ?? []).some((f) => f.id === jarId)) {
    throw new ApiError(
      'not_found',
      `There is no jar ${jarId} on the JobManager of cluster ${c.clusterId}. It may have been deleted, or the JobManager restarted (uploaded jars live on its local disk).`,
    );
  }
}

export async function deleteClusterJar(c: Cluster, jarId: string): Promise<void> {
  const { client } = await acceptingClient(c);
  await jarOrThrow(c, client, jarId);
  await client.deleteJar(jarId).catch((err: unknown) => {
    throw toPlainFlinkError(err);
  });
}

/** The run form's input as the client's version-neutral RunJarInput (the client writes the line's body). */
export function toRunJarInput(input: JarRunRequest): RunJarInput {
  return {
    jobId: input.jobId.toLowerCase(),
    programArgs: input.programArgs,
    ...(input.entryClass ? { entryClass: input.entryClass } : {}),
    ...(input.parallelism !== undefined ? { parallelism: input.parallelism } : {}),
    // Restore options mean something only with a savepoint.
    ...(input.savepointPath
      ? {
          savepointPath: input.savepointPath,
          ...(input.allowNonRestoredState !== undefined ? { allowNonRestoredState: input.allowNonRestoredState } : {}),
          ...(input.restoreMode ? { restoreMode: input.restoreMode } : {}),
        }
      : {}),
    ...(input.flinkConfiguration && Object.keys(input.flinkConfiguration).length > 0 ? { flinkConfiguration: input.flinkConfiguration } : {}),
  };
}

export async function runClusterJar(c: Cluster, jarId: string, input: JarRunRequest): Promise<JarRunResultDto> {
  const { client } = await acceptingClient(c);
  await jarOrThrow(c, client, jarId);
  const jobId = input.jobId.toLowerCase();
  try {
    const result = await client.runJar(jarId, toRunJarInput(input));
    return { jobId: result.jobId };
  } catch (err) {
    const detail = err instanceof ApiError ? err.detail : undefined;
    if (typeof detail === 'string' && detail.includes('DuplicateJobSubmissionException')) {
      throw new ApiError('conflict', `Job ${jobId} was already submitted: this run was sent twice, and Flink kept the first.`, {
        details: { alreadySubmitted: true, jobId },
      });
    }
    throw toPlainFlinkError(err);
  }
}
