import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCliArguments, buildCliCommand, buildCliFiles, quoteShellArgument } from './cli-command';
import { clusterSpecSchema } from './cluster-spec-schema';

describe('quoteShellArgument', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(quoteShellArgument('-Dkubernetes.cluster-id=demo')).toBe('-Dkubernetes.cluster-id=demo');
    expect(quoteShellArgument('-Dpipeline.name=my job')).toBe("'-Dpipeline.name=my job'");
    expect(quoteShellArgument("it's")).toBe("'it'\\''s'");
    expect(quoteShellArgument('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(quoteShellArgument('a;b')).toBe("'a;b'");
    expect(quoteShellArgument('')).toBe("''");
  });
});

describe('buildCliArguments', () => {
  it('starts a session with kubernetes-session.sh and -D options, free config last', () => {
    const spec = clusterSpecSchema.parse({ clusterId: 'demo', flinkConfig: [{ key: 'kubernetes.jobmanager.cpu.amount', value: '2.0' }] });
    const args = buildCliArguments(spec);
    expect(args[0]).toBe('./bin/kubernetes-session.sh');
    expect(args).toContain('-Dkubernetes.cluster-id=demo');
    expect(args).not.toContain('-Dkubernetes.jobmanager.cpu.amount=1.0');
    expect(args.at(-1)).toBe('-Dkubernetes.jobmanager.cpu.amount=2.0');
  });
  it('uses run-application on 1.x and run on 2.x, with program options and arguments', () => {
    const application = {
      jarUri: 'local:///opt/flink/usrlib/job.jar',
      entryClass: 'org.example.Main',
      args: ['--mode', 'fast lane'],
      parallelism: 2,
      savepointPath: 's3://b/sp',
      allowNonRestoredState: true,
    };
    const v1 = buildCliArguments(clusterSpecSchema.parse({ clusterId: 'app', mode: 'application', flinkVersion: '1.20', application }));
    expect(v1.slice(0, 4)).toEqual(['./bin/flink', 'run-application', '-t', 'kubernetes-application']);
    expect(v1.slice(-10)).toEqual(['-c', 'org.example.Main', '-p', '2', '-s', 's3://b/sp', '-n', 'local:///opt/flink/usrlib/job.jar', '--mode', 'fast lane']);
    const v2 = buildCliArguments(clusterSpecSchema.parse({ clusterId: 'app', mode: 'application', flinkVersion: '2.1', application }));
    expect(v2.slice(0, 4)).toEqual(['./bin/flink', 'run', '-t', 'kubernetes-application']);
  });
  it('renders one shell command with continuation lines', () => {
    const spec = clusterSpecSchema.parse({ clusterId: 'demo', jobManager: { env: [{ name: 'A', value: 'x y' }] } });
    const command = buildCliCommand(spec);
    expect(command.startsWith('./bin/kubernetes-session.sh \\\n    -Dkubernetes.cluster-id=demo')).toBe(true);
    expect(command).toContain("'-Dcontainerized.master.env.A=x y'");
  });
});

describe('buildCliCommand lines', () => {
  const application = {
    jarUri: `local:///opt/flink/usrlib/${'very-long-directory-name/'.repeat(4)}my-job.jar`,
    entryClass: 'org.example.Main',
    args: ['--input', "it's here", '--mode', 'fast lane'],
    parallelism: 2,
    savepointPath: 's3://b/sp',
    allowNonRestoredState: true,
  };
  const spec = clusterSpecSchema.parse({ clusterId: 'app', mode: 'application', flinkVersion: '1.20', application, jobManager: { env: [{ name: 'A', value: 'x y' }] } });

  it('keeps each option with its value on one line, continued with a backslash', () => {
    const lines = buildCliCommand(spec).split('\n');
    expect(lines[0]).toBe('./bin/flink run-application \\');
    expect(lines[1]).toBe('    -t kubernetes-application \\');
    expect(lines).toContain('    -c org.example.Main \\');
    expect(lines).toContain('    -p 2 \\');
    expect(lines).toContain('    -s s3://b/sp \\');
    expect(lines).toContain('    -n \\');
    expect(lines).toContain("    '-Dcontainerized.master.env.A=x y' \\");
    expect(lines).toContain(`    ${application.jarUri} \\`);
    expect(lines.at(-1)).toBe("    --input 'it'\\''s here' --mode 'fast lane'");
    // Every line but the last ends with exactly one continuation; no token is alone on a line after its option.
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/[^\\] \\$/);
    expect(lines.some((l) => /^\s*(-t|-p|-c|-s)\s*\\?$/.test(l))).toBe(false);
  });

  it('is one command the shell reads back into exactly the arguments, for both modes and Flink 2', () => {
    const session = clusterSpecSchema.parse({ clusterId: 'demo', flinkConfig: [{ key: 'pipeline.name', value: "a 'quoted' $name" }] });
    const v2 = clusterSpecSchema.parse({ clusterId: 'app', mode: 'application', flinkVersion: '2.1', application });
    for (const s of [spec, session, v2]) {
      const out = execFileSync('bash', ['-c', `printf '%s\\0' ${buildCliCommand(s)}`], { encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual(buildCliArguments(s));
    }
  });
});

describe('buildCliFiles', () => {
  it('lists the pod template files the command references', () => {
    const spec = clusterSpecSchema.parse({ clusterId: 't', taskManager: { podTemplate: 'spec: {}\n' } });
    expect(buildCliFiles(spec)).toEqual([{ name: 'taskmanager-pod-template.yaml', content: 'spec: {}\n' }]);
    expect(buildCliArguments(spec)).toContain('-Dkubernetes.pod-template-file.taskmanager=taskmanager-pod-template.yaml');
  });
});
