import { execFile } from 'node:child_process';

function kubeconfig(): string {
  const path = process.env.E2E_KUBECONFIG;
  if (!path) throw new Error('E2E_KUBECONFIG is not set: run through playwright (global setup)');
  return path;
}

/** Runs kubectl against the test's simulated cluster: the world changes out of band of the UI. */
export function kubectl(args: string[], input?: string, kubeconfigPath: string = kubeconfig()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfigPath, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** POST to the sim's control API with its admin token. */
export async function simControl(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${process.env.E2E_SIM_URL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.E2E_SIM_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}
