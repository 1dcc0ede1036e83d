// log4j-console lines as Flink's distribution prints them:
// %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n   (conf/log4j-console.properties)
export type Level = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

function pad2(n: number) {
  return String(n).padStart(2, '0');
}

export function logTimestamp(d = new Date()): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())},${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

export class FlinkLogger {
  readonly lines: string[] = [];
  constructor(private readonly sink: (line: string) => void) {}

  log(level: Level, logger: string, message: string, error?: { javaClass: string; message: string }) {
    const text = `${logTimestamp()} ${level.padEnd(5)} ${logger.padEnd(60)} [] - ${message}`;
    this.emit(text);
    if (error) {
      this.emit(`${error.javaClass}: ${error.message}`);
      this.emit(`\tat ${stackFrameFor(logger)}`);
    }
  }
  info(logger: string, message: string) {
    this.log('INFO', logger, message);
  }
  warn(logger: string, message: string, error?: { javaClass: string; message: string }) {
    this.log('WARN', logger, message, error);
  }
  error(logger: string, message: string, error?: { javaClass: string; message: string }) {
    this.log('ERROR', logger, message, error);
  }
  raw(line: string) {
    this.emit(line);
  }
  private emit(line: string) {
    this.lines.push(line);
    if (this.lines.length > 5000) this.lines.splice(0, 1000);
    this.sink(line);
  }
}

function stackFrameFor(logger: string): string {
  const cls = logger.split('.').pop() ?? logger;
  return `${logger}.run(${cls}.java:0) ~[flink-dist.jar:?]`;
}

export const L = {
  entrypoint: 'org.apache.flink.runtime.entrypoint.ClusterEntrypoint',
  k8sSession: 'org.apache.flink.kubernetes.entrypoint.KubernetesSessionClusterEntrypoint',
  k8sApp: 'org.apache.flink.kubernetes.entrypoint.KubernetesApplicationClusterEntrypoint',
  globalConf: 'org.apache.flink.configuration.GlobalConfiguration',
  rm: 'org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager',
  rmDriver: 'org.apache.flink.kubernetes.KubernetesResourceManagerDriver',
  slotManager: 'org.apache.flink.runtime.resourcemanager.slotmanager.FineGrainedSlotManager',
  dispatcher: 'org.apache.flink.runtime.dispatcher.StandaloneDispatcher',
  jobMaster: 'org.apache.flink.runtime.jobmaster.JobMaster',
  executionGraph: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
  checkpointCoordinator: 'org.apache.flink.runtime.checkpoint.CheckpointCoordinator',
  rest: 'org.apache.flink.runtime.dispatcher.DispatcherRestEndpoint',
  leaderElection: 'org.apache.flink.runtime.leaderelection.DefaultLeaderElectionService',
  k8sLeaderElector: 'org.apache.flink.kubernetes.kubeclient.resources.KubernetesLeaderElector',
  k8sClient: 'org.apache.flink.kubernetes.kubeclient.Fabric8FlinkKubeClient',
  taskExecutor: 'org.apache.flink.runtime.taskexecutor.TaskExecutor',
  tmRunner: 'org.apache.flink.kubernetes.taskmanager.KubernetesTaskExecutorRunner',
  tmRunnerCore: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
  appBootstrap: 'org.apache.flink.client.deployment.application.ApplicationDispatcherBootstrap',
  jarRun: 'org.apache.flink.runtime.webmonitor.handlers.JarRunHandler',
  haServices: 'org.apache.flink.kubernetes.highavailability.KubernetesLeaderElectionHaServices',
  leaderRetrieval: 'org.apache.flink.runtime.leaderretrieval.DefaultLeaderRetrievalService',
};
