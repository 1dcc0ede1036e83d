// The Flink CLI call that creates the same objects as the console does for a spec.
import type { ClusterSpec } from './cluster-spec-schema';
import { buildDynamicProperties, JOB_MANAGER_POD_TEMPLATE_FILE, TASK_MANAGER_POD_TEMPLATE_FILE } from './flink-config';
import { isFlink2 } from './flink-versions';

/** POSIX shell quoting: bare when safe, otherwise single quotes with '\'' for quotes. */
export function quoteShellArgument(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * `./bin/kubernetes-session.sh -D…` (session) or, for application mode,
 * `./bin/flink run-application -t kubernetes-application -D… [-c] [-p] [-s [-n]] <jar> <args>`.
 * Flink 2.x dropped the run-application action; there it is `./bin/flink run -t kubernetes-application`.
 * Pod templates are passed as local files (kubernetes.pod-template-file.*) that the caller writes
 * next to the command: jobmanager-pod-template.yaml / taskmanager-pod-template.yaml.
 */
export function buildCliArguments(spec: ClusterSpec): string[] {
  const dynamic = buildDynamicProperties(spec).map(([k, v]) => `-D${k}=${v}`);
  if (spec.mode !== 'application' || !spec.application) return ['./bin/kubernetes-session.sh', ...dynamic];
  const app = spec.application;
  const args = isFlink2(spec.flinkVersion)
    ? ['./bin/flink', 'run', '-t', 'kubernetes-application']
    : ['./bin/flink', 'run-application', '-t', 'kubernetes-application'];
  args.push(...dynamic);
  if (app.entryClass) args.push('-c', app.entryClass);
  if (app.parallelism !== undefined) args.push('-p', String(app.parallelism));
  if (app.savepointPath) args.push('-s', app.savepointPath);
  if (app.allowNonRestoredState) args.push('-n');
  args.push(app.jarUri, ...app.args);
  return args;
}

/** The command as one shell line, continued with backslashes for reading. */
export function buildCliCommand(spec: ClusterSpec): string {
  return buildCliArguments(spec).map(quoteShellArgument).join(' \\\n    ');
}

/** Files the command expects next to it (the pod templates passed as kubernetes.pod-template-file.*). */
export function buildCliFiles(spec: ClusterSpec): Array<{ name: string; content: string }> {
  const files: Array<{ name: string; content: string }> = [];
  if (spec.jobManager.podTemplate) files.push({ name: JOB_MANAGER_POD_TEMPLATE_FILE, content: spec.jobManager.podTemplate });
  if (spec.taskManager.podTemplate) files.push({ name: TASK_MANAGER_POD_TEMPLATE_FILE, content: spec.taskManager.podTemplate });
  return files;
}
