import 'server-only';
import { K8sStatusError } from '../errors';

export { callK8s, type K8sCall } from '../request';

/** True when `err` is an answer of the API server with this status code. */
export function hasStatus(err: unknown, status: number): boolean {
  return err instanceof K8sStatusError && err.statusCode === status;
}
