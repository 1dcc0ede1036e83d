// The generic container runtime: busybox-style commands, nginx and the pause image.
// Known images: busybox, nginx (any tag, docker.io prefixes) and registry.k8s.io/pause.
import { parseImage, type ContainerContext, type ContainerProcess, type Runtime, type RuntimeRegistry } from '../runtime';

const NGINX_PAGE = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export function isGenericImage(image: string): boolean {
  const { repository } = parseImage(image);
  return repository === 'busybox' || repository === 'nginx' || repository === 'registry.k8s.io/pause' || repository === 'k8s.gcr.io/pause';
}

/** Parses `sh -c "..."` scripts of the simple kinds tests use: exit N, sleep N, true, false, echo, chained with ; && ||. */
function runScript(script: string): { logs: string[]; sleepMs: number; exitCode: number | undefined } {
  const logs: string[] = [];
  let sleepMs = 0;
  for (const raw of script.split(/;|&&|\n/)) {
    const cmd = raw.trim();
    if (!cmd) continue;
    let m: RegExpExecArray | null;
    if ((m = /^exit(?:\s+(\d+))?$/.exec(cmd))) return { logs, sleepMs, exitCode: m[1] ? parseInt(m[1], 10) : 0 };
    if ((m = /^sleep\s+([\d.]+)$/.exec(cmd))) sleepMs += parseFloat(m[1]) * 1000;
    else if ((m = /^sleep\s+(infinity)$/.exec(cmd))) return { logs, sleepMs, exitCode: undefined };
    else if ((m = /^echo\s+(.*)$/.exec(cmd))) logs.push(m[1].replace(/^["']|["']$/g, ''));
    else if (cmd === 'true') continue;
    else if (cmd === 'false') return { logs, sleepMs, exitCode: 1 };
    else if (/^while\b|^tail\s+-f/.test(cmd)) return { logs, sleepMs, exitCode: undefined };
  }
  return { logs, sleepMs, exitCode: 0 };
}

export function createGenericRuntime(): Runtime {
  return {
    name: 'generic',
    // Registered at start(), after sim/flink: it must claim only its own images. The kubelet also
    // uses it as the fallback for a known image that no runtime claims.
    handles: (c) => isGenericImage(c.image),
    start(ctx: ContainerContext): ContainerProcess {
      const argv = [...ctx.command, ...ctx.args];
      const { repository } = parseImage(ctx.image);
      const bin = (argv[0] ?? '').replace(/^.*\//, '');
      if (repository === 'nginx' && (!argv.length || bin === 'nginx' || bin === 'docker-entrypoint.sh')) return startNginx(ctx);
      if (!argv.length && /pause$/.test(repository)) return { stop: () => {} };
      // What runs on is a timer at most: it keeps the exit callback, not the container context.
      const proc = timedExit(ctx.exit, ctx.signal);
      if (bin === 'sleep' && argv[1] !== undefined) {
        if (argv[1] !== 'infinity') proc.exitAfter(parseFloat(argv[1]) * 1000, 0);
        return proc;
      }
      if (bin === 'true') {
        proc.exitAfter(0, 0);
        return proc;
      }
      if (bin === 'false') {
        proc.exitAfter(0, 1);
        return proc;
      }
      if (bin === 'echo') {
        ctx.log(argv.slice(1).join(' '));
        proc.exitAfter(0, 0);
        return proc;
      }
      if ((bin === 'sh' || bin === 'bash' || bin === 'ash') && argv[1] === '-c' && argv[2] !== undefined) {
        const r = runScript(argv[2]);
        for (const l of r.logs) ctx.log(l);
        if (r.exitCode !== undefined) proc.exitAfter(r.sleepMs, r.exitCode);
        return proc;
      }
      // Anything else runs until stopped.
      if (argv.length) ctx.log(argv.join(' '));
      return proc;
    },
  };
}

/** A process that exits when a timer fires (or never), and stops the timer when stopped or aborted. */
function timedExit(exit: (code: number) => void, signal: AbortSignal): ContainerProcess & { exitAfter(ms: number, code: number): void } {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearTimeout(timer);
  };
  signal.addEventListener('abort', stop, { once: true });
  return {
    stop,
    exitAfter(ms, code) {
      timer = setTimeout(() => exit(code), ms);
    },
  };
}

function startNginx(ctx: ContainerContext): ContainerProcess {
  ctx.log('/docker-entrypoint.sh: Configuration complete; ready for start up');
  ctx.log(`${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [notice] 1#1: nginx/1.25.3`);
  ctx.log(`${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [notice] 1#1: start worker processes`);
  ctx.listen(80, (req, res) => {
    ctx.log(`${ctx.podIP} - - [${new Date().toUTCString()}] "${req.method} ${req.url} HTTP/1.1" 200 615 "-" "${req.headers['user-agent'] ?? '-'}" "-"`);
    res.writeHead(200, { 'Content-Type': 'text/html', Server: 'nginx/1.25.3' });
    res.end(req.method === 'HEAD' ? undefined : NGINX_PAGE);
  });
  return { stop: () => ctx.unlisten(80) };
}

export function registerGenericRuntime(reg: RuntimeRegistry): void {
  reg.addImages(isGenericImage);
  reg.register(createGenericRuntime());
}
