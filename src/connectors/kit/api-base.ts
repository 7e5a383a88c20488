/**
 * What is wrong with a connector's API root, if anything: it must be an http(s) URL with a host,
 * without query, fragment or credentials, since `appended` (the methods' paths) are appended to it.
 */
export function apiBaseProblem(base: string, appended: string): string | undefined {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return 'api_base_url must be an http or https URL.';
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '')
    return 'api_base_url must be an http or https URL.';
  if (u.search || u.hash || base.includes('?') || base.includes('#'))
    return `api_base_url must not have a query string or fragment: ${appended} are appended to it.`;
  if (u.username || u.password) return 'api_base_url must not carry a user name or password: they are settings.';
  return undefined;
}
