'use client';

import { TextField } from './field';
import { FormSection } from './form-section';
import { issuesAt } from './form-draft';
import type { SectionProps } from './section-props';

/** JobManager or TaskManager resources. */
export function ResourcesSection({ draft, onChange, issues, role }: SectionProps & { role: 'jobManager' | 'taskManager' }) {
  const jm = role === 'jobManager';
  const flinkRole = jm ? 'jobmanager' : 'taskmanager';
  const pod = draft[role];
  const set = (key: string, value: string) => onChange({ ...draft, [role]: { ...pod, [key]: value } });
  const at = (key: string) => issuesAt(issues, `${role}.${key}`);
  const keys = ['cpu', 'memory', 'cpuLimitFactor', 'memoryLimitFactor', jm ? 'replicas' : 'slots', 'idleTimeout'];
  const label = jm ? 'JobManager' : 'TaskManager';
  return (
    <FormSection title={jm ? 'JobManager' : 'TaskManagers'} description="cpu, memory" hasIssues={keys.some((k) => at(k).length > 0)}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={`${label} CPU`} option={`kubernetes.${flinkRole}.cpu.amount`} value={pod.cpu} onChange={(v) => set('cpu', v)} issues={at('cpu')} mono />
        <TextField label={`${label} memory`} option={`${flinkRole}.memory.process.size`} help="A Kubernetes quantity such as 1600Mi or 2Gi." value={pod.memory} onChange={(v) => set('memory', v)} issues={at('memory')} mono />
        <TextField label={`${label} CPU limit factor`} option={`kubernetes.${flinkRole}.cpu.limit-factor`} value={pod.cpuLimitFactor} onChange={(v) => set('cpuLimitFactor', v)} issues={at('cpuLimitFactor')} mono />
        <TextField label={`${label} memory limit factor`} option={`kubernetes.${flinkRole}.memory.limit-factor`} value={pod.memoryLimitFactor} onChange={(v) => set('memoryLimitFactor', v)} issues={at('memoryLimitFactor')} mono />
        {jm ? (
          <TextField label="JobManager replicas" option="kubernetes.jobmanager.replicas" help="More than 1 needs high availability." value={draft.jobManager.replicas} onChange={(v) => set('replicas', v)} issues={at('replicas')} mono />
        ) : (
          <>
            <TextField label="Task slots per TaskManager" option="taskmanager.numberOfTaskSlots" value={draft.taskManager.slots} onChange={(v) => set('slots', v)} issues={at('slots')} mono />
            <TextField label="Idle TaskManager timeout" option="resourcemanager.taskmanager-timeout" help="Empty keeps Flink's default (30 s)." placeholder="30 s" value={draft.taskManager.idleTimeout} onChange={(v) => set('idleTimeout', v)} issues={at('idleTimeout')} mono />
          </>
        )}
      </div>
    </FormSection>
  );
}
