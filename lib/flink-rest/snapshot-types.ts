// The cluster page's view of the JobManager REST API (GET /api/clusters/:ns/:id/flink). Browser-safe: types only.
import type { RestLine } from './versions';

export type FlinkRestSnapshot =
  | {
      reachable: true;
      flinkVersion: string;
      /** The REST line (spec) used for this cluster: 1.19, 1.20, 2.0 (also 2.1, 2.2) or 2.3. */
      restLine?: RestLine;
      /** features.web-submit: jars can be uploaded and run. */
      webSubmit?: boolean;
      overview: {
        taskmanagers: number;
        'slots-total': number;
        'slots-available': number;
        'jobs-running': number;
        'jobs-finished': number;
        'jobs-cancelled': number;
        'jobs-failed': number;
      };
      jobs: { id: string; name: string; state: string; startTime: number; duration: number; applicationId?: string }[];
    }
  | { reachable: false; message: string };
