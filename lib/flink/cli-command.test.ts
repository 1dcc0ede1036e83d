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

describe('buildCliFiles', () => {
  it('lists the pod template files the command references', () => {
    const spec = clusterSpecSchema.parse({ clusterId: 't', taskManager: { podTemplate: 'spec: {}\n' } });
    expect(buildCliFiles(spec)).toEqual([{ name: 'taskmanager-pod-template.yaml', content: 'spec: {}\n' }]);
    expect(buildCliArguments(spec)).toContain('-Dkubernetes.pod-template-file.taskmanager=taskmanager-pod-template.yaml');
  });
});
