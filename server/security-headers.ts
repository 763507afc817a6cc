import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers for every answer. The app loads nothing from elsewhere, so the policy allows only this
 * origin; blob: and data: images are the photo and signature previews made on the device; inline
 * styles are the first-paint styles in index.html. The camera is used by this origin only.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'blob:', 'data:'],
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    permissionsPolicy: { camera: ['self'], microphone: [], geolocation: [] },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // A route that sets its own (the stricter policy of /api/docs) keeps it.
    overwrite: false,
  });
}
