import net from 'node:net';
import { StartupError } from '../errors.ts';

/** Tries to listen on host:port; resolves with the error code when that fails ('' when the port is free). */
function tryListen(port: number, host: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'UNKNOWN'));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve('')));
  });
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await tryListen(port, host)) === '';
}

/** A port the system has just handed out as free on host (there is a short window before the caller binds it). */
export function anyFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Refuses to go on when the web server could not listen where it is told to, naming the
 * port and the variable that moves it (the raw EADDRINUSE only surfaced after the database,
 * the migrations and the build had run).
 */
export async function assertWebAddressFree(port: number, host: string): Promise<void> {
  const code = await tryListen(port, host);
  if (code === '') return;
  if (code === 'EADDRINUSE')
    throw new StartupError(
      `port ${port} on ${host} is already in use by another program: stop it, or start on another port with PORT (for example PORT=${port === 65535 ? port - 1 : port + 1} npm start)`,
    );
  if (code === 'EACCES')
    throw new StartupError(`port ${port} needs more privileges than this user has: choose a port above 1023 with PORT (for example PORT=3000 npm start)`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    throw new StartupError(`HOST=${host} is not an address of this machine: unset HOST for 127.0.0.1, or use 0.0.0.0 to listen on every interface`);
  throw new StartupError(`cannot listen on ${host}:${port} (${code}): set PORT or HOST to an address this machine can use`);
}
