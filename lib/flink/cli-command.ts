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
 *
 * The tokens come grouped as a person writes them on lines: the program and its action, each
 * option with its value (`-t kubernetes-application`, `-p 2`, `-Dkey=value`), the jar, then the
 * program's arguments together.
 */
export function buildCliLines(spec: ClusterSpec): string[][] {
  const dynamic = buildDynamicProperties(spec).map(([k, v]) => [`-D${k}=${v}`]);
  if (spec.mode !== 'application' || !spec.application) return [['./bin/kubernetes-session.sh'], ...dynamic];
  const app = spec.application;
  const lines: string[][] = [isFlink2(spec.flinkVersion) ? ['./bin/flink', 'run'] : ['./bin/flink', 'run-application'], ['-t', 'kubernetes-application'], ...dynamic];
  if (app.entryClass) lines.push(['-c', app.entryClass]);
  if (app.parallelism !== undefined) lines.push(['-p', String(app.parallelism)]);
  if (app.savepointPath) lines.push(['-s', app.savepointPath]);
  if (app.allowNonRestoredState) lines.push(['-n']);
  lines.push([app.jarUri]);
  if (app.args.length > 0) lines.push([...app.args]);
  return lines;
}

/** The command's arguments, one string each (what the shell hands to the program). */
export function buildCliArguments(spec: ClusterSpec): string[] {
  return buildCliLines(spec).flat();
}

/** The command as a shell user writes it: one option per line, continued with a backslash. */
export function buildCliCommand(spec: ClusterSpec): string {
  return buildCliLines(spec)
    .map((tokens) => tokens.map(quoteShellArgument).join(' '))
    .join(' \\\n    ');
}

/** Files the command expects next to it (the pod templates passed as kubernetes.pod-template-file.*). */
export function buildCliFiles(spec: ClusterSpec): Array<{ name: string; content: string }> {
  const files: Array<{ name: string; content: string }> = [];
  if (spec.jobManager.podTemplate) files.push({ name: JOB_MANAGER_POD_TEMPLATE_FILE, content: spec.jobManager.podTemplate });
  if (spec.taskManager.podTemplate) files.push({ name: TASK_MANAGER_POD_TEMPLATE_FILE, content: spec.taskManager.podTemplate });
  return files;
}
