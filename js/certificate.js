// For a certificate that is expired or not valid yet, Node's fetch says only CERT_HAS_EXPIRED.
// This reads the certificate's dates with one more TLS handshake to the same address (nothing
// is sent over it, and it never replaces verification: the probe has already failed), so the
// finding can say until when it was valid.
import { connect } from 'node:tls';

const DATED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** The peer certificate's `{ valid_from, valid_to }` at `host:port`, or null (within 3 s). */
export function readDates(host, port, servername) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername, rejectUnauthorized: false, timeout: 3000 }, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert?.valid_to ? { valid_from: cert.valid_from, valid_to: cert.valid_to } : null);
    });
    socket.on('error', () => resolve(null));
    socket.on('timeout', () => { socket.destroy(); resolve(null); });
  });
}

/**
 * `fetchFn` whose date-related TLS failures carry the certificate's dates in `error.cause.cert`.
 * `address(host)` gives the address to read them from (the server passes its policy's choice);
 * `proxied(url)` says the request went through an egress proxy (then no extra handshake).
 */
export function withCertificateDates(fetchFn, address = async (host) => host, proxied = () => false) {
  return async (request) => {
    try {
      return await fetchFn(request);
    } catch (error) {
      const cause = error?.cause;
      // Never behind an egress proxy: the extra handshake would go around it.
      if (cause && DATED.has(cause.code) && !cause.cert && !proxied(request.url)) {
        const url = new URL(request.url);
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const target = await address(host).catch(() => null);
        const dates = target ? await readDates(target, Number(url.port || 443), host) : null;
        if (dates) cause.cert = dates;
      }
      throw error;
    }
  };
}
