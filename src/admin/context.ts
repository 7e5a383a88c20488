import type { Permission } from '../domain/roles.js';
import type { SessionRecord, UserRecord } from '../domain/access.js';

/** Who is signed in, for the pages: their user, session and this page's CSRF token. */
export interface AdminContext {
  user: UserRecord;
  session: SessionRecord;
  /** The token every form of the page carries (bound to the session and the user). */
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    admin?: AdminContext;
  }
  interface FastifyContextConfig {
    /**
     * What an admin route needs. Every route under /admin must say (the plugin refuses to start
     * otherwise): 'public' for the sign-in page, 'signed_in' for what any role may do (sign out), else the permission checked on every request.
     */
    permission?: Permission | 'public' | 'signed_in';
    /** A multipart form checks its CSRF field itself, before it reads the file. */
    csrfInHandler?: boolean;
  }
}
