/** A JobManager Deployment as Flink's kubernetes-session.sh (1.19+) writes it (see KubernetesJobManagerFactory). */
export function jobManagerDeployment(opts: { clusterId: string; namespace: string; image?: string; mode?: 'session' | 'application' }) {
  const labels = { type: 'flink-native-kubernetes', app: opts.clusterId, component: 'jobmanager' };
  const target = opts.mode === 'application' ? 'kubernetes-application' : 'kubernetes-session';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: opts.clusterId, namespace: opts.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'default',
          hostNetwork: false,
          containers: [
            {
              name: 'flink-main-container',
              image: opts.image ?? 'flink:1.20',
              imagePullPolicy: 'IfNotPresent',
              command: ['/docker-entrypoint.sh'],
              args: ['bash', '-c', `kubernetes-jobmanager.sh ${target} `],
              ports: [
                { name: 'rest', containerPort: 8081 },
                { name: 'jobmanager-rpc', containerPort: 6123 },
                { name: 'blobserver', containerPort: 6124 },
              ],
              env: [{ name: '_POD_IP_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
              resources: { limits: { cpu: '1', memory: '1600Mi' }, requests: { cpu: '1', memory: '1600Mi' } },
            },
          ],
        },
      },
    },
  };
}
