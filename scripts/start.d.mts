// Types of what scripts/start.mjs exports (for its tests).
export declare const EXIT_DATA_DIR_HELD: number;
export declare function findKubeconfigSource(env: NodeJS.ProcessEnv): string | null;
export declare function simDataDir(env: NodeJS.ProcessEnv): string;
export declare function describeExit(code: number | null, signal: NodeJS.Signals | null): string;
export declare function kubeconfigTarget(kubeconfigPath: string): { server: string; ca?: string; token?: string };
export declare function apiServerProblem(kubeconfigPath: string, timeoutMs?: number): Promise<string | undefined>;
export declare function waitForApiServer(kubeconfigPath: string, opts?: { timeoutMs?: number; gone?: Promise<string | undefined> }): Promise<void>;
export declare function waitForHttp(url: string, opts: { timeoutMs: number; gone?: Promise<string | undefined> }): Promise<void>;
export declare function pidAlive(pid: number): boolean;
export declare function groupAlive(pgid: number): boolean;
export declare function runningSim(dataDir: string): Promise<{ pid: number; url: string; kubeconfig: string } | undefined>;
export declare function main(argv?: string[], env?: NodeJS.ProcessEnv): Promise<void>;
