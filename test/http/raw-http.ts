import { connect } from 'node:net';

export interface RawAnswer {
  /** The status code of the first response line; null when the server closed without answering. */
  status: number | null;
  /** Everything the server sent before it closed the connection. */
  raw: string;
}

/**
 * Sends bytes to a server over a bare TCP socket, exactly as given (fetch would tidy a malformed
 * request up), and collects what comes back until the server closes the connection. `end: false`
 * keeps our side open, as a client that stops halfway through a request does.
 */
export function rawRequest(port: number, request: string | Buffer, opts: { end?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => {
      if (opts.end === false) socket.write(request);
      else socket.end(request);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may reset a connection it refuses while we are still writing.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ status: status ? Number(status[1]) : null, raw });
    });
  });
}

export { freePort } from '../support/free-port.ts';
