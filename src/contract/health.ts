/** /health and /ready: `{"status": "ok"}`, `{"status": "ready"}`. */
export const statusSchema = { type: 'object', properties: { status: { type: 'string' } } } as const;
